package ditto.api.spi.storage;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An immutable, consistent view of a storage as of one commit.
 *
 * <p>Thread-safe: several threads may read one snapshot. Byte arrays returned are the caller's
 * to keep and must not be changed by the backend afterwards. After {@link #close()} every method
 * throws {@link ditto.api.DittoException} with {@code CLOSED}.
 */
@ConsumerType
public interface Snapshot extends AutoCloseable {

    /**
     * Returns the sequence number of the commit this snapshot shows.
     *
     * @return the sequence number, zero for an empty new storage
     */
    long sequence();

    /**
     * Reads one value.
     *
     * @param space the space name, never null
     * @param key the key, never null or empty
     * @return the value, or empty if the key (or the space) is absent
     */
    Optional<byte[]> get(String space, byte[] key);

    /**
     * Iterates the entries with {@code from <= key < to} in key order (or reverse order).
     *
     * @param space the space name, never null
     * @param from the inclusive lower bound, or null for the start of the space
     * @param to the exclusive upper bound, or null for the end of the space
     * @param reverse true to iterate from the highest key down
     * @return a cursor over the range, empty if the space is absent; close it when done
     */
    Cursor scan(String space, byte[] from, byte[] to, boolean reverse);

    /** Releases the view; idempotent. */
    @Override
    void close();
}
