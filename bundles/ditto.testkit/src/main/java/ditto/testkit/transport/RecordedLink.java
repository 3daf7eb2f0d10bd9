package ditto.testkit.transport;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;

/**
 * A {@link Link} as a test sees it: the link itself and everything its transport delivered to
 * the {@link LinkHandler} a {@link RecordingTransportListener} returned for it.
 *
 * <p>Besides recording frames and the close, it checks the handler contract as it goes: a frame
 * delivered after {@code onClosed}, a second {@code onClosed}, or two deliveries at the same time
 * are recorded as {@linkplain #violations() violations}. Thread-safe: the transport calls the
 * handler methods, tests call the others.
 */
public final class RecordedLink implements LinkHandler {
    private final Link link;
    private final BlockingQueue<ByteBuffer> frames = new LinkedBlockingQueue<>();
    private final AtomicInteger frameCount = new AtomicInteger();
    private final AtomicInteger closedCount = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private volatile Throwable closeCause;

    /**
     * Creates the record of one link.
     *
     * @param link the link the transport opened, never null
     */
    public RecordedLink(Link link) {
        this.link = Objects.requireNonNull(link, "link");
    }

    /** Returns the link, never null. */
    public Link link() {
        return link;
    }

    /**
     * Records one frame; called by the transport.
     *
     * @param frame the frame, never null
     */
    @Override
    public void onFrame(ByteBuffer frame) {
        enter("onFrame");
        try {
            if (frame == null) {
                violations.add("onFrame(null)");
                return;
            }
            if (closedCount.get() > 0) {
                violations.add("onFrame after onClosed");
            }
            frameCount.incrementAndGet();
            frames.add(frame);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * Records the close; called by the transport.
     *
     * @param cause the failure, or null for an orderly close
     */
    @Override
    public void onClosed(Throwable cause) {
        enter("onClosed");
        try {
            if (closedCount.incrementAndGet() > 1) {
                violations.add("onClosed called " + closedCount.get() + " times");
                return;
            }
            closeCause = cause;
            closed.countDown();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void enter(String method) {
        if (inFlight.incrementAndGet() > 1) {
            violations.add(method + " called while another handler call of the same link was running");
        }
    }

    /**
     * Waits for the next frame not yet taken.
     *
     * @param timeout how long to wait at most
     * @return the frame, or null if none arrived in time
     * @throws InterruptedException if interrupted while waiting
     */
    public ByteBuffer awaitFrame(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Returns how many frames arrived so far, taken or not. */
    public int frameCount() {
        return frameCount.get();
    }

    /**
     * Waits until {@code onClosed} was called.
     *
     * @param timeout how long to wait at most
     * @return true if the link closed in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Returns how many times {@code onClosed} was called: 0 while open, 1 afterwards. */
    public int closedCount() {
        return closedCount.get();
    }

    /** Returns the cause passed to the first {@code onClosed}, or null for none or an orderly close. */
    public Throwable closeCause() {
        return closeCause;
    }

    /** Returns a copy of the handler-contract violations seen so far; empty when all is well. */
    public List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    /** Returns the link's id, direction and remote, for assertion messages. */
    @Override
    public String toString() {
        return "RecordedLink[" + link.id() + (link.isIncoming() ? " from " : " to ") + link.remoteDescription() + "]";
    }
}
