package ditto.api.spi.storage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An open store of ordered key-value spaces.
 *
 * <p><b>Model.</b> A storage holds named spaces (created on first write, names of at most 255
 * UTF-8 bytes); each space maps byte-string keys to byte-string values, ordered by unsigned
 * lexicographic comparison of the keys. Empty values are allowed; empty keys are not.
 *
 * <p><b>Reads.</b> {@link #snapshot()} returns a consistent, immutable view of every space as of
 * the latest commit; later commits never show through it. Snapshots are cheap and many may be
 * open at once, from any thread.
 *
 * <p><b>Writes.</b> {@link #commit} applies a {@link WriteBatch} atomically: after a crash either
 * the whole batch is visible or none of it. Commits are totally ordered and each gets a sequence
 * number one greater than the previous. The engine serializes its writers, but a backend must
 * still be safe if two threads commit at once.
 *
 * <p><b>Durability.</b> {@link Durability#SYNC} commits are on stable storage before
 * {@code commit} returns; {@link Durability#BUFFERED} commits may be lost by a crash (as a
 * suffix: never a later one without an earlier one) until {@link #flush()} returns.
 *
 * <p><b>Errors.</b> Failures throw {@link ditto.api.DittoException} with {@code STORE} (I/O),
 * {@code ENCRYPTION} (tampering detected) or {@code CLOSED} (used after {@link #close()}).
 */
@ConsumerType
public interface Storage extends AutoCloseable {

    /**
     * Returns a consistent read view as of the latest commit. Close it when done.
     *
     * @return a new snapshot, never null
     */
    Snapshot snapshot();

    /**
     * Applies a batch atomically.
     *
     * @param batch the writes; an empty batch still gets a sequence number; never null
     * @param durability whether to force the commit to stable storage before returning; never null
     * @return the commit's sequence number, greater than every earlier one
     */
    long commit(WriteBatch batch, Durability durability);

    /** Forces every earlier commit to stable storage. */
    void flush();

    /**
     * Returns the sequence number of the latest commit, or zero for a new storage.
     *
     * @return the latest sequence number
     */
    long lastSequence();

    /**
     * Tells whether the data is encrypted at rest.
     *
     * @return true if a key protects the files
     */
    boolean isEncrypted();

    /**
     * Returns the bytes this storage occupies on disk (zero for a non-persistent backend).
     *
     * @return a number of bytes
     */
    long sizeOnDisk();

    /** Flushes and releases files and threads; idempotent. */
    @Override
    void close();
}
