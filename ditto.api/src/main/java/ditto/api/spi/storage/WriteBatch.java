package ditto.api.spi.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * An ordered list of writes applied atomically by {@link Storage#commit}.
 *
 * <p>Built by one thread, then handed to the storage. Later operations on the same key win over
 * earlier ones in the same batch. The batch copies nothing: callers must not change arrays they
 * passed in.
 */
public final class WriteBatch {

    /** The kind of one operation. */
    public enum Kind {
        /** Set a key to a value. */
        PUT,
        /** Remove a key (absent keys are fine). */
        DELETE,
        /** Remove every key in {@code [key, end)}. */
        DELETE_RANGE
    }

    /**
     * One write.
     *
     * @param kind what to do
     * @param space the space name
     * @param key the key, or the range start for {@link Kind#DELETE_RANGE}
     * @param value the value for {@link Kind#PUT}, the exclusive range end for
     *        {@link Kind#DELETE_RANGE} (null = end of space), null for {@link Kind#DELETE}
     */
    public record Op(Kind kind, String space, byte[] key, byte[] value) {
    }

    private final List<Op> ops = new ArrayList<>();
    private long bytes;

    /**
     * Adds a put.
     *
     * @param space the space name, never null or empty
     * @param key the key, never null or empty
     * @param value the value, never null (may be empty)
     * @return this batch
     * @throws DittoException {@code INVALID_ARGUMENTS} on a null or empty name or key
     */
    public WriteBatch put(String space, byte[] key, byte[] value) {
        check(space, key);
        if (value == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write batch put: value is null");
        }
        ops.add(new Op(Kind.PUT, space, key, value));
        bytes += key.length + value.length;
        return this;
    }

    /**
     * Adds a delete.
     *
     * @param space the space name, never null or empty
     * @param key the key, never null or empty
     * @return this batch
     * @throws DittoException {@code INVALID_ARGUMENTS} on a null or empty name or key
     */
    public WriteBatch delete(String space, byte[] key) {
        check(space, key);
        ops.add(new Op(Kind.DELETE, space, key, null));
        bytes += key.length;
        return this;
    }

    /**
     * Adds a range delete of every key in {@code [from, to)}.
     *
     * @param space the space name, never null or empty
     * @param from the inclusive start, never null or empty
     * @param to the exclusive end, or null for the end of the space
     * @return this batch
     * @throws DittoException {@code INVALID_ARGUMENTS} on a null or empty name or start
     */
    public WriteBatch deleteRange(String space, byte[] from, byte[] to) {
        check(space, from);
        ops.add(new Op(Kind.DELETE_RANGE, space, from, to));
        bytes += from.length + (to == null ? 0 : to.length);
        return this;
    }

    /** Returns the operations in the order they were added (unmodifiable view). */
    public List<Op> ops() {
        return Collections.unmodifiableList(ops);
    }

    /** Tells whether the batch has no operation. */
    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /** Returns the number of operations. */
    public int size() {
        return ops.size();
    }

    /** Returns the sum of key and value lengths, a measure of the batch's weight. */
    public long byteSize() {
        return bytes;
    }

    private static void check(String space, byte[] key) {
        if (space == null || space.isEmpty()) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "write batch: space name is null or empty");
        }
        if (key == null || key.length == 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "write batch: key is null or empty in space '" + space + "'");
        }
        Objects.requireNonNull(space);
    }
}
