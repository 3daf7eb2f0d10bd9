package ditto.engine.security;

import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import org.tinylog.Logger;

import ditto.api.ConnectionType;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;

/**
 * A TLS 1.3 session over one transport {@link Link}: the engine's view of a link once it is
 * secured. Created by {@link LinkSecurity#secure}.
 *
 * <p><b>Two faces.</b> Towards the transport it is the link's {@link LinkHandler}: the transport
 * delivers the TLS bytes it carries. Towards the engine it is itself a {@link Link} that carries
 * whole plaintext application frames, in order, at most {@link #maxFrameSize()} bytes each.
 *
 * <p><b>Lifecycle.</b> The side that opened the link ({@code !link.isIncoming()}) is the TLS
 * client and sends its first flight at once. After the TLS handshake each side sends a short
 * confirmation inside TLS and the channel is <em>established</em> only when the peer's
 * confirmation has arrived, so both sides know the other accepted them before any application
 * frame flows. Then the {@link Listener} is asked for the handler of application frames. If the
 * handshake fails (a refused certificate, a downgrade, bytes that are not TLS), times out
 * ({@link LinkSecurity#handshakeTimeout()}), or the link closes first, the listener hears
 * {@link Listener#onFailed} instead, no application frame is ever delivered or accepted, the
 * link is closed, and one line is logged. Failures after establishment (a tampered record, a
 * closed link) close the link and reach the application handler's {@link LinkHandler#onClosed}
 * with the typed error; an orderly close (either side's TLS close_notify) gives null.
 *
 * <p><b>Errors.</b> {@code AUTHENTICATION}: the peer was refused or refused this peer
 * (certificate, shared key, protocol version). {@code PROTOCOL}: malformed, tampered or non-TLS
 * bytes, or a broken frame inside TLS. {@code TIMEOUT}: the handshake took too long.
 * {@code TRANSPORT}: the link failed or closed. {@code INTERNAL}: JSSE or this class threw an
 * unexpected exception (logged with its stack trace); the link is closed rather than left stalled.
 *
 * <p><b>Threads.</b> {@link #send} may be called from any thread; sends are serialized, so TLS
 * records leave in the order of the calls. Transport callbacks arrive one at a time per link.
 * Listener and application-handler calls are made on the transport's thread, never while an
 * internal lock is held, and in order: {@code onEstablished} before the first frame,
 * {@code onClosed} after the last.
 *
 * <pre>
 *  engine threads --send(plain)--+                 +--> link.send(TLS bytes) --> transport
 *                                 [lock: SSLEngine]
 *  transport thread --onFrame(TLS bytes)-----------+--> (lock released) --> handler.onFrame(plain)
 * </pre>
 */
public final class SecureChannel implements Link, LinkHandler {

    /**
     * What the engine hears about one channel: exactly one of the two methods is called, once,
     * on the transport's thread.
     */
    public interface Listener {

        /**
         * Reports that both peers accepted each other; {@link SecureChannel#remotePeerKey()} is
         * known. The channel may be closed here (a duplicate or unwanted peer).
         *
         * @param channel the established channel
         * @return the handler of the channel's application frames and of its closing, never null
         */
        LinkHandler onEstablished(SecureChannel channel);

        /**
         * Reports that the channel ended before it was established; the link is closed and no
         * application frame was exchanged.
         *
         * @param channel the failed channel
         * @param error why: {@code AUTHENTICATION}, {@code PROTOCOL}, {@code TIMEOUT},
         *        {@code TRANSPORT} or {@code INTERNAL}; never null
         */
        void onFailed(SecureChannel channel, DittoException error);
    }

    /** The largest application frame a channel accepts from its peer: 1 MiB. */
    public static final int MAX_APPLICATION_FRAME_SIZE = 1 << 20;

    /** The confirmation each side sends first inside TLS: "DSEC" and the channel format version 1. */
    static final byte[] CONFIRMATION = {'D', 'S', 'E', 'C', 1};
    private static final int FRAME_HEADER_BYTES = 4;
    /** A bound on TLS 1.3 overhead per record (header 5, content type 1, tag 16), for queue estimates. */
    private static final int RECORD_OVERHEAD = 22;
    private static final int MAX_RECORD_PLAINTEXT = 16 * 1024;
    /** Outgoing TLS records are packed into link frames of at most this many bytes. */
    private static final int MAX_OUTGOING_FRAME = 64 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private enum Phase {
        /** TLS handshake running. */
        HANDSHAKING,
        /** TLS done, confirmation sent, waiting for the peer's. */
        CONFIRMING,
        ESTABLISHED,
        /** close_notify sent or received, or failed; waiting for the link's onClosed. */
        CLOSING,
        CLOSED
    }

    private final Link link;
    private final LinkSecurity security;
    private final Listener listener;
    private final Object lock = new Object();

    // guarded by lock
    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer plainIn;
    private ByteBuffer wrapOut;
    private final ByteBuffer outgoing;
    private Phase phase = Phase.HANDSHAKING;
    private DittoException failure;
    private boolean closedLocally;
    private boolean establishedUnannounced;
    private String remotePeerKey;
    private X509Certificate remoteCertificate;
    private String cipherSuite;
    private int confirmationBytesSeen;
    private final ByteBuffer frameHeader = ByteBuffer.allocate(FRAME_HEADER_BYTES);
    private ByteBuffer frameBody;
    private ScheduledFuture<?> timeout;

    // transport thread only (one at a time per link); volatile for the close paths' reads
    private volatile LinkHandler application;

    SecureChannel(Link link, LinkSecurity security, Listener listener, SSLEngine engine) {
        this.link = link;
        this.security = security;
        this.listener = listener;
        this.engine = engine;
        SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        this.plainIn = ByteBuffer.allocate(session.getApplicationBufferSize());
        this.wrapOut = ByteBuffer.allocate(session.getPacketBufferSize());
        this.outgoing = ByteBuffer.allocate(Math.min(MAX_OUTGOING_FRAME, link.maxFrameSize()));
    }

    /** Begins the handshake and arms the timeout; the client sends its first flight. */
    void start() {
        DittoException failed = null;
        synchronized (lock) {
            timeout = security.scheduleTimeout(this::handshakeTimedOut);
            try {
                engine.beginHandshake();
                netIn.flip();
                try {
                    pump(new ArrayList<>());
                } finally {
                    netIn.compact();
                }
                flush();
            } catch (SSLException e) {
                failed = fail(TlsFailures.classify(e, where()));
            } catch (DittoException e) {
                failed = fail(e);
            } catch (RuntimeException e) {
                failed = fail(unexpected(e));
            }
        }
        if (failed != null) {
            security.execute(link::close);
        }
    }

    // ---- Link: the engine's side ----------------------------------------------------------------

    /**
     * Returns the peer key string of the remote peer, taken from the certificate it presented
     * and checked against that certificate's key.
     *
     * @return the remote peer key, or null before the TLS handshake completed
     */
    public String remotePeerKey() {
        synchronized (lock) {
            return remotePeerKey;
        }
    }

    /**
     * Returns the certificate the remote peer presented and this side accepted; with a server
     * authority it carries the remote's {@link PeerGrant}.
     *
     * @return the remote's leaf certificate, or null before the TLS handshake completed
     */
    public X509Certificate remoteCertificate() {
        synchronized (lock) {
            return remoteCertificate;
        }
    }

    /**
     * Returns this peer's key string, as presented to the remote.
     *
     * @return the local peer key, never null
     */
    public String localPeerKey() {
        return security.localPeerKey();
    }

    /**
     * Returns the negotiated cipher suite, for diagnostics.
     *
     * @return the suite name, or null before the TLS handshake completed
     */
    public String cipherSuite() {
        synchronized (lock) {
            return cipherSuite;
        }
    }

    /**
     * Tells whether the channel is established (both confirmations exchanged) and not yet
     * closing.
     *
     * @return true while application frames may be sent
     */
    public boolean isEstablished() {
        synchronized (lock) {
            return phase == Phase.ESTABLISHED;
        }
    }

    /**
     * Returns the transport link this channel runs over.
     *
     * @return the link, never null
     */
    public Link link() {
        return link;
    }

    /** Returns the transport link's id. */
    @Override
    public String id() {
        return link.id();
    }

    /** Returns the transport link's connection type. */
    @Override
    public ConnectionType connectionType() {
        return link.connectionType();
    }

    /** Tells whether the remote opened the transport link (and is the TLS server's client). */
    @Override
    public boolean isIncoming() {
        return link.isIncoming();
    }

    /** Returns the transport link's description of the remote end. */
    @Override
    public String remoteDescription() {
        return link.remoteDescription();
    }

    /**
     * Returns the largest application frame this side sends: 1 MiB
     * ({@link #MAX_APPLICATION_FRAME_SIZE}) or the transport link's own limit if that is smaller.
     * Application frames are independent of the transport's frames (TLS records are cut into
     * link frames as needed).
     *
     * @return a positive number of bytes
     */
    @Override
    public int maxFrameSize() {
        return Math.min(MAX_APPLICATION_FRAME_SIZE, link.maxFrameSize());
    }

    /** Returns the transport link's send-queue bound; encrypted bytes count against it. */
    @Override
    public long maxQueuedBytes() {
        return link.maxQueuedBytes();
    }

    /** Returns the encrypted bytes queued on the transport link. */
    @Override
    public long queuedBytes() {
        return link.queuedBytes();
    }

    /**
     * Encrypts one application frame and queues it on the link; never blocks on the network.
     *
     * @param frame the bytes between position and limit; consumed
     * @throws DittoException {@code INVALID_ARGUMENTS} if the frame is larger than
     *         {@link #maxFrameSize()}; {@code TRANSPORT} if the channel is not established (still
     *         handshaking, closing or closed) or the link's queue has no room for it (the channel
     *         stays usable), or if the link failed while sending (the channel is then closed)
     * @throws NullPointerException if {@code frame} is null
     */
    @Override
    public void send(ByteBuffer frame) {
        Objects.requireNonNull(frame, "frame");
        int size = frame.remaining();
        if (size > maxFrameSize()) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "secure link " + link.id() + ": a frame of " + size
                    + " bytes exceeds the maximum of " + maxFrameSize() + " bytes");
        }
        DittoException failed = null;
        synchronized (lock) {
            if (phase != Phase.ESTABLISHED) {
                throw new DittoException(ErrorCode.TRANSPORT, "secure link " + link.id() + " to "
                        + link.remoteDescription() + ": cannot send, the channel is " + describePhase());
            }
            long records = (size + FRAME_HEADER_BYTES) / MAX_RECORD_PLAINTEXT + 1;
            long estimate = size + FRAME_HEADER_BYTES + records * RECORD_OVERHEAD;
            if (link.queuedBytes() + estimate > link.maxQueuedBytes()) {
                throw new DittoException(ErrorCode.TRANSPORT, "secure link " + link.id() + " to "
                        + link.remoteDescription() + ": send queue full (" + link.queuedBytes() + " of "
                        + link.maxQueuedBytes() + " bytes waiting)");
            }
            ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER_BYTES).putInt(size).flip();
            try {
                wrapApplication(header, frame);
                flush();
            } catch (SSLException e) {
                failed = fail(TlsFailures.classify(e, where()));
            } catch (DittoException e) {
                failed = fail(e);
            } catch (RuntimeException e) {
                failed = fail(unexpected(e));
            }
        }
        if (failed != null) {
            security.execute(link::close);
            throw new DittoException(ErrorCode.TRANSPORT, "secure link " + link.id() + ": send failed, the channel is"
                    + " closed: " + failed.getMessage(), failed);
        }
    }

    /**
     * Tells whether application frames can be sent.
     *
     * @return true while established and the link is open
     */
    @Override
    public boolean isOpen() {
        return isEstablished() && link.isOpen();
    }

    /**
     * Closes the channel: sends TLS close_notify if the session is up, then closes the link
     * (which flushes briefly). A handshake still running fails with {@code TRANSPORT}.
     * Idempotent; may block as long as the link's own close.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (phase == Phase.CLOSED || closedLocally) {
                return;
            }
            closedLocally = true;
            if (phase == Phase.HANDSHAKING || phase == Phase.CONFIRMING) {
                if (failure == null) {
                    failure = new DittoException(ErrorCode.TRANSPORT,
                            where() + " failed: the link was closed locally before the handshake completed");
                    Logger.debug(failure.getMessage());
                }
            } else if (phase == Phase.ESTABLISHED) {
                engine.closeOutbound();
                drainOutbound();
            }
            phase = Phase.CLOSING;
        }
        link.close();
    }

    // ---- LinkHandler: the transport's side -------------------------------------------------------

    /**
     * Takes TLS bytes from the transport; called by the transport only.
     *
     * @param frame one link frame
     */
    @Override
    public void onFrame(ByteBuffer frame) {
        List<ByteBuffer> frames = new ArrayList<>();
        boolean announce;
        DittoException failed = null;
        synchronized (lock) {
            if (phase == Phase.CLOSING || phase == Phase.CLOSED) {
                return;
            }
            try {
                feed(frame, frames);
            } catch (SSLException e) {
                failed = fail(TlsFailures.classify(e, where()));
            } catch (DittoException e) {
                failed = fail(e);
            } catch (RuntimeException e) {
                failed = fail(unexpected(e));
            }
            announce = failed == null && establishedUnannounced;
            establishedUnannounced = false;
            if (announce && timeout != null) {
                timeout.cancel(false);
            }
        }
        if (failed != null) {
            security.execute(link::close);
            return;
        }
        if (announce) {
            security.handshakeEnded(this);
            Logger.debug("secure link {} to {} established with peer {} ({})", link.id(), link.remoteDescription(),
                    remotePeerKey(), cipherSuite());
            try {
                application = Objects.requireNonNull(listener.onEstablished(this), "onEstablished returned null");
            } catch (RuntimeException e) {
                Logger.error(e, "secure link {}: the engine's listener failed in onEstablished", link.id());
                internalFailure("the engine's listener failed in onEstablished: " + e);
                return;
            }
        }
        LinkHandler handler = application;
        for (ByteBuffer plain : frames) {
            try {
                handler.onFrame(plain);
            } catch (RuntimeException e) {
                Logger.error(e, "secure link {}: the application frame handler failed", link.id());
                internalFailure("the application frame handler failed: " + e);
                return;
            }
        }
    }

    /**
     * Takes the link's end from the transport; called by the transport only, once, after the
     * last frame.
     *
     * @param cause the transport's failure, or null for an orderly close
     */
    @Override
    public void onClosed(Throwable cause) {
        DittoException error;
        synchronized (lock) {
            if (phase == Phase.CLOSED) {
                return;
            }
            boolean established = application != null;
            if (failure != null) {
                error = failure;
            } else if (cause != null) {
                error = cause instanceof DittoException typed ? typed : new DittoException(ErrorCode.TRANSPORT,
                        "secure link " + link.id() + " to " + link.remoteDescription() + ": the link failed: " + cause,
                        cause);
                log(error, !established);
            } else if (!established) {
                error = new DittoException(ErrorCode.TRANSPORT,
                        where() + " failed: the link closed before the handshake completed");
                log(error, true);
            } else if (closedLocally || engine.isInboundDone()) {
                error = null;
            } else {
                error = new DittoException(ErrorCode.TRANSPORT, "secure link " + link.id() + " to "
                        + link.remoteDescription() + ": the link closed without a TLS close_notify");
                Logger.debug(error.getMessage());
            }
            phase = Phase.CLOSED;
            if (timeout != null) {
                timeout.cancel(false);
            }
            engine.closeOutbound();
        }
        security.handshakeEnded(this);
        LinkHandler handler = application;
        try {
            if (handler != null) {
                handler.onClosed(error);
            } else {
                listener.onFailed(this, error != null ? error : new DittoException(ErrorCode.TRANSPORT,
                        where() + " failed: the link closed before the handshake completed"));
            }
        } catch (RuntimeException e) {
            Logger.error(e, "secure link {}: the engine's close handler failed", link.id());
        }
    }

    /** Returns {@code "SecureChannel(<link id>, <remote>, <phase>)"}. */
    @Override
    public String toString() {
        synchronized (lock) {
            return "SecureChannel(" + link.id() + ", " + link.remoteDescription() + ", " + phase + ")";
        }
    }

    // ---- TLS machinery (all under lock) ----------------------------------------------------------

    /** Feeds one link frame's bytes to the engine, collecting decoded application frames. */
    private void feed(ByteBuffer frame, List<ByteBuffer> frames) throws SSLException {
        while (frame.hasRemaining() && phase != Phase.CLOSING) {
            int count = Math.min(frame.remaining(), netIn.remaining());
            ByteBuffer slice = frame.slice(frame.position(), count);
            netIn.put(slice);
            frame.position(frame.position() + count);
            netIn.flip();
            try {
                pump(frames);
                if (netIn.remaining() == netIn.capacity()) {
                    throw new DittoException(ErrorCode.PROTOCOL, where() + " failed: a TLS record does not fit in "
                            + netIn.capacity() + " bytes");
                }
            } finally {
                netIn.compact();
            }
        }
        flush();
    }

    /**
     * Runs the engine until it needs more input: delegated tasks, handshake wraps and unwraps.
     * {@code netIn} is in read mode.
     */
    private void pump(List<ByteBuffer> frames) throws SSLException {
        while (phase != Phase.CLOSING) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                runTasks();
                continue;
            }
            if (status == HandshakeStatus.NEED_WRAP) {
                SSLEngineResult result = wrap(EMPTY);
                afterResult(result);
                if (result.getStatus() == Status.CLOSED) {
                    return;
                }
                continue;
            }
            if (!netIn.hasRemaining()) {
                return;
            }
            SSLEngineResult result = engine.unwrap(netIn, plainIn);
            if (result.getStatus() == Status.BUFFER_OVERFLOW) {
                plainIn = grow(plainIn, engine.getSession().getApplicationBufferSize());
                continue;
            }
            if (result.getStatus() == Status.BUFFER_UNDERFLOW) {
                int needed = engine.getSession().getPacketBufferSize();
                if (netIn.capacity() < needed) {
                    netIn = ByteBuffer.allocate(needed).put(netIn).flip(); // stays in read mode
                }
                return;
            }
            if (plainIn.position() > 0) {
                plainIn.flip();
                try {
                    decode(plainIn, frames);
                } finally {
                    plainIn.compact();
                }
            }
            afterResult(result);
            if (result.getStatus() == Status.CLOSED) {
                peerClosed();
                return;
            }
            if (result.bytesConsumed() == 0 && result.bytesProduced() == 0
                    && engine.getHandshakeStatus() != HandshakeStatus.NEED_TASK
                    && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                return;
            }
        }
    }

    /** One wrap of handshake or alert data into the outgoing frame. */
    private SSLEngineResult wrap(ByteBuffer source) throws SSLException {
        while (true) {
            wrapOut.clear();
            SSLEngineResult result = engine.wrap(source, wrapOut);
            if (result.getStatus() == Status.BUFFER_OVERFLOW) {
                wrapOut = ByteBuffer.allocate(wrapOut.capacity() * 2);
                continue;
            }
            wrapOut.flip();
            queue(wrapOut);
            return result;
        }
    }

    /** Encrypts plaintext (the frame header and body, or the confirmation) into records. */
    private void wrapApplication(ByteBuffer... sources) throws SSLException {
        while (hasRemaining(sources)) {
            wrapOut.clear();
            SSLEngineResult result = engine.wrap(sources, wrapOut);
            if (result.getStatus() == Status.BUFFER_OVERFLOW) {
                wrapOut = ByteBuffer.allocate(wrapOut.capacity() * 2);
                continue;
            }
            if (result.getStatus() == Status.CLOSED) {
                throw new DittoException(ErrorCode.TRANSPORT, where() + ": the TLS session is closed");
            }
            wrapOut.flip();
            queue(wrapOut);
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            } else if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                throw new DittoException(ErrorCode.INTERNAL, where() + ": the TLS engine made no progress ("
                        + result + ")");
            }
        }
    }

    /** Reacts to the end of the TLS handshake, whichever wrap or unwrap completed it. */
    private void afterResult(SSLEngineResult result) throws SSLException {
        if (phase == Phase.HANDSHAKING && (result.getHandshakeStatus() == HandshakeStatus.FINISHED
                || engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING)
                && result.getStatus() == Status.OK) {
            tlsHandshakeFinished();
        }
    }

    /**
     * Checks the peer once more (resumed sessions skip the trust manager), records its key and
     * sends this side's confirmation.
     */
    private void tlsHandshakeFinished() throws SSLException {
        SSLSession session = engine.getSession();
        Certificate[] presented = session.getPeerCertificates();
        X509Certificate[] chain = new X509Certificate[presented.length];
        for (int i = 0; i < presented.length; i++) {
            if (!(presented[i] instanceof X509Certificate x509)) {
                throw new DittoException(ErrorCode.AUTHENTICATION, where() + " failed: the peer presented a "
                        + presented[i].getType() + " certificate");
            }
            chain[i] = x509;
        }
        try {
            remotePeerKey = security.trustManager().verify(chain);
            remoteCertificate = chain[0];
        } catch (CertificateException e) {
            throw new DittoException(ErrorCode.AUTHENTICATION, where() + " failed: " + e.getMessage(), e);
        }
        cipherSuite = session.getCipherSuite();
        phase = Phase.CONFIRMING;
        wrapApplication(ByteBuffer.wrap(CONFIRMATION));
    }

    /** Splits decrypted bytes into the confirmation and length-prefixed application frames. */
    private void decode(ByteBuffer plain, List<ByteBuffer> frames) {
        if (phase == Phase.HANDSHAKING) {
            throw new DittoException(ErrorCode.PROTOCOL, where() + " failed: the peer sent data before this side"
                    + " completed the handshake");
        }
        while (plain.hasRemaining()) {
            if (confirmationBytesSeen < CONFIRMATION.length) {
                byte b = plain.get();
                if (b != CONFIRMATION[confirmationBytesSeen]) {
                    throw new DittoException(ErrorCode.PROTOCOL, where() + " failed: "
                            + (confirmationBytesSeen == CONFIRMATION.length - 1
                                    ? "the peer speaks secure-channel version " + (b & 0xFF) + ", this peer version "
                                            + CONFIRMATION[CONFIRMATION.length - 1]
                                    : "the peer's first bytes inside TLS are not the channel confirmation"));
                }
                confirmationBytesSeen++;
                if (confirmationBytesSeen == CONFIRMATION.length) {
                    phase = Phase.ESTABLISHED;
                    establishedUnannounced = true;
                }
                continue;
            }
            if (frameBody == null) {
                while (frameHeader.hasRemaining() && plain.hasRemaining()) {
                    frameHeader.put(plain.get());
                }
                if (frameHeader.hasRemaining()) {
                    return;
                }
                long size = frameHeader.flip().getInt() & 0xFFFF_FFFFL;
                frameHeader.clear();
                if (size > MAX_APPLICATION_FRAME_SIZE) {
                    throw new DittoException(ErrorCode.PROTOCOL, "secure link " + link.id() + " to "
                            + link.remoteDescription() + ": the peer announced a frame of " + size
                            + " bytes, above the maximum of " + MAX_APPLICATION_FRAME_SIZE);
                }
                frameBody = ByteBuffer.allocate((int) size);
            }
            int count = Math.min(frameBody.remaining(), plain.remaining());
            frameBody.put(plain.slice(plain.position(), count));
            plain.position(plain.position() + count);
            if (!frameBody.hasRemaining()) {
                frames.add(frameBody.flip());
                frameBody = null;
            }
        }
    }

    /** The peer sent close_notify: answer with ours and let the link close. */
    private void peerClosed() {
        if (phase == Phase.HANDSHAKING || phase == Phase.CONFIRMING) {
            fail(new DittoException(ErrorCode.TRANSPORT, where() + " failed: the peer closed the TLS session"
                    + " before the handshake completed"));
        }
        engine.closeOutbound();
        drainOutbound();
        phase = Phase.CLOSING;
        security.execute(link::close);
    }

    /** Appends wrapped bytes to the outgoing link frame, sending full frames. */
    private void queue(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            if (!outgoing.hasRemaining()) {
                flush();
            }
            int count = Math.min(outgoing.remaining(), bytes.remaining());
            outgoing.put(bytes.slice(bytes.position(), count));
            bytes.position(bytes.position() + count);
        }
    }

    /** Sends the pending outgoing link frame, if any. */
    private void flush() {
        if (outgoing.position() == 0) {
            return;
        }
        outgoing.flip();
        ByteBuffer frame = ByteBuffer.allocate(outgoing.remaining()).put(outgoing).flip();
        outgoing.clear();
        link.send(frame);
    }

    /** Best effort: sends whatever the engine still has (close_notify or a fatal alert). */
    private void drainOutbound() {
        try {
            for (int i = 0; i < 8 && !engine.isOutboundDone(); i++) {
                if (wrap(EMPTY).bytesProduced() == 0) {
                    break;
                }
            }
            flush();
        } catch (SSLException | RuntimeException ignored) {
            // the link is being closed because of an earlier failure, which is what gets reported
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Records the first failure, logs it once, and sends any pending alert. Returns the failure. */
    private DittoException fail(DittoException error) {
        if (failure == null) {
            failure = error;
            log(error, phase == Phase.HANDSHAKING || phase == Phase.CONFIRMING);
            drainOutbound();
        }
        phase = Phase.CLOSING;
        return failure;
    }

    /**
     * An exception JSSE or this class should never throw; the link must still close rather than
     * stall, because a transport thread delivering hostile bytes is what triggered it.
     */
    private DittoException unexpected(RuntimeException e) {
        Logger.error(e, "secure link {}: unexpected failure in the TLS engine", link.id());
        return new DittoException(ErrorCode.INTERNAL, where() + " failed: unexpected " + e, e);
    }

    private void internalFailure(String why) {
        synchronized (lock) {
            fail(new DittoException(ErrorCode.INTERNAL, "secure link " + link.id() + " to " + link.remoteDescription()
                    + ": " + why));
        }
        security.execute(link::close);
    }

    private void handshakeTimedOut() {
        synchronized (lock) {
            if ((phase != Phase.HANDSHAKING && phase != Phase.CONFIRMING) || failure != null) {
                return;
            }
            fail(new DittoException(ErrorCode.TIMEOUT, where() + " failed: not completed within "
                    + security.handshakeTimeout().toMillis() + " ms"));
        }
        link.close();
    }

    private void log(DittoException error, boolean duringHandshake) {
        if (duringHandshake || error.code() != ErrorCode.TRANSPORT) {
            Logger.warn("{} [{}]", error.getMessage(), error.code().wireName());
        } else {
            Logger.info("{} [{}]", error.getMessage(), error.code().wireName());
        }
    }

    private String where() {
        String what = phase == Phase.HANDSHAKING || phase == Phase.CONFIRMING ? "TLS handshake" : "TLS session";
        String peer = remotePeerKey == null ? "" : " peer " + remotePeerKey + " at";
        return what + " with" + peer + " " + link.remoteDescription() + " (link " + link.id() + ")";
    }

    private String describePhase() {
        return switch (phase) {
            case HANDSHAKING, CONFIRMING -> "still handshaking";
            case ESTABLISHED -> "established";
            case CLOSING, CLOSED -> failure != null ? "closed (" + failure.getMessage() + ")" : "closed";
        };
    }

    private static boolean hasRemaining(ByteBuffer[] buffers) {
        for (ByteBuffer buffer : buffers) {
            if (buffer.hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, buffer.capacity() * 2));
        buffer.flip();
        bigger.put(buffer);
        return bigger;
    }
}
