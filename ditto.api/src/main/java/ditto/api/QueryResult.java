package ditto.api;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The outcome of one DQL statement: the matching items of a SELECT, or the ids of the documents
 * a mutation changed. Returned by {@link QueryExecutor#execute} and handed to store observers.
 *
 * <p>A result is an immutable snapshot and is thread-safe. Close it when done to release what it
 * holds; closing is idempotent, does not close items already taken from it, and after it every
 * method except {@code close()} throws {@link ErrorCode#CLOSED}.
 */
@ProviderType
public interface QueryResult extends Iterable<QueryResultItem>, AutoCloseable {

    /**
     * Returns the item at an index.
     *
     * @param index the index, from 0 to {@link #itemCount()} - 1
     * @return the item, never null
     * @throws IndexOutOfBoundsException if the index is out of range
     * @throws DittoException {@link ErrorCode#CLOSED} if this result is closed
     */
    QueryResultItem item(int index);

    /**
     * Returns the number of items; 0 for a mutation.
     *
     * @throws DittoException {@link ErrorCode#CLOSED} if this result is closed
     */
    int itemCount();

    /**
     * Returns the items in result order.
     *
     * @return an unmodifiable list, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this result is closed
     */
    List<QueryResultItem> items();

    /**
     * Returns an iterator over {@link #items()}.
     *
     * @throws DittoException {@link ErrorCode#CLOSED} if this result is closed
     */
    @Override
    default Iterator<QueryResultItem> iterator() {
        return items().iterator();
    }

    /**
     * Returns a sequential stream over {@link #items()}.
     *
     * @throws DittoException {@link ErrorCode#CLOSED} if this result is closed
     */
    default Stream<QueryResultItem> stream() {
        return items().stream();
    }

    /**
     * Returns the value of every item, in result order; same as mapping {@link #items()} with
     * {@link QueryResultItem#value()}.
     *
     * @return an unmodifiable list of unmodifiable maps, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this result is closed
     */
    List<Map<String, Object>> values();

    /**
     * Returns the ids of the documents a mutating statement (INSERT, UPDATE, EVICT, DELETE)
     * changed locally, in the order they were changed; empty for a SELECT.
     *
     * @return an unmodifiable list of document ids (JSON-model values), never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this result is closed
     */
    List<Object> mutatedDocumentIds();

    /**
     * Returns the id of the local commit this result reflects: the commit a mutation created,
     * or the state a SELECT read. Empty for a statement run inside a transaction that has not
     * committed yet.
     *
     * @return the commit id, or empty
     * @throws DittoException {@link ErrorCode#CLOSED} if this result is closed
     */
    OptionalLong commitId();

    /** Releases this result; idempotent. Items already taken from it stay usable. */
    @Override
    void close();
}
