package ditto.engine;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

import ditto.api.DittoConfigConnect;
import ditto.api.DittoException;
import ditto.api.TransportConfig;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.TransportListener;
import ditto.engine.NotYetAvailable.Area;
import ditto.engine.security.LinkSecurity;
import ditto.engine.security.PeerIdentity;
import ditto.engine.security.SecureChannel;
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
 * <p>Thread-safe: the lazily created parts are guarded by this object.
 */
final class InstanceSync implements SyncImpl.Environment, LinkSource {

    private final DittoConfigConnect connect;
    private final Path persistenceDirectory;
    private final InstanceTransports transports;
    private final Supplier<TransportConfig> transportConfig;
    private final Supplier<String> deviceName;
    private final Activation activation;
    private PeerIdentity identity;
    private LinkSecurity security;
    private boolean closed;

    InstanceSync(DittoConfigConnect connect, Path persistenceDirectory, InstanceTransports transports,
            Supplier<TransportConfig> transportConfig, Supplier<String> deviceName, Activation activation) {
        this.connect = Objects.requireNonNull(connect, "connect");
        this.persistenceDirectory = Objects.requireNonNull(persistenceDirectory, "persistenceDirectory");
        this.transports = Objects.requireNonNull(transports, "transports");
        this.transportConfig = Objects.requireNonNull(transportConfig, "transportConfig");
        this.deviceName = Objects.requireNonNull(deviceName, "deviceName");
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    @Override
    public void checkStartable() {
        activation.check("sync.start");
        if (connect instanceof DittoConfigConnect.Server) {
            throw NotYetAvailable.unsupported("sync.start with a server connection", Area.AUTH);
        }
    }

    @Override
    public SyncEngine.LocalPeer localPeer() {
        return new SyncEngine.LocalPeer(identity().peerKeyString(), deviceName.get());
    }

    @Override
    public ChannelFactory channels() {
        LinkSecurity tls = security();
        return (link, listener) -> tls.secure(link, new SecureChannel.Listener() {
            @Override
            public LinkHandler onEstablished(SecureChannel channel) {
                return listener.onEstablished(channel, channel.remotePeerKey());
            }

            @Override
            public void onFailed(SecureChannel channel, DittoException error) {
                listener.onFailed(channel.link(), error);
            }
        });
    }

    @Override
    public LinkSource links() {
        return this;
    }

    @Override
    public void start(String localPeerKey, TransportListener listener) {
        transports.start(transportConfig.get(), localPeerKey, listener);
    }

    @Override
    public void stop() {
        transports.stop();
    }

    /** Returns this instance's identity, loading or creating it on first use. */
    synchronized PeerIdentity identity() {
        if (identity == null) {
            identity = PeerIdentity.open(persistenceDirectory);
        }
        return identity;
    }

    /** Stops the TLS configuration's timer; idempotent. */
    void close() {
        LinkSecurity s;
        synchronized (this) {
            closed = true;
            s = security;
            security = null;
        }
        if (s != null) {
            s.close();
        }
    }

    private synchronized LinkSecurity security() {
        if (closed) {
            throw new DittoException(ditto.api.ErrorCode.CLOSED, "sync: the instance at " + persistenceDirectory
                    + " is closed");
        }
        if (security == null) {
            byte[] sharedKey = connect instanceof DittoConfigConnect.SmallPeersOnly small ? small.privateKey() : null;
            security = LinkSecurity.create(identity(), sharedKey);
        }
        return security;
    }
}
