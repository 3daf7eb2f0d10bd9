package ditto.engine.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * The frame codec: every message round-trips; hostile frames (corrupt, truncated, oversized,
 * lying about lengths and counts, nested too deep, malformed text, unknown types) fail with a
 * PROTOCOL error before anything large is allocated; a newer sender's extra fields are skipped.
 */
class FrameCodecTest {

    static List<Message> samples() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("color", "red");
        args.put("n", 42L);
        args.put("neg", -7L);
        args.put("big", new BigInteger("123456789012345678901234567890"));
        args.put("dec", new BigDecimal("12.345"));
        args.put("list", List.of(1L, "x", true, Map.of("k", 2.5)));
        args.put("bytes", new byte[] {1, 2, 3});
        args.put("none", null);
        byte[] key = new byte[16];
        Arrays.fill(key, (byte) 7);
        return List.of(
                new Message.Hello(1, "6b2a3f0e-1c4d-4e8f-9a0b-1c2d3e4f5a6b", "pkAbc", "device é", -5L, 0),
                new Message.Subscriptions(3, List.of(new Message.Subscription(key, "SELECT * FROM cars WHERE color = :color",
                        args, 99), new Message.Subscription(new byte[16], "SELECT * FROM x", Map.of(), 0))),
                new Message.Documents(3, 120, List.of(
                        new Message.Group("cars", List.of(new Message.Entry(100, new byte[] {1, 2, 3}),
                                new Message.Entry(101, new byte[0]))),
                        new Message.Group("trucks", List.of(new Message.Entry(120, null))))),
                new Message.Documents(4, 130, List.of()),
                new Message.DocumentPart(10, 4, new byte[] {9, 9, 9}),
                new Message.Ack(3, 120),
                new Message.Ping(),
                new Message.Goodbye("protocol", "bad frame"),
                new Message.Presence("pkAbc", 17, "device é", "Linux", "0.1.0", 1,
                        "{\"team\":\"red\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "{}".getBytes(
                                java.nio.charset.StandardCharsets.UTF_8),
                        List.of(new Message.PresenceLink("pkDef", "AccessPoint"),
                                new Message.PresenceLink("pkGhi", "WebSocket"))));
    }

    @Test
    void roundTripsEveryMessage() {
        long sequence = 0;
        for (Message m : samples()) {
            byte[] frame = FrameCodec.encode(sequence, m);
            FrameCodec.Frame decoded = FrameCodec.decode(ByteBuffer.wrap(frame));
            assertEquals(sequence, decoded.sequence());
            assertEquals(describe(m), describe(decoded.message()), "round trip of " + m.getClass().getSimpleName());
            sequence += 1_000_000_007L;
        }
    }

    @Test
    void keepsArgumentValuesExactly() {
        Message.Subscriptions s = (Message.Subscriptions) samples().get(1);
        Message.Subscriptions back = (Message.Subscriptions) FrameCodec.decode(ByteBuffer.wrap(FrameCodec.encode(1, s)))
                .message();
        Map<String, Object> args = back.subscriptions().get(0).arguments();
        assertEquals(new BigInteger("123456789012345678901234567890"), args.get("big"));
        assertEquals(new BigDecimal("12.345"), args.get("dec"));
        assertEquals(-7L, args.get("neg"));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) args.get("bytes"));
        assertTrue(args.containsKey("none"));
        assertNull(args.get("none"));
        assertEquals(List.of(1L, "x", true, Map.of("k", 2.5)), args.get("list"));
    }

    @Test
    void rejectsEveryTruncation() {
        for (Message m : samples()) {
            byte[] frame = FrameCodec.encode(5, m);
            for (int length = 0; length < frame.length; length++) {
                byte[] cut = Arrays.copyOf(frame, length);
                assertProtocol(() -> FrameCodec.decode(ByteBuffer.wrap(cut)));
            }
        }
    }

    @Test
    void rejectsEverySingleBitFlip() {
        for (Message m : samples()) {
            byte[] frame = FrameCodec.encode(5, m);
            for (int bit = 0; bit < frame.length * 8; bit++) {
                byte[] flipped = frame.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                assertProtocol(() -> FrameCodec.decode(ByteBuffer.wrap(flipped)));
            }
        }
    }

    @Test
    void rejectsPresenceMetadataAboveTheLimit() {
        byte[] tooLarge = new byte[WireLimits.MAX_PRESENCE_METADATA_BYTES + 1];
        Arrays.fill(tooLarge, (byte) ' ');
        byte[] frame = FrameCodec.encode(0, new Message.Presence("pk", 1, "d", "Linux", "0.1.0", 1, tooLarge,
                new byte[0], List.of()));
        assertProtocol(() -> FrameCodec.decode(ByteBuffer.wrap(frame)));
        byte[] atLimit = Arrays.copyOf(tooLarge, WireLimits.MAX_PRESENCE_METADATA_BYTES);
        Message.Presence back = (Message.Presence) FrameCodec.decode(ByteBuffer.wrap(FrameCodec.encode(0,
                new Message.Presence("pk", 1, "d", "Linux", "0.1.0", 1, atLimit, new byte[0], List.of())))).message();
        assertEquals(atLimit.length, back.peerMetadata().length);
    }

    @Test
    void rejectsOversizedFramesWithoutReadingThem() {
        byte[] huge = new byte[WireLimits.MAX_FRAME_BYTES + 1];
        DittoException e = assertProtocol(() -> FrameCodec.decode(ByteBuffer.wrap(huge)));
        assertTrue(e.getMessage().contains("above the limit"), e.getMessage());
    }

    @Test
    void rejectsAnUnknownFormatOrMessageType() {
        byte[] frame = FrameCodec.encode(0, new Message.Ping());
        frame[0] = 2;
        assertTrue(assertProtocol(() -> FrameCodec.decode(withChecksum(frame))).getMessage()
                .contains("unsupported frame format 2"));
        CborWriter w = new CborWriter(16).rawByte(1).arrayHeader(2).uint(99).uint(0);
        assertTrue(assertProtocol(() -> FrameCodec.decode(sealed(w))).getMessage().contains("unknown message type 99"));
    }

    @Test
    void rejectsCountsAndLengthsBeyondTheFrameBeforeAllocating() {
        // a subscriptions message claiming 2^31 subscriptions, a text claiming 4 GiB, a map claiming 2^32 entries
        CborWriter many = new CborWriter(32).rawByte(1).arrayHeader(4).uint(2).uint(0).uint(1)
                .rawByte(0x9A).rawByte(0x7F).rawByte(0xFF).rawByte(0xFF).rawByte(0xFF);
        assertProtocol(() -> FrameCodec.decode(sealed(many)));
        CborWriter longText = new CborWriter(32).rawByte(1).arrayHeader(7).uint(7).uint(0)
                .rawByte(0x7A).rawByte(0xFF).rawByte(0xFF).rawByte(0xFF).rawByte(0xFF);
        assertProtocol(() -> FrameCodec.decode(sealed(longText)));
        byte[] key = new byte[16];
        CborWriter bigMap = new CborWriter(64).rawByte(1).arrayHeader(4).uint(2).uint(0).uint(1).arrayHeader(1)
                .arrayHeader(4).bytes(key).text("SELECT * FROM c").rawByte(0xBB);
        for (int i = 0; i < 8; i++) {
            bigMap.rawByte(0x7F);
        }
        assertProtocol(() -> FrameCodec.decode(sealed(bigMap)));
        CborWriter part = new CborWriter(32).rawByte(1).arrayHeader(5).uint(4).uint(0).uint(1L << 40).uint(0)
                .bytes(new byte[1]);
        assertProtocol(() -> FrameCodec.decode(sealed(part)));
    }

    @Test
    void rejectsArgumentsNestedTooDeeply() {
        Object deep = "leaf";
        for (int i = 0; i < WireLimits.MAX_ARGUMENT_DEPTH + 5; i++) {
            deep = List.of(deep);
        }
        CborWriter w = new CborWriter(256).rawByte(1).arrayHeader(4).uint(2).uint(0).uint(1).arrayHeader(1)
                .arrayHeader(4).bytes(new byte[16]).text("SELECT * FROM c").mapHeader(1).text("a");
        w.value(deep, 1000);
        w.uint(0);
        DittoException e = assertProtocol(() -> FrameCodec.decode(sealed(w)));
        assertTrue(e.getMessage().contains("nesting"), e.getMessage());
    }

    @Test
    void rejectsMalformedUtf8AndDuplicateKeys() {
        CborWriter bad = new CborWriter(32).rawByte(1).arrayHeader(4).uint(7).uint(0).rawByte(0x62).rawByte(0xC3)
                .rawByte(0x28).text("x");
        assertTrue(assertProtocol(() -> FrameCodec.decode(sealed(bad))).getMessage().contains("UTF-8"));
        CborWriter dup = new CborWriter(64).rawByte(1).arrayHeader(4).uint(2).uint(0).uint(1).arrayHeader(1)
                .arrayHeader(4).bytes(new byte[16]).text("SELECT * FROM c").mapHeader(2).text("a").uint(1).text("a")
                .uint(2).uint(0);
        assertTrue(assertProtocol(() -> FrameCodec.decode(sealed(dup))).getMessage().contains("duplicate"));
    }

    @Test
    void rejectsASubscriptionKeyOfTheWrongLength() {
        CborWriter w = new CborWriter(64).rawByte(1).arrayHeader(4).uint(2).uint(0).uint(1).arrayHeader(1)
                .arrayHeader(4).bytes(new byte[15]).text("SELECT * FROM c").mapHeader(0).uint(0);
        assertProtocol(() -> FrameCodec.decode(sealed(w)));
    }

    @Test
    void skipsTrailingFieldsOfANewerSender() {
        CborWriter w = new CborWriter(64).rawByte(1).arrayHeader(6).uint(5).uint(3).uint(1).uint(2)
                .mapHeader(1).text("future").arrayHeader(1).uint(1).text("more");
        FrameCodec.Frame f = FrameCodec.decode(sealed(w));
        assertEquals(new Message.Ack(1, 2), f.message());
        assertEquals(3, f.sequence());
    }

    @Test
    void randomBodiesWithValidChecksumsRaiseOnlyProtocolErrors() {
        SplittableRandom random = new SplittableRandom(20240101);
        List<byte[]> seeds = new ArrayList<>();
        for (Message m : samples()) {
            seeds.add(FrameCodec.encode(1, m));
        }
        for (int i = 0; i < 20_000; i++) {
            byte[] base = seeds.get(random.nextInt(seeds.size()));
            byte[] body = Arrays.copyOf(base, base.length - 4);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = 1 + random.nextInt(body.length - 1);
                body[at] = (byte) random.nextInt(256);
            }
            ByteBuffer frame = seal(body);
            try {
                FrameCodec.decode(frame);
            } catch (DittoException e) {
                assertEquals(ErrorCode.PROTOCOL, e.code(), e::toString);
            }
        }
    }

    static ByteBuffer sealed(CborWriter w) {
        return seal(w.toByteArray());
    }

    /** Appends a correct checksum to a body (format byte and message). */
    static ByteBuffer seal(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        int c = (int) crc.getValue();
        ByteBuffer b = ByteBuffer.allocate(body.length + 4);
        b.put(body).putInt(c).flip();
        return b;
    }

    private static ByteBuffer withChecksum(byte[] frame) {
        return seal(Arrays.copyOf(frame, frame.length - 4));
    }

    private static DittoException assertProtocol(org.junit.jupiter.api.function.Executable call) {
        DittoException e = assertThrows(DittoException.class, call);
        assertEquals(ErrorCode.PROTOCOL, e.code(), e::toString);
        return e;
    }

    /** A comparable description (records compare byte arrays by identity). */
    static String describe(Object o) {
        if (o instanceof byte[] b) {
            return "bytes" + Arrays.toString(b);
        }
        if (o instanceof Message.Subscription s) {
            return "sub(" + describe(s.key()) + "," + s.query() + "," + describe(s.arguments()) + "," + s.since() + ")";
        }
        if (o instanceof Message.Entry e) {
            return "entry(" + e.commit() + "," + describe(e.document()) + ")";
        }
        if (o instanceof Message.Group g) {
            return "group(" + g.collection() + "," + describe(g.entries()) + ")";
        }
        if (o instanceof Message.Subscriptions s) {
            return "subs(" + s.version() + "," + describe(s.subscriptions()) + ")";
        }
        if (o instanceof Message.Documents d) {
            return "docs(" + d.subscriptionsVersion() + "," + d.upTo() + "," + describe(d.groups()) + ")";
        }
        if (o instanceof Message.Presence p) {
            return "presence(" + p.peerKey() + "," + p.version() + "," + p.deviceName() + "," + p.os() + ","
                    + p.sdkVersion() + "," + p.protocolVersion() + "," + describe(p.peerMetadata()) + ","
                    + describe(p.identityMetadata()) + "," + p.connections() + ")";
        }
        if (o instanceof Message.DocumentPart p) {
            return "part(" + p.total() + "," + p.offset() + "," + describe(p.bytes()) + ")";
        }
        if (o instanceof List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (Object x : list) {
                b.append(describe(x)).append(';');
            }
            return b.append(']').toString();
        }
        if (o instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder("{");
            new java.util.TreeMap<>(map).forEach((k, v) -> b.append(k).append('=').append(describe(v)).append(';'));
            return b.append('}').toString();
        }
        return String.valueOf(o);
    }
}
