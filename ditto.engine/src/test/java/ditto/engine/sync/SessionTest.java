package ditto.engine.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ditto.api.ConnectionType;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.StorageParameters;
import ditto.api.spi.storage.StorageProvider;
import ditto.api.spi.transport.DiscoveredPeer;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.TransportListener;
import ditto.engine.crdt.CrdtDocument;
import ditto.engine.crdt.HybridClock;
import ditto.engine.crdt.OpContext;
import ditto.engine.crdt.SiteId;
import ditto.engine.crdt.Timestamp;
import ditto.engine.crdt.TypeHints;
import ditto.engine.store.StoreImpl;
import ditto.engine.wire.FrameCodec;
import ditto.engine.wire.Message;
import ditto.testkit.sim.SimClock;

/**
 * One session against a scripted (often hostile) remote peer: the engine on a real store, a fake
 * link that records what the engine sends, and frames written by hand. Every violation closes the
 * session with a typed error and leaves the store untouched; nothing escapes as an exception.
 */
class SessionTest {

    private static final long REMOTE_SITE = 0x1234_5678_9ABCL;

    private final SimClock clock = new SimClock();
    private Storage storage;
    private StoreImpl store;
    private SyncEngine engine;
    private TransportListener listener;

    /** A link that keeps what the engine sends. */
    private static final class FakeLink implements Link {
        final List<Message> sent = new ArrayList<>();
        boolean open = true;
        int maxFrame = 1 << 20;

        @Override
        public String id() {
            return "fake-1";
        }

        @Override
        public ConnectionType connectionType() {
            return ConnectionType.ACCESS_POINT;
        }

        @Override
        public boolean isIncoming() {
            return true;
        }

        @Override
        public String remoteDescription() {
            return "fake remote";
        }

        @Override
        public int maxFrameSize() {
            return maxFrame;
        }

        @Override
        public long maxQueuedBytes() {
            return 16 << 20;
        }

        @Override
        public long queuedBytes() {
            return 0;
        }

        @Override
        public void send(ByteBuffer frame) {
            if (!open) {
                throw new DittoException(ErrorCode.TRANSPORT, "closed");
            }
            sent.add(FrameCodec.decode(frame).message());
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }

        <T extends Message> List<T> sent(Class<T> type) {
            List<T> out = new ArrayList<>();
            for (Message m : sent) {
                if (type.isInstance(m)) {
                    out.add(type.cast(m));
                }
            }
            return out;
        }
    }

    /** The scripted remote: numbers its frames and delivers them to the engine. */
    private final class Remote {
        final FakeLink link = new FakeLink();
        final LinkHandler handler;
        long sequence;

        Remote() {
            handler = listener.onLinkOpened(link);
        }

        void send(Message m) {
            deliver(FrameCodec.encode(sequence++, m));
        }

        void deliver(byte[] frame) {
            handler.onFrame(ByteBuffer.wrap(frame));
        }

        void hello() {
            send(new Message.Hello(1, SimPeer.DATABASE_ID, "pk-remote", "remote", REMOTE_SITE, 0));
        }

        Message.Goodbye goodbye() {
            List<Message.Goodbye> g = link.sent(Message.Goodbye.class);
            return g.isEmpty() ? null : g.get(g.size() - 1);
        }
    }

    @BeforeEach
    void open() {
        for (StorageProvider p : ServiceLoader.load(StorageProvider.class)) {
            if (p.id().equals("memory")) {
                storage = p.open(new StorageParameters(Path.of("unused"), Optional.empty(), Map.of()));
            }
        }
        store = StoreImpl.open(storage, SimPeer.DITTO, () -> { }, SimPeer.NO_ATTACHMENTS, null, 0,
                clock::millis, new SplittableRandom(1));
        engine = new SyncEngine(store, SimPeer.DATABASE_ID, new SimRuntime(clock.forNode(0), new SplittableRandom(2)),
                SimPeer.OPTIONS, "test");
        engine.setSubscriptions(List.of(new SyncEngine.Subscription("SELECT * FROM cars", Map.of(), "cars")));
        engine.start(new SyncEngine.LocalPeer("pk-local", "local"), ChannelFactory.PLAIN, new LinkSource() {
            @Override
            public void start(String localPeerKey, TransportListener l) {
                listener = l;
            }

            @Override
            public void stop() {
            }
        });
    }

    @AfterEach
    void close() {
        engine.close();
        store.close();
        storage.close();
    }

    private CrdtDocument car(String id, long physicalMillis, String color) {
        return CrdtDocument.create(id, Map.of("color", color), TypeHints.NONE,
                OpContext.of(Timestamp.of(HybridClock.hlc(physicalMillis, 0), SiteId.of(REMOTE_SITE))));
    }

    private Message.Subscriptions ourSubscriptions(Remote remote) {
        List<Message.Subscriptions> subs = remote.link.sent(Message.Subscriptions.class);
        return subs.get(subs.size() - 1);
    }

    @Test
    void exchangesHelloAndSubscriptions() {
        // when a remote opens a link and says hello
        Remote remote = new Remote();
        remote.hello();

        // then the engine said hello first, then sent its subscription with no checkpoint yet
        assertInstanceOf(Message.Hello.class, remote.link.sent.get(0));
        Message.Hello hello = (Message.Hello) remote.link.sent.get(0);
        assertEquals("pk-local", hello.peerKey());
        assertEquals(store.replication().siteId(), hello.siteId());
        Message.Subscription sub = ourSubscriptions(remote).subscriptions().get(0);
        assertEquals("SELECT * FROM cars", sub.query());
        assertEquals(0, sub.since());
        assertTrue(remote.link.open);
    }

    @Test
    void appliesABatchAcknowledgesItAndResumesFromItsCheckpoint() {
        // given an open session
        Remote remote = new Remote();
        remote.hello();
        Message.Subscriptions ours = ourSubscriptions(remote);

        // when the remote sends two cars up to its commit 7
        remote.send(new Message.Documents(ours.version(), 7, List.of(new Message.Group("cars", List.of(
                new Message.Entry(5, car("a", clock.millis(), "red").encode()),
                new Message.Entry(7, car("b", clock.millis(), "blue").encode()))))));

        // then both are stored, the batch is acknowledged, and a new session resumes after commit 7
        assertEquals(2, store.replication().documents("cars").size());
        assertEquals(new Message.Ack(ours.version(), 7), remote.link.sent.get(remote.link.sent.size() - 1));
        Remote again = new Remote();
        again.hello();
        assertEquals(7, ourSubscriptions(again).subscriptions().get(0).since());
    }

    @Test
    void closesOnACorruptFrameWithAProtocolError() {
        Remote remote = new Remote();
        remote.hello();
        byte[] frame = FrameCodec.encode(remote.sequence++, new Message.Ping());
        frame[3] ^= 0x10;
        remote.deliver(frame);
        assertFalse(remote.link.open);
        assertEquals("protocol", remote.goodbye().code());
        assertEquals(1, engine.stats().protocolErrors());
    }

    @Test
    void closesWhenAMessageComesBeforeTheHello() {
        Remote remote = new Remote();
        remote.send(new Message.Ping());
        assertFalse(remote.link.open);
        assertTrue(remote.goodbye().reason().contains("before the hello"), remote.goodbye().reason());
    }

    @Test
    void closesOnAHelloForAnotherDatabaseOrProtocolVersionZero() {
        Remote other = new Remote();
        other.send(new Message.Hello(1, "00000000-0000-4000-8000-00000000ffff", "pk-x", "x", REMOTE_SITE, 0));
        assertFalse(other.link.open);
        assertEquals("protocol", other.goodbye().code());
        Remote ancient = new Remote();
        ancient.send(new Message.Hello(0, SimPeer.DATABASE_ID, "pk-x", "x", REMOTE_SITE, 0));
        assertFalse(ancient.link.open);
    }

    @Test
    void closesALinkToItselfQuietly() {
        Remote self = new Remote();
        self.send(new Message.Hello(1, SimPeer.DATABASE_ID, "pk-local", "local", store.replication().siteId(), 0));
        assertFalse(self.link.open);
        assertEquals("self", self.goodbye().code());
        assertEquals(0, engine.stats().protocolErrors());
    }

    @Test
    void refusesAPeerWhoseHelloContradictsItsCertificate() {
        engine.stop();
        engine.start(new SyncEngine.LocalPeer("pk-local", "local"),
                (link, l) -> l.onEstablished(link, "pk-proven", null), new LinkSource() {
                    @Override
                    public void start(String localPeerKey, TransportListener l) {
                        listener = l;
                    }

                    @Override
                    public void stop() {
                    }
                });
        Remote liar = new Remote();
        liar.hello();
        assertFalse(liar.link.open);
        assertEquals("authentication", liar.goodbye().code());
    }

    @Test
    void ignoresARepeatedFrameAndClosesOnAGap() {
        Remote remote = new Remote();
        remote.hello();
        byte[] ping = FrameCodec.encode(remote.sequence++, new Message.Ping());
        remote.deliver(ping);
        remote.deliver(ping);
        assertTrue(remote.link.open);
        assertEquals(1, engine.stats().duplicateFrames());
        remote.sequence++;
        remote.send(new Message.Ping());
        assertFalse(remote.link.open);
        assertTrue(remote.goodbye().reason().contains("missing"), remote.goodbye().reason());
    }

    @Test
    void refusesUndecodableDocumentsWithoutTouchingTheStore() {
        Remote remote = new Remote();
        remote.hello();
        byte[] doc = car("a", clock.millis(), "red").encode();
        byte[] broken = Arrays.copyOf(doc, doc.length - 2);
        remote.send(new Message.Documents(ourSubscriptions(remote).version(), 3,
                List.of(new Message.Group("cars", List.of(new Message.Entry(3, broken))))));
        assertFalse(remote.link.open);
        assertEquals("protocol", remote.goodbye().code());
        assertTrue(store.replication().documents("cars").isEmpty());
    }

    @Test
    void refusesDocumentsForSystemCollections() {
        Remote remote = new Remote();
        remote.hello();
        remote.send(new Message.Documents(ourSubscriptions(remote).version(), 3,
                List.of(new Message.Group("system:indexes", List.of(new Message.Entry(3,
                        car("a", clock.millis(), "red").encode()))))));
        assertFalse(remote.link.open);
        assertEquals("protocol", remote.goodbye().code());
    }

    @Test
    void rejectsAndCountsFarFutureDocumentsAndNeverCheckpointsPastThem() {
        // given an open session
        Remote remote = new Remote();
        remote.hello();
        long version = ourSubscriptions(remote).version();

        // when a batch holds an honest car at commit 4 and a car stamped a day ahead at commit 6
        remote.send(new Message.Documents(version, 9, List.of(new Message.Group("cars", List.of(
                new Message.Entry(4, car("honest", clock.millis(), "red").encode()),
                new Message.Entry(6, car("future", clock.millis() + 86_400_000L, "gold").encode()))))));

        // then the honest car is stored, the future one is not, it is counted, and the clock stayed put
        assertEquals(List.of("honest"), store.replication().documents("cars").stream().map(CrdtDocument::id).toList());
        assertEquals(1, engine.stats().clockDriftRejected());
        assertEquals(1, store.clock().rejectedCount());
        assertTrue(HybridClock.physicalOf(store.clock().current()) <= clock.millis() + 1);
        assertTrue(remote.link.open);

        // and a later batch cannot move the checkpoint past the rejected document
        remote.send(new Message.Documents(version, 20, List.of()));
        Remote again = new Remote();
        again.hello();
        assertEquals(5, ourSubscriptions(again).subscriptions().get(0).since());
    }

    @Test
    void assemblesADocumentLargerThanAFrameFromParts() {
        Remote remote = new Remote();
        remote.hello();
        CrdtDocument big = CrdtDocument.create("big", Map.of("blob", "x".repeat(300_000)), TypeHints.NONE,
                OpContext.of(Timestamp.of(HybridClock.hlc(clock.millis(), 0), SiteId.of(REMOTE_SITE))));
        byte[] bytes = big.encode();
        for (int offset = 0; offset < bytes.length; offset += 100_000) {
            int n = Math.min(100_000, bytes.length - offset);
            remote.send(new Message.DocumentPart(bytes.length, offset, Arrays.copyOfRange(bytes, offset, offset + n)));
        }
        remote.send(new Message.Documents(ourSubscriptions(remote).version(), 2,
                List.of(new Message.Group("cars", List.of(new Message.Entry(2, null))))));
        assertTrue(remote.link.open);
        assertEquals(big, store.replication().documents("cars").get(0));
    }

    @Test
    void closesOnPartsThatDoNotContinueOrAreNotUsed() {
        Remote skipping = new Remote();
        skipping.hello();
        skipping.send(new Message.DocumentPart(10, 0, new byte[4]));
        skipping.send(new Message.DocumentPart(10, 6, new byte[4]));
        assertFalse(skipping.link.open);
        Remote dangling = new Remote();
        dangling.hello();
        dangling.send(new Message.Documents(ourSubscriptions(dangling).version(), 1,
                List.of(new Message.Group("cars", List.of(new Message.Entry(1, null))))));
        assertFalse(dangling.link.open);
    }

    @Test
    void refusesDocumentsOfACollectionItDidNotAskFor() {
        Remote remote = new Remote();
        remote.hello();
        remote.send(new Message.Documents(ourSubscriptions(remote).version(), 3,
                List.of(new Message.Group("trucks", List.of(new Message.Entry(3, car("t", clock.millis(), "red")
                        .encode()))))));
        assertFalse(remote.link.open);
        assertTrue(remote.goodbye().reason().contains("does not ask for"), remote.goodbye().reason());
        assertTrue(store.replication().documents("trucks").isEmpty());
    }

    @Test
    void closesOnAnAcknowledgementWithoutABatch() {
        Remote remote = new Remote();
        remote.hello();
        remote.send(new Message.Ack(1, 5));
        assertFalse(remote.link.open);
        assertEquals("protocol", remote.goodbye().code());
    }

    @Test
    void servesTheRemoteSubscriptionFromItsCheckpointAndSplitsBigBatches() {
        // given 40 cars of ~4 KiB, committed one by one
        for (int i = 0; i < 40; i++) {
            store.execute("INSERT INTO cars DOCUMENTS (:d)", Map.of("d", Map.of("_id", "c" + i, "pad", "p".repeat(4000))))
                    .close();
        }
        Remote remote = new Remote();
        remote.hello();

        // when the remote subscribes from its checkpoint at commit 30 (it has the first cars)
        long after = store.replication().lastCommitId() - 10;
        remote.send(new Message.Subscriptions(1, List.of(new Message.Subscription(new byte[16], "SELECT * FROM cars",
                Map.of(), after))));
        List<Message.Documents> batches = new ArrayList<>(remote.link.sent(Message.Documents.class));
        while (batches.size() < 3) {
            int acked = batches.size();
            remote.send(new Message.Ack(1, batches.get(acked - 1).upTo()));
            batches = remote.link.sent(Message.Documents.class);
            if (batches.size() == acked) {
                break;
            }
        }

        // then only the 10 later cars were sent, in batches within the 64 KiB budget, each with upTo
        int docs = 0;
        for (Message.Documents d : remote.link.sent(Message.Documents.class)) {
            docs += d.documentCount();
            assertTrue(d.upTo() > after);
        }
        assertEquals(10, docs);
        assertTrue(remote.link.sent(Message.Documents.class).size() >= 1);
    }

    @Test
    void randomHostileFramesNeverCauseInternalErrors() {
        SplittableRandom random = new SplittableRandom(99);
        byte[] doc = car("a", clock.millis(), "red").encode();
        List<Message> templates = List.of(
                new Message.Documents(1, 3, List.of(new Message.Group("cars", List.of(new Message.Entry(3, doc))))),
                new Message.Subscriptions(1, List.of(new Message.Subscription(new byte[16], "SELECT * FROM cars WHERE a = :a",
                        Map.of("a", 1L), 0))),
                new Message.DocumentPart(20, 0, new byte[10]), new Message.Ack(1, 1), new Message.Ping(),
                new Message.Goodbye("x", "y"));
        for (int i = 0; i < 2_000; i++) {
            Remote remote = new Remote();
            remote.hello();
            byte[] frame = FrameCodec.encode(remote.sequence++, templates.get(random.nextInt(templates.size())));
            byte[] body = Arrays.copyOf(frame, frame.length - 4);
            for (int e = 0; e < 1 + random.nextInt(3); e++) {
                body[3 + random.nextInt(body.length - 3)] = (byte) random.nextInt(256);
            }
            remote.handler.onFrame(seal(body));
            remote.link.close();
            remote.handler.onClosed(null);
        }
        assertEquals(0, engine.stats().internalErrors());
    }

    private static ByteBuffer seal(byte[] body) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body, 0, body.length);
        ByteBuffer b = ByteBuffer.allocate(body.length + 4);
        b.put(body).putInt((int) crc.getValue()).flip();
        return b;
    }

    @Test
    void listenerIgnoresDiscoveryReports() {
        listener.onPeerDiscovered(new DiscoveredPeer("sim://x", Optional.empty(), Optional.empty(), "sim"));
        listener.onPeerLost("sim://x");
        assertTrue(engine.isActive());
    }
}
