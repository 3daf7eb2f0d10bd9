package ditto.engine.observe;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Internal: evaluates a query by running it again through the {@link QueryRunner} (aggregates,
 * DISTINCT, LIMIT/OFFSET, virtual collections, {@code clock()}), and reports a result only when
 * it differs from the previous one. Invariant: {@code lastRows} is what was last returned, or
 * null before the first run.
 */
final class FullEvaluation implements Evaluation {
    private final LiveQuery query;
    private final QueryRunner runner;
    private List<Map<String, Object>> lastRows;

    FullEvaluation(LiveQuery query, QueryRunner runner) {
        this.query = query;
        this.runner = runner;
    }

    @Override
    public Outcome evaluate(boolean full, Set<Object> changedIds, long eventCommitId) {
        QueryRunner.Snapshot snapshot = runner.select(query.select, query.arguments);
        List<Map<String, Object>> rows = List.copyOf(snapshot.rows());
        if (lastRows != null && ValueEquality.sameRows(lastRows, rows)) {
            return null;
        }
        lastRows = rows;
        return new Outcome(rows, snapshot.commitId());
    }

    @Override
    public void invalidate() {
        // Nothing is maintained between runs: every run reads everything.
    }

    @Override
    public boolean needsFull() {
        return true;
    }
}
