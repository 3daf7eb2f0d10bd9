package ditto.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import ditto.api.internal.Cbor;
import ditto.api.internal.Json;

/**
 * A small, immutable reference to an {@link Attachment}: its content id, length and metadata.
 * Store a token in a document field; a peer that syncs the document passes the token to
 * {@link Store#fetchAttachment} to get the content. Thread-safe.
 *
 * <h2>Representations</h2>
 * A token is written as a map with exactly these entries, in this order:
 * <pre>{@code
 * { "_ditto_attachment_token": 1,        // marker and format version
 *   "id":       "<lower-case hex>",      // content id
 *   "len":      <length in bytes>,
 *   "metadata": { ... } }                // JSON-model values
 * }</pre>
 * {@link #toMap()} returns it as a map (this is how a token is stored inside a document),
 * {@link #toBytes()} as deterministic CBOR, and {@link #toString()} as compact JSON. JSON has
 * no binary type: a {@code byte[]} metadata value is written as a base64 string and comes back
 * from {@link #fromString(String)} as that string, while the CBOR and map forms keep bytes as
 * bytes. The readers ({@link #fromMap(Map)}, {@link #fromBytes(byte[])},
 * {@link #fromString(String)}) reject anything else with {@link ErrorCode#INVALID_ARGUMENTS}
 * naming the fault, including unknown entries and other format versions.
 */
public final class AttachmentToken implements AttachmentTokenLike {

    /** The map key that marks a token; its value is the format version, {@link #FORMAT_VERSION}. */
    public static final String MARKER_KEY = "_ditto_attachment_token";

    /** The format version this class writes and reads. */
    public static final long FORMAT_VERSION = 1;

    /** The most hexadecimal digits an id may have (a 512-bit hash). */
    public static final int MAX_ID_LENGTH = 128;

    private static final String ID_KEY = "id";
    private static final String LENGTH_KEY = "len";
    private static final String METADATA_KEY = "metadata";
    private static final Set<String> KEYS = Set.of(MARKER_KEY, ID_KEY, LENGTH_KEY, METADATA_KEY);

    private final String id;
    private final long length;
    private final Map<String, Object> metadata;

    private AttachmentToken(String id, long length, Map<String, Object> metadata) {
        this.id = id;
        this.length = length;
        this.metadata = metadata;
    }

    /**
     * Returns a token. Tokens are normally obtained from {@link Attachment#token()} or read
     * from documents; this factory is for tests and tools.
     *
     * @param id the content id: an even number (2 to {@link #MAX_ID_LENGTH}) of hexadecimal
     *        digits, either case; stored in lower case
     * @param length the content length in bytes, not negative
     * @param metadata JSON-model metadata, or null for none; deep-copied
     * @return the token, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the id is not such a hex
     *         string, the length is negative, or the metadata holds an unsupported value
     * @throws NullPointerException if {@code id} is null
     */
    public static AttachmentToken of(String id, long length, Map<String, ?> metadata) {
        Objects.requireNonNull(id, "id");
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH || id.length() % 2 != 0 || !isHex(id)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "attachment token: id '" + abbreviate(id)
                    + "' is not an even number (2 to " + MAX_ID_LENGTH + ") of hexadecimal digits");
        }
        if (length < 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "attachment token: length " + length + " is negative");
        }
        Map<String, Object> frozen = metadata == null ? Map.of()
                : JsonModelValues.freezeMap(metadata, ErrorCode.INVALID_ARGUMENTS, "attachment token metadata");
        return new AttachmentToken(id.toLowerCase(Locale.ROOT), length, frozen);
    }

    /**
     * Reads a token from its map form, for example a document field's value.
     *
     * @param map the map, never null
     * @return the token, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} naming the missing, unknown or
     *         malformed entry
     * @throws NullPointerException if {@code map} is null
     */
    public static AttachmentToken fromMap(Map<?, ?> map) {
        Objects.requireNonNull(map, "map");
        for (Object key : map.keySet()) {
            if (!KEYS.contains(key)) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                        "attachment token: unknown entry '" + key + "' (expected " + MARKER_KEY + ", id, len, metadata)");
            }
        }
        Object version = map.get(MARKER_KEY);
        if (version == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "attachment token: entry '" + MARKER_KEY + "' is missing; this map is not a token");
        }
        if (!(version instanceof Long v) || v != FORMAT_VERSION) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "attachment token: format version "
                    + describe(version) + " is not supported (expected " + FORMAT_VERSION + ")");
        }
        if (!(map.get(ID_KEY) instanceof String id)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "attachment token: entry 'id' must be a string, got " + describe(map.get(ID_KEY)));
        }
        Object len = map.get(LENGTH_KEY);
        if (!(len instanceof Long || len instanceof Integer)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "attachment token: entry 'len' must be an integer, got " + describe(len));
        }
        Object metadata = map.get(METADATA_KEY);
        if (metadata != null && !(metadata instanceof Map)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "attachment token: entry 'metadata' must be a map, got " + describe(metadata));
        }
        Map<String, Object> checked = metadata == null ? null
                : JsonModelValues.freezeMap((Map<?, ?>) metadata, ErrorCode.INVALID_ARGUMENTS, "attachment token metadata");
        return of(id, ((Number) len).longValue(), checked);
    }

    /**
     * Reads a token from its CBOR form, as written by {@link #toBytes()}.
     *
     * @param data the CBOR bytes, never null; not retained
     * @return the token, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the bytes are not CBOR (the
     *         message gives the offset) or not a token map
     * @throws NullPointerException if {@code data} is null
     */
    public static AttachmentToken fromBytes(byte[] data) {
        Objects.requireNonNull(data, "data");
        Object value;
        try {
            value = Cbor.decode(data);
        } catch (DittoException e) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "attachment token: " + e.getMessage(), e);
        }
        return fromValue(value);
    }

    /**
     * Reads a token from its JSON form, as written by {@link #toString()}.
     *
     * @param json the JSON text, never null
     * @return the token, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the text is not JSON (the
     *         message gives the offset) or not a token object
     * @throws NullPointerException if {@code json} is null
     */
    public static AttachmentToken fromString(String json) {
        Objects.requireNonNull(json, "json");
        Object value;
        try {
            value = Json.parse(json);
        } catch (DittoException e) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "attachment token: " + e.getMessage(), e);
        }
        return fromValue(value);
    }

    /**
     * Returns whether a value has the shape of a token's map form: a map holding the
     * {@link #MARKER_KEY} entry. It may still be malformed; {@link #fromMap(Map)} checks fully.
     *
     * @param value any value, may be null
     * @return true if {@code value} is a map with the marker key
     */
    public static boolean isToken(Object value) {
        return value instanceof Map<?, ?> map && map.containsKey(MARKER_KEY);
    }

    private static AttachmentToken fromValue(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "attachment token: expected a map, got " + describe(value));
        }
        return fromMap(map);
    }

    /** Returns the content id in lower-case hexadecimal, never null. */
    public String id() {
        return id;
    }

    /** Returns the content length in bytes, never negative. */
    public long length() {
        return length;
    }

    /**
     * Returns the metadata.
     *
     * @return an unmodifiable deep copy (byte arrays are fresh copies), never null
     */
    public Map<String, Object> metadata() {
        return JsonModelValues.copyMap(metadata);
    }

    /** Returns this token. */
    @Override
    public AttachmentToken toToken() {
        return this;
    }

    /**
     * Returns the map form described in the class comment, as stored in documents.
     *
     * @return a new unmodifiable map, never null
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(MARKER_KEY, FORMAT_VERSION);
        map.put(ID_KEY, id);
        map.put(LENGTH_KEY, length);
        map.put(METADATA_KEY, JsonModelValues.copyMap(metadata));
        return java.util.Collections.unmodifiableMap(map);
    }

    /**
     * Returns the map form as deterministic CBOR: equal tokens give identical bytes.
     *
     * @return a fresh array, never null
     */
    public byte[] toBytes() {
        return Cbor.encodeCanonical(toMap());
    }

    /**
     * Returns the map form as compact JSON, readable by {@link #fromString(String)}; byte
     * arrays in the metadata appear as base64 strings.
     */
    @Override
    public String toString() {
        return Json.write(toMap());
    }

    /** Tokens are equal when id, length and metadata (byte arrays by content) are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AttachmentToken other
                && id.equals(other.id)
                && length == other.length
                && JsonModelValues.deepEquals(metadata, other.metadata);
    }

    @Override
    public int hashCode() {
        return (id.hashCode() * 31 + Long.hashCode(length)) * 31 + JsonModelValues.deepHashCode(metadata);
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + abbreviate(JsonModelValues.describe(value));
    }
}
