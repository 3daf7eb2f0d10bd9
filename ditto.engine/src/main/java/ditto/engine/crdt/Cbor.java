package ditto.engine.crdt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Internal: the Jackson CBOR streaming plumbing shared by {@link VersionVector} and
 * {@link CrdtDocument}: one shared factory (thread-safe), a writer for JSON-model values with
 * sorted map keys and definite lengths (so equal values give equal bytes), and a checking reader
 * that turns every parse problem into a {@code PROTOCOL} {@link DittoException} naming what was
 * being decoded. The reader enforces nesting limits itself before descending, and the factory's
 * stream constraints bound nesting, string and number lengths as a second line of defence.
 */
final class Cbor {
    /** CBOR containers per logical nesting level of a document, plus the document's own framing. */
    static final int MAX_CBOR_NESTING = 3 * CrdtDocument.MAX_DEPTH + 8;

    static final CBORFactory FACTORY = CBORFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_CBOR_NESTING)
                    .maxStringLength(CrdtDocument.MAX_DECODE_BYTES)
                    .maxNumberLength(1000)
                    .build())
            .build();

    private Cbor() {
    }

    /** Serializes with {@code body} into a fresh byte array. */
    static byte[] write(String what, IoConsumer<CBORGenerator> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (CBORGenerator gen = FACTORY.createGenerator(out)) {
            body.accept(gen);
        } catch (IOException e) {
            throw new DittoException(ErrorCode.INTERNAL, "encode " + what + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** A consumer that may throw the generator's IOException. */
    interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }

    /** Writes a normalized JSON-model value (see {@link JsonValues}); map keys in sorted order. */
    static void writeValue(CBORGenerator gen, Object v) throws IOException {
        if (v == null) {
            gen.writeNull();
        } else if (v instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (v instanceof Long l) {
            gen.writeNumber(l);
        } else if (v instanceof Double d) {
            gen.writeNumber(d);
        } else if (v instanceof String s) {
            gen.writeString(s);
        } else if (v instanceof byte[] bytes) {
            gen.writeBinary(bytes);
        } else if (v instanceof BigInteger bi) {
            gen.writeNumber(bi);
        } else if (v instanceof BigDecimal bd) {
            gen.writeNumber(bd);
        } else if (v instanceof List<?> list) {
            gen.writeStartArray(list, list.size());
            for (Object e : list) {
                writeValue(gen, e);
            }
            gen.writeEndArray();
        } else if (v instanceof Map<?, ?> map) {
            // normalized maps are sorted (JsonValues builds them in key order)
            gen.writeStartObject(map, map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                gen.writeFieldName((String) e.getKey());
                writeValue(gen, e.getValue());
            }
            gen.writeEndObject();
        } else {
            throw new IllegalStateException("not a normalized JSON-model value: " + v.getClass().getName());
        }
    }

    /**
     * A checking pull reader over one encoded buffer. Every method throws a {@code PROTOCOL}
     * {@link DittoException} ("decode &lt;what&gt;: why") on malformed or unexpected input.
     */
    static final class Reader implements AutoCloseable {
        private final JsonParser parser;
        private final String what;

        Reader(byte[] bytes, String what) {
            this.what = what;
            try {
                this.parser = FACTORY.createParser(bytes);
            } catch (IOException e) {
                throw fail("cannot open: " + e.getMessage(), e);
            }
        }

        DittoException fail(String why) {
            return new DittoException(ErrorCode.PROTOCOL, "decode " + what + ": " + why);
        }

        DittoException fail(String why, Throwable cause) {
            return new DittoException(ErrorCode.PROTOCOL, "decode " + what + ": " + why, cause);
        }

        JsonToken next() {
            try {
                return parser.nextToken();
            } catch (IOException | RuntimeException e) {
                throw fail("malformed CBOR: " + e.getMessage(), e);
            }
        }

        JsonToken nextRequired() {
            JsonToken t = next();
            if (t == null) {
                throw fail("unexpected end of input");
            }
            return t;
        }

        void expect(JsonToken expected, String field) {
            JsonToken t = nextRequired();
            if (t != expected) {
                throw fail(field + ": expected " + expected + " but found " + t);
            }
        }

        /** After the last value: the input must end here. */
        void expectEnd() {
            if (next() != null) {
                throw fail("trailing data after the value");
            }
        }

        /** Reads a 64-bit integer that is the current token. */
        long currentLong(String field) {
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw fail(field + ": expected an integer but found " + parser.currentToken());
            }
            try {
                JsonParser.NumberType nt = parser.getNumberType();
                if (nt != JsonParser.NumberType.INT && nt != JsonParser.NumberType.LONG) {
                    throw fail(field + ": integer does not fit 64 bits");
                }
                return parser.getLongValue();
            } catch (IOException e) {
                throw fail(field + ": " + e.getMessage(), e);
            }
        }

        long readLong(String field) {
            nextRequired();
            return currentLong(field);
        }

        /** Reads a finite double-precision float (integers are not accepted: canonical form writes floats). */
        double readDouble(String field) {
            JsonToken t = nextRequired();
            if (t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw fail(field + ": expected a float but found " + t);
            }
            try {
                double d = parser.getDoubleValue();
                if (!Double.isFinite(d)) {
                    throw fail(field + ": number is not finite");
                }
                return d;
            } catch (IOException e) {
                throw fail(field + ": " + e.getMessage(), e);
            }
        }

        /** Returns the key when the current token is a FIELD_NAME. */
        String currentName() {
            try {
                return parser.currentName();
            } catch (IOException e) {
                throw fail("key: " + e.getMessage(), e);
            }
        }

        String currentText(String field) {
            try {
                return parser.getText();
            } catch (IOException e) {
                throw fail(field + ": " + e.getMessage(), e);
            }
        }

        /**
         * Reads a JSON-model value whose first token is current, normalizing it like
         * {@link JsonValues#normalize}; {@code depth} is the nesting depth of the value's container.
         */
        Object currentValue(String field, int depth) {
            JsonToken t = parser.currentToken();
            try {
                switch (t) {
                    case VALUE_NULL:
                        return null;
                    case VALUE_TRUE:
                        return Boolean.TRUE;
                    case VALUE_FALSE:
                        return Boolean.FALSE;
                    case VALUE_STRING:
                        return parser.getText();
                    case VALUE_NUMBER_INT: {
                        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            return JsonValues.normalizeBigInteger(parser.getBigIntegerValue());
                        }
                        return parser.getLongValue();
                    }
                    case VALUE_NUMBER_FLOAT: {
                        if (parser.getNumberType() == JsonParser.NumberType.BIG_DECIMAL) {
                            return parser.getDecimalValue();
                        }
                        double d = parser.getDoubleValue();
                        if (!Double.isFinite(d)) {
                            throw fail(field + ": number is not finite");
                        }
                        return d;
                    }
                    case VALUE_EMBEDDED_OBJECT: {
                        Object o = parser.getEmbeddedObject();
                        if (o instanceof byte[] bytes) {
                            return bytes;
                        }
                        throw fail(field + ": unsupported embedded value");
                    }
                    case START_ARRAY: {
                        checkDepth(field, depth + 1);
                        List<Object> list = new ArrayList<>();
                        for (JsonToken e = nextRequired(); e != JsonToken.END_ARRAY; e = nextRequired()) {
                            list.add(currentValue(field, depth + 1));
                        }
                        return Collections.unmodifiableList(list);
                    }
                    case START_OBJECT: {
                        checkDepth(field, depth + 1);
                        Map<String, Object> map = new LinkedHashMap<>();
                        String previous = null;
                        for (JsonToken e = nextRequired(); e != JsonToken.END_OBJECT; e = nextRequired()) {
                            if (e != JsonToken.FIELD_NAME) {
                                throw fail(field + ": expected a key but found " + e);
                            }
                            String key = parser.currentName();
                            if (previous != null && previous.compareTo(key) >= 0) {
                                throw fail(field + ": object keys not in strictly increasing order at '" + key + "'");
                            }
                            previous = key;
                            nextRequired();
                            map.put(key, currentValue(field, depth + 1));
                        }
                        return Collections.unmodifiableMap(map);
                    }
                    default:
                        throw fail(field + ": unexpected " + t);
                }
            } catch (IOException e) {
                throw fail(field + ": " + e.getMessage(), e);
            }
        }

        void checkDepth(String field, int depth) {
            if (depth > CrdtDocument.MAX_DEPTH) {
                throw fail(field + ": nesting deeper than " + CrdtDocument.MAX_DEPTH + " levels");
            }
        }

        @Override
        public void close() {
            try {
                parser.close();
            } catch (IOException e) {
                throw fail("close: " + e.getMessage(), e);
            }
        }
    }
}
