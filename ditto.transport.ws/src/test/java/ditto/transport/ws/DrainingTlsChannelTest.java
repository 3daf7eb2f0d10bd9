package ditto.transport.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import org.java_websocket.WrappedByteChannel;
import org.java_websocket.interfaces.ISSLChannel;
import org.junit.jupiter.api.Test;

class DrainingTlsChannelTest {

    /**
     * Behaves like Java-WebSocket's SSLSocketChannel2 as far as writing goes: each write first
     * moves at most one record of its input into an output buffer of one record's size (nothing
     * if the waiting bytes leave no room), then hands the socket as many waiting bytes as it
     * accepts right now.
     */
    static final class SimulatedTls implements WrappedByteChannel, ISSLChannel {
        static final int RECORD = 100;
        final ByteArrayOutputStream onTheWire = new ByteArrayOutputStream();
        final SSLEngine engine;
        ByteBuffer waiting = ByteBuffer.allocate(0);
        int socketRoom;

        SimulatedTls() throws Exception {
            engine = SSLContext.getDefault().createSSLEngine();
        }

        @Override
        public int write(ByteBuffer src) {
            if (waiting.remaining() + Math.min(src.remaining(), RECORD) <= RECORD) {
                ByteBuffer record = src.slice().limit(Math.min(src.remaining(), RECORD));
                src.position(src.position() + record.remaining());
                ByteBuffer joined = ByteBuffer.allocate(waiting.remaining() + record.remaining());
                joined.put(waiting).put(record).flip();
                waiting = joined;
            }
            int sent = Math.min(socketRoom, waiting.remaining());
            byte[] out = new byte[sent];
            waiting.get(out);
            onTheWire.writeBytes(out);
            socketRoom -= sent;
            return sent;
        }

        @Override
        public boolean isNeedWrite() {
            return waiting.hasRemaining();
        }

        @Override
        public void writeMore() {
            write(ByteBuffer.allocate(0));
        }

        @Override
        public int read(ByteBuffer dst) {
            return 0;
        }

        @Override
        public boolean isNeedRead() {
            return false;
        }

        @Override
        public int readMore(ByteBuffer dst) {
            return 0;
        }

        @Override
        public boolean isBlocking() {
            return false;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }

        @Override
        public SSLEngine getSSLEngine() {
            return engine;
        }
    }

    /**
     * Runs the library's write loop (SocketChannelIOHelper.batch) until the queue is empty and
     * checks, each time a buffer is reported written, that no encrypted byte still waits.
     *
     * @return whether a buffer was ever reported written while bytes waited
     */
    private static boolean drain(WrappedByteChannel channel, SimulatedTls tls, Deque<ByteBuffer> queue, Random random)
            throws Exception {
        boolean reportedEarly = false;
        int rounds = 0;
        while (!queue.isEmpty()) {
            assertTrue(rounds++ < 1_000_000, "no progress");
            tls.socketRoom = random.nextInt(3) == 0 ? 0 : random.nextInt(250);
            ByteBuffer buffer = queue.peek();
            channel.write(buffer);
            if (!buffer.hasRemaining()) {
                reportedEarly |= tls.isNeedWrite();
                queue.poll();
            }
        }
        return reportedEarly;
    }

    private static Deque<ByteBuffer> response(byte[] content) {
        Deque<ByteBuffer> queue = new ArrayDeque<>();
        int split = content.length / 3;
        queue.add(ByteBuffer.wrap(content, 0, split).slice());
        queue.add(ByteBuffer.wrap(content, split, content.length - split).slice());
        return queue;
    }

    @Test
    void withoutHoldingTheLibraryWouldReportAResponseWrittenWhileBytesStillWait() throws Exception {
        SimulatedTls tls = new SimulatedTls();
        DrainingTlsChannel channel = new DrainingTlsChannel(tls);
        byte[] content = new byte[5_000];
        boolean early = false;
        Random random = new Random(1);
        for (int i = 0; i < 20 && !early; i++) {
            early = drain(channel, tls, response(content), random);
        }
        assertTrue(early, "the simulation never showed the problem the wrapper exists for");
    }

    @Test
    void whenHoldingReportsEachBufferWrittenOnlyOnceAllItsBytesLeftInOrder() throws Exception {
        for (long seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            SimulatedTls tls = new SimulatedTls();
            DrainingTlsChannel channel = new DrainingTlsChannel(tls);
            channel.holdUntilDrained();
            byte[] content = new byte[1 + random.nextInt(3_000)];
            random.nextBytes(content);
            Deque<ByteBuffer> queue = response(content);
            queue.add(ByteBuffer.allocate(0));
            assertFalse(drain(channel, tls, queue, random), "seed " + seed);
            assertFalse(tls.isNeedWrite(), "seed " + seed);
            assertArrayEquals(content, tls.onTheWire.toByteArray(), "seed " + seed);
        }
    }

    @Test
    void endsTheStreamAndRefusesWritesOnceThePeerClosedTls() throws Exception {
        SimulatedTls tls = new SimulatedTls();
        DrainingTlsChannel channel = new DrainingTlsChannel(tls);
        assertEquals(0, channel.read(ByteBuffer.allocate(10)));
        tls.engine.closeInbound();
        assertEquals(-1, channel.read(ByteBuffer.allocate(10)));
        assertThrows(EOFException.class, () -> channel.write(ByteBuffer.allocate(1)));
        assertThrows(EOFException.class, channel::writeMore);
    }
}
