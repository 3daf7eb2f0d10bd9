package ditto.engine.presence;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.tinylog.Logger;

import ditto.api.ConnectionRequest;
import ditto.api.ConnectionRequestAuthorization;
import ditto.api.ConnectionRequestHandler;
import ditto.engine.sync.SyncEngine;
import ditto.engine.wire.Message;

/**
 * Runs the application's {@link ConnectionRequestHandler} for each incoming session (after the
 * TLS handshake and the hello, before any data flows) and turns its answer into the engine's
 * decision.
 *
 * <pre>
 *  engine executor ── authorize(presence) ─┬─▶ handler executor: handler.onConnectionRequest ─┐
 *                                          └─▶ timer: after timeoutMillis ─────────────────────┼─▶ decision, once
 * </pre>
 *
 * <p>Invariants: each request is decided exactly once: the first of the handler's answer and
 * the timeout wins. DENY, an exception from the handler, a null answer, a rejected task and the
 * timeout all deny. The handler is never called on the engine's executor.
 */
public final class ConnectionRequests implements SyncEngine.ConnectionAuthorizer {

    /** How long a handler may take before the request is denied: 10 s. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;

    private final Executor handlerExecutor;
    private final BiConsumer<Long, Runnable> timer;
    private final long timeoutMillis;
    private volatile ConnectionRequestHandler handler;

    /**
     * Creates the decision maker; without a handler it allows every request.
     *
     * @param handlerExecutor where handlers run (not the engine's executor)
     * @param timer runs a task after a delay in milliseconds
     * @param timeoutMillis how long a handler may take before the request is denied
     */
    public ConnectionRequests(Executor handlerExecutor, BiConsumer<Long, Runnable> timer, long timeoutMillis) {
        this.handlerExecutor = Objects.requireNonNull(handlerExecutor, "handlerExecutor");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.timeoutMillis = timeoutMillis;
    }

    /** Sets the handler, or null to allow every request. */
    void setHandler(ConnectionRequestHandler h) {
        handler = h;
    }

    @Override
    public void authorize(Message.Presence presence, Consumer<Boolean> decision) {
        ConnectionRequestHandler h = handler;
        if (h == null) {
            decision.accept(true);
            return;
        }
        String peerKey = presence.peerKey();
        AtomicBoolean decided = new AtomicBoolean();
        timer.accept(timeoutMillis, () -> {
            if (decided.compareAndSet(false, true)) {
                Logger.warn("presence: the connection request handler did not answer for {} within {} ms; denying",
                        peerKey, timeoutMillis);
                decision.accept(false);
            }
        });
        Runnable ask = () -> {
            boolean allow;
            try {
                ConnectionRequest request = new ConnectionRequest(peerKey,
                        PresenceImpl.decodeOrEmpty(presence.peerMetadata(), peerKey),
                        PresenceImpl.decodeOrEmpty(presence.identityMetadata(), peerKey));
                allow = h.onConnectionRequest(request) == ConnectionRequestAuthorization.ALLOW;
            } catch (Throwable t) {
                Logger.error(t, "presence: the connection request handler failed for {}; denying", peerKey);
                allow = false;
            }
            if (decided.compareAndSet(false, true)) {
                decision.accept(allow);
            }
        };
        try {
            handlerExecutor.execute(ask);
        } catch (RuntimeException e) {
            Logger.error(e, "presence: cannot run the connection request handler for {}; denying", peerKey);
            if (decided.compareAndSet(false, true)) {
                decision.accept(false);
            }
        }
    }
}
