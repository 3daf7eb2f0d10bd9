package ditto.engine.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ditto.engine.crdt.CrdtDocument;
import ditto.testkit.sim.Cut;
import ditto.testkit.sim.Partition;
import ditto.testkit.sim.SimNetwork;

/**
 * The replication engine's behaviour, scenario by scenario, on the simulated network (one thread,
 * virtual time): pull by subscription, both directions, multihop relay, deltas after reconnect
 * and restart, cancellation, EVICT, WHERE filters, sync scopes, data_sync_info.
 */
class SyncEngineTest {

    private final List<SimPeer> peers = new ArrayList<>();
    private SimWorld world;
    private SimNetwork network;

    private void network(long seed) {
        world = SimWorld.of(seed);
        network = world.network();
    }

    private SimPeer peer(String id) {
        if (network == null) {
            network(42);
        }
        SimPeer p = new SimPeer(world, id, 0);
        p.open();
        peers.add(p);
        return p;
    }

    @AfterEach
    void closePeers() {
        for (SimPeer p : peers) {
            p.close();
        }
    }

    private boolean idle() {
        for (SimPeer p : peers) {
            if (!p.isIdle()) {
                return false;
            }
        }
        return network.inFlightFrames() == 0;
    }

    private void settle() {
        assertTrue(network.runUntil(this::idle, 60_000), () -> "not idle: " + describe());
        network.runFor(3_000);
        assertTrue(network.runUntil(this::idle, 60_000), () -> "not idle: " + describe());
    }

    private String describe() {
        StringBuilder b = new StringBuilder();
        for (SimPeer p : peers) {
            b.append(p.describe()).append('\n');
        }
        return b.toString();
    }

    private static void insert(SimPeer p, String collection, String id, Map<String, Object> fields) {
        Map<String, Object> doc = new java.util.LinkedHashMap<>(fields);
        doc.put("_id", id);
        p.execute("INSERT INTO " + collection + " DOCUMENTS (:d) ON ID CONFLICT DO UPDATE", Map.of("d", doc)).close();
    }

    @Test
    void pullsSubscribedDocumentsBothWays() {
        // given two peers subscribed to one collection
        SimPeer a = peer("a");
        SimPeer b = peer("b");
        a.subscribe("SELECT * FROM cars", Map.of());
        b.subscribe("SELECT * FROM cars", Map.of());

        // when each writes a document
        insert(a, "cars", "1", Map.of("color", "red"));
        insert(b, "cars", "2", Map.of("color", "blue"));
        settle();

        // then both hold both, byte-identical
        assertEquals(2, a.state("cars").size());
        assertEquals(a.state("cars"), b.state("cars"));
        assertEquals(0, a.engine.stats().protocolErrors() + b.engine.stats().protocolErrors());
    }

    @Test
    void sendsOnlyWhatTheRemoteSubscribedTo() {
        // given b subscribed to red cars only, a subscribed to nothing
        SimPeer a = peer("a");
        SimPeer b = peer("b");
        b.subscribe("SELECT * FROM cars WHERE color = :c", Map.of("c", "red"));

        // when a writes red and blue cars and trucks, and b writes a car
        insert(a, "cars", "1", Map.of("color", "red"));
        insert(a, "cars", "2", Map.of("color", "blue"));
        insert(a, "trucks", "3", Map.of("color", "red"));
        insert(b, "cars", "4", Map.of("color", "red"));
        settle();

        // then b got the red car only, and a (no subscription) got nothing: pull only
        assertEquals(List.of("1", "4"), List.copyOf(b.state("cars").keySet()));
        assertTrue(b.state("trucks").isEmpty());
        assertEquals(List.of("1", "2"), List.copyOf(a.state("cars").keySet()));
    }

    @Test
    void relaysThroughAMiddlePeer() {
        // given a line a - b - c (no link a - c), all subscribed
        network(7);
        network.setAutoConnect(false);
        SimPeer a = peer("a");
        SimPeer b = peer("b");
        SimPeer c = peer("c");
        network.connect("a", "b");
        network.connect("b", "c");
        for (SimPeer p : peers) {
            p.subscribe("SELECT * FROM notes", Map.of());
        }

        // when a and c write
        insert(a, "notes", "from-a", Map.of("text", "hello"));
        insert(c, "notes", "from-c", Map.of("text", "world"));
        settle();

        // then a's note reached c and c's note reached a, through b
        assertEquals(a.state("notes"), c.state("notes"));
        assertEquals(a.state("notes"), b.state("notes"));
        assertEquals(2, c.state("notes").size());
    }

    @Test
    void doesNotRelayWhatTheMiddlePeerDoesNotSubscribeTo() {
        // given a line a - b - c where only a and c subscribe
        network(8);
        network.setAutoConnect(false);
        SimPeer a = peer("a");
        SimPeer b = peer("b");
        SimPeer c = peer("c");
        network.connect("a", "b");
        network.connect("b", "c");
        a.subscribe("SELECT * FROM notes", Map.of());
        c.subscribe("SELECT * FROM notes", Map.of());

        // when a writes
        insert(a, "notes", "n", Map.of("text", "hello"));
        settle();

        // then nothing flows: b does not pull notes, so it holds nothing to relay
        assertTrue(b.state("notes").isEmpty());
        assertTrue(c.state("notes").isEmpty());
    }

    @Test
    void sendsOnlyDeltasAfterReconnect() {
        // given two synced peers with many documents
        SimPeer a = peer("a");
        SimPeer b = peer("b");
        b.subscribe("SELECT * FROM items", Map.of());
        for (int i = 0; i < 50; i++) {
            insert(a, "items", "i" + i, Map.of("n", i));
        }
        settle();
        assertEquals(50, b.state("items").size());
        long sentBefore = a.engine.stats().documentsSent();

        // when the link drops, a changes one document, and the link comes back
        network.flapLinks("a", "b");
        insert(a, "items", "i7", Map.of("n", 700));
        network.runFor(10_000);
        settle();

        // then only the changed document was sent again
        assertEquals(a.state("items"), b.state("items"));
        assertEquals(1, a.engine.stats().documentsSent() - sentBefore);
    }

    @Test
    void sendsOnlyDeltasAfterRestart() {
        // given two synced peers
        SimPeer a = peer("a");
        SimPeer b = peer("b");
        b.subscribe("SELECT * FROM items", Map.of());
        for (int i = 0; i < 30; i++) {
            insert(a, "items", "i" + i, Map.of("n", i));
        }
        settle();

        // when b crashes and restarts from its storage while a wrote two more documents
        b.crash();
        insert(a, "items", "new1", Map.of("n", 1));
        insert(a, "items", "i3", Map.of("n", 33));
        network.runFor(2_000);
        b.open();
        long sentBefore = a.engine.stats().documentsSent();
        network.runFor(10_000);
        settle();

        // then b has everything and a sent only the two changes
        assertEquals(a.state("items"), b.state("items"));
        assertEquals(2, a.engine.stats().documentsSent() - sentBefore);
    }

    @Test
    void cancellingASubscriptionStopsFurtherPulls() {
        // given b subscribed and synced
        SimPeer a = peer("a");
        SimPeer b = peer("b");
        b.subscribe("SELECT * FROM items", Map.of());
        insert(a, "items", "1", Map.of("n", 1));
        settle();
        assertEquals(1, b.state("items").size());

        // when b cancels and a writes more
        b.unsubscribe("SELECT * FROM items");
        settle();
        insert(a, "items", "2", Map.of("n", 2));
        insert(a, "items", "1", Map.of("n", 10));
        settle();

        // then b received nothing more (and kept what it had)
        assertEquals(List.of("1"), List.copyOf(b.state("items").keySet()));
        assertEquals(1L, b.scalar("SELECT n FROM items WHERE _id = '1'", Map.of()));
    }

    @Test
    void evictedDocumentsStillSubscribedComeBack() {
        // given b subscribed to the whole collection and synced
        SimPeer a = peer("a");
        SimPeer b = peer("b");
        b.subscribe("SELECT * FROM items", Map.of());
        insert(a, "items", "1", Map.of("n", 1));
        insert(a, "items", "2", Map.of("n", 2));
        settle();
        Map<Object, String> before = b.state("items");

        // when b evicts a document it still subscribes to
        b.execute("EVICT FROM items WHERE _id = '1'", Map.of()).close();
        assertEquals(1, b.state("items").size());
        settle();

        // then it came back from a
        assertEquals(before, b.state("items"));
    }

    @Test
    void evictedDocumentsNoLongerSubscribedStayAway() {
        // given b subscribed to red items, holding a red and (its own) blue item
        SimPeer a = peer("a");
        SimPeer b = peer("b");
        b.subscribe("SELECT * FROM items WHERE color = 'red'", Map.of());
        insert(a, "items", "r", Map.of("color", "red"));
        insert(a, "items", "g", Map.of("color", "green"));
        insert(b, "items", "b", Map.of("color", "blue"));
        settle();

        // when b evicts everything
        b.execute("EVICT FROM items", Map.of()).close();
        settle();

        // then only the subscribed red item came back
        assertEquals(List.of("r"), List.copyOf(b.state("items").keySet()));
    }

    @Test
    void deletesReplicateAsTombstones() {
        // given a synced document
        SimPeer a = peer("a");
        SimPeer b = peer("b");
        a.subscribe("SELECT * FROM items WHERE n > 0", Map.of());
        b.subscribe("SELECT * FROM items WHERE n > 0", Map.of());
        insert(a, "items", "1", Map.of("n", 1));
        settle();

        // when b deletes it
        b.execute("DELETE FROM items WHERE _id = '1'", Map.of()).close();
        settle();

        // then a holds the same tombstone
        CrdtDocument onA = a.documents("items").get("1");
        assertTrue(onA.isDeleted());
        assertEquals(a.state("items"), b.state("items"));
    }

    @Test
    void syncScopesBlockSendingEvenWhenASubscriptionMatches() {
        // given a keeps 'secrets' to itself and sends 'servers' to big peers only
        SimPeer a = peer("a");
        SimPeer b = peer("b");
        a.execute("ALTER SYSTEM SET USER_COLLECTION_SYNC_SCOPES = :s",
                Map.of("s", Map.of("secrets", "LocalPeerOnly", "servers", "BigPeerOnly", "small", "SmallPeersOnly")))
                .close();
        for (String c : List.of("secrets", "servers", "small", "shared")) {
            b.subscribe("SELECT * FROM " + c, Map.of());
            insert(a, c, "1", Map.of("v", c));
        }
        settle();

        // then the small peer b got only the collections whose scope allows small peers
        assertTrue(b.state("secrets").isEmpty());
        assertTrue(b.state("servers").isEmpty());
        assertEquals(1, b.state("small").size());
        assertEquals(1, b.state("shared").size());
    }

    @Test
    void sendsDocumentsLargerThanAFrameInParts() {
        // given frames of 64 KiB on the simulated links and a batch budget below that
        network(12);
        network.setMaxFrameSize(64 * 1024);
        SimPeer a = peer("a");
        SimPeer b = peer("b");
        b.subscribe("SELECT * FROM blobs", Map.of());

        // when a writes a 300 KB document next to small ones
        insert(a, "blobs", "small1", Map.of("n", 1));
        insert(a, "blobs", "big", Map.of("data", "x".repeat(300_000)));
        insert(a, "blobs", "small2", Map.of("n", 2));
        settle();

        // then b holds all three, identical
        assertEquals(a.state("blobs"), b.state("blobs"));
        assertEquals(3, b.state("blobs").size());
        assertEquals(0, a.engine.stats().protocolErrors() + b.engine.stats().protocolErrors());
    }

    @Test
    void syncGroupsPartitionDiscovery() {
        // given three peers, c in another sync group
        network(11);
        SimPeer a = new SimPeer(world, "a", 0);
        SimPeer b = new SimPeer(world, "b", 0);
        SimPeer c = new SimPeer(world, "c", 0);
        c.transportConfig = ditto.api.TransportConfig.defaults().setSyncGroup(7);
        for (SimPeer p : List.of(a, b, c)) {
            p.open();
            peers.add(p);
            p.subscribe("SELECT * FROM items", Map.of());
        }

        // when each writes
        insert(a, "items", "a", Map.of());
        insert(b, "items", "b", Map.of());
        insert(c, "items", "c", Map.of());
        settle();

        // then a and b synced, c stayed apart
        assertEquals(List.of("a", "b"), List.copyOf(a.state("items").keySet()));
        assertEquals(a.state("items"), b.state("items"));
        assertEquals(List.of("c"), List.copyOf(c.state("items").keySet()));
    }

    @Test
    void dataSyncInfoTracksEachRemotePeer() {
        // given two synced peers
        SimPeer a = peer("a");
        SimPeer b = peer("b");
        b.subscribe("SELECT * FROM items", Map.of());
        insert(a, "items", "1", Map.of());
        settle();

        // then each lists the other as connected; b received from a, a knows how far b acknowledged
        Map<String, Object> onA = a.engine.dataSyncInfo().get(0);
        Map<String, Object> onB = b.engine.dataSyncInfo().get(0);
        assertEquals("pk-b", onA.get("_id"));
        assertEquals("pk-a", onB.get("_id"));
        assertEquals("Connected", ((Map<?, ?>) onA.get("documents")).get("sync_session_status"));
        assertTrue((Long) ((Map<?, ?>) onA.get("documents")).get("synced_up_to_local_commit_id") > 0);
        assertTrue((Long) ((Map<?, ?>) onB.get("documents")).get("last_update_received_time") > 0);
        assertEquals(false, onA.get("is_ditto_server"));

        // when b stops, a shows it not connected; b shows a as disabled
        b.stop();
        settle();
        assertEquals("Not Connected", ((Map<?, ?>) a.engine.dataSyncInfo().get(0).get("documents"))
                .get("sync_session_status"));
        assertEquals("Disabled", ((Map<?, ?>) b.engine.dataSyncInfo().get(0).get("documents"))
                .get("sync_session_status"));
    }

    @Test
    void partitionedPeersConvergeAfterTheHeal() {
        // given three peers, one cut off
        SimPeer a = peer("a");
        SimPeer b = peer("b");
        SimPeer c = peer("c");
        for (SimPeer p : peers) {
            p.subscribe("SELECT * FROM items", Map.of());
        }
        settle();
        Partition cut = network.partition(Cut.isolate("c"));

        // when both sides write the same document
        insert(a, "items", "x", Map.of("side", "ab"));
        insert(c, "items", "x", Map.of("side", "c", "only", "c"));
        network.runFor(5_000);
        assertFalse(a.state("items").equals(c.state("items")));
        cut.heal();
        network.runFor(70_000);
        settle();

        // then all hold the same merged document
        assertEquals(a.state("items"), b.state("items"));
        assertEquals(a.state("items"), c.state("items"));
    }
}
