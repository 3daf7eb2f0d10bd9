package ditto.transport.lan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class MulticastCodecTest {

    private static final Announcement SAMPLE = new Announcement(Announcement.databaseHash("db-1"), 4_000_000_000L,
            "pkA-peer-key", "Kitchen iPad ☕", 4040);

    @Test
    void roundTripsAnAnnouncementAndAGoodbye() {
        // given / when
        byte[] announce = MulticastCodec.encode(SAMPLE, false);
        byte[] goodbye = MulticastCodec.encode(SAMPLE, true);
        MulticastCodec.Datagram a = MulticastCodec.decode(announce, 0, announce.length);
        MulticastCodec.Datagram g = MulticastCodec.decode(goodbye, 0, goodbye.length);
        // then
        assertEquals(SAMPLE, a.announcement());
        assertFalse(a.goodbye());
        assertEquals(SAMPLE, g.announcement());
        assertTrue(g.goodbye());
    }

    @Test
    void writesTheDocumentedLayout() {
        Announcement announcement = new Announcement(0x0102030405060708L, 0xFFFF_FFFEL, "k", "", 0xABCD);
        byte[] datagram = MulticastCodec.encode(announcement, false);
        assertEquals("444c4453" + "01" + "01" + "0102030405060708" + "fffffffe" + "abcd" + "01" + "6b" + "00",
                HexFormat.of().formatHex(datagram));
    }

    @Test
    void roundTripsTheLongestFieldsAndDecodesAtAnOffset() {
        Announcement longest = new Announcement(-1L, 0, "k".repeat(Announcement.MAX_PEER_KEY_BYTES),
                "é".repeat(Announcement.MAX_DEVICE_NAME_BYTES / 2), 65535);
        byte[] datagram = MulticastCodec.encode(longest, false);
        assertEquals(MulticastCodec.MAX_DATAGRAM_BYTES, datagram.length);
        byte[] padded = new byte[datagram.length + 10];
        System.arraycopy(datagram, 0, padded, 7, datagram.length);
        assertEquals(longest, MulticastCodec.decode(padded, 7, datagram.length).announcement());
    }

    @Test
    void rejectsEveryTruncationOfAValidDatagram() {
        byte[] datagram = MulticastCodec.encode(SAMPLE, false);
        for (int length = 0; length < datagram.length; length++) {
            int cut = length;
            DittoException e = assertThrows(DittoException.class, () -> MulticastCodec.decode(datagram, 0, cut),
                    "truncated to " + cut + " bytes");
            assertEquals(ErrorCode.PROTOCOL, e.code());
        }
    }

    @Test
    void rejectsTrailingBytesAndOversizedDatagrams() {
        byte[] datagram = MulticastCodec.encode(SAMPLE, false);
        byte[] longer = Arrays.copyOf(datagram, datagram.length + 1);
        assertTrue(rejection(longer).contains("does not match"), rejection(longer));
        byte[] huge = new byte[MulticastCodec.MAX_DATAGRAM_BYTES + 1];
        System.arraycopy(datagram, 0, huge, 0, datagram.length);
        assertTrue(rejection(huge).contains("longer than the maximum"), rejection(huge));
    }

    @Test
    void rejectsEachBadFieldWithAReason() {
        assertTrue(rejection(patched(0, (byte) 'X')).contains("bad magic"));
        assertTrue(rejection(patched(4, (byte) 2)).contains("unsupported version 2"));
        assertTrue(rejection(patched(5, (byte) 3)).contains("unknown kind 3"));
        byte[] noPort = patched(18, (byte) 0);
        noPort[19] = 0;
        assertTrue(rejection(noPort).contains("TCP port 0"));
        assertTrue(rejection(patched(20, (byte) 0)).contains("peer key length 0"));
        assertTrue(rejection(patched(20, (byte) 251)).contains("peer key length 251"));
        assertTrue(rejection(patched(20, (byte) 200)).contains("runs past the end"));
        byte[] badUtf8 = patched(21, (byte) 0xC3);
        badUtf8[22] = (byte) 0x28;
        assertTrue(rejection(badUtf8).contains("peer key is not valid UTF-8"));
    }

    @Test
    void randomBytesOnlyEverFailWithAProtocolError() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        byte[] valid = MulticastCodec.encode(SAMPLE, false);
        for (int i = 0; i < 20_000; i++) {
            byte[] data;
            if (random.nextBoolean()) {
                data = new byte[random.nextInt(MulticastCodec.MAX_DATAGRAM_BYTES + 2)];
                random.nextBytes(data);
            } else {
                // a valid datagram with a few bytes flipped reaches the deeper checks
                data = valid.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    data[random.nextInt(data.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            try {
                MulticastCodec.decode(data, 0, data.length);
            } catch (DittoException e) {
                assertEquals(ErrorCode.PROTOCOL, e.code(), "seed " + seed);
            } catch (RuntimeException e) {
                fail("seed " + seed + ", input " + HexFormat.of().formatHex(data) + ": " + e);
            }
        }
    }

    @Test
    void databaseHashIsStableAndDoesNotContainTheId() {
        long hash = Announcement.databaseHash("my-secret-app-id");
        assertEquals(hash, Announcement.databaseHash("my-secret-app-id"));
        assertFalse(hash == Announcement.databaseHash("my-secret-app-id2"));
        byte[] datagram = MulticastCodec.encode(new Announcement(hash, 0, "k", "", 1), false);
        assertFalse(new String(datagram, java.nio.charset.StandardCharsets.ISO_8859_1).contains("secret"));
        assertArrayEquals(ByteBuffer.allocate(8).putLong(hash).array(), Arrays.copyOfRange(datagram, 6, 14));
    }

    @Test
    void truncatesLongDeviceNamesAtACharacterBoundary() {
        String name = "ab" + "☕".repeat(200);
        String cut = Announcement.truncateDeviceName(name);
        assertTrue(Announcement.utf8Length(cut) <= Announcement.MAX_DEVICE_NAME_BYTES);
        assertTrue(name.startsWith(cut));
        assertEquals(2 + 3 * 82, Announcement.utf8Length(cut));
        assertEquals("short", Announcement.truncateDeviceName("short"));
    }

    private static byte[] patched(int offset, byte value) {
        byte[] datagram = MulticastCodec.encode(SAMPLE, false);
        datagram[offset] = value;
        return datagram;
    }

    private static String rejection(byte[] datagram) {
        DittoException e = assertThrows(DittoException.class, () -> MulticastCodec.decode(datagram, 0, datagram.length));
        assertEquals(ErrorCode.PROTOCOL, e.code());
        return e.getMessage();
    }
}
