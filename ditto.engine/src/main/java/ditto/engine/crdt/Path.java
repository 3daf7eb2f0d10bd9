package ditto.engine.crdt;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A path into a document: a non-empty sequence of segments, each an object key ({@link String})
 * or an array index ({@code int} &ge; 0). DQL writes {@code a.b}, {@code a['k']} and {@code a[0]}.
 *
 * <p>Immutable. {@link #toString()} prints the DQL form; keys that are not plain identifiers are
 * printed as {@code ['…']} with single quotes doubled (the first one as {@code `…`} with
 * backticks doubled), so the printed form parses back. Equality is by segments.
 */
public final class Path {
    private final Object[] segments; // String or Integer

    private Path(Object[] segments) {
        this.segments = segments;
    }

    /**
     * Returns the path with the given segments.
     *
     * @param segments Strings (keys) and Integers (indexes &ge; 0), at least one; the first must be a key
     * @throws DittoException {@code INVALID_ARGUMENTS} for no segment, a null or other-typed
     *     segment, a negative index or a first segment that is an index
     */
    public static Path of(Object... segments) {
        if (segments.length == 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "path: no segment");
        }
        Object[] copy = segments.clone();
        for (int i = 0; i < copy.length; i++) {
            Object s = copy[i];
            if (s instanceof Integer n) {
                if (n < 0) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "path: index " + n + " is negative");
                }
                if (i == 0) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "path: must start with a field name, not index " + n);
                }
            } else if (!(s instanceof String)) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "path: segment " + s + " is neither a key nor an index");
            }
        }
        return new Path(copy);
    }

    /** Returns the one-segment path {@code key}. */
    public static Path key(String key) {
        return of(key);
    }

    /** Returns this path extended by an object key. */
    public Path child(String key) {
        if (key == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "path: null key");
        }
        Object[] s = Arrays.copyOf(segments, segments.length + 1);
        s[segments.length] = key;
        return new Path(s);
    }

    /** Returns this path extended by an array index &ge; 0. */
    public Path index(int index) {
        if (index < 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "path: index " + index + " is negative");
        }
        Object[] s = Arrays.copyOf(segments, segments.length + 1);
        s[segments.length] = index;
        return new Path(s);
    }

    /**
     * Parses the DQL path syntax: identifiers joined by {@code .}, backtick-quoted identifiers
     * ({@code `a b`}, a doubled backtick inside), {@code ['key']} (a doubled single quote inside)
     * and {@code [n]}.
     *
     * @throws DittoException {@code INVALID_ARGUMENTS} naming the column of a syntax error
     */
    public static Path parse(String text) {
        if (text == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "path: null");
        }
        List<Object> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        boolean expectName = true;
        while (i < n) {
            char c = text.charAt(i);
            if (expectName) {
                if (c == '`') {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw syntax(text, i, "unterminated backtick");
                        }
                        char d = text.charAt(i++);
                        if (d == '`') {
                            if (i < n && text.charAt(i) == '`') {
                                sb.append('`');
                                i++;
                            } else {
                                break;
                            }
                        } else {
                            sb.append(d);
                        }
                    }
                    out.add(sb.toString());
                } else if (Character.isLetter(c) || c == '_') {
                    int start = i;
                    while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                        i++;
                    }
                    out.add(text.substring(start, i));
                } else {
                    throw syntax(text, i, "expected a field name");
                }
                expectName = false;
            } else if (c == '.') {
                i++;
                expectName = true;
            } else if (c == '[') {
                i++;
                if (i < n && text.charAt(i) == '\'') {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw syntax(text, i, "unterminated string");
                        }
                        char d = text.charAt(i++);
                        if (d == '\'') {
                            if (i < n && text.charAt(i) == '\'') {
                                sb.append('\'');
                                i++;
                            } else {
                                break;
                            }
                        } else {
                            sb.append(d);
                        }
                    }
                    out.add(sb.toString());
                } else {
                    int start = i;
                    while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                        i++;
                    }
                    if (start == i || i - start > 9) {
                        throw syntax(text, start, "expected an index or a quoted key");
                    }
                    out.add(Integer.parseInt(text.substring(start, i)));
                }
                if (i >= n || text.charAt(i) != ']') {
                    throw syntax(text, i, "expected ]");
                }
                i++;
            } else {
                throw syntax(text, i, "expected '.' or '['");
            }
        }
        if (expectName) {
            throw syntax(text, i, "expected a field name");
        }
        return of(out.toArray());
    }

    private static DittoException syntax(String text, int index, String what) {
        return new DittoException(ErrorCode.INVALID_ARGUMENTS, "path '" + text + "': column " + (index + 1) + ": " + what);
    }

    /** Returns the number of segments (&ge; 1). */
    public int size() {
        return segments.length;
    }

    /** Returns whether segment {@code i} is an object key (else it is an array index). */
    public boolean isKey(int i) {
        return segments[i] instanceof String;
    }

    /** Returns segment {@code i} as a key; {@link ClassCastException} if it is an index. */
    public String key(int i) {
        return (String) segments[i];
    }

    /** Returns segment {@code i} as an index; {@link ClassCastException} if it is a key. */
    public int indexAt(int i) {
        return (Integer) segments[i];
    }

    /** Returns segment {@code i}: a String or an Integer. */
    public Object segment(int i) {
        return segments[i];
    }

    /** Returns the path without its first segment, or null when this path has one segment. */
    Path tail() {
        return segments.length == 1 ? null : new Path(Arrays.copyOfRange(segments, 1, segments.length));
    }

    /** Returns the path from segment {@code from} on (used by nested register updates). */
    Path from(int from) {
        return new Path(Arrays.copyOfRange(segments, from, segments.length));
    }

    /** Returns the DQL form of the first {@code count} segments. */
    String prefix(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            Object s = segments[i];
            if (s instanceof Integer n) {
                sb.append('[').append(n).append(']');
            } else {
                String k = (String) s;
                if (isIdentifier(k)) {
                    if (i > 0) {
                        sb.append('.');
                    }
                    sb.append(k);
                } else if (i == 0) {
                    sb.append('`').append(k.replace("`", "``")).append('`');
                } else {
                    sb.append("['").append(k.replace("'", "''")).append("']");
                }
            }
        }
        return sb.toString();
    }

    private static boolean isIdentifier(String k) {
        if (k.isEmpty() || !(Character.isLetter(k.charAt(0)) || k.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < k.length(); i++) {
            if (!Character.isLetterOrDigit(k.charAt(i)) && k.charAt(i) != '_') {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Path p && Arrays.equals(segments, p.segments);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(segments);
    }

    /** Returns the DQL form, e.g. {@code a.b[0]['odd key']}. */
    @Override
    public String toString() {
        return prefix(segments.length);
    }
}
