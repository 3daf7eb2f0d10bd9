package ditto.engine.crdt;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The type hints of a DQL statement, {@code COLLECTION coll (f MAP, c COUNTER, a ATTACHMENT,
 * r REGISTER, m MAP(x ATTACHMENT))}, as a tree: each declared key has a {@link CrdtType} and,
 * for maps, the hints of its own keys.
 *
 * <p>Hints decide how a written value is stored; they do not change data already written.
 * Declaring a nested key ({@code put(Path.parse("a.b"), COUNTER)}) makes its parents MAPs.
 * Immutable and thread-safe; build with {@link #builder()}.
 */
public final class TypeHints {
    /** No hints: every field gets its default type. */
    public static final TypeHints NONE = new TypeHints(Map.of());

    private final Map<String, Entry> entries;

    private record Entry(CrdtType type, TypeHints nested) {
    }

    private TypeHints(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** Returns a builder of hints. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the declared type of {@code key}, or null when it is undeclared. */
    public CrdtType typeOf(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.type;
    }

    /** Returns the hints below {@code key}, or {@link #NONE}. */
    public TypeHints child(String key) {
        Entry e = entries.get(key);
        return e == null ? NONE : e.nested;
    }

    /** Returns whether nothing is declared. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TypeHints t && entries.equals(t.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    /** Returns the DQL form, e.g. {@code (f MAP, m MAP(x ATTACHMENT))}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        entries.forEach((k, e) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(k).append(' ').append(e.type);
            if (!e.nested.isEmpty()) {
                sb.append(e.nested);
            }
        });
        return sb.append(')').toString();
    }

    /** Builds {@link TypeHints}; not thread-safe. A later declaration of a key replaces an earlier one. */
    public static final class Builder {
        private final Map<String, Entry> entries = new LinkedHashMap<>();

        private Builder() {
        }

        /** Declares {@code key} with {@code type}. */
        public Builder put(String key, CrdtType type) {
            return put(key, type, NONE);
        }

        /**
         * Declares {@code key} with {@code type} and hints for its keys.
         *
         * @throws DittoException {@code INVALID_ARGUMENTS} if nested hints are given for a type other than MAP
         */
        public Builder put(String key, CrdtType type, TypeHints nested) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(nested, "nested");
            if (!nested.isEmpty() && type != CrdtType.MAP) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                        "type hints: " + key + " is " + type + "; only a MAP can declare types of its keys");
            }
            entries.put(key, new Entry(type, nested));
            return this;
        }

        /**
         * Declares the field at {@code path} (keys only) with {@code type}; undeclared parents become MAPs.
         *
         * @throws DittoException {@code INVALID_ARGUMENTS} if the path holds an index or a parent is declared as something other than MAP
         */
        public Builder put(Path path, CrdtType type) {
            for (int i = 0; i < path.size(); i++) {
                if (!path.isKey(i)) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "type hints: " + path + ": array indexes cannot be declared");
                }
            }
            putAt(this, path, 0, type);
            return this;
        }

        private static void putAt(Builder b, Path path, int i, CrdtType type) {
            String key = path.key(i);
            if (i == path.size() - 1) {
                Entry old = b.entries.get(key);
                b.put(key, type, old != null && type == CrdtType.MAP ? old.nested : NONE);
                return;
            }
            Entry old = b.entries.get(key);
            if (old != null && old.type != CrdtType.MAP) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                        "type hints: " + path.prefix(i + 1) + " is declared " + old.type + ", so it cannot have declared keys");
            }
            Builder nested = new Builder();
            if (old != null) {
                nested.entries.putAll(old.nested.entries);
            }
            putAt(nested, path, i + 1, type);
            b.entries.put(key, new Entry(CrdtType.MAP, nested.build()));
        }

        /** Returns the hints declared so far. */
        public TypeHints build() {
            return entries.isEmpty() ? NONE : new TypeHints(Collections.unmodifiableMap(new LinkedHashMap<>(entries)));
        }
    }
}
