package ditto.engine.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

import ditto.api.QueryResult;

/**
 * Builds the {@link QueryResult}s every part of the engine returns: SELECT rows, stored
 * documents given as CBOR, and mutation outcomes.
 *
 * <p>Results are immutable snapshots and thread-safe. Their items materialize lazily: an item
 * built from CBOR decodes it on first {@code value()} and caches the map until
 * {@code dematerialize()}; an item built from a map holds it and, when dematerialized, keeps a
 * CBOR copy instead. JSON output writes byte arrays as base64 strings; {@code decode(Class)} uses
 * Jackson databind (see {@code QueryResultItem.decode}: records and bean-style classes with
 * public members in an exported package bind directly; private members need the package opened
 * to {@code com.fasterxml.jackson.databind}). The given lists and maps are not copied: callers
 * hand over rows they no longer change.
 */
public final class Results {

    private Results() {
    }

    /**
     * Returns the result of a SELECT from rows, without a commit id.
     *
     * @param rows the rows as JSON-model maps (with {@code _id} for {@code SELECT *}), in
     *        result order; never null, no null element
     * @return a new result, never null
     */
    public static QueryResult ofRows(List<Map<String, Object>> rows) {
        return ofRows(rows, OptionalLong.empty());
    }

    /**
     * Returns the result of a SELECT from rows that reflect a commit.
     *
     * @param rows the rows as JSON-model maps, in result order; never null, no null element
     * @param commitId the commit the rows reflect
     * @return a new result, never null
     */
    public static QueryResult ofRows(List<Map<String, Object>> rows, long commitId) {
        return ofRows(rows, OptionalLong.of(commitId));
    }

    /**
     * Returns the result of a SELECT from rows.
     *
     * @param rows the rows as JSON-model maps, in result order; never null, no null element
     * @param commitId the commit the rows reflect, or empty (inside an uncommitted transaction)
     * @return a new result, never null
     */
    public static QueryResult ofRows(List<Map<String, Object>> rows, OptionalLong commitId) {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(commitId, "commitId");
        List<QueryResultItemImpl> items = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            items.add(QueryResultItemImpl.ofValue(row));
        }
        return new QueryResultImpl(items, List.of(), commitId);
    }

    /**
     * Returns the result of a SELECT from rows given as encoded CBOR, each one CBOR map of
     * JSON-model values (text keys; byte strings for binary; integers, floats, bignums and decimal
     * fractions for numbers), decoded only when an item is read as a map.
     *
     * @param cborRows the encoded rows in result order; never null, no null element; the arrays
     *        are kept, not copied, and must not change afterwards
     * @return a new result, never null; reading an item whose bytes are not such a map throws
     *         {@code DittoException} {@code STORE}
     */
    public static QueryResult ofEncoded(List<byte[]> cborRows) {
        return ofEncoded(cborRows, OptionalLong.empty());
    }

    /**
     * Returns the result of a SELECT from encoded rows (see {@link #ofEncoded(List)}) that reflect
     * a commit.
     *
     * @param cborRows the encoded rows in result order; never null, no null element
     * @param commitId the commit the rows reflect, or empty
     * @return a new result, never null
     */
    public static QueryResult ofEncoded(List<byte[]> cborRows, OptionalLong commitId) {
        Objects.requireNonNull(cborRows, "cborRows");
        Objects.requireNonNull(commitId, "commitId");
        List<QueryResultItemImpl> items = new ArrayList<>(cborRows.size());
        for (byte[] row : cborRows) {
            items.add(QueryResultItemImpl.ofCbor(row));
        }
        return new QueryResultImpl(items, List.of(), commitId);
    }

    /**
     * Returns the result of a committed mutation: no items, the mutated ids, the commit id.
     *
     * @param mutatedIds the ids of the changed documents in the order they were changed; never
     *        null, no null element; copied
     * @param commitId the commit the mutation created
     * @return a new result, never null
     */
    public static QueryResult ofMutation(List<Object> mutatedIds, long commitId) {
        return ofMutation(mutatedIds, OptionalLong.of(commitId));
    }

    /**
     * Returns the result of a mutation, with the commit id empty when the mutation ran inside a
     * transaction that has not committed yet.
     *
     * @param mutatedIds the ids of the changed documents in the order they were changed; never
     *        null, no null element; copied
     * @param commitId the commit the mutation created, or empty
     * @return a new result, never null
     */
    public static QueryResult ofMutation(List<Object> mutatedIds, OptionalLong commitId) {
        Objects.requireNonNull(commitId, "commitId");
        return new QueryResultImpl(List.of(), List.copyOf(mutatedIds), commitId);
    }

    /**
     * Returns a result without items or mutated ids.
     *
     * @param commitId the commit it reflects, or empty
     * @return a new result, never null
     */
    public static QueryResult empty(OptionalLong commitId) {
        Objects.requireNonNull(commitId, "commitId");
        return new QueryResultImpl(List.of(), List.of(), commitId);
    }
}
