package ditto.engine.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The canonical CBOR form: round trips, and hostile input (RELIABILITY.md R12/R13 at unit level):
 * every malformed input fails with a {@code PROTOCOL} error, nothing else escapes, and limits
 * hold before any large allocation.
 */
class DocumentCodecTest {
    private static final long HLC = HybridClock.hlc(1_700_000_000_000L, 0);
    private static final long SITE = 0x1234;

    private static CrdtDocument rich() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("", "empty key");
        f.put("ünïcødé 🚀", List.of(-0.0, Long.MIN_VALUE, Long.MAX_VALUE, Double.MIN_VALUE));
        f.put("big", new BigInteger("-123456789012345678901234567890"));
        f.put("dec", new BigDecimal("-12.3400"));
        f.put("bin", new byte[] {0, (byte) 0xFF, 7});
        f.put("nested", Map.of("a", Map.of("b", List.of(Map.of("c", true), false)), "n", Map.of()));
        f.put("nil", null);
        OpContext ctx = OpContext.of(new Timestamp(HLC, SITE));
        OpContext later = OpContext.of(new Timestamp(HLC + 1, SITE));
        return CrdtDocument.create(Map.of("k", 1, "s", "x"), f, TypeHints.NONE, ctx)
                .increment(Path.parse("count"), 3, later)
                .restart(Path.parse("other"), 2.5, later);
    }

    private static void assertProtocolError(byte[] bytes, String what) {
        try {
            CrdtDocument.decode(bytes);
            fail(what + ": decoded without error");
        } catch (DittoException e) {
            assertEquals(ErrorCode.PROTOCOL, e.code(), what + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith("decode "), e.getMessage());
        }
    }

    /** Writes a document envelope around {@code fields}: [1, "x", [SITE, HLC], [HLC, SITE], [], fields]. */
    private static byte[] envelope(Cbor.IoConsumer<CBORGenerator> fields) {
        return Cbor.write("test", g -> {
            g.writeStartArray(null, 6);
            g.writeNumber(1);
            g.writeString("x");
            g.writeStartArray(null, 2);
            g.writeNumber(SITE);
            g.writeNumber(HLC);
            g.writeEndArray();
            g.writeStartArray(null, 2);
            g.writeNumber(HLC);
            g.writeNumber(SITE);
            g.writeEndArray();
            g.writeStartArray(null, 0);
            g.writeEndArray();
            fields.accept(g);
            g.writeEndArray();
        });
    }

    /** Writes {key: [[HLC, SITE, value...], null, null]}. */
    private static Cbor.IoConsumer<CBORGenerator> register(String key, Cbor.IoConsumer<CBORGenerator> value) {
        return g -> {
            g.writeStartObject(null, 1);
            g.writeFieldName(key);
            g.writeStartArray(null, 3);
            g.writeStartArray(null, 3);
            g.writeNumber(HLC);
            g.writeNumber(SITE);
            value.accept(g);
            g.writeEndArray();
            g.writeNull();
            g.writeNull();
            g.writeEndArray();
            g.writeEndObject();
        };
    }

    @Test
    void roundTripsEveryValueTypeExactly() {
        // given a document holding every JSON-model type, a counter and a composite id
        CrdtDocument d = rich();

        // when encoded and decoded
        CrdtDocument back = CrdtDocument.decode(d.encode());

        // then state, bytes and values are identical (scale, sign of zero, binary, unicode keys)
        assertArrayEquals(d.encode(), back.encode());
        assertEquals(d, back);
        Map<String, Object> v = back.value().orElseThrow();
        assertEquals(new BigDecimal("-12.3400"), v.get("dec"));
        assertEquals(new BigInteger("-123456789012345678901234567890"), v.get("big"));
        assertArrayEquals(new byte[] {0, (byte) 0xFF, 7}, (byte[]) v.get("bin"));
        assertEquals(List.of(-0.0, Long.MIN_VALUE, Long.MAX_VALUE, Double.MIN_VALUE), v.get("ünïcødé 🚀"));
        assertEquals(3L, v.get("count"));
        assertEquals(2.5, v.get("other"));
        assertEquals(Map.of("k", 1L, "s", "x"), back.id());
        assertTrue(JsonValues.equal(d.value().orElseThrow(), v));
    }

    @Test
    void acceptsAValidHandWrittenDocument() {
        // given a document written by hand in the documented format
        byte[] bytes = envelope(register("f", g -> g.writeString("v")));

        // then it decodes, and our encoder produces the same bytes
        CrdtDocument d = CrdtDocument.decode(bytes);
        assertEquals(Map.of("_id", "x", "f", "v"), d.value().orElseThrow());
        assertArrayEquals(bytes, d.encode());
    }

    @Test
    void everyTruncationIsAProtocolError() {
        byte[] full = rich().encode();
        for (int n = 0; n < full.length; n++) {
            assertProtocolError(Arrays.copyOf(full, n), "truncated to " + n);
        }
        byte[] trailing = Arrays.copyOf(full, full.length + 1);
        assertProtocolError(trailing, "trailing byte");
    }

    @Test
    void bitFlipsFailCleanlyOrDecodeToAValidDocument() {
        byte[] original = rich().encode();
        CrdtDocument base = CrdtDocument.decode(original);
        Property.check("R12 document bit flips", Property.tries(1_000, 100_000), seed -> {
            // given the encoding with a few random bits flipped
            Random r = new Random(seed);
            byte[] b = original.clone();
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            // when decoded, then either a PROTOCOL error or a valid, canonical, mergeable document
            CrdtDocument d;
            try {
                d = CrdtDocument.decode(b);
            } catch (DittoException e) {
                assertEquals(ErrorCode.PROTOCOL, e.code(), e.getMessage());
                return;
            }
            assertArrayEquals(d.encode(), CrdtDocument.decode(d.encode()).encode());
            d.value();
            d.isDeleted();
            if (JsonValues.equal(d.id(), base.id())) {
                CrdtDocument m = d.merge(base);
                assertArrayEquals(m.encode(), base.merge(d).encode());
            }
        });
    }

    @Test
    void rejectsStructurallyInvalidDocuments() {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("not CBOR", new byte[] {(byte) 0xFF, 0x00});
        cases.put("empty", new byte[0]);
        cases.put("wrong format", Cbor.write("t", g -> {
            g.writeStartArray(null, 1);
            g.writeNumber(2);
            g.writeEndArray();
        }));
        cases.put("null id", Cbor.write("t", g -> {
            g.writeStartArray(null, 2);
            g.writeNumber(1);
            g.writeNull();
            g.writeEndArray();
        }));
        cases.put("_id as a field", envelope(register("_id", g -> g.writeString("v"))));
        cases.put("NaN value", envelope(register("f", g -> g.writeNumber(Double.NaN))));
        cases.put("infinite value", envelope(register("f", g -> g.writeNumber(Double.NEGATIVE_INFINITY))));
        cases.put("dot outside the context", envelope(g -> {
            g.writeStartObject(null, 1);
            g.writeFieldName("f");
            g.writeStartArray(null, 3);
            g.writeStartArray(null, 3);
            g.writeNumber(HLC + 1);
            g.writeNumber(SITE);
            g.writeString("v");
            g.writeEndArray();
            g.writeNull();
            g.writeNull();
            g.writeEndArray();
            g.writeEndObject();
        }));
        cases.put("empty field", envelope(g -> {
            g.writeStartObject(null, 1);
            g.writeFieldName("f");
            g.writeStartArray(null, 3);
            g.writeStartArray(null, 0);
            g.writeEndArray();
            g.writeNull();
            g.writeNull();
            g.writeEndArray();
            g.writeEndObject();
        }));
        cases.put("keys out of order", envelope(g -> {
            g.writeStartObject(null, 2);
            for (String k : new String[] {"b", "a"}) {
                g.writeFieldName(k);
                g.writeStartArray(null, 3);
                g.writeStartArray(null, 3);
                g.writeNumber(HLC);
                g.writeNumber(SITE);
                g.writeString("v");
                g.writeEndArray();
                g.writeNull();
                g.writeNull();
                g.writeEndArray();
            }
            g.writeEndObject();
        }));
        cases.put("duplicate value keys", envelope(register("f", g -> {
            g.writeStartObject(null, 2);
            g.writeFieldName("k");
            g.writeNumber(1);
            g.writeFieldName("k");
            g.writeNumber(2);
            g.writeEndObject();
        })));
        cases.put("counter total as integer", envelope(g -> {
            g.writeStartObject(null, 1);
            g.writeFieldName("c");
            g.writeStartArray(null, 3);
            g.writeStartArray(null, 0);
            g.writeEndArray();
            g.writeNull();
            g.writeStartArray(null, 3);
            g.writeStartArray(null, 3);
            g.writeNumber(SITE);
            g.writeNumber(HLC);
            g.writeNumber(5);
            g.writeEndArray();
            g.writeStartArray(null, 0);
            g.writeEndArray();
            g.writeStartArray(null, 0);
            g.writeEndArray();
            g.writeEndArray();
            g.writeEndArray();
            g.writeEndObject();
        }));
        cases.put("string longer than the input", envelope(register("f", g -> g.writeString("abc"))));
        byte[] lying = cases.get("string longer than the input");
        int at = indexOf(lying, new byte[] {0x63, 'a', 'b', 'c'});
        lying[at] = 0x7A; // text string with a 4-byte length follows
        byte[] patched = Arrays.copyOf(lying, at + 5);
        patched[at + 1] = 0x7F;
        patched[at + 2] = (byte) 0xFF;
        patched[at + 3] = (byte) 0xFF;
        patched[at + 4] = (byte) 0xFF;
        cases.put("string longer than the input", patched);
        cases.forEach((what, bytes) -> assertProtocolError(bytes, what));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    @Test
    void rejectsNestingBeyondTheLimitWithoutDeepRecursion() {
        byte[] template = envelope(register("f", g -> g.writeString("ZZZZ")));
        int at = indexOf(template, new byte[] {0x64, 'Z', 'Z', 'Z', 'Z'});
        for (int depth : new int[] {64, 200, 100_000}) {
            // given a register value nested `depth` one-element arrays deep (raw bytes: no encoder limit)
            byte[] bytes = new byte[template.length - 5 + depth + 1];
            System.arraycopy(template, 0, bytes, 0, at);
            Arrays.fill(bytes, at, at + depth, (byte) 0x81);
            bytes[at + depth] = 0x01;
            System.arraycopy(template, at + 5, bytes, at + depth + 1, template.length - at - 5);

            // then it is refused with a protocol error (the document itself is level 1)
            assertProtocolError(bytes, "depth " + depth);
        }
        // and 63 arrays inside a top-level field (64 levels in all) are fine
        byte[] ok = envelope(register("f", g -> {
            for (int i = 0; i < 63; i++) {
                g.writeStartArray(null, 1);
            }
            g.writeNumber(1);
            for (int i = 0; i < 63; i++) {
                g.writeEndArray();
            }
        }));
        CrdtDocument.decode(ok);
    }

    @Test
    void rejectsDeeplyNestedMapParts() {
        // given 70 levels of MAP fields
        byte[] bytes = envelope(g -> nestMaps(g, 70));
        assertProtocolError(bytes, "nested map parts");
    }

    private static void nestMaps(CBORGenerator g, int levels) throws IOException {
        g.writeStartObject(null, 1);
        g.writeFieldName("m");
        g.writeStartArray(null, 3);
        g.writeStartArray(null, 0);
        g.writeEndArray();
        g.writeStartArray(null, 2);
        g.writeStartArray(null, 2);
        g.writeNumber(HLC);
        g.writeNumber(SITE);
        g.writeEndArray();
        if (levels > 1) {
            nestMaps(g, levels - 1);
        } else {
            g.writeStartObject(null, 0);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNull();
        g.writeEndArray();
        g.writeEndObject();
    }

    @Test
    void rejectsOversizedInputBeforeParsing() {
        byte[] huge = new byte[CrdtDocument.MAX_DECODE_BYTES + 1];
        assertProtocolError(huge, "oversized");
    }

    @Test
    void untrustedDecodingCanonicalizesNonMinimalEncodings() {
        // given a valid document whose format number is written with a needless 8-byte integer
        byte[] canonical = envelope(register("f", g -> g.writeString("v")));
        byte[] padded = new byte[canonical.length + 8];
        padded[0] = canonical[0];
        padded[1] = 0x1B; // uint64 follows
        padded[9] = 0x01;
        System.arraycopy(canonical, 2, padded, 10, canonical.length - 2);

        // when decoded from the wire, then its encoding is the canonical one, not the input
        CrdtDocument d = CrdtDocument.decode(padded);
        assertArrayEquals(canonical, d.encode());
        assertNotEquals(padded.length, d.encode().length);
        assertThrows(DittoException.class, () -> CrdtDocument.decode(null));
    }
}
