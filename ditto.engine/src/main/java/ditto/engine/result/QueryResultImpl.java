package ditto.engine.result;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.QueryResultItem;

/**
 * The result of one statement: its items (for a SELECT), the mutated ids (for a mutation) and
 * the commit id. Immutable except for the closed flag.
 *
 * <p>Invariants: {@code items} and {@code mutatedIds} are unmodifiable; an item handed out through
 * {@link #item}, {@link #items}, iteration or streaming is marked taken and stays usable after
 * this result closes (as {@link QueryResult#close()} promises); items never handed out are closed
 * with the result. After close every method but {@code close()} throws {@link ErrorCode#CLOSED}.
 */
final class QueryResultImpl implements QueryResult {
    private final List<QueryResultItem> items;
    private final List<Object> mutatedIds;
    private final OptionalLong commitId;
    private volatile boolean closed;

    QueryResultImpl(List<QueryResultItemImpl> items, List<Object> mutatedIds, OptionalLong commitId) {
        this.items = Collections.unmodifiableList(items);
        this.mutatedIds = mutatedIds;
        this.commitId = commitId;
    }

    @Override
    public QueryResultItem item(int index) {
        checkOpen("item");
        if (index < 0 || index >= items.size()) {
            throw new IndexOutOfBoundsException("query result: item index " + index + " is out of range; the result has "
                    + items.size() + (items.size() == 1 ? " item" : " items"));
        }
        QueryResultItemImpl item = (QueryResultItemImpl) items.get(index);
        item.taken = true;
        return item;
    }

    @Override
    public int itemCount() {
        checkOpen("itemCount");
        return items.size();
    }

    @Override
    public List<QueryResultItem> items() {
        checkOpen("items");
        for (QueryResultItem item : items) {
            ((QueryResultItemImpl) item).taken = true;
        }
        return items;
    }

    @Override
    public List<Map<String, Object>> values() {
        checkOpen("values");
        List<Map<String, Object>> values = new ArrayList<>(items.size());
        for (QueryResultItem item : items) {
            values.add(item.value());
        }
        return Collections.unmodifiableList(values);
    }

    @Override
    public List<Object> mutatedDocumentIds() {
        checkOpen("mutatedDocumentIds");
        return mutatedIds;
    }

    @Override
    public OptionalLong commitId() {
        checkOpen("commitId");
        return commitId;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (QueryResultItem item : items) {
            if (!((QueryResultItemImpl) item).taken) {
                item.close();
            }
        }
    }

    private void checkOpen(String method) {
        if (closed) {
            throw new DittoException(ErrorCode.CLOSED, "query result: " + method + " called after close");
        }
    }

    @Override
    public String toString() {
        return closed ? "QueryResult[closed]"
                : "QueryResult[items=" + items.size() + ", mutatedDocumentIds=" + mutatedIds.size()
                        + ", commitId=" + (commitId.isPresent() ? commitId.getAsLong() : "none") + "]";
    }
}
