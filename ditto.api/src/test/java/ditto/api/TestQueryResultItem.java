package ditto.api;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import ditto.api.internal.Cbor;
import ditto.api.internal.Json;

/**
 * Test-only {@link QueryResultItem} over a fixed map: tracks materialization and closing so tests
 * can check what code under test did to the item.
 */
final class TestQueryResultItem implements QueryResultItem {
    private final Map<String, Object> value;
    private boolean materialized;
    private boolean closed;
    int valueCalls;

    TestQueryResultItem(Map<String, Object> value) {
        this.value = Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }

    /** An item {@code {"_id": id, "v": v}}. */
    static TestQueryResultItem of(Object id, Object v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_id", id);
        m.put("v", v);
        return new TestQueryResultItem(m);
    }

    private void checkOpen() {
        if (closed) {
            throw new DittoException(ErrorCode.CLOSED, "test item: closed");
        }
    }

    @Override
    public synchronized Map<String, Object> value() {
        checkOpen();
        valueCalls++;
        materialized = true;
        return value;
    }

    @Override
    public synchronized void materialize() {
        checkOpen();
        materialized = true;
    }

    @Override
    public synchronized void dematerialize() {
        materialized = false;
    }

    @Override
    public synchronized boolean isMaterialized() {
        return materialized;
    }

    @Override
    public byte[] cborData() {
        checkOpen();
        return Cbor.encode(value);
    }

    @Override
    public byte[] jsonData() {
        return jsonString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String jsonString() {
        checkOpen();
        return Json.write(value);
    }

    @Override
    public <T> T decode(Class<T> type) {
        checkOpen();
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        throw new DittoException(ErrorCode.UNSUPPORTED, "test item: cannot decode to " + type.getName());
    }

    @Override
    public synchronized void close() {
        closed = true;
        materialized = false;
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
