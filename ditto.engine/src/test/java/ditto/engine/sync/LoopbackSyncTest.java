package ditto.engine.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoConfigConnect;
import ditto.api.QueryResult;
import ditto.api.TransportConfig;
import ditto.api.spi.storage.StorageProvider;
import ditto.api.spi.transport.TransportProvider;
import ditto.engine.DittoEngine;
import ditto.engine.plugin.PluginRegistry;

/**
 * Real sockets over loopback: whole Ditto instances in one JVM, each with the LAN transport
 * (TCP, discovery off) and TLS 1.3 on every link, syncing through the public API. Two instances
 * sync both ways (with a small-peers-only shared key, so the links are authenticated); three in a
 * line A–B–C carry A's data to C through B.
 */
class LoopbackSyncTest {

    private static final long TIMEOUT_MILLIS = 30_000;

    @TempDir
    Path temp;

    private final PluginRegistry registry = new PluginRegistry();
    private final DittoEngine engine = new DittoEngine(registry);
    private final List<Ditto> opened = new ArrayList<>();
    private final String databaseId = UUID.randomUUID().toString();

    LoopbackSyncTest() {
        for (StorageProvider p : ServiceLoader.load(StorageProvider.class)) {
            if (p.id().equals("memory")) {
                registry.addStorage(p);
            }
        }
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) {
            if (p.id().equals("lan")) {
                registry.addTransport(p);
            }
        }
    }

    @AfterEach
    void close() {
        opened.forEach(Ditto::close);
        engine.close();
    }

    private Ditto open(String name, DittoConfigConnect connect) {
        DittoConfig config = DittoConfig.defaults().withDatabaseId(databaseId).withPersistenceDirectory(temp.resolve(name));
        if (connect != null) {
            config = config.withConnect(connect);
        }
        Ditto ditto = engine.open(config);
        ditto.setDeviceName(name);
        opened.add(ditto);
        return ditto;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static TransportConfig listening(int port) {
        return TransportConfig.defaults().disableAllPeerToPeer().enableTcpListen("127.0.0.1", port);
    }

    private static TransportConfig connectingTo(int port) {
        TransportConfig c = TransportConfig.defaults().disableAllPeerToPeer().addTcpServer("127.0.0.1:" + port);
        c.connect().setRetryInterval(java.time.Duration.ofMillis(200));
        return c;
    }

    private static List<Map<String, Object>> rows(Ditto ditto, String dql) {
        try (QueryResult r = ditto.store().execute(dql)) {
            return r.values();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void twoInstancesSyncADocumentBothWays() throws Exception {
        // given two instances sharing a small-peers-only key, one listening, one connecting
        byte[] sharedKey = "a shared secret of the test's small peers".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Ditto a = open("a", new DittoConfigConnect.SmallPeersOnly(sharedKey));
        Ditto b = open("b", new DittoConfigConnect.SmallPeersOnly(sharedKey));
        int port = freePort();
        a.setTransportConfig(listening(port));
        b.setTransportConfig(connectingTo(port));
        a.sync().registerSubscription("SELECT * FROM cars");
        b.sync().registerSubscription("SELECT * FROM cars");
        a.sync().start();
        b.sync().start();

        // when each writes a document
        a.store().execute("INSERT INTO cars DOCUMENTS ({'_id': 'from-a', 'color': 'red'})").close();
        b.store().execute("INSERT INTO cars DOCUMENTS ({'_id': 'from-b', 'color': 'blue'})").close();

        // then both hold both
        await("a and b hold both cars", () -> rows(a, "SELECT * FROM cars").size() == 2
                && rows(b, "SELECT * FROM cars").size() == 2);
        assertEquals(rows(a, "SELECT * FROM cars ORDER BY _id"), rows(b, "SELECT * FROM cars ORDER BY _id"));

        // and a later update flows too, and a's data_sync_info names b as connected
        b.store().execute("UPDATE cars SET color = 'green' WHERE _id = 'from-a'").close();
        await("a sees b's update", () -> "green".equals(rows(a, "SELECT color FROM cars WHERE _id = 'from-a'")
                .get(0).get("color")));
        await("a reports b connected", () -> {
            List<Map<String, Object>> info = rows(a, "SELECT * FROM system:data_sync_info");
            return info.size() == 1 && "Connected".equals(((Map<?, ?>) info.get(0).get("documents"))
                    .get("sync_session_status"));
        });
        Map<String, Object> row = rows(a, "SELECT * FROM system:data_sync_info").get(0);
        assertEquals(false, row.get("is_ditto_server"));
        assertTrue(String.valueOf(row.get("_id")).startsWith("pk"), row.toString());

        // when sync stops on b, a reports it not connected
        b.sync().stop();
        await("a reports b gone", () -> "Not Connected".equals(((Map<?, ?>) rows(a,
                "SELECT * FROM system:data_sync_info").get(0).get("documents")).get("sync_session_status")));
    }

    @Test
    void threeInstancesInALineRelayThroughTheMiddle() throws Exception {
        // given a - b - c: a and c both connect to b, never to each other
        Ditto a = open("a", null);
        Ditto b = open("b", null);
        Ditto c = open("c", null);
        int port = freePort();
        b.setTransportConfig(listening(port));
        a.setTransportConfig(connectingTo(port));
        c.setTransportConfig(connectingTo(port));
        for (Ditto d : List.of(a, b, c)) {
            d.sync().registerSubscription("SELECT * FROM notes");
            d.sync().start();
        }

        // when a writes
        a.store().execute("INSERT INTO notes DOCUMENTS ({'_id': 'n1', 'text': 'hello from a'})").close();

        // then the note reaches c through b, and c's reply reaches a
        await("c holds a's note", () -> rows(c, "SELECT * FROM notes").size() == 1);
        c.store().execute("INSERT INTO notes DOCUMENTS ({'_id': 'n2', 'text': 'hello from c'})").close();
        await("a holds c's note", () -> rows(a, "SELECT * FROM notes").size() == 2);
        assertEquals("hello from a", rows(c, "SELECT text FROM notes WHERE _id = 'n1'").get(0).get("text"));
        assertEquals(2, rows(b, "SELECT * FROM system:data_sync_info").size());
        assertEquals(1, rows(a, "SELECT * FROM system:data_sync_info").size());
    }

    @Test
    void syncStopsAndStartsAgainAndTheDeviceNameChangesOnTheNextStart() throws Exception {
        // given two synced instances
        Ditto a = open("a", null);
        Ditto b = open("b", null);
        int port = freePort();
        a.setTransportConfig(listening(port));
        b.setTransportConfig(connectingTo(port));
        b.sync().registerSubscription("SELECT * FROM cars");
        a.sync().start();
        b.sync().start();
        a.store().execute("INSERT INTO cars DOCUMENTS ({'_id': '1'})").close();
        await("b holds car 1", () -> rows(b, "SELECT * FROM cars").size() == 1);

        // when a stops, writes, renames itself and starts again
        a.sync().stop();
        assertTrue(!a.sync().isActive());
        a.store().execute("INSERT INTO cars DOCUMENTS ({'_id': '2'})").close();
        a.setDeviceName("renamed");
        Thread.sleep(300);
        assertEquals(1, rows(b, "SELECT * FROM cars").size());
        a.sync().start();

        // then b catches up
        await("b holds car 2", () -> rows(b, "SELECT * FROM cars").size() == 2);
        assertTrue(a.sync().isActive());
    }

    @Test
    void presenceAndConnectionRequestsOverRealLinks() throws Exception {
        // given a listening a whose handler denies the first request and allows later ones
        Ditto a = open("a", null);
        Ditto b = open("b", null);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        List<String> handlerThreads = java.util.Collections.synchronizedList(new ArrayList<>());
        a.presence().setConnectionRequestHandler(request -> {
            handlerThreads.add(Thread.currentThread().getName());
            return asked.incrementAndGet() == 1 ? ditto.api.ConnectionRequestAuthorization.DENY
                    : ditto.api.ConnectionRequestAuthorization.ALLOW;
        });
        b.presence().setPeerMetadata(Map.of("role", "scanner"));
        List<ditto.api.PresenceGraph> seenByB = java.util.Collections.synchronizedList(new ArrayList<>());
        b.presence().observe(seenByB::add);
        int port = freePort();
        a.setTransportConfig(listening(port));
        b.setTransportConfig(connectingTo(port));

        // when both start
        a.sync().start();
        b.sync().start();

        // then b was denied once, retried, and both see the same connection
        await("a's graph shows b", () -> a.presence().graph().remotePeers().size() == 1);
        await("b's graph shows a", () -> b.presence().graph().remotePeers().size() == 1);
        assertTrue(asked.get() >= 2, "asked " + asked.get());
        assertTrue(handlerThreads.stream().allMatch(n -> n.startsWith("ditto-presence-")), handlerThreads.toString());
        ditto.api.PresenceGraph fromA = a.presence().graph();
        ditto.api.PresenceGraph fromB = b.presence().graph();
        assertEquals(fromA.allConnectionsById().keySet(), fromB.allConnectionsById().keySet());
        ditto.api.Connection c = fromA.allConnectionsById().values().iterator().next();
        assertEquals(ditto.api.Connection.between(fromA.localPeer().peerKeyString(), fromB.localPeer().peerKeyString(),
                c.type()).id(), c.id());
        ditto.api.Peer bSeenByA = fromA.remotePeers().get(0);
        assertEquals("b", bSeenByA.deviceName());
        assertEquals(Map.of("role", "scanner"), bSeenByA.peerMetadata());
        await("b's observer saw a", () -> {
            synchronized (seenByB) {
                return !seenByB.isEmpty() && seenByB.get(seenByB.size() - 1).remotePeers().size() == 1;
            }
        });
        assertTrue(seenByB.get(0).remotePeers().isEmpty(), "the first graph is the one current at observe");
    }
}
