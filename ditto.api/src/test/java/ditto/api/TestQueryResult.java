package ditto.api;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Test-only {@link QueryResult} over a fixed list of items; tracks whether it was closed. */
final class TestQueryResult implements QueryResult {
    private final List<QueryResultItem> items;
    private volatile boolean closed;

    TestQueryResult(List<? extends QueryResultItem> items) {
        this.items = List.copyOf(items);
    }

    private void checkOpen() {
        if (closed) {
            throw new DittoException(ErrorCode.CLOSED, "test result: closed");
        }
    }

    @Override
    public QueryResultItem item(int index) {
        checkOpen();
        return items.get(index);
    }

    @Override
    public int itemCount() {
        checkOpen();
        return items.size();
    }

    @Override
    public List<QueryResultItem> items() {
        checkOpen();
        return items;
    }

    @Override
    public List<Map<String, Object>> values() {
        checkOpen();
        return items.stream().map(QueryResultItem::value).toList();
    }

    @Override
    public List<Object> mutatedDocumentIds() {
        checkOpen();
        return List.of();
    }

    @Override
    public OptionalLong commitId() {
        checkOpen();
        return OptionalLong.empty();
    }

    @Override
    public void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }
}
