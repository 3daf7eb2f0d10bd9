package ditto.api.spi.storage;

import java.util.Iterator;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Iterates the entries of a range of one space of a {@link Snapshot}, in key order.
 *
 * <p>Not thread-safe: one thread iterates a cursor. Closing the cursor (idempotent) releases it;
 * closing its snapshot ends it as well.
 */
@ConsumerType
public interface Cursor extends Iterator<Entry>, AutoCloseable {

    /** Releases the cursor; idempotent. */
    @Override
    void close();
}
