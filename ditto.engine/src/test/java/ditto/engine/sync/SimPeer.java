package ditto.engine.sync;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

import ditto.api.Attachment;
import ditto.api.AttachmentFetchEvent;
import ditto.api.AttachmentFetcher;
import ditto.api.AttachmentToken;
import ditto.api.Ditto;
import ditto.api.QueryResult;
import ditto.api.TransportConfig;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.StorageParameters;
import ditto.api.spi.storage.StorageProvider;
import ditto.api.DittoException;
import ditto.api.spi.transport.DiscoveredPeer;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportListener;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportProvider;
import ditto.engine.crdt.CrdtDocument;
import ditto.engine.dql.EvalContext;
import ditto.engine.dql.Statement;
import ditto.engine.store.AttachmentSupport;
import ditto.engine.store.StoreImpl;
import ditto.engine.wire.FrameCodec;
import ditto.testkit.sim.SimClock;
import ditto.testkit.sim.SimNetwork;

/**
 * One simulated peer: a store on in-memory storage (kept across a simulated crash, as a disk
 * would be), a sync engine on a {@link SimRuntime} (the test thread, the peer's skewed clock, a
 * generator seeded from the trial) and a simulated transport. Everything runs on the test thread.
 */
final class SimPeer {

    static final String DATABASE_ID = "00000000-0000-4000-8000-000000000001";
    static final SyncEngine.Options OPTIONS = new SyncEngine.Options(1_000, 5_000, 30_000, 4, 64 * 1024, 512, 2_000,
            4, 32L << 20);

    final String id;
    private final SimWorld world;
    private final SimNetwork network;
    final SimClock.NodeClock clock;
    private final TransportProvider provider;
    private final Storage storage;
    private final List<SyncEngine.Subscription> subscriptions = new ArrayList<>();
    private int incarnation;
    /** How links become channels at the next start; tests give remotes a grant with it. */
    ChannelFactory channels = ChannelFactory.PLAIN;
    /** Whether the engine is a server peer's (set before {@link #open()}). */
    boolean serverPeer;
    /** The transport configuration used at the next start (sync group, retry interval). */
    TransportConfig transportConfig = TransportConfig.defaults();
    /** Corrupt frames delivered to this peer's engine on an open link. */
    long corruptFramesDelivered;
    /** Corrupt frames after which the engine left the link open (must stay 0). */
    long corruptFramesLeftOpen;

    StoreImpl store;
    SyncEngine engine;
    private SimRuntime runtime;
    private Transport transport;

    SimPeer(SimWorld world, String id, long skewMillis) {
        this.id = id;
        this.world = world;
        this.network = world.network();
        this.clock = network.clock().forNode(skewMillis);
        this.provider = network.transportProvider(id);
        this.storage = memoryStorage();
    }

    /** Opens the store and the engine and starts sync. */
    void open() {
        incarnation++;
        store = StoreImpl.open(storage, DITTO, () -> { }, NO_ATTACHMENTS, null, 1 << 20, clock::millis,
                world.randomFor(id + "/site"));
        runtime = new SimRuntime(clock, world.randomFor(id + "/sync/" + incarnation));
        engine = new SyncEngine(store, DATABASE_ID, runtime, OPTIONS, "peer " + id);
        engine.setSubscriptions(subscriptions);
        engine.setServerPeer(serverPeer);
        start();
    }

    /** Starts sync (after {@link #stop()}). */
    void start() {
        engine.start(new SyncEngine.LocalPeer("pk-" + id, "device " + id), channels, new LinkSource() {
            @Override
            public void start(String localPeerKey, TransportListener listener) {
                transport = provider.create(new TransportParameters(DATABASE_ID, localPeerKey, "device " + id,
                        transportConfig.copy(), probe(listener)));
                transport.start();
            }

            @Override
            public void stop() {
                transport.close();
                transport = null;
            }
        });
    }

    /**
     * Wraps the engine's listener to watch every frame delivered to it: a frame that does not
     * decode is corrupt (honest peers only send valid ones), and the engine must have closed the
     * link by the time it returns from handling it.
     */
    private TransportListener probe(TransportListener engineListener) {
        return new TransportListener() {
            @Override
            public LinkHandler onLinkOpened(Link link) {
                LinkHandler handler = engineListener.onLinkOpened(link);
                return new LinkHandler() {
                    @Override
                    public void onFrame(ByteBuffer frame) {
                        boolean corrupt;
                        try {
                            FrameCodec.decode(frame.duplicate());
                            corrupt = false;
                        } catch (DittoException e) {
                            corrupt = true;
                        }
                        boolean wasOpen = link.isOpen();
                        handler.onFrame(frame);
                        if (corrupt && wasOpen) {
                            corruptFramesDelivered++;
                            if (link.isOpen()) {
                                corruptFramesLeftOpen++;
                            }
                        }
                    }

                    @Override
                    public void onClosed(Throwable cause) {
                        handler.onClosed(cause);
                    }
                };
            }

            @Override
            public void onPeerDiscovered(DiscoveredPeer peer) {
                engineListener.onPeerDiscovered(peer);
            }

            @Override
            public void onPeerLost(String endpoint) {
                engineListener.onPeerLost(endpoint);
            }
        };
    }

    /** Stops sync (sessions say goodbye, the transport closes). */
    void stop() {
        engine.stop();
    }

    /** Kills the peer: no goodbye, nothing flushed beyond what was committed; the storage survives. */
    void crash() {
        network.crash(id);
        engine.abandon();
        runtime.close();
        transport = null;
        store.close();
        store = null;
        engine = null;
    }

    /** Closes everything, the storage included (end of a trial). */
    void close() {
        if (engine != null) {
            engine.close();
            store.close();
        }
        storage.close();
    }

    boolean isUp() {
        return engine != null;
    }

    /** Adds a subscription (also across restarts, as an application registers them at startup). */
    void subscribe(String dql, Map<String, Object> args) {
        Statement.Select select = (Statement.Select) store.cache().parse(dql);
        subscriptions.add(new SyncEngine.Subscription(dql, EvalContext.of(args).arguments(), select.from().name()));
        engine.setSubscriptions(subscriptions);
    }

    /** Removes a subscription by its text. */
    void unsubscribe(String dql) {
        subscriptions.removeIf(s -> s.query().equals(dql));
        engine.setSubscriptions(subscriptions);
    }

    List<SyncEngine.Subscription> subscriptions() {
        return List.copyOf(subscriptions);
    }

    QueryResult execute(String dql, Map<String, ?> args) {
        return store.execute(dql, args);
    }

    long scalar(String dql, Map<String, ?> args) {
        try (QueryResult r = store.execute(dql, args)) {
            return ((Number) r.items().get(0).value().values().iterator().next()).longValue();
        }
    }

    /** Returns the stored documents of a collection (tombstones included) by id, as canonical hex. */
    Map<Object, String> state(String collection) {
        Map<Object, String> out = new LinkedHashMap<>();
        for (CrdtDocument d : store.replication().documents(collection)) {
            out.put(d.id(), HexFormat.of().formatHex(d.encode()));
        }
        return out;
    }

    Map<Object, CrdtDocument> documents(String collection) {
        Map<Object, CrdtDocument> out = new LinkedHashMap<>();
        for (CrdtDocument d : store.replication().documents(collection)) {
            out.put(d.id(), d);
        }
        return out;
    }

    /** Tells whether the engine has nothing pending (sessions idle, executor empty). */
    boolean isIdle() {
        return engine == null || (runtime.isQuiet() && engine.isIdle());
    }

    String describe() {
        if (engine == null) {
            return "peer " + id + ": down";
        }
        return "peer " + id + " site " + Long.toHexString(store.replication().siteId()) + " stats " + engine.stats()
                + "\n" + engine.describe();
    }

    private static Storage memoryStorage() {
        for (StorageProvider p : ServiceLoader.load(StorageProvider.class)) {
            if (p.id().equals("memory")) {
                return p.open(new StorageParameters(Path.of("unused"), Optional.empty(), Map.of()));
            }
        }
        throw new IllegalStateException("the memory storage backend is not on the test module path");
    }

    /** Stands in for the instance (only live-query handles would ask it anything). */
    static final Ditto DITTO = (Ditto) Proxy.newProxyInstance(SimPeer.class.getClassLoader(),
            new Class<?>[] {Ditto.class}, (proxy, method, args) -> {
                if (method.getName().equals("toString")) {
                    return "simulated Ditto";
                }
                if (method.getName().equals("hashCode")) {
                    return 0;
                }
                if (method.getName().equals("equals")) {
                    return proxy == args[0];
                }
                throw new UnsupportedOperationException("simulated peer: " + method.getName());
            });

    static final AttachmentSupport NO_ATTACHMENTS = new AttachmentSupport() {
        @Override
        public Attachment newAttachment(Path file, Map<String, ?> metadata) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Attachment newAttachment(byte[] data, Map<String, ?> metadata) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Attachment newAttachment(InputStream content, Map<String, ?> metadata) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AttachmentFetcher fetchAttachment(AttachmentToken token, Consumer<AttachmentFetchEvent> onEvent) {
            throw new UnsupportedOperationException();
        }
    };
}
