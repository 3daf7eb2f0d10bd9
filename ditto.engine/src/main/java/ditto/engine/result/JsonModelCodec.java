package ditto.engine.result;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
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
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Internal: converts JSON-model values (null, Boolean, Long and the smaller integral types,
 * Double/Float, BigInteger, BigDecimal, String, byte[], List, Map with String keys) to CBOR and
 * JSON bytes, and CBOR bytes back to JSON-model values, with Jackson's streaming API.
 *
 * <p>Invariants: the factories are shared and thread-safe; decoding returns unmodifiable maps and
 * lists in the encoded order, integers as Long (BigInteger only outside the long range), floats as
 * Double and CBOR decimal fractions as BigDecimal; map key order is kept both ways; JSON writes
 * byte arrays as standard base64 strings with padding.
 */
final class JsonModelCodec {
    /** Deeper than any document the CRDT layer accepts (64), so only corrupt bytes hit it. */
    private static final int MAX_NESTING = 1000;

    private static final CBORFactory CBOR = CBORFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
            .build();
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private JsonModelCodec() {
    }

    /** Encodes a JSON-model value as CBOR. */
    static byte[] toCbor(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator gen = CBOR.createGenerator(out)) {
            write(gen, value, 0);
        } catch (IOException e) {
            throw new DittoException(ErrorCode.INTERNAL, "query result: cannot encode CBOR: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Encodes a JSON-model value as UTF-8 JSON. */
    static byte[] toJson(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator gen = JSON.createGenerator(out)) {
            write(gen, value, 0);
        } catch (IOException e) {
            throw new DittoException(ErrorCode.INTERNAL, "query result: cannot encode JSON: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes CBOR holding one map into an unmodifiable JSON-model map.
     *
     * @throws DittoException {@link ErrorCode#STORE} if the bytes are not one CBOR map of JSON-model values
     */
    static Map<String, Object> mapFromCbor(byte[] bytes) {
        try (JsonParser p = CBOR.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw corrupt("expected a map but found " + first);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) read(p, first);
            if (p.nextToken() != null) {
                throw corrupt("trailing bytes after the document");
            }
            return map;
        } catch (IOException e) {
            throw corrupt(e instanceof com.fasterxml.jackson.core.JacksonException je && je.getOriginalMessage() != null
                    ? je.getOriginalMessage() : e.toString());
        }
    }

    private static DittoException corrupt(String why) {
        return new DittoException(ErrorCode.STORE, "query result item: stored document is not valid CBOR: " + why);
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    if (k != JsonToken.FIELD_NAME) {
                        throw corrupt("expected a text map key but found " + k);
                    }
                    String key = p.currentName();
                    map.put(key, read(p, p.nextToken()));
                }
                return Collections.unmodifiableMap(map);
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    list.add(read(p, e));
                }
                return Collections.unmodifiableList(list);
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    BigInteger big = p.getBigIntegerValue();
                    return big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0 ? (Object) big.longValue() : big;
                }
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL) {
                    return p.getDecimalValue();
                }
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case VALUE_EMBEDDED_OBJECT: {
                Object embedded = p.getEmbeddedObject();
                if (embedded instanceof byte[]) {
                    return embedded;
                }
                throw corrupt("unsupported embedded value " + (embedded == null ? "null" : embedded.getClass().getName()));
            }
            default:
                throw corrupt("unexpected " + t);
        }
    }

    private static void write(JsonGenerator gen, Object v, int depth) throws IOException {
        if (depth > MAX_NESTING) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "query result: value nested deeper than " + MAX_NESTING);
        }
        if (v == null) {
            gen.writeNull();
        } else if (v instanceof String s) {
            gen.writeString(s);
        } else if (v instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            gen.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            gen.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof BigInteger bi) {
            gen.writeNumber(bi);
        } else if (v instanceof BigDecimal bd) {
            gen.writeNumber(bd);
        } else if (v instanceof byte[] bytes) {
            gen.writeBinary(bytes);
        } else if (v instanceof Map<?, ?> map) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                            "query result: map key " + e.getKey() + " is not a string");
                }
                gen.writeFieldName(key);
                write(gen, e.getValue(), depth + 1);
            }
            gen.writeEndObject();
        } else if (v instanceof List<?> list) {
            gen.writeStartArray();
            for (Object e : list) {
                write(gen, e, depth + 1);
            }
            gen.writeEndArray();
        } else {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "query result: " + v.getClass().getName() + " is not a JSON-model value");
        }
    }
}
