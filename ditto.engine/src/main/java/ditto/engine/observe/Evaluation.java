package ditto.engine.observe;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Internal: how one observer computes its next result. Called by one delivery task at a time
 * (the observer's serial delivery guarantees it), so implementations need no locking.
 */
interface Evaluation {

    /**
     * Computes the result after the changes since the previous call.
     *
     * @param full true to read everything again (first run, unknown or too many changed ids, or
     *        after a failure); false to consider only {@code changedIds}
     * @param changedIds the ids changed in the observed collection since the previous call
     *        (ignored when {@code full})
     * @param eventCommitId the greatest commit id of the events behind this call, or -1 for none
     * @return the new rows, or null when they equal the previously returned rows
     */
    Outcome evaluate(boolean full, Set<Object> changedIds, long eventCommitId);

    /**
     * Forgets the maintained state so that the next call must be a full one (after a failure
     * left it unknown). The last returned rows are kept, so an unchanged result is still not
     * delivered twice.
     */
    void invalidate();

    /** Returns whether the next call must be a full one (nothing maintained yet or state invalidated). */
    boolean needsFull();

    /**
     * A result to deliver.
     *
     * @param rows the rows in result order; shared, never modified afterwards
     * @param commitId the commit the rows reflect at least
     */
    record Outcome(List<Map<String, Object>> rows, long commitId) { }
}
