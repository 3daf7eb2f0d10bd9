package ditto.engine.observe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import ditto.engine.dql.Dql;
import ditto.engine.dql.DqlValues;
import ditto.engine.dql.SelectExecutor;
import ditto.engine.dql.Statement.Select;

/**
 * Internal: maintains an incremental query's result (see {@link LiveQuery}) from the changed
 * documents alone.
 *
 * <pre>
 *  full:        runner.select(SELECT * FROM c WHERE w) ──▶ matching = {_id → (document, row)}
 *  incremental: runner.documents(c, changed ids) ──▶ per id: absent or WHERE false → remove,
 *               else put (document, projected row)
 *  output:      no ORDER BY → rows of matching in _id order; ORDER BY → the executor sorts the
 *               matching documents (ties keep _id order) and projects them
 * </pre>
 *
 * Invariants: {@code matching} holds exactly the documents of the collection that satisfy WHERE
 * as of the changes applied so far, keyed by {@code _id} in DQL order (the order in which the
 * store scans a collection, so an incremental result equals a full run's); each entry's row is
 * the projection of its document (null for ordered queries); {@code lastRows} is the last returned output.
 */
final class IncrementalEvaluation implements Evaluation {
    private final LiveQuery query;
    private final QueryRunner runner;
    private final Select matchingQuery;
    private final SelectExecutor projector;
    private final Dql.Condition where;
    private final boolean ordered;
    private TreeMap<Object, Entry> matching;
    private List<Map<String, Object>> lastRows;
    private long commitId = -1;

    /** One matching document and its projected row (the document itself for SELECT *). */
    private record Entry(Map<String, Object> document, Map<String, Object> row) { }

    IncrementalEvaluation(LiveQuery query, QueryRunner runner) {
        this.query = query;
        this.runner = runner;
        this.matchingQuery = query.matchingDocuments();
        this.ordered = !query.select.orderBy().isEmpty();
        this.where = Dql.condition(query.select.where());
        Select s = query.select;
        this.projector = SelectExecutor.of(new Select(false, s.projection(), s.from(), null, List.of(), null,
                List.of(), null, null));
    }

    @Override
    public Outcome evaluate(boolean full, Set<Object> changedIds, long eventCommitId) {
        boolean changed;
        boolean reloaded = full || matching == null;
        if (reloaded) {
            QueryRunner.Snapshot snapshot = runner.select(matchingQuery, query.arguments);
            TreeMap<Object, Entry> loaded = new TreeMap<>(DqlValues.ORDER);
            for (Map<String, Object> document : snapshot.rows()) {
                loaded.put(document.get("_id"), new Entry(document, project(document)));
            }
            matching = loaded;
            commitId = Math.max(Math.max(commitId, snapshot.commitId()), eventCommitId);
            changed = true;
        } else {
            Map<Object, Map<String, Object>> current = changedIds.isEmpty() ? Map.of()
                    : runner.documents(query.collection(), changedIds);
            changed = apply(changedIds, current);
            commitId = Math.max(commitId, eventCommitId);
        }
        if (!changed && lastRows != null) {
            return null;
        }
        List<Map<String, Object>> rows = output();
        // Without ORDER BY, and with rows that carry their _id, an incremental change is exact (a row
        // came, went or differs). A reload, a changed document of an ordered query, or rows without
        // _id (one row leaving while an equal one arrives) may still leave the output as it was.
        boolean exact = !reloaded && !ordered && query.rowsCarryId;
        if (lastRows != null && !exact && ValueEquality.sameRows(lastRows, rows)) {
            return null;
        }
        lastRows = rows;
        return new Outcome(rows, commitId);
    }

    /** Applies the current values of the changed ids; returns whether the output may have changed. */
    private boolean apply(Set<Object> changedIds, Map<Object, Map<String, Object>> current) {
        boolean changed = false;
        for (Object id : changedIds) {
            Map<String, Object> document = current.get(id);
            boolean matches = document != null && where.test(document, query.context);
            Entry old = matching.get(id);
            if (!matches) {
                if (old != null) {
                    matching.remove(id);
                    changed = true;
                }
                continue;
            }
            Entry entry = new Entry(document, project(document));
            matching.put(id, entry);
            changed |= old == null || (ordered ? !ValueEquality.same(old.document(), document)
                    : !ValueEquality.same(old.row(), entry.row()));
        }
        return changed;
    }

    /** The row of a matching document; null for ordered queries, whose output the executor projects. */
    private Map<String, Object> project(Map<String, Object> document) {
        if (ordered) {
            return null;
        }
        if (query.select.isStar()) {
            return document;
        }
        List<Map<String, Object>> rows = projector.executeAll(List.of(document), query.context);
        return rows.get(0);
    }

    private List<Map<String, Object>> output() {
        List<Map<String, Object>> rows;
        if (ordered) {
            List<Map<String, Object>> documents = new ArrayList<>(matching.size());
            for (Entry e : matching.values()) {
                documents.add(e.document());
            }
            rows = query.executor.executeAll(documents, query.context);
        } else {
            rows = new ArrayList<>(matching.size());
            for (Entry e : matching.values()) {
                rows.add(e.row());
            }
        }
        return Collections.unmodifiableList(rows);
    }

    @Override
    public void invalidate() {
        matching = null;
    }

    @Override
    public boolean needsFull() {
        return matching == null;
    }
}
