package ditto.transport.ws;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import ditto.api.DittoLogger;
import ditto.api.spi.transport.LinkHandler;

/**
 * Hands the frames and the close of one WebSocket link to the engine's handler, one at a time
 * and in order, on a pooled thread.
 *
 * <p>Role and invariants: Java-WebSocket reports messages from a decoder thread and closes
 * sometimes from another (the server's selector), so the link funnels both through this serial
 * queue:
 * <pre>
 *  library threads --offerFrame/offerClosed--> [events, guarded by this] --one pooled drainer--> handler
 * </pre>
 * At most one drainer runs per link. Nothing is accepted after the close event, so
 * {@code onClosed} is delivered exactly once and last. Frames waiting here are bounded: when
 * more than {@link #MAX_PENDING_BYTES} wait, {@link #offerFrame} blocks the library thread until
 * the engine catches up or the link no longer wants frames, which pushes back on the remote
 * through TCP flow control.
 */
final class Delivery {
    /** How many frame bytes may wait for the engine before the reading thread is held back. */
    static final long MAX_PENDING_BYTES = 4L << 20;

    private final String linkId;
    private final LinkHandler handler;
    private final Executor executor;
    private final Runnable onTerminated;
    private final ArrayDeque<Object> events = new ArrayDeque<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private long pendingBytes;
    private boolean draining;
    private volatile Thread drainer;
    private boolean closeOffered;

    private record Closed(Throwable cause) {
    }

    Delivery(String linkId, LinkHandler handler, Executor executor, Runnable onTerminated) {
        this.linkId = linkId;
        this.handler = handler;
        this.executor = executor;
        this.onTerminated = onTerminated;
    }

    /**
     * Queues a frame, then waits while too many bytes are pending and {@code wanted} holds.
     * Frames offered after the close are dropped.
     */
    void offerFrame(ByteBuffer frame, BooleanSupplier wanted) {
        synchronized (this) {
            if (closeOffered) {
                return;
            }
            events.add(frame);
            pendingBytes += frame.remaining();
        }
        schedule();
        synchronized (this) {
            while (pendingBytes > MAX_PENDING_BYTES && !closeOffered && wanted.getAsBoolean()) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Queues the close; only the first call counts. */
    void offerClosed(Throwable cause) {
        synchronized (this) {
            if (closeOffered) {
                return;
            }
            closeOffered = true;
            events.add(new Closed(cause));
            notifyAll();
        }
        schedule();
    }

    /** Waits until the handler has seen {@code onClosed}; returns true if it did in time. */
    boolean awaitTermination(long timeoutMillis) throws InterruptedException {
        return terminated.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void schedule() {
        synchronized (this) {
            if (draining || events.isEmpty()) {
                return;
            }
            draining = true;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException stopped) {
            drain();
        }
    }

    /** Tells whether {@code thread} is the one calling the handler right now. */
    boolean isDeliveringOn(Thread thread) {
        return drainer == thread;
    }

    private void drain() {
        drainer = Thread.currentThread();
        while (true) {
            Object event;
            synchronized (this) {
                event = events.poll();
                if (event == null) {
                    draining = false;
                    drainer = null;
                    return;
                }
            }
            if (event instanceof Closed closed) {
                try {
                    handler.onClosed(closed.cause());
                } catch (Throwable t) {
                    DittoLogger.errorf("ws link %s: the engine's close handler failed: %s", linkId, t);
                } finally {
                    terminated.countDown();
                    onTerminated.run();
                }
                continue;
            }
            ByteBuffer frame = (ByteBuffer) event;
            int size = frame.remaining();
            try {
                handler.onFrame(frame);
            } catch (Throwable t) {
                DittoLogger.errorf("ws link %s: the engine's frame handler failed: %s", linkId, t);
            }
            synchronized (this) {
                pendingBytes -= size;
                notifyAll();
            }
        }
    }
}
