package ditto.engine.presence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Converts peer and small-peer-info metadata between JSON bytes and JSON-model maps, enforcing a
 * byte limit and a nesting limit (the top-level object is level 1). Used for the application's
 * setters (errors are {@code INVALID_ARGUMENTS} naming the limit) and for metadata received from
 * peers. Stateless and thread-safe; parsed maps and lists are unmodifiable and keep key order.
 */
public final class MetadataJson {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1000).build())
            .build();

    /** The JSON of an empty object. */
    public static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

    private MetadataJson() {
    }

    /**
     * Parses a JSON object.
     *
     * @param json the UTF-8 JSON
     * @param maxBytes the largest accepted size
     * @param maxDepth the deepest accepted nesting
     * @param what names the operation and the limits' names for error messages
     * @return an unmodifiable map
     * @throws DittoException {@code INVALID_ARGUMENTS} if the bytes are too many, not one JSON
     *         object, or nested too deep
     */
    public static Map<String, Object> parse(byte[] json, int maxBytes, int maxDepth, String what) {
        if (json == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + ": the JSON is null");
        }
        if (json.length > maxBytes) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + ": the JSON is " + json.length
                    + " bytes, above the limit of " + maxBytes + " bytes");
        }
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + ": the JSON is not an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) read(p, first, 1, maxDepth, what);
            if (p.nextToken() != null) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + ": trailing content after the JSON object");
            }
            return map;
        } catch (IOException e) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + ": invalid JSON: "
                    + (e instanceof com.fasterxml.jackson.core.JacksonException je && je.getOriginalMessage() != null
                            ? je.getOriginalMessage() : e.toString()));
        }
    }

    /**
     * Writes a JSON-model map as JSON.
     *
     * @param map the map (null, Boolean, integral numbers, BigInteger, Double/Float, BigDecimal,
     *        String, List and Map with String keys)
     * @param maxBytes the largest accepted result
     * @param maxDepth the deepest accepted nesting
     * @param what names the operation for error messages
     * @return the UTF-8 JSON
     * @throws DittoException {@code INVALID_ARGUMENTS} if a value is not JSON, the nesting or the
     *         size is above its limit
     */
    public static byte[] write(Map<String, Object> map, int maxBytes, int maxDepth, String what) {
        if (map == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + ": the map is null");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator gen = JSON.createGenerator(out)) {
            write(gen, map, 1, maxDepth, what);
        } catch (IOException e) {
            throw new DittoException(ErrorCode.INTERNAL, what + ": cannot write JSON: " + e.getMessage(), e);
        }
        if (out.size() > maxBytes) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + ": the JSON is " + out.size()
                    + " bytes, above the limit of " + maxBytes + " bytes");
        }
        return out.toByteArray();
    }

    private static Object read(JsonParser p, JsonToken t, int depth, int maxDepth, String what) throws IOException {
        switch (t) {
            case START_OBJECT: {
                checkDepth(depth, maxDepth, what);
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String key = p.currentName();
                    map.put(key, read(p, p.nextToken(), depth + 1, maxDepth, what));
                }
                return Collections.unmodifiableMap(map);
            }
            case START_ARRAY: {
                checkDepth(depth, maxDepth, what);
                List<Object> list = new ArrayList<>();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    list.add(read(p, v, depth + 1, maxDepth, what));
                }
                return Collections.unmodifiableList(list);
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT: {
                BigInteger big = p.getBigIntegerValue();
                return big.bitLength() < 64 ? (Object) big.longValue() : big;
            }
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + ": unexpected JSON token " + t);
        }
    }

    private static void write(JsonGenerator gen, Object v, int depth, int maxDepth, String what) throws IOException {
        if (v == null) {
            gen.writeNull();
        } else if (v instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            gen.writeNumber(((Number) v).longValue());
        } else if (v instanceof BigInteger bi) {
            gen.writeNumber(bi);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + ": " + d + " is not a JSON number");
            }
            gen.writeNumber(d);
        } else if (v instanceof BigDecimal bd) {
            gen.writeNumber(bd);
        } else if (v instanceof String s) {
            gen.writeString(s);
        } else if (v instanceof List<?> list) {
            checkDepth(depth, maxDepth, what);
            gen.writeStartArray();
            for (Object item : list) {
                write(gen, item, depth + 1, maxDepth, what);
            }
            gen.writeEndArray();
        } else if (v instanceof Map<?, ?> map) {
            checkDepth(depth, maxDepth, what);
            gen.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + ": a map key is not a string: "
                            + e.getKey());
                }
                gen.writeFieldName(key);
                write(gen, e.getValue(), depth + 1, maxDepth, what);
            }
            gen.writeEndObject();
        } else {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + ": a value of type "
                    + v.getClass().getName() + " is not JSON");
        }
    }

    private static void checkDepth(int depth, int maxDepth, String what) {
        if (depth > maxDepth) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + ": nested deeper than the limit of "
                    + maxDepth + " levels");
        }
    }
}
