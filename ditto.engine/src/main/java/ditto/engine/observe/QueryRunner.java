package ditto.engine.observe;

import java.util.List;
import java.util.Map;
import java.util.Set;

import ditto.engine.dql.Statement;

/**
 * Read access to the latest committed state of the local store, for live queries. Implemented by
 * the store; called by {@link ObserverHub} from its delivery threads, possibly concurrently.
 */
public interface QueryRunner {

    /**
     * Runs a read-only SELECT on the latest committed state.
     *
     * @param select the parsed SELECT, never null
     * @param args the query arguments, never null (empty when none)
     * @return the rows and the commit id they reflect
     */
    Snapshot select(Statement.Select select, Map<String, Object> args);

    /**
     * Reads the current values of some documents of one collection at the latest commit, for the
     * incremental re-evaluation of live queries after a commit changed exactly these ids.
     *
     * <p>The result holds only the ids that exist (are not deleted or evicted) at the commit read;
     * a missing id means "no longer there". Values are JSON-model maps including {@code _id}, as a
     * {@code SELECT *} row shows them. The commit read may be later than the commit that announced
     * the ids (the store publishes another {@link CommitEvent} for any later change, so the hub
     * catches up). A collection that was never written yields an empty map.
     *
     * @param collection the collection name, never null
     * @param ids the JSON-model {@code _id} values to read, never null, possibly empty
     * @return the documents found, keyed by the {@code _id} objects given in {@code ids} (the
     *         hub looks them up with those same objects); never null
     */
    Map<Object, Map<String, Object>> documents(String collection, Set<Object> ids);

    /**
     * The rows of one SELECT run and the commit they reflect.
     *
     * @param commitId the id of the latest commit included in the rows
     * @param rows the result rows as JSON-model maps, in result order
     */
    record Snapshot(long commitId, List<Map<String, Object>> rows) { }
}
