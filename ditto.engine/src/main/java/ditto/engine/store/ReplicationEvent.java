package ditto.engine.store;

import java.util.Objects;
import java.util.Set;

import ditto.engine.observe.CommitEvent;

/**
 * What one commit means for replication: the commit event the live queries get, plus the
 * collections whose eviction generation the commit raised (an EVICT ran on them).
 *
 * @param commit the commit id and the changed documents, never null
 * @param evictedCollections the collections an EVICT in this commit removed documents from; copied
 */
public record ReplicationEvent(CommitEvent commit, Set<String> evictedCollections) {

    /** Copies the set. */
    public ReplicationEvent {
        Objects.requireNonNull(commit, "commit");
        evictedCollections = Set.copyOf(evictedCollections);
    }
}
