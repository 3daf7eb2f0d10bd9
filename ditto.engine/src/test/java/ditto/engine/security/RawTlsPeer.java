package ditto.engine.security;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

import ditto.api.spi.transport.LinkHandler;

/**
 * A hostile peer for tests: a bare {@link SSLEngine} driven over a {@link MemoryLink} that
 * completes a genuine TLS handshake and then sends whatever plaintext a test chooses, bypassing
 * {@link SecureChannel}'s confirmation and framing. Incoming application data is discarded.
 */
final class RawTlsPeer implements LinkHandler {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final MemoryLink link;
    private final ByteBuffer netIn;
    private final ByteBuffer plain;
    private final ByteBuffer out;
    final CompletableFuture<Void> handshaken = new CompletableFuture<>();
    final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();

    RawTlsPeer(SSLEngine engine, MemoryLink link) {
        this.engine = engine;
        this.link = link;
        this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 4);
        this.plain = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 4);
        this.out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 4);
    }

    synchronized void start() throws SSLException {
        engine.beginHandshake();
        netIn.flip();
        pump();
        netIn.compact();
    }

    void awaitHandshake() throws Exception {
        handshaken.get(10, TimeUnit.SECONDS);
    }

    /** Encrypts and sends raw plaintext. */
    synchronized void sendPlain(byte[] bytes) throws SSLException {
        ByteBuffer source = ByteBuffer.wrap(bytes);
        while (source.hasRemaining()) {
            out.clear();
            engine.wrap(source, out);
            send();
        }
    }

    @Override
    public synchronized void onFrame(ByteBuffer frame) {
        netIn.put(frame);
        netIn.flip();
        try {
            pump();
        } catch (SSLException e) {
            handshaken.completeExceptionally(e);
            link.close();
        } finally {
            netIn.compact();
        }
    }

    @Override
    public void onClosed(Throwable cause) {
        closed.complete(Optional.ofNullable(cause));
        handshaken.completeExceptionally(new IllegalStateException("link closed"));
    }

    private void pump() throws SSLException {
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
                continue;
            }
            if (status == HandshakeStatus.NEED_WRAP) {
                out.clear();
                SSLEngineResult result = engine.wrap(EMPTY, out);
                send();
                finished(result);
                continue;
            }
            if (!netIn.hasRemaining()) {
                return;
            }
            SSLEngineResult result = engine.unwrap(netIn, plain);
            plain.clear();
            finished(result);
            if (result.getStatus() != SSLEngineResult.Status.OK
                    || (result.bytesConsumed() == 0 && result.bytesProduced() == 0)) {
                return;
            }
        }
    }

    private void finished(SSLEngineResult result) {
        if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            handshaken.complete(null);
        }
    }

    private void send() {
        out.flip();
        if (out.hasRemaining()) {
            link.send(out);
        }
    }
}
