package ditto.transport.ble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class ReassemblerTest {

    private static ByteBuffer chunk(int kind, int sequence, byte... payload) {
        ByteBuffer chunk = ByteBuffer.allocate(1 + payload.length);
        return chunk.put(ChunkHeader.headerByte(kind, sequence)).put(payload).flip();
    }

    private static ByteBuffer first(int sequence, int total, byte... payload) {
        ByteBuffer chunk = ByteBuffer.allocate(5 + payload.length);
        return chunk.put(ChunkHeader.headerByte(ChunkHeader.KIND_FIRST, sequence)).putInt(total).put(payload).flip();
    }

    private static void assertRefused(Reassembler reassembler, ByteBuffer chunk, String fragment) {
        DittoException e = assertThrows(DittoException.class, () -> reassembler.accept(chunk));
        assertEquals(ErrorCode.PROTOCOL, e.code());
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void rejoinsFirstMiddleLast() {
        // given
        Reassembler reassembler = new Reassembler(20, 100);
        // when
        assertFalse(reassembler.accept(first(0, 5, (byte) 1, (byte) 2)).isPresent());
        assertTrue(reassembler.isAssembling());
        assertFalse(reassembler.accept(chunk(ChunkHeader.KIND_MIDDLE, 1, (byte) 3, (byte) 4)).isPresent());
        Optional<ByteBuffer> frame = reassembler.accept(chunk(ChunkHeader.KIND_LAST, 2, (byte) 5));
        // then
        assertTrue(frame.isPresent());
        byte[] bytes = new byte[frame.get().remaining()];
        frame.get().get(bytes);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, bytes);
        assertFalse(reassembler.isAssembling());
    }

    @Test
    void deliversAnEmptyFrameFromAnEmptyOnlyChunk() {
        Reassembler reassembler = new Reassembler(20, 100);
        Optional<ByteBuffer> frame = reassembler.accept(chunk(ChunkHeader.KIND_ONLY, 0));
        assertTrue(frame.isPresent());
        assertEquals(0, frame.get().remaining());
    }

    @Test
    void refusesAChunkOutOfSequence() {
        Reassembler reassembler = new Reassembler(20, 100);
        reassembler.accept(chunk(ChunkHeader.KIND_ONLY, 0, (byte) 1));
        assertRefused(reassembler, chunk(ChunkHeader.KIND_ONLY, 2, (byte) 1), "expected 1, got 2");
    }

    @Test
    void refusesARepeatedChunk() {
        Reassembler reassembler = new Reassembler(20, 100);
        ByteBuffer only = chunk(ChunkHeader.KIND_ONLY, 0, (byte) 1);
        reassembler.accept(only.duplicate());
        assertRefused(reassembler, only, "out of sequence");
    }

    @Test
    void refusesEverythingAfterTheFirstError() {
        Reassembler reassembler = new Reassembler(20, 100);
        assertRefused(reassembler, chunk(ChunkHeader.KIND_ONLY, 5), "out of sequence");
        assertRefused(reassembler, chunk(ChunkHeader.KIND_ONLY, 0), "earlier error");
    }

    @Test
    void refusesADeclaredLengthAboveTheMaximumBeforeAllocating() {
        Reassembler reassembler = new Reassembler(20, 100);
        assertRefused(reassembler, first(0, Integer.MAX_VALUE, (byte) 1), "exceeds the maximum of 100");
        Reassembler other = new Reassembler(20, 100);
        assertRefused(other, first(0, -1, (byte) 1), "4294967295");
    }

    @Test
    void refusesAFirstChunkThatAlreadyHoldsTheWholeFrame() {
        Reassembler reassembler = new Reassembler(20, 100);
        assertRefused(reassembler, first(0, 2, (byte) 1, (byte) 2), "already carries");
    }

    @Test
    void refusesAChunkLongerThanTheMtu() {
        Reassembler reassembler = new Reassembler(8, 100);
        assertRefused(reassembler, chunk(ChunkHeader.KIND_ONLY, 0, new byte[8]), "exceeds the mtu");
    }

    @Test
    void refusesAnEmptyChunk() {
        assertRefused(new Reassembler(8, 100), ByteBuffer.allocate(0), "empty chunk");
    }

    @Test
    void refusesMiddleOrLastWithoutFirst() {
        assertRefused(new Reassembler(20, 100), chunk(ChunkHeader.KIND_MIDDLE, 0, (byte) 1), "without a FIRST");
        assertRefused(new Reassembler(20, 100), chunk(ChunkHeader.KIND_LAST, 0, (byte) 1), "without a FIRST");
    }

    @Test
    void refusesANewFrameWhileOneIsIncomplete() {
        Reassembler reassembler = new Reassembler(20, 100);
        reassembler.accept(first(0, 10, (byte) 1));
        assertRefused(reassembler, chunk(ChunkHeader.KIND_ONLY, 1, (byte) 1), "9 bytes of the previous frame");
        Reassembler other = new Reassembler(20, 100);
        other.accept(first(0, 10, (byte) 1));
        assertRefused(other, first(1, 10, (byte) 1), "FIRST chunk while");
    }

    @Test
    void refusesOverrunsAndWrongCompletion() {
        Reassembler overrun = new Reassembler(20, 100);
        overrun.accept(first(0, 3, (byte) 1));
        assertRefused(overrun, chunk(ChunkHeader.KIND_LAST, 1, (byte) 2, (byte) 3, (byte) 4), "overruns");

        Reassembler middleCompletes = new Reassembler(20, 100);
        middleCompletes.accept(first(0, 3, (byte) 1));
        assertRefused(middleCompletes, chunk(ChunkHeader.KIND_MIDDLE, 1, (byte) 2, (byte) 3), "expected a LAST");

        Reassembler lastShort = new Reassembler(20, 100);
        lastShort.accept(first(0, 4, (byte) 1));
        assertRefused(lastShort, chunk(ChunkHeader.KIND_LAST, 1, (byte) 2), "2 bytes of the frame missing");

        Reassembler emptyMiddle = new Reassembler(20, 100);
        emptyMiddle.accept(first(0, 4, (byte) 1));
        assertRefused(emptyMiddle, chunk(ChunkHeader.KIND_MIDDLE, 1), "without payload");
    }

    @Test
    void refusesReorderedChunksOfAFragmentedFrame() {
        // given a frame split by a real fragmenter
        Fragmenter fragmenter = new Fragmenter(10, 1000);
        List<ByteBuffer> chunks = fragmenter.split(ByteBuffer.wrap(new byte[40]));
        Reassembler reassembler = new Reassembler(10, 1000);
        // when the second and third chunk swap places
        reassembler.accept(chunks.get(0));
        // then
        assertRefused(reassembler, chunks.get(2), "expected 1, got 2");
    }
}
