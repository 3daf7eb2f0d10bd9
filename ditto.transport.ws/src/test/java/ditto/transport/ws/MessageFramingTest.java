package ditto.transport.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class MessageFramingTest {

    private static final int MAX = 1 << 20;

    private static void assertRefused(MessageFraming.Joiner joiner, ByteBuffer message, String fragment) {
        DittoException e = assertThrows(DittoException.class, () -> joiner.accept(message));
        assertEquals(ErrorCode.PROTOCOL, e.code());
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    private static ByteBuffer message(byte marker, byte... payload) {
        return ByteBuffer.allocate(1 + payload.length).put(marker).put(payload).flip();
    }

    private static ByteBuffer first(int total, byte... payload) {
        return ByteBuffer.allocate(5 + payload.length).put(MessageFraming.FIRST).putInt(total).put(payload).flip();
    }

    @Test
    void sendsFramesUpToTheLimitMinusOneAsOneWholeMessage() {
        assertEquals(1, MessageFraming.split(ByteBuffer.allocate(MessageFraming.MESSAGE_LIMIT - 1)).size());
        assertEquals(1, MessageFraming.split(ByteBuffer.allocate(0)).size());
        List<ByteBuffer> two = MessageFraming.split(ByteBuffer.allocate(MessageFraming.MESSAGE_LIMIT));
        assertEquals(2, two.size());
        assertTrue(two.stream().allMatch(m -> m.remaining() <= MessageFraming.MESSAGE_LIMIT));
    }

    @Test
    void roundTripsRandomFrames() {
        long seed = System.nanoTime();
        System.out.println("MessageFramingTest.roundTripsRandomFrames seed=" + seed);
        Random random = new Random(seed);
        MessageFraming.Joiner joiner = new MessageFraming.Joiner(MAX);
        for (int i = 0; i < 100; i++) {
            byte[] frame = new byte[random.nextInt(4) == 0 ? random.nextInt(MAX + 1) : random.nextInt(200)];
            random.nextBytes(frame);
            List<ByteBuffer> messages = MessageFraming.split(ByteBuffer.wrap(frame));
            for (int m = 0; m < messages.size(); m++) {
                assertTrue(messages.get(m).remaining() <= MessageFraming.MESSAGE_LIMIT, "seed " + seed);
                Optional<ByteBuffer> out = joiner.accept(messages.get(m));
                assertEquals(m == messages.size() - 1, out.isPresent(), "seed " + seed + " message " + m);
                out.ifPresent(got -> {
                    byte[] bytes = new byte[got.remaining()];
                    got.get(bytes);
                    assertArrayEquals(frame, bytes, "seed " + seed);
                });
            }
        }
    }

    @Test
    void refusesADeclaredLengthAboveTheMaximumBeforeAllocating() {
        assertRefused(new MessageFraming.Joiner(MAX), first(0x7FFF_FFF0, (byte) 1), "exceeds the maximum");
        assertRefused(new MessageFraming.Joiner(MAX), first(-1, (byte) 1), "4294967295");
    }

    @Test
    void refusesMoreWithoutFirstAndNewFramesWhileOneIsIncomplete() {
        assertRefused(new MessageFraming.Joiner(MAX), message(MessageFraming.MORE, (byte) 1), "without a FIRST");
        MessageFraming.Joiner joiner = new MessageFraming.Joiner(MAX);
        assertFalse(joiner.accept(first(10, (byte) 1)).isPresent());
        assertRefused(joiner, message(MessageFraming.WHOLE, (byte) 1), "9 bytes of the previous frame");
    }

    @Test
    void refusesOverrunsEmptyAndUnknownMessages() {
        MessageFraming.Joiner overrun = new MessageFraming.Joiner(MAX);
        overrun.accept(first(3, (byte) 1));
        assertRefused(overrun, message(MessageFraming.MORE, (byte) 1, (byte) 2, (byte) 3), "overruns");
        assertRefused(new MessageFraming.Joiner(MAX), ByteBuffer.allocate(0), "empty message");
        assertRefused(new MessageFraming.Joiner(MAX), message((byte) 7), "unknown marker 0x07");
        assertRefused(new MessageFraming.Joiner(MAX), first(1, (byte) 1), "already carries");
        MessageFraming.Joiner emptyMore = new MessageFraming.Joiner(MAX);
        emptyMore.accept(first(3, (byte) 1));
        assertRefused(emptyMore, message(MessageFraming.MORE), "without payload");
    }

    @Test
    void refusesEverythingAfterTheFirstError() {
        MessageFraming.Joiner joiner = new MessageFraming.Joiner(MAX);
        assertRefused(joiner, message((byte) 9), "unknown marker");
        assertRefused(joiner, message(MessageFraming.WHOLE, (byte) 1), "earlier error");
    }

    @Test
    void refusesAWholeMessageAboveAFrameLimitSmallerThanTheMessageLimit() {
        assertRefused(new MessageFraming.Joiner(2), message(MessageFraming.WHOLE, (byte) 1, (byte) 2, (byte) 3),
                "exceeds the maximum of 2");
    }
}
