package ditto.engine.observe;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changed in one local commit: the commit id and, per collection, the ids of the documents
 * the commit inserted, updated, evicted or deleted. Published by the store after the commit is
 * durable, in commit order, on the committing thread; listeners must return quickly.
 *
 * @param commitId the id of the commit, increasing from one event to the next
 * @param changedIdsByCollection collection name to the JSON-model {@code _id} values changed in it;
 *        copied, never null
 */
public record CommitEvent(long commitId, Map<String, Set<Object>> changedIdsByCollection) {

    /** Copies the map so the event stays immutable. */
    public CommitEvent {
        Objects.requireNonNull(changedIdsByCollection, "changedIdsByCollection");
        changedIdsByCollection = Map.copyOf(changedIdsByCollection);
    }
}
