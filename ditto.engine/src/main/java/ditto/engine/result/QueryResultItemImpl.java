package ditto.engine.result;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResultItem;

/**
 * One result item: holds its content as a JSON-model map ({@code value}, the materialized form),
 * as CBOR bytes ({@code cbor}, the compact form), or both.
 *
 * <p>Invariants, all under this object's monitor: while open at least one of {@code value} and
 * {@code cbor} is set; {@code value} is an unmodifiable map; {@code cbor} is never handed out
 * (callers get copies). An item built from a map starts materialized, and dematerializing it
 * encodes the CBOR once and drops the map; an item built from CBOR starts dematerialized. After
 * close both are null and every method but {@code close()} and {@code isMaterialized()} throws
 * {@link ErrorCode#CLOSED}. {@code taken} records that the item was handed out by its result,
 * which then no longer closes it.
 */
final class QueryResultItemImpl implements QueryResultItem {
    private Map<String, Object> value;
    private byte[] cbor;
    private boolean closed;
    volatile boolean taken;

    private QueryResultItemImpl(Map<String, Object> value, byte[] cbor) {
        this.value = value;
        this.cbor = cbor;
    }

    static QueryResultItemImpl ofValue(Map<String, Object> value) {
        Objects.requireNonNull(value, "row");
        return new QueryResultItemImpl(Collections.unmodifiableMap(value), null);
    }

    static QueryResultItemImpl ofCbor(byte[] cbor) {
        Objects.requireNonNull(cbor, "row");
        return new QueryResultItemImpl(null, cbor);
    }

    @Override
    public synchronized Map<String, Object> value() {
        checkOpen("value");
        if (value == null) {
            value = JsonModelCodec.mapFromCbor(cbor);
        }
        return value;
    }

    @Override
    public void materialize() {
        value();
    }

    @Override
    public synchronized void dematerialize() {
        checkOpen("dematerialize");
        if (value != null) {
            if (cbor == null) {
                cbor = JsonModelCodec.toCbor(value);
            }
            value = null;
        }
    }

    @Override
    public synchronized boolean isMaterialized() {
        return !closed && value != null;
    }

    @Override
    public synchronized byte[] cborData() {
        checkOpen("cborData");
        return cbor != null ? cbor.clone() : JsonModelCodec.toCbor(value);
    }

    @Override
    public byte[] jsonData() {
        return JsonModelCodec.toJson(currentValue("jsonData"));
    }

    @Override
    public String jsonString() {
        return new String(JsonModelCodec.toJson(currentValue("jsonString")), StandardCharsets.UTF_8);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T decode(Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (type == Map.class || type == Object.class) {
            return (T) value();
        }
        if (type == String.class) {
            return (T) jsonString();
        }
        if (type == byte[].class) {
            return (T) cborData();
        }
        return Binding.convert(currentValue("decode"), type);
    }

    @Override
    public synchronized void close() {
        closed = true;
        value = null;
        cbor = null;
    }

    /** The content as a map without changing whether this item is materialized. */
    private synchronized Map<String, Object> currentValue(String method) {
        checkOpen(method);
        return value != null ? value : JsonModelCodec.mapFromCbor(cbor);
    }

    private void checkOpen(String method) {
        if (closed) {
            throw new DittoException(ErrorCode.CLOSED, "query result item: " + method + " called after close");
        }
    }

    @Override
    public String toString() {
        synchronized (this) {
            if (closed) {
                return "QueryResultItem[closed]";
            }
        }
        return "QueryResultItem" + jsonString();
    }
}
