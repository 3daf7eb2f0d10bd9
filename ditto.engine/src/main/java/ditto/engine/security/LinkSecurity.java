package ditto.engine.security;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

import org.tinylog.Logger;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.transport.Link;

/**
 * The TLS configuration of one Ditto instance: its identity, the optional small-peers-only
 * shared key, and the factory of {@link SecureChannel}s over transport links.
 *
 * <p><b>Modes.</b> With a shared key, this peer presents a certificate issued by the authority
 * derived from the key and accepts only peers whose certificates chain to the same authority
 * ({@link #isAuthenticated()} is true): a peer without the key cannot complete a handshake.
 * Without a shared key, it presents a self-signed certificate and accepts any well-formed
 * self-signed peer certificate: links are encrypted and the remote peer key is known and bound
 * to the remote's key, but anybody can connect.
 *
 * <p><b>TLS settings.</b> TLS 1.3 only; cipher suites TLS_AES_256_GCM_SHA384,
 * TLS_AES_128_GCM_SHA256 and TLS_CHACHA20_POLY1305_SHA256; both sides present certificates (EC
 * P-256, ecdsa_secp256r1_sha256); no host name checks (peers are named by key, not by host).
 * The own certificate is valid from one day before it is issued (tolerating clock skew) for one
 * year, and is re-issued for new links once less than 30 days remain.
 *
 * <p><b>Threads.</b> Thread-safe. Owns one daemon thread ({@code ditto-link-security}) that
 * enforces handshake timeouts and closes failed links off the transports' threads;
 * {@link #close()} stops it.
 */
public final class LinkSecurity implements AutoCloseable {

    /** How long a handshake, including the channel confirmation, may take by default: 10 s. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    static final String PROTOCOL = "TLSv1.3";
    static final List<String> CIPHER_SUITES =
            List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256");
    static final Duration CERTIFICATE_LIFETIME = Duration.ofDays(365);
    static final Duration BACKDATING = Duration.ofDays(1);
    static final Duration RENEWAL_MARGIN = Duration.ofDays(30);
    private static final int SESSION_CACHE_SIZE = 64;

    private final PeerIdentity identity;
    private final SharedKeyAuthority authority;
    private final Supplier<IssuedCredentials> issued;
    private final Duration handshakeTimeout;
    private final Clock clock;
    private final boolean renewable;
    private final PeerTrustManager trustManager;
    private final SSLContext context;
    private final String[] cipherSuites;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<SecureChannel> handshaking = ConcurrentHashMap.newKeySet();
    private final Object credentialsLock = new Object();
    private volatile PeerKeyManager.Credentials credentials;
    private volatile boolean closed;

    /**
     * Creates the TLS configuration with the default handshake timeout.
     *
     * @param identity this instance's identity, never null
     * @param sharedKey the small-peers-only shared key ({@code DittoConfigConnect.SmallPeersOnly#privateKey()}),
     *        or null for encrypted but unauthenticated links; not kept (the authority derived
     *        from it is)
     * @return the configuration, never null
     * @throws DittoException {@code INVALID_CONFIG} if the shared key is empty
     * @throws NullPointerException if {@code identity} is null
     */
    public static LinkSecurity create(PeerIdentity identity, byte[] sharedKey) {
        return create(identity, sharedKey, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /**
     * Creates the TLS configuration.
     *
     * @param identity this instance's identity, never null
     * @param sharedKey the shared key, or null for none; not kept
     * @param handshakeTimeout how long a handshake may take before the link is closed with
     *        {@code TIMEOUT}; positive
     * @return the configuration, never null
     * @throws DittoException {@code INVALID_CONFIG} if the shared key is empty or the timeout not
     *         positive
     * @throws NullPointerException if {@code identity} or {@code handshakeTimeout} is null
     */
    public static LinkSecurity create(PeerIdentity identity, byte[] sharedKey, Duration handshakeTimeout) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        SharedKeyAuthority authority = sharedKey == null ? null : SharedKeyAuthority.derive(sharedKey);
        LinkSecurity security = new LinkSecurity(identity, authority, handshakeTimeout, Clock.systemUTC(), null);
        Logger.info("link security for peer {}: {}", identity.peerKeyString(), authority == null
                ? "TLS 1.3 with self-signed certificates (encrypted, peers not authenticated: no shared key)"
                : "TLS 1.3 with certificates of the shared-key authority " + authority.keyString());
        return security;
    }

    /**
     * Creates the TLS configuration of a peer that belongs to a server authority (a server peer,
     * or a client of one): it presents the certificate the authority issued to its key and
     * accepts only peers whose certificates chain to the same authority and carry a
     * {@link PeerGrant}. While {@code credentials} gives null (a client not logged in), links
     * cannot be secured: {@link #hasCredentials()} is false and every handshake fails.
     *
     * @param identity this instance's identity, never null
     * @param credentials gives the current issued certificate and authority, or null; read at
     *        every handshake, so a new login applies to new links at once
     * @param handshakeTimeout how long a handshake may take; positive
     * @return the configuration, never null
     */
    public static LinkSecurity createIssued(PeerIdentity identity, Supplier<IssuedCredentials> credentials,
            Duration handshakeTimeout) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(credentials, "credentials");
        LinkSecurity security = new LinkSecurity(identity, null, credentials, handshakeTimeout, Clock.systemUTC(),
                null);
        Logger.info("link security for peer {}: TLS 1.3 with certificates of a server authority", identity.peerKeyString());
        return security;
    }

    /**
     * Creates a configuration; package-private so tests can pin the own certificate.
     *
     * @param ownCertificate the certificate to present instead of issuing (and renewing) one, or null
     */
    LinkSecurity(PeerIdentity identity, SharedKeyAuthority authority, Duration handshakeTimeout, Clock clock,
            X509Certificate ownCertificate) {
        this(identity, authority, null, handshakeTimeout, clock, ownCertificate);
    }

    private LinkSecurity(PeerIdentity identity, SharedKeyAuthority authority, Supplier<IssuedCredentials> issued,
            Duration handshakeTimeout, Clock clock, X509Certificate ownCertificate) {
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new DittoException(ErrorCode.INVALID_CONFIG,
                    "link security: the handshake timeout must be positive, not " + handshakeTimeout);
        }
        this.identity = identity;
        this.authority = authority;
        this.issued = issued;
        this.handshakeTimeout = handshakeTimeout;
        this.clock = clock;
        this.renewable = ownCertificate == null && issued == null;
        this.credentials = issued != null ? null : ownCertificate == null ? issue()
                : new PeerKeyManager.Credentials(identity.privateKey(), new X509Certificate[] {ownCertificate});
        this.trustManager = issued != null
                ? new PeerTrustManager(() -> {
                    IssuedCredentials c = issued.get();
                    return c == null ? null : c.authority();
                }, clock)
                : new PeerTrustManager(authority, clock);
        try {
            this.context = SSLContext.getInstance(PROTOCOL);
            context.init(new KeyManager[] {new PeerKeyManager(this::currentCredentials)},
                    new TrustManager[] {trustManager}, new SecureRandom());
        } catch (GeneralSecurityException e) {
            throw new DittoException(ErrorCode.INTERNAL, "link security: this JDK offers no " + PROTOCOL + ": "
                    + e.getMessage(), e);
        }
        // engines are created without a peer host, so sessions are never resumed; keep the caches small
        context.getClientSessionContext().setSessionCacheSize(SESSION_CACHE_SIZE);
        context.getServerSessionContext().setSessionCacheSize(SESSION_CACHE_SIZE);
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
        this.cipherSuites = CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new);
        if (cipherSuites.length == 0) {
            throw new DittoException(ErrorCode.INTERNAL, "link security: this JDK supports none of " + CIPHER_SUITES);
        }
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ditto-link-security");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
    }

    /**
     * Starts securing a freshly opened transport link. Returns at once: the handshake runs as
     * frames arrive (this peer is the TLS client if it opened the link, {@code !link.isIncoming()},
     * and sends its first flight now). Return the channel to the transport as the link's
     * {@link ditto.api.spi.transport.LinkHandler}; {@code listener} then hears exactly one of
     * {@link SecureChannel.Listener#onEstablished} or {@link SecureChannel.Listener#onFailed}.
     *
     * @param link the transport link, open and not yet carrying frames, never null
     * @param listener receives the outcome, never null
     * @return the channel, never null
     * @throws DittoException {@code CLOSED} if this configuration was closed (the link is closed too)
     * @throws NullPointerException if an argument is null
     */
    public SecureChannel secure(Link link, SecureChannel.Listener listener) {
        return secure(link, listener, engine -> { });
    }

    /** As {@link #secure(Link, SecureChannel.Listener)}, with a hook that may reconfigure the engine (tests). */
    SecureChannel secure(Link link, SecureChannel.Listener listener, Consumer<SSLEngine> engineHook) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            link.close();
            throw new DittoException(ErrorCode.CLOSED, "link security: closed, cannot secure link " + link.id());
        }
        SSLEngine engine = newEngine(!link.isIncoming());
        engineHook.accept(engine);
        SecureChannel channel = new SecureChannel(link, this, listener, engine);
        handshaking.add(channel);
        if (closed) {
            handshaking.remove(channel);
            link.close();
            throw new DittoException(ErrorCode.CLOSED, "link security: closed, cannot secure link " + link.id());
        }
        channel.start();
        return channel;
    }

    /** Returns the identity links are secured with. */
    public PeerIdentity identity() {
        return identity;
    }

    /**
     * Tells whether peers are authenticated by a shared key.
     *
     * @return true with a shared key, false for encrypted but unauthenticated links
     */
    public boolean isAuthenticated() {
        return authority != null || issued != null;
    }

    /**
     * Tells whether this peer has a certificate to present: always, except for a client of a
     * server authority that is not logged in.
     *
     * @return whether links can be secured now
     */
    public boolean hasCredentials() {
        return issued == null || issued.get() != null;
    }

    /**
     * Returns the key string of the authority derived from the shared key (the same on every
     * peer holding that key, and never the key itself), for logs and diagnostics.
     *
     * @return the authority's key string, or empty without a shared key
     */
    public Optional<String> authorityKeyString() {
        return authority == null ? Optional.empty() : Optional.of(authority.keyString());
    }

    /**
     * Returns the handshake timeout.
     *
     * @return the timeout, positive
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Stops the timer thread and closes every link whose handshake is still running (their
     * listeners hear {@code onFailed}). Established channels are left to their owners.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SecureChannel channel : List.copyOf(handshaking)) {
            channel.close();
        }
        timer.shutdownNow();
    }

    // ---- used by SecureChannel ----------------------------------------------------------------

    PeerTrustManager trustManager() {
        return trustManager;
    }

    String localPeerKey() {
        return identity.peerKeyString();
    }

    /** Schedules a handshake timeout; null if this configuration is closed. */
    ScheduledFuture<?> scheduleTimeout(Runnable task) {
        try {
            return timer.schedule(task, handshakeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** Runs a task (closing a failed link) on the timer thread, or here if that is stopped. */
    void execute(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    void handshakeEnded(SecureChannel channel) {
        handshaking.remove(channel);
    }

    SSLEngine newEngine(boolean client) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(client);
        SSLParameters parameters = new SSLParameters(cipherSuites.clone(), new String[] {PROTOCOL});
        parameters.setNeedClientAuth(true);
        parameters.setEndpointIdentificationAlgorithm(null);
        engine.setSSLParameters(parameters);
        return engine;
    }

    private PeerKeyManager.Credentials currentCredentials() {
        if (issued != null) {
            IssuedCredentials c = issued.get();
            return c == null ? null
                    : new PeerKeyManager.Credentials(identity.privateKey(), new X509Certificate[] {c.certificate()});
        }
        PeerKeyManager.Credentials current = credentials;
        if (renewable && current.chain()[0].getNotAfter().toInstant().isBefore(clock.instant().plus(RENEWAL_MARGIN))) {
            synchronized (credentialsLock) {
                current = credentials;
                if (current.chain()[0].getNotAfter().toInstant().isBefore(clock.instant().plus(RENEWAL_MARGIN))) {
                    current = issue();
                    credentials = current;
                }
            }
        }
        return current;
    }

    private PeerKeyManager.Credentials issue() {
        Instant now = clock.instant();
        Instant notBefore = now.minus(BACKDATING);
        Instant notAfter = now.plus(CERTIFICATE_LIFETIME);
        X509Certificate certificate = authority == null
                ? Certificates.selfSigned(identity, notBefore, notAfter)
                : Certificates.issued(identity, authority, notBefore, notAfter);
        return new PeerKeyManager.Credentials(identity.privateKey(), new X509Certificate[] {certificate});
    }
}
