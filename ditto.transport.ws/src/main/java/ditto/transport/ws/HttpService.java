package ditto.transport.ws;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.java_websocket.WebSocketImpl;
import org.java_websocket.framing.CloseFrame;

import ditto.api.DittoLogger;
import ditto.api.spi.transport.HttpRequest;
import ditto.api.spi.transport.HttpResponse;

/**
 * Answers the plain HTTP requests of one {@link SyncServer}: static files and the engine's
 * endpoints under {@link HttpRequest#ENGINE_PATH_PREFIX}, one request per connection.
 *
 * <p>Role and invariants:
 * <pre>
 *  decoder thread: accept --refused or 405--> send (at once)
 *                         --otherwise------> workers (bounded queue; full: 503)
 *  worker thread:  static file or TransportListener.onHttpRequest --> send
 *  send: response buffers onto the connection's out queue, then flush-and-close (or, when the
 *        client may still be sending, close after {@value #LINGER_MS} ms or when it closes)
 *  selector thread: writes, closes; SyncServer.onClose --> Exchange.onClosed
 * </pre>
 * Each connection's {@link Exchange} is its attachment. Bytes of responses queued on
 * connections that are not yet closed are counted; a file is read only if the count stays
 * within {@value #MAX_PENDING_RESPONSE_BYTES} bytes with it (else 503), so slow readers cannot
 * make the listener hold unbounded memory. Work runs on at most {@value #WORKERS} daemon
 * threads with at most {@value #QUEUE_LIMIT} requests waiting, never on the library's threads,
 * because the engine may block (a login asking a webhook).
 */
final class HttpService {
    /** Threads that read files and call the engine. */
    static final int WORKERS = 4;
    /** Requests that may wait for a worker before the listener answers 503. */
    static final int QUEUE_LIMIT = 64;
    /** Bytes of responses that may wait in connections' out queues before files are refused with 503. */
    static final long MAX_PENDING_RESPONSE_BYTES = 64L << 20;
    /** How long a refused request's connection stays open for the client to read the answer. */
    static final long LINGER_MS = 2_000;

    private final WsTransport transport;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timer;
    private final AtomicLong pendingBytes = new AtomicLong();
    private volatile StaticContent staticContent;

    /**
     * @param staticContentPath the folder to serve files from, or null for none
     */
    HttpService(WsTransport transport, String staticContentPath) {
        this.transport = transport;
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE_LIMIT), daemon("ditto-ws-http"));
        workers.allowCoreThreadTimeOut(true);
        this.timer = new ScheduledThreadPoolExecutor(1, daemon("ditto-ws-http-linger"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        setStaticContentPath(staticContentPath);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Serves files from another folder from now on; null for none. */
    void setStaticContentPath(String path) {
        staticContent = path == null ? null : new StaticContent(path);
    }

    /** Returns how many requests wait for a worker. */
    int waitingRequests() {
        return workers.getQueue().size();
    }

    /** Returns the bytes of responses queued on open connections. */
    long pendingResponseBytes() {
        return pendingBytes.get();
    }

    /**
     * Takes a request whose connection has just opened; called on the connection's decoder
     * thread, returns at once.
     *
     * @param connection the connection, not a link
     * @param request the request or its refusal
     * @param remote the client's address, for logs and the engine
     * @return false if the connection had already closed (the library may open a connection
     *         that the client reset while its request was being decoded, and then never reports
     *         its close), true if the request was taken
     */
    boolean accept(WebSocketImpl connection, PlainRequest request, String remote) {
        Exchange exchange = new Exchange(connection, request, remote);
        // attached before the check, so that a close from now on reaches Exchange.onClosed
        connection.setAttachment(exchange);
        if (!connection.getChannel().isOpen()) {
            exchange.onClosed();
            return false;
        }
        if (request.errorStatus() != 0) {
            exchange.send(HttpReply.text(request.errorStatus(), request.errorText()), request.unreadInput());
            return true;
        }
        String method = request.method();
        boolean engine = request.path().startsWith(HttpRequest.ENGINE_PATH_PREFIX);
        boolean allowed = engine ? method.equals("GET") || method.equals("POST")
                : method.equals("GET") || method.equals("HEAD");
        if (!allowed) {
            exchange.send(HttpReply.text(405, "method " + method + " is not allowed here")
                    .withHeader("Allow", engine ? "GET, POST" : "GET, HEAD"), false);
            return true;
        }
        try {
            workers.execute(() -> serve(exchange, engine));
        } catch (RejectedExecutionException e) {
            exchange.send(HttpReply.text(503, "busy: too many HTTP requests at once").withHeader("Retry-After", "1"), false);
        }
        return true;
    }

    private void serve(Exchange exchange, boolean engine) {
        if (exchange.isClosed()) {
            return;
        }
        HttpReply reply;
        try {
            reply = engine ? engineReply(exchange) : staticReply(exchange);
        } catch (Throwable t) {
            DittoLogger.errorf("ws transport: HTTP %s %s from %s failed: %s", exchange.request.method(),
                    StaticContent.printable(exchange.request.path()), exchange.remote, t);
            reply = HttpReply.text(500, "internal error");
        }
        exchange.send(reply, false);
    }

    private HttpReply engineReply(Exchange exchange) {
        PlainRequest request = exchange.request;
        HttpResponse response = transport.answerHttp(new HttpRequest(request.method(), request.path(),
                request.headers(), request.body(), exchange.remote));
        if (response.status() < 200) {
            DittoLogger.errorf("ws transport: the engine answered HTTP %s %s with status %d, which cannot end a "
                    + "response; sending 500", request.method(), StaticContent.printable(request.path()), response.status());
            return HttpReply.text(500, "internal error");
        }
        return new HttpReply(response.status(), HttpReply.safeContentType(response.contentType()), response.body(),
                Map.of("Cache-Control", "no-store"));
    }

    private HttpReply staticReply(Exchange exchange) {
        PlainRequest request = exchange.request;
        StaticContent content = staticContent;
        if (content == null) {
            return HttpReply.text(404, "not found: " + StaticContent.printable(request.path()));
        }
        StaticContent.Resolution resolution = content.resolve(request.rawPath(), request.path());
        if (resolution.refusal() != null) {
            DittoLogger.debugf("ws transport: HTTP %s %s from %s: %s", request.method(),
                    StaticContent.printable(request.path()), exchange.remote, resolution.refusal());
        }
        if (resolution.reply() != null) {
            return resolution.reply();
        }
        if (!exchange.reserve(resolution.size())) {
            return HttpReply.text(503, "busy: too many large responses are being sent").withHeader("Retry-After", "1");
        }
        try {
            return content.read(resolution);
        } catch (NoSuchFileException e) {
            return HttpReply.text(404, "not found: " + StaticContent.printable(request.path()));
        } catch (AccessDeniedException e) {
            return HttpReply.text(403, "forbidden path");
        } catch (IOException e) {
            DittoLogger.warningf("ws transport: cannot read %s for HTTP %s %s from %s: %s", resolution.file(),
                    request.method(), StaticContent.printable(request.path()), exchange.remote, e);
            return HttpReply.text(500, "the file cannot be read");
        }
    }

    /** Stops taking work: requests waiting for a worker are dropped, running ones finish. */
    void shutdown() {
        List<Runnable> dropped = new ArrayList<>();
        workers.getQueue().drainTo(dropped);
        workers.shutdown();
        timer.shutdownNow();
    }

    /**
     * One connection's request and its answer.
     *
     * <p>Invariants: sends at most one response; the bytes it counts in {@code pendingBytes} are
     * given back exactly once, when the connection has closed.
     */
    final class Exchange {
        private final WebSocketImpl connection;
        private final PlainRequest request;
        private final String remote;
        private long reserved;
        private boolean closed;
        private boolean sent;

        Exchange(WebSocketImpl connection, PlainRequest request, String remote) {
            this.connection = connection;
            this.request = request;
            this.remote = remote;
        }

        synchronized boolean isClosed() {
            return closed;
        }

        /** Counts bytes about to be queued; false if the connection closed or the limit would be passed. */
        synchronized boolean reserve(long bytes) {
            if (closed) {
                return false;
            }
            long current;
            do {
                current = pendingBytes.get();
                if (current + bytes > MAX_PENDING_RESPONSE_BYTES) {
                    return false;
                }
            } while (!pendingBytes.compareAndSet(current, current + bytes));
            reserved += bytes;
            return true;
        }

        /** Takes the connection's close; gives back the counted bytes. */
        synchronized void onClosed() {
            if (!closed) {
                closed = true;
                pendingBytes.addAndGet(-reserved);
                reserved = 0;
            }
        }

        /**
         * Queues the response and has the connection closed once it is written.
         *
         * @param linger true to leave the connection open for the client to finish sending and
         *        read the answer: it closes when the client does, or after {@link #LINGER_MS}
         */
        void send(HttpReply reply, boolean linger) {
            List<ByteBuffer> buffers = reply.encode(request.method().equals("HEAD"));
            long size = 0;
            for (ByteBuffer buffer : buffers) {
                size += buffer.remaining();
            }
            synchronized (this) {
                if (closed || sent) {
                    return;
                }
                sent = true;
                if (size > reserved) {
                    pendingBytes.addAndGet(size - reserved);
                    reserved = size;
                }
            }
            DittoLogger.debugf("ws transport: HTTP %s %s from %s: %d, %d bytes", request.method().isEmpty() ? "request"
                    : request.method(), StaticContent.printable(request.path()), remote, reply.status(), size);
            if (connection.getChannel() instanceof DrainingTlsChannel tls) {
                tls.holdUntilDrained();
            }
            connection.outQueue.addAll(buffers);
            if (!linger) {
                connection.flushAndClose(CloseFrame.NORMAL, "HTTP response sent", false);
                return;
            }
            connection.getWebSocketListener().onWriteDemand(connection);
            try {
                timer.schedule(() -> connection.flushAndClose(CloseFrame.NORMAL, "HTTP response sent", false),
                        LINGER_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                connection.flushAndClose(CloseFrame.NORMAL, "HTTP response sent", false);
            }
        }
    }
}
