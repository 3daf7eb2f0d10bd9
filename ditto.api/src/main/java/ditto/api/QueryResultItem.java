package ditto.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One item of a {@link QueryResult}, like a row in SQL: a cursor over one document (or
 * projection) that can be read as a map, JSON or CBOR.
 *
 * <p>The map view is materialized lazily on first use and kept until {@link #dematerialize()}
 * or {@link #close()}; process large results item by item and release each to keep memory low.
 * Items are thread-safe. After close every method except {@code close()} and
 * {@link #isMaterialized()} throws {@link ErrorCode#CLOSED}.
 */
@ProviderType
public interface QueryResultItem extends AutoCloseable {

    /**
     * Returns the content as a map of JSON-model values, materializing it if needed.
     *
     * @return an unmodifiable map, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this item is closed
     */
    Map<String, Object> value();

    /** Decodes the content and keeps the map in memory; does nothing if already materialized. */
    void materialize();

    /** Drops the materialized map (it is decoded again on next use); does nothing otherwise. */
    void dematerialize();

    /** Returns whether the map is currently held in memory; false after close. */
    boolean isMaterialized();

    /**
     * Returns the content as CBOR. Not cached: each call encodes a fresh array.
     *
     * @return the CBOR bytes, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this item is closed
     */
    byte[] cborData();

    /**
     * Returns the content as UTF-8 JSON. Not cached: each call encodes a fresh array. Byte
     * arrays are written as base64 strings.
     *
     * @return the JSON bytes, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this item is closed
     */
    byte[] jsonData();

    /**
     * Returns the content as JSON text; the same text as {@link #jsonData()}.
     *
     * @return the JSON text, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this item is closed
     */
    String jsonString();

    /**
     * Decodes the content into an object of the given type. Supported targets: {@code Map} and
     * {@code Object} (the {@link #value()}), {@code String} (the JSON text), {@code byte[]} (the
     * CBOR bytes), and records and classes that the engine's data binding maps field by field,
     * converting numbers to the target's numeric types.
     *
     * @param <T> the target type
     * @param type the target class, never null
     * @return the decoded object, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the content does not fit the
     *         type, {@link ErrorCode#UNSUPPORTED} if the type cannot be bound,
     *         {@link ErrorCode#CLOSED} if this item is closed
     * @throws NullPointerException if {@code type} is null
     */
    <T> T decode(Class<T> type);

    /** Releases this item and its materialized map; idempotent. */
    @Override
    void close();
}
