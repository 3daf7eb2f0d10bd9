package ditto.transport.lan;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import ditto.api.ConnectionType;
import ditto.api.DittoException;
import ditto.api.DittoLogger;
import ditto.api.ErrorCode;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;

/**
 * One LAN link: a TCP connection whose hello has been exchanged, carrying length-prefixed
 * frames, served by one reader and one writer thread.
 *
 * <p>Role and invariants:
 * <pre>
 *  engine threads --send--> [queue, at most MAX_QUEUED_BYTES] --writer thread--> socket
 *  socket --reader thread--> handler.onFrame ... handler.onClosed (exactly once, last)
 * </pre>
 * Only the reader thread calls the handler, so frames are delivered in order, one at a time,
 * and {@code onClosed} comes once, after the last frame. {@link #close()} never blocks: it marks
 * the link closing (so {@link #send} refuses), lets the writer flush what is queued and half-close
 * the connection, and arms a timer that forces the socket shut after {@link #CLOSE_TIMEOUT_MS}
 * if the remote does not answer with its own end of stream. Frames that arrive after a local
 * close are discarded. A frame whose length prefix exceeds {@link #MAX_FRAME_SIZE} closes the
 * link with a {@code PROTOCOL} error before anything is allocated for it.
 */
final class LanLink implements Link {
    /** The largest frame a LAN link carries: 1 MiB. */
    static final int MAX_FRAME_SIZE = 1 << 20;
    /** How many frame bytes may wait in the send queue: 8 MiB. */
    static final long MAX_QUEUED_BYTES = 8L << 20;
    /** How long a closing link waits for the remote's end of stream before forcing the socket shut. */
    static final long CLOSE_TIMEOUT_MS = 2_000;

    private static final ByteBuffer END_OF_QUEUE = ByteBuffer.allocate(0);
    private static final int IO_BUFFER = 64 * 1024;

    private final String id;
    private final Connector owner;
    private final String remoteDescription;
    private final Socket socket;
    private final ScheduledExecutorService timer;
    private final Consumer<LanLink> onTerminated;

    private final LinkedBlockingQueue<ByteBuffer> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch writerDone = new CountDownLatch(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile ScheduledFuture<?> forcedClose;
    private volatile Thread reader;
    private volatile boolean closedLocally;

    LanLink(String id, Connector owner, String remoteDescription, Socket socket, ScheduledExecutorService timer,
            Consumer<LanLink> onTerminated) {
        this.id = id;
        this.owner = owner;
        this.remoteDescription = remoteDescription;
        this.socket = socket;
        this.timer = timer;
        this.onTerminated = onTerminated;
    }

    /**
     * Starts the reader and writer threads; the reader delivers to {@code handler}. Called once,
     * after the engine returned the handler.
     */
    void start(LinkHandler handler) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("lan link " + id + " started twice");
        }
        Thread writer = new Thread(this::writeLoop, "ditto-lan-tx-" + id);
        writer.setDaemon(true);
        Thread readerThread = new Thread(() -> readLoop(handler), "ditto-lan-rx-" + id);
        readerThread.setDaemon(true);
        reader = readerThread;
        writer.start();
        readerThread.start();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ConnectionType connectionType() {
        return ConnectionType.ACCESS_POINT;
    }

    @Override
    public boolean isIncoming() {
        return owner == null;
    }

    /** Returns the connector that opened this outgoing link, or null for an accepted one. */
    Connector owner() {
        return owner;
    }

    @Override
    public String remoteDescription() {
        return remoteDescription;
    }

    @Override
    public int maxFrameSize() {
        return MAX_FRAME_SIZE;
    }

    @Override
    public long maxQueuedBytes() {
        return MAX_QUEUED_BYTES;
    }

    @Override
    public long queuedBytes() {
        return queuedBytes.get();
    }

    @Override
    public void send(ByteBuffer frame) {
        int size = frame.remaining();
        if (size > MAX_FRAME_SIZE) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "lan link " + id + ": frame of " + size
                    + " bytes exceeds the maximum of " + MAX_FRAME_SIZE + " bytes");
        }
        if (closing.get()) {
            throw new DittoException(ErrorCode.TRANSPORT, "lan link " + id + " to " + remoteDescription + ": link is closed");
        }
        if (queuedBytes.addAndGet(size) > MAX_QUEUED_BYTES) {
            queuedBytes.addAndGet(-size);
            throw new DittoException(ErrorCode.TRANSPORT, "lan link " + id + " to " + remoteDescription
                    + ": send queue full (" + MAX_QUEUED_BYTES + " bytes waiting)");
        }
        queue.add(frame);
    }

    @Override
    public boolean isOpen() {
        return !closing.get();
    }

    /** Tells whether the link is closing but its threads have not finished yet. */
    boolean isClosing() {
        return closing.get() && terminated.getCount() > 0;
    }

    @Override
    public void close() {
        closedLocally = true;
        if (beginClosing()) {
            armForcedClose();
        }
    }

    /**
     * Waits until the link's handler has seen {@code onClosed}.
     *
     * @param timeoutMillis how long to wait at most
     * @return true if it terminated in time
     */
    boolean awaitTermination(long timeoutMillis) throws InterruptedException {
        return terminated.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Tells whether {@code thread} is this link's reader, the thread that calls the handler. */
    boolean isReaderThread(Thread thread) {
        return thread == reader;
    }

    /** Shuts the socket at once, without flushing; the reader then ends the link. */
    void forceClose() {
        closedLocally = true;
        beginClosing();
        closeSocket();
    }

    private boolean beginClosing() {
        if (!closing.compareAndSet(false, true)) {
            return false;
        }
        queue.add(END_OF_QUEUE);
        return true;
    }

    private void armForcedClose() {
        try {
            forcedClose = timer.schedule(this::closeSocket, CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            closeSocket();
        }
    }

    private void writeLoop() {
        try (OutputStream out = new BufferedOutputStream(socket.getOutputStream(), IO_BUFFER)) {
            byte[] prefix = new byte[4];
            while (true) {
                ByteBuffer frame = queue.poll();
                if (frame == null) {
                    out.flush();
                    frame = queue.take();
                }
                if (frame == END_OF_QUEUE) {
                    break;
                }
                int size = frame.remaining();
                prefix[0] = (byte) (size >>> 24);
                prefix[1] = (byte) (size >>> 16);
                prefix[2] = (byte) (size >>> 8);
                prefix[3] = (byte) size;
                out.write(prefix);
                writeBody(out, frame);
                queuedBytes.addAndGet(-size);
            }
            out.flush();
            socket.shutdownOutput();
        } catch (IOException e) {
            if (!closing.get()) {
                failure.compareAndSet(null, new DittoException(ErrorCode.TRANSPORT,
                        "lan link " + id + " to " + remoteDescription + ": write failed: " + e.getMessage(), e));
            }
            closeSocket();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeSocket();
        } finally {
            writerDone.countDown();
        }
    }

    private static void writeBody(OutputStream out, ByteBuffer frame) throws IOException {
        if (frame.hasArray()) {
            out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
            return;
        }
        byte[] chunk = new byte[Math.min(frame.remaining(), IO_BUFFER)];
        ByteBuffer source = frame.duplicate();
        while (source.hasRemaining()) {
            int n = Math.min(chunk.length, source.remaining());
            source.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    private void readLoop(LinkHandler handler) {
        Throwable cause = null;
        boolean protocolError = false;
        try (InputStream raw = new BufferedInputStream(socket.getInputStream(), IO_BUFFER)) {
            DataInputStream in = new DataInputStream(raw);
            while (true) {
                int first = in.read();
                if (first < 0) {
                    break;
                }
                int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8)
                        | in.readUnsignedByte();
                if (length < 0 || length > MAX_FRAME_SIZE) {
                    protocolError = true;
                    throw new DittoException(ErrorCode.PROTOCOL, "lan link " + id + " from " + remoteDescription
                            + ": frame length " + Integer.toUnsignedString(length) + " exceeds the maximum of "
                            + MAX_FRAME_SIZE + " bytes");
                }
                byte[] body = new byte[length];
                in.readFully(body);
                if (!closing.get()) {
                    deliver(handler, ByteBuffer.wrap(body));
                }
            }
        } catch (DittoException e) {
            cause = e;
        } catch (IOException e) {
            if (!closedLocally) {
                String why = e instanceof EOFException ? "connection ended inside a frame"
                        : "connection lost: " + e.getMessage();
                cause = new DittoException(ErrorCode.TRANSPORT, "lan link " + id + " to " + remoteDescription + ": " + why, e);
            }
        }
        terminate(handler, cause, protocolError);
    }

    private void deliver(LinkHandler handler, ByteBuffer frame) {
        try {
            handler.onFrame(frame);
        } catch (Throwable t) {
            DittoLogger.errorf("lan link %s: the engine's frame handler failed: %s", id, t);
        }
    }

    private void terminate(LinkHandler handler, Throwable readCause, boolean protocolError) {
        beginClosing();
        if (protocolError) {
            DittoLogger.errorf("lan transport: closing link %s from %s: %s", id, remoteDescription, readCause.getMessage());
            closeSocket();
        } else {
            try {
                writerDone.await(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeSocket();
        }
        ScheduledFuture<?> timeout = forcedClose;
        if (timeout != null) {
            timeout.cancel(false);
        }
        Throwable cause = readCause != null ? readCause : failure.get();
        if (cause != null && !protocolError) {
            DittoLogger.infof("lan transport: link %s to %s lost: %s", id, remoteDescription, cause.getMessage());
        } else if (cause == null) {
            DittoLogger.debugf("lan transport: link %s to %s closed", id, remoteDescription);
        }
        try {
            handler.onClosed(cause);
        } catch (Throwable t) {
            DittoLogger.errorf("lan link %s: the engine's close handler failed: %s", id, t);
        } finally {
            terminated.countDown();
            onTerminated.accept(this);
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            DittoLogger.debugf("lan link %s: closing the socket failed: %s", id, e);
        }
    }
}
