package ditto.transport.ws;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;

import ditto.api.ConnectionType;
import ditto.api.DittoException;
import ditto.api.DittoLogger;
import ditto.api.ErrorCode;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;

/**
 * One WebSocket link: a Java-WebSocket connection whose handshake named the same database,
 * carrying frames as binary messages in the {@link MessageFraming} format.
 *
 * <p>Role and invariants:
 * <pre>
 *  engine threads --send (under sendLock: the messages of one frame stay contiguous)--> library out queue
 *  library read thread --onMessage--> Joiner --> Delivery --> handler.onFrame ... onClosed (once, last)
 * </pre>
 * The send queue is the library's own; {@link #send} refuses a frame when its bytes plus the
 * bytes the library has not yet written would exceed {@link #MAX_QUEUED_BYTES}. To keep that
 * check cheap, the link keeps an upper estimate of the queued bytes and counts the library's
 * queue only when the estimate says the limit is near. A message that breaks the framing closes
 * the link with WebSocket close code 1002, logs an error and reports a {@code PROTOCOL} cause.
 */
final class WsLink implements Link {
    /** The largest frame a WebSocket link carries: 1 MiB. */
    static final int MAX_FRAME_SIZE = 1 << 20;
    /** How many bytes may wait in the library's send queue: 8 MiB. */
    static final long MAX_QUEUED_BYTES = 8L << 20;

    private final String id;
    private final Object owner;
    private final String remoteDescription;
    private final WebSocket connection;
    private final MessageFraming.Joiner joiner = new MessageFraming.Joiner(MAX_FRAME_SIZE);
    private final Object sendLock = new Object();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Consumer<WsLink> onTerminated;
    private volatile boolean closedLocally;
    private volatile Delivery delivery;
    private boolean earlyClose;
    private Throwable earlyCloseCause;
    private long queuedEstimate;

    WsLink(String id, Object owner, String remoteDescription, WebSocket connection, Consumer<WsLink> onTerminated) {
        this.id = id;
        this.owner = owner;
        this.remoteDescription = remoteDescription;
        this.connection = connection;
        this.onTerminated = onTerminated;
    }

    /**
     * Starts delivering to the engine's handler; called once, before any message is read. A close
     * the library reported before this call is delivered now.
     */
    void start(LinkHandler handler, Executor executor) {
        Delivery started = new Delivery(id, handler, executor, () -> onTerminated.accept(this));
        boolean closedEarly;
        Throwable earlyCause;
        synchronized (this) {
            delivery = started;
            closedEarly = earlyClose;
            earlyCause = earlyCloseCause;
        }
        if (closedEarly) {
            started.offerClosed(earlyCause);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ConnectionType connectionType() {
        return ConnectionType.WEB_SOCKET;
    }

    @Override
    public boolean isIncoming() {
        return owner == null;
    }

    /** Returns the connector that opened this outgoing link, or null for an accepted one. */
    Object owner() {
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
        return libraryQueuedBytes();
    }

    @Override
    public void send(ByteBuffer frame) {
        int size = frame.remaining();
        if (size > MAX_FRAME_SIZE) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "ws link " + id + ": frame of " + size
                    + " bytes exceeds the maximum of " + MAX_FRAME_SIZE + " bytes");
        }
        List<ByteBuffer> messages = MessageFraming.split(frame);
        synchronized (sendLock) {
            if (closing.get() || !connection.isOpen()) {
                throw closed();
            }
            long wire = size + messages.size() * 6L;
            if (queuedEstimate + wire > MAX_QUEUED_BYTES) {
                queuedEstimate = libraryQueuedBytes();
                if (queuedEstimate + wire > MAX_QUEUED_BYTES) {
                    throw new DittoException(ErrorCode.TRANSPORT, "ws link " + id + " to " + remoteDescription
                            + ": send queue full (" + queuedEstimate + " bytes waiting)");
                }
            }
            try {
                for (ByteBuffer message : messages) {
                    connection.send(message);
                }
            } catch (WebsocketNotConnectedException e) {
                throw closed();
            }
            queuedEstimate += wire;
        }
    }

    private DittoException closed() {
        return new DittoException(ErrorCode.TRANSPORT, "ws link " + id + " to " + remoteDescription + ": link is closed");
    }

    private long libraryQueuedBytes() {
        if (!(connection instanceof WebSocketImpl impl)) {
            return 0;
        }
        long total = 0;
        for (ByteBuffer buffer : impl.outQueue) {
            total += buffer.remaining();
        }
        return total;
    }

    @Override
    public boolean isOpen() {
        return !closing.get() && connection.isOpen();
    }

    /** Tells whether the link is closing but the engine has not yet seen {@code onClosed}. */
    boolean isClosing() {
        return closing.get();
    }

    @Override
    public void close() {
        closedLocally = true;
        if (closing.compareAndSet(false, true)) {
            connection.close(CloseFrame.NORMAL, "closed");
        }
    }

    /** Drops the connection at once, without the closing handshake. */
    void forceClose() {
        closedLocally = true;
        closing.set(true);
        connection.closeConnection(CloseFrame.GOING_AWAY, "transport stopped");
    }

    /** Tells whether {@code thread} is the one calling this link's handler right now. */
    boolean isHandlerThread(Thread thread) {
        Delivery current = delivery;
        return current != null && current.isDeliveringOn(thread);
    }

    /** Waits until the engine has seen {@code onClosed}; returns true if it did in time. */
    boolean awaitTermination(long timeoutMillis) throws InterruptedException {
        Delivery current = delivery;
        return current == null || current.awaitTermination(timeoutMillis);
    }

    /** Takes one binary message from the library's reading thread. */
    void onMessage(ByteBuffer message) {
        if (closing.get()) {
            return;
        }
        try {
            joiner.accept(message).ifPresent(frame -> delivery.offerFrame(frame, () -> !closing.get()));
        } catch (DittoException e) {
            protocolError(e);
        }
    }

    /** Takes one text message: the framing has none, so it closes the link. */
    void onTextMessage() {
        if (!closing.get()) {
            protocolError(new DittoException(ErrorCode.PROTOCOL, "ws framing: text message; only binary messages are allowed"));
        }
    }

    private void protocolError(DittoException e) {
        failure.compareAndSet(null, e);
        DittoLogger.errorf("ws transport: closing link %s from %s: %s", id, remoteDescription, e.getMessage());
        closing.set(true);
        connection.close(CloseFrame.PROTOCOL_ERROR, "framing error");
    }

    /** Takes the library's close of the connection; reports it to the engine once. */
    void onClose(int code, String reason, boolean remote) {
        closing.set(true);
        Throwable cause = failure.get();
        if (cause == null && !closedLocally && code != CloseFrame.NORMAL && code != CloseFrame.GOING_AWAY) {
            String why = "closed with WebSocket code " + code + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")")
                    + (remote ? " by the remote" : "");
            cause = new DittoException(ErrorCode.TRANSPORT, "ws link " + id + " to " + remoteDescription + ": " + why);
            if (!remote && (code == CloseFrame.TOOBIG || code == CloseFrame.PROTOCOL_ERROR
                    || code == CloseFrame.UNEXPECTED_CONDITION || code == CloseFrame.NO_UTF8)) {
                DittoLogger.errorf("ws transport: closing link %s from %s: %s", id, remoteDescription, why);
            } else {
                DittoLogger.infof("ws transport: link %s to %s lost: %s", id, remoteDescription, why);
            }
        } else if (cause == null) {
            DittoLogger.debugf("ws transport: link %s to %s closed (code %d)", id, remoteDescription, code);
        }
        Delivery current;
        synchronized (this) {
            current = delivery;
            if (current == null) {
                earlyClose = true;
                earlyCloseCause = cause;
            }
        }
        if (current != null) {
            current.offerClosed(cause);
        }
    }
}
