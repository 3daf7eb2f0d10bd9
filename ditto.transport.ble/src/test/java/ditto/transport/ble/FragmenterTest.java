package ditto.transport.ble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class FragmenterTest {

    @Test
    void sendsASmallFrameAsOneOnlyChunk() {
        // given
        Fragmenter fragmenter = new Fragmenter(20, 1000);
        // when
        List<ByteBuffer> chunks = fragmenter.split(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        // then
        assertEquals(1, chunks.size());
        ByteBuffer chunk = chunks.get(0);
        assertEquals(4, chunk.remaining());
        assertEquals(ChunkHeader.KIND_ONLY, ChunkHeader.kind(chunk.get(0)));
        assertEquals(0, ChunkHeader.sequence(chunk.get(0)));
    }

    @Test
    void fillsEveryChunkUpToTheMtu() {
        // given: 20-byte mtu, 100-byte frame: FIRST carries 15, then 19 + 19 + 19 + 19 + 9
        Fragmenter fragmenter = new Fragmenter(20, 1000);
        // when
        List<ByteBuffer> chunks = fragmenter.split(ByteBuffer.wrap(new byte[100]));
        // then
        assertEquals(6, chunks.size());
        assertEquals(ChunkHeader.KIND_FIRST, ChunkHeader.kind(chunks.get(0).get(0)));
        assertEquals(100, chunks.get(0).getInt(1));
        for (int i = 0; i < 5; i++) {
            assertEquals(20, chunks.get(i).remaining(), "chunk " + i);
        }
        for (int i = 1; i < 5; i++) {
            assertEquals(ChunkHeader.KIND_MIDDLE, ChunkHeader.kind(chunks.get(i).get(0)));
        }
        assertEquals(ChunkHeader.KIND_LAST, ChunkHeader.kind(chunks.get(5).get(0)));
        assertEquals(10, chunks.get(5).remaining());
    }

    @Test
    void sendsAFrameOfExactlyMtuMinusOneAsOneChunkAndOneMoreByteAsTwo() {
        Fragmenter fragmenter = new Fragmenter(20, 1000);
        assertEquals(1, fragmenter.split(ByteBuffer.wrap(new byte[19])).size());
        assertEquals(2, fragmenter.split(ByteBuffer.wrap(new byte[20])).size());
    }

    @Test
    void numbersChunksAcrossFramesAndWrapsAt64() {
        // given
        Fragmenter fragmenter = new Fragmenter(20, 1000);
        // when: 70 single-chunk frames
        int last = -1;
        for (int i = 0; i < 70; i++) {
            last = ChunkHeader.sequence(fragmenter.split(ByteBuffer.wrap(new byte[] {(byte) i})).get(0).get(0));
            // then
            assertEquals(i % 64, last);
        }
        assertEquals(69 % 64, last);
    }

    @Test
    void leavesTheFramePositionUnchanged() {
        Fragmenter fragmenter = new Fragmenter(8, 1000);
        ByteBuffer frame = ByteBuffer.wrap(new byte[50]);
        frame.position(5);
        fragmenter.split(frame);
        assertEquals(5, frame.position());
    }

    @Test
    void refusesAFrameAboveTheMaximum() {
        Fragmenter fragmenter = new Fragmenter(20, 100);
        DittoException e = assertThrows(DittoException.class, () -> fragmenter.split(ByteBuffer.allocate(101)));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
    }

    @Test
    void refusesAnMtuTooSmallForAFirstChunk() {
        DittoException e = assertThrows(DittoException.class, () -> new Fragmenter(ChunkHeader.MIN_MTU - 1, 100));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        new Fragmenter(ChunkHeader.MIN_MTU, 100);
    }

    @Test
    void roundTripsRandomFramesAtRandomMtus() {
        long seed = System.nanoTime();
        System.out.println("FragmenterTest.roundTripsRandomFramesAtRandomMtus seed=" + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            int mtu = ChunkHeader.MIN_MTU + random.nextInt(600);
            int max = 1 + random.nextInt(20_000);
            Fragmenter fragmenter = new Fragmenter(mtu, max);
            Reassembler reassembler = new Reassembler(mtu, max);
            for (int f = 0; f < 10; f++) {
                byte[] frame = new byte[random.nextInt(max + 1)];
                random.nextBytes(frame);
                List<ByteBuffer> chunks = fragmenter.split(ByteBuffer.wrap(frame));
                for (int c = 0; c < chunks.size(); c++) {
                    assertTrue(chunks.get(c).remaining() <= mtu, "seed " + seed + ": chunk above mtu");
                    Optional<ByteBuffer> out = reassembler.accept(chunks.get(c));
                    assertEquals(c == chunks.size() - 1, out.isPresent(), "seed " + seed + ": completion at chunk " + c);
                    if (out.isPresent()) {
                        byte[] got = new byte[out.get().remaining()];
                        out.get().get(got);
                        assertArrayEquals(frame, got, "seed " + seed + ": frame differs");
                    }
                }
            }
        }
    }
}
