package ditto.engine.security;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import ditto.api.ConnectionType;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;

/**
 * One end of an in-memory link pair for tests, honouring the {@link Link} contract: frames are
 * copied on send and delivered in order, one at a time, on the receiving end's own thread (never
 * on the sender's), and {@code onClosed} comes once, after the last frame. Delivery waits until
 * a handler is {@linkplain #attach attached}. A {@linkplain #tamper tamper} function may alter
 * frames this end sends, to play a man in the middle.
 */
final class MemoryLink implements Link {

    private static final AtomicInteger IDS = new AtomicInteger();

    private final String id;
    private final boolean incoming;
    private final int maxFrameSize;
    private final ExecutorService inbox;
    private final CountDownLatch attached = new CountDownLatch(1);
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicBoolean closeDelivered = new AtomicBoolean();
    private final AtomicLong queued = new AtomicLong();
    final AtomicInteger framesSent = new AtomicInteger();
    private volatile LinkHandler handler;
    private volatile UnaryOperator<ByteBuffer> tamper = UnaryOperator.identity();
    private MemoryLink peer;

    private MemoryLink(String id, boolean incoming, int maxFrameSize) {
        this.id = id;
        this.incoming = incoming;
        this.maxFrameSize = maxFrameSize;
        this.inbox = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "memory-link-" + id);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Returns {client, server}: the client end opened the link, the server end accepted it. */
    static MemoryLink[] pair(int maxFrameSize) {
        int n = IDS.incrementAndGet();
        MemoryLink client = new MemoryLink("mem-" + n + "-out", false, maxFrameSize);
        MemoryLink server = new MemoryLink("mem-" + n + "-in", true, maxFrameSize);
        client.peer = server;
        server.peer = client;
        return new MemoryLink[] {client, server};
    }

    static MemoryLink[] pair() {
        return pair(1 << 20);
    }

    void attach(LinkHandler linkHandler) {
        handler = linkHandler;
        attached.countDown();
    }

    /** Alters each frame this end sends from now on. */
    void tamper(UnaryOperator<ByteBuffer> function) {
        tamper = function;
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
        return incoming;
    }

    @Override
    public String remoteDescription() {
        return "memory:" + peer.id;
    }

    @Override
    public int maxFrameSize() {
        return maxFrameSize;
    }

    @Override
    public long maxQueuedBytes() {
        return 8L << 20;
    }

    @Override
    public long queuedBytes() {
        return queued.get();
    }

    @Override
    public void send(ByteBuffer frame) {
        if (!open.get()) {
            throw new DittoException(ErrorCode.TRANSPORT, "memory link " + id + " is closed");
        }
        if (frame.remaining() > maxFrameSize) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "memory link " + id + ": frame too large");
        }
        ByteBuffer copy = tamper.apply(ByteBuffer.allocate(frame.remaining()).put(frame).flip());
        int size = copy.remaining();
        queued.addAndGet(size);
        framesSent.incrementAndGet();
        try {
            peer.inbox.execute(() -> {
                queued.addAndGet(-size);
                peer.deliver(copy);
            });
        } catch (RejectedExecutionException e) {
            throw new DittoException(ErrorCode.TRANSPORT, "memory link " + id + " is shut down");
        }
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            try {
                inbox.execute(() -> deliverClosed(null));
                peer.inbox.execute(() -> {
                    peer.open.set(false);
                    peer.deliverClosed(null);
                });
            } catch (RejectedExecutionException e) {
                // the test is over and its links were shut down
            }
        }
    }

    /** Stops the delivery thread, dropping what is still queued; call after the test. */
    void shutdown() throws InterruptedException {
        inbox.shutdownNow();
        inbox.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void deliver(ByteBuffer frame) {
        if (awaitHandler() && !closeDelivered.get()) {
            handler.onFrame(frame);
        }
    }

    private void deliverClosed(Throwable cause) {
        if (awaitHandler() && closeDelivered.compareAndSet(false, true)) {
            handler.onClosed(cause);
        }
    }

    /** Waits for a handler; false if none came (the test never attached one, or is over). */
    private boolean awaitHandler() {
        try {
            return attached.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
