package ditto.engine;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.tinylog.Logger;

import ditto.api.DittoConfigConnect;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.TransportListener;
import ditto.engine.auth.ClientAuthenticator;
import ditto.engine.auth.LoginService;
import ditto.engine.auth.ServerConfig;
import ditto.engine.plugin.PluginRegistry;
import ditto.engine.security.IssuedCredentials;
import ditto.engine.security.LinkSecurity;
import ditto.engine.security.PeerGrant;
import ditto.engine.security.PeerIdentity;
import ditto.engine.security.SecureChannel;
import ditto.engine.security.ServerAuthority;
import ditto.engine.sync.Activation;
import ditto.engine.sync.ChannelFactory;
import ditto.engine.sync.LinkSource;
import ditto.engine.sync.SyncEngine;
import ditto.engine.sync.SyncImpl;

/**
 * What sync needs from one instance: its identity (the persistent key pair in {@code auth/},
 * whose public key gives the peer key string), its TLS configuration ({@link LinkSecurity}: every
 * session runs over a {@link SecureChannel}; with a small-peers-only shared key only holders of
 * the key can connect), its transports, and the checks that may forbid starting (activation;
 * server connections, which need authentication, not in this build). The identity and the TLS
 * configuration are created at the first start and kept until the instance closes.
 *
 * <p>Three kinds of instance: a small-peers-only instance (self-signed or shared-key
 * certificates, see {@link LinkSecurity}); a <b>server peer</b> ({@link ServerConfig}: it holds a
 * {@link ServerAuthority}, presents a certificate of its own authority, answers logins through
 * {@link LoginService}, and accepts only peers holding a certificate of its authority); and a
 * <b>client</b> of a server ({@link DittoConfigConnect.Server}: it presents the certificate its
 * {@link ClientAuthenticator} obtained at login, trusts the server's authority, and adds the
 * server's WebSocket URL to its transport configuration). Peers of an authority learn each
 * other's permissions from the {@link PeerGrant} in their certificates; sessions enforce them.
 *
 * <p>Thread-safe: the lazily created parts are guarded by this object.
 */
final class InstanceSync implements SyncImpl.Environment, LinkSource {

    private static final LinkHandler CLOSED_LINK = new LinkHandler() {
        @Override
        public void onFrame(ByteBuffer frame) {
        }

        @Override
        public void onClosed(Throwable cause) {
        }
    };

    private final DittoConfigConnect connect;
    private final Path persistenceDirectory;
    private final InstanceTransports transports;
    private final Supplier<TransportConfig> transportConfig;
    private final Supplier<String> deviceName;
    private final Activation activation;
    private final Optional<ServerConfig> server;
    private final String databaseId;
    private final PluginRegistry registry;
    private PeerIdentity identity;
    private LinkSecurity security;
    private ServerAuthority authority;
    private IssuedCredentials own;
    private LoginService login;
    private ClientAuthenticator client;
    private String startedKey;
    private TransportListener startedListener;
    private boolean closed;

    InstanceSync(DittoConfigConnect connect, Path persistenceDirectory, InstanceTransports transports,
            Supplier<TransportConfig> transportConfig, Supplier<String> deviceName, Activation activation,
            Optional<ServerConfig> server, String databaseId, PluginRegistry registry) {
        this.connect = Objects.requireNonNull(connect, "connect");
        this.persistenceDirectory = Objects.requireNonNull(persistenceDirectory, "persistenceDirectory");
        this.transports = Objects.requireNonNull(transports, "transports");
        this.transportConfig = Objects.requireNonNull(transportConfig, "transportConfig");
        this.deviceName = Objects.requireNonNull(deviceName, "deviceName");
        this.activation = Objects.requireNonNull(activation, "activation");
        this.server = Objects.requireNonNull(server, "server");
        this.databaseId = Objects.requireNonNull(databaseId, "databaseId");
        this.registry = Objects.requireNonNull(registry, "registry");
        check(connect, server);
    }

    /**
     * Checks that a server configuration goes with a plain small-peers-only connection.
     *
     * @throws DittoException {@code INVALID_CONFIG} otherwise
     */
    static void check(DittoConfigConnect connect, Optional<ServerConfig> server) {
        if (server.isPresent() && !(connect instanceof DittoConfigConnect.SmallPeersOnly small
                && small.privateKey() == null)) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "experimental config '" + ServerConfig.KEY + "': a server"
                    + " peer must use DittoConfigConnect.smallPeersOnly() without a shared key (its own authority"
                    + " authenticates peers), not " + connect.getClass().getSimpleName()
                    + (connect instanceof DittoConfigConnect.SmallPeersOnly ? " with a shared key" : ""));
        }
    }

    /** Tells whether links are authenticated by a server authority (a server peer or its client). */
    private boolean usesServerAuthority() {
        return server.isPresent() || connect instanceof DittoConfigConnect.Server;
    }

    /**
     * Connects the server role to the sync engine: the hello flag, the subscription to
     * everything and the login endpoint. Does nothing for other instances.
     */
    void bindEngine(SyncEngine engine) {
        if (server.isEmpty()) {
            return;
        }
        engine.setServerPeer(true);
        engine.setHttpHandler(request -> loginService().apply(request));
    }

    /** Gives a client instance its authenticator (made after this object, since it needs the instance). */
    synchronized void attach(ClientAuthenticator authenticator) {
        this.client = authenticator;
    }

    @Override
    public void checkStartable() {
        activation.check("sync.start");
        ClientAuthenticator c;
        synchronized (this) {
            c = client;
        }
        if (c != null) {
            c.checkStartable();
        }
    }

    @Override
    public SyncEngine.LocalPeer localPeer() {
        return new SyncEngine.LocalPeer(identity().peerKeyString(), deviceName.get());
    }

    @Override
    public ChannelFactory channels() {
        LinkSecurity tls = security();
        boolean granted = usesServerAuthority();
        return (link, listener) -> {
            if (!tls.hasCredentials()) {
                link.close();
                listener.onFailed(link, new DittoException(ErrorCode.AUTHENTICATION, "not logged in to the server"
                        + " yet, so link " + link.id() + " (" + link.remoteDescription() + ") cannot be secured"));
                return CLOSED_LINK;
            }
            return tls.secure(link, new SecureChannel.Listener() {
                @Override
                public LinkHandler onEstablished(SecureChannel channel) {
                    ChannelFactory.Grant grant = null;
                    if (granted) {
                        PeerGrant g = PeerGrant.of(channel.remoteCertificate()).orElse(null);
                        if (g == null) {
                            channel.close();
                            throw new DittoException(ErrorCode.AUTHENTICATION, "the peer's certificate carries no grant");
                        }
                        grant = new ChannelFactory.Grant(g.userId(), g.permissions(),
                                channel.remoteCertificate().getNotAfter().getTime());
                    }
                    return listener.onEstablished(channel, channel.remotePeerKey(), grant);
                }

                @Override
                public void onFailed(SecureChannel channel, DittoException error) {
                    listener.onFailed(channel.link(), error);
                }
            });
        };
    }

    @Override
    public LinkSource links() {
        return this;
    }

    @Override
    public void start(String localPeerKey, TransportListener listener) {
        ClientAuthenticator c;
        synchronized (this) {
            startedKey = localPeerKey;
            startedListener = listener;
            c = client;
        }
        transports.start(effectiveConfig(), localPeerKey, listener);
        if (c != null) {
            c.onSyncStarted();
        }
    }

    @Override
    public void stop() {
        synchronized (this) {
            startedKey = null;
            startedListener = null;
        }
        transports.stop();
    }

    /**
     * The credentials changed (login, expiry, logout): while sync runs, the transports restart,
     * so that links are secured with the new certificate at once instead of at the next retry.
     */
    void credentialsChanged() {
        String key;
        TransportListener listener;
        synchronized (this) {
            key = startedKey;
            listener = startedListener;
        }
        if (key == null) {
            return;
        }
        transports.stop();
        synchronized (this) {
            if (startedListener != listener) {
                return;
            }
        }
        transports.start(effectiveConfig(), key, listener);
    }

    /**
     * The configured transports, plus the server's WebSocket URL for a client that is logged in
     * (before the login there is nothing to present, so the server is not dialed at all; the
     * login restarts the transports).
     */
    private TransportConfig effectiveConfig() {
        TransportConfig config = transportConfig.get();
        ClientAuthenticator c;
        synchronized (this) {
            c = client;
        }
        if (connect instanceof DittoConfigConnect.Server s && c != null && c.credentials() != null) {
            String url = ClientAuthenticator.syncUrl(s.url());
            if (!config.connect().websocketUrls().contains(url)) {
                config = config.copy().addWebsocketUrl(url);
            }
        }
        return config;
    }

    /** Returns this instance's identity, loading or creating it on first use. */
    synchronized PeerIdentity identity() {
        if (identity == null) {
            identity = PeerIdentity.open(persistenceDirectory);
        }
        return identity;
    }

    /** Stops the TLS configuration's timer and the login service; idempotent. */
    void close() {
        LinkSecurity s;
        LoginService l;
        synchronized (this) {
            closed = true;
            s = security;
            security = null;
            l = login;
            login = null;
        }
        if (s != null) {
            s.close();
        }
        if (l != null) {
            l.close();
        }
    }

    private synchronized LoginService loginService() {
        if (closed) {
            throw new DittoException(ErrorCode.CLOSED, "sync: the instance at " + persistenceDirectory + " is closed");
        }
        if (login == null) {
            login = new LoginService(databaseId, server.orElseThrow(), serverAuthority(), registry::identity,
                    Clock.systemUTC());
        }
        return login;
    }

    private synchronized ServerAuthority serverAuthority() {
        if (authority == null) {
            authority = ServerAuthority.open(persistenceDirectory);
        }
        return authority;
    }

    /** The server peer's own certificate, re-issued once less than 30 days of it remain. */
    private synchronized IssuedCredentials ownCredentials() {
        java.time.Instant now = java.time.Instant.now();
        if (own == null || own.expiresAt().isBefore(now.plus(Duration.ofDays(30)))) {
            own = serverAuthority().ownCredentials(identity(), now);
        }
        return own;
    }

    private synchronized LinkSecurity security() {
        if (closed) {
            throw new DittoException(ErrorCode.CLOSED, "sync: the instance at " + persistenceDirectory
                    + " is closed");
        }
        if (security == null) {
            if (server.isPresent()) {
                ownCredentials();
                security = LinkSecurity.createIssued(identity(), this::ownCredentials,
                        LinkSecurity.DEFAULT_HANDSHAKE_TIMEOUT);
                Logger.info("server peer {}: authority {}, development mode {}", identity().peerKeyString(),
                        serverAuthority().keyString(), server.get().developmentMode() ? "ON (any token accepted by"
                                + " the development provider)" : "off");
            } else if (connect instanceof DittoConfigConnect.Server) {
                ClientAuthenticator c = client;
                security = LinkSecurity.createIssued(identity(), () -> c == null ? null : c.credentials(),
                        LinkSecurity.DEFAULT_HANDSHAKE_TIMEOUT);
            } else {
                byte[] sharedKey = connect instanceof DittoConfigConnect.SmallPeersOnly small ? small.privateKey()
                        : null;
                security = LinkSecurity.create(identity(), sharedKey);
            }
        }
        return security;
    }
}
