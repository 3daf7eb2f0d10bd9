package ditto.engine.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ditto.api.Connection;
import ditto.api.ConnectionRequest;
import ditto.api.ConnectionRequestAuthorization;
import ditto.api.ConnectionType;
import ditto.api.Ditto;
import ditto.api.Peer;
import ditto.api.PeerOS;
import ditto.api.PresenceGraph;
import ditto.api.PresenceObserver;
import ditto.engine.presence.ConnectionRequests;
import ditto.engine.presence.PresenceImpl;
import ditto.engine.presence.SmallPeerInfoImpl;
import ditto.testkit.sim.SimNetwork;

/**
 * The presence graph on the simulated network (one thread, virtual time): records relayed
 * across hops in a line and a star, deterministic connection ids, metadata changes, removal of
 * edges and unreachable peers after a disconnect, observers, and the connection request handler
 * (allow, deny with retry, exception, timeout); small peer info synced to a subscriber.
 */
class PresenceTableTest {

    private final List<SimPeer> peers = new ArrayList<>();
    private final Map<String, PresenceImpl> presences = new LinkedHashMap<>();
    private final List<Runnable> parked = new ArrayList<>();
    private SimWorld world;
    private SimNetwork network;

    private PresenceImpl peer(String id) {
        if (network == null) {
            world = SimWorld.of(7);
            network = world.network();
            network.setAutoConnect(false);
        }
        SimPeer p = new SimPeer(world, id, 0);
        p.open();
        peers.add(p);
        ConnectionRequests requests = new ConnectionRequests(task -> {
            if (parkHandlers) {
                parked.add(task);
            } else {
                task.run();
            }
        }, (millis, task) -> p.clock.base().schedule(millis, task), ConnectionRequests.DEFAULT_TIMEOUT_MILLIS);
        PresenceImpl presence = new PresenceImpl(p.engine, () -> new SyncEngine.LocalPeer("pk-" + id, "device " + id),
                () -> { }, Runnable::run, requests);
        presences.put(id, presence);
        return presence;
    }

    private boolean parkHandlers;

    @AfterEach
    void closePeers() {
        for (PresenceImpl p : presences.values()) {
            p.close();
        }
        for (SimPeer p : peers) {
            p.close();
        }
    }

    private void settle() {
        network.runFor(5_000);
    }

    private static Set<String> keys(PresenceGraph g) {
        Set<String> keys = new TreeSet<>();
        keys.add(g.localPeer().peerKeyString());
        for (Peer p : g.remotePeers()) {
            keys.add(p.peerKeyString());
        }
        return keys;
    }

    private static Set<String> expectedIds(String... pairs) {
        Set<String> ids = new TreeSet<>();
        for (String pair : pairs) {
            String[] ends = pair.split("-");
            ids.add(Connection.between("pk-" + ends[0], "pk-" + ends[1], ConnectionType.ACCESS_POINT).id());
        }
        return ids;
    }

    @Test
    void everyPeerOfALineSeesTheWholeGraph() {
        // given a line a - b - c - d
        for (String id : List.of("a", "b", "c", "d")) {
            peer(id);
        }
        network.connect("a", "b");
        network.connect("b", "c");
        network.connect("c", "d");

        // when the sessions settle
        settle();

        // then every peer knows all four peers and the three connections, with deterministic ids
        for (PresenceImpl p : presences.values()) {
            PresenceGraph g = p.graph();
            assertEquals(Set.of("pk-a", "pk-b", "pk-c", "pk-d"), keys(g), g::toJson);
            assertEquals(expectedIds("a-b", "b-c", "c-d"), new TreeSet<>(g.allConnectionsById().keySet()), g::toJson);
        }
        PresenceGraph fromA = presences.get("a").graph();
        Peer d = fromA.peer("pk-d").orElseThrow();
        assertEquals("device d", d.deviceName());
        assertEquals(PeerOS.current(), d.os());
        assertEquals(Ditto.version(), d.dittoSdkVersion());
        assertTrue(d.isCompatible());
        assertEquals(1, d.connections().size());
        assertEquals(1, fromA.localPeer().connections().size());
    }

    @Test
    void everyPeerOfAStarSeesTheWholeGraph() {
        // given a hub h with three spokes
        for (String id : List.of("h", "x", "y", "z")) {
            peer(id);
        }
        network.connect("x", "h");
        network.connect("h", "y");
        network.connect("z", "h");

        // when the sessions settle
        settle();

        // then each spoke sees the other spokes through the hub
        for (PresenceImpl p : presences.values()) {
            PresenceGraph g = p.graph();
            assertEquals(Set.of("pk-h", "pk-x", "pk-y", "pk-z"), keys(g), g::toJson);
            assertEquals(expectedIds("h-x", "h-y", "h-z"), new TreeSet<>(g.allConnectionsById().keySet()), g::toJson);
        }
        assertEquals(3, presences.get("x").graph().peer("pk-h").orElseThrow().connections().size());
    }

    @Test
    void metadataChangesPropagateAcrossHops() {
        // given a line a - b - c
        PresenceImpl a = peer("a");
        peer("b");
        PresenceImpl c = peer("c");
        network.connect("a", "b");
        network.connect("b", "c");
        settle();

        // when c changes its metadata
        c.setPeerMetadata(Map.of("team", "red", "level", 3L));
        settle();

        // then a sees it two hops away, and c's own view has it too
        assertEquals(Map.of("team", "red", "level", 3L), a.graph().peer("pk-c").orElseThrow().peerMetadata());
        assertEquals(Map.of("team", "red", "level", 3L), c.graph().localPeer().peerMetadata());

        // when it changes again through the JSON setter
        c.setPeerMetadataJsonData("{\"team\":\"blue\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        settle();

        // then the newer version replaces the older one
        assertEquals(Map.of("team", "blue"), a.graph().peer("pk-c").orElseThrow().peerMetadata());
    }

    @Test
    void aDisconnectRemovesTheEdgeAndThePeersBehindIt() {
        // given a line a - b - c - d
        PresenceImpl a = peer("a");
        peer("b");
        PresenceImpl c = peer("c");
        peer("d");
        network.connect("a", "b");
        network.connect("b", "c");
        network.connect("c", "d");
        settle();
        assertEquals(4, keys(a.graph()).size());

        // when b - c goes away
        network.disconnect("b", "c");
        settle();

        // then each side sees only its half
        assertEquals(Set.of("pk-a", "pk-b"), keys(a.graph()), a.graph()::toJson);
        assertEquals(expectedIds("a-b"), a.graph().allConnectionsById().keySet());
        assertEquals(Set.of("pk-c", "pk-d"), keys(c.graph()), c.graph()::toJson);

        // when it comes back
        network.connect("b", "c");
        settle();

        // then the whole graph is back
        assertEquals(Set.of("pk-a", "pk-b", "pk-c", "pk-d"), keys(a.graph()));
        assertEquals(expectedIds("a-b", "b-c", "c-d"), new TreeSet<>(a.graph().allConnectionsById().keySet()));
    }

    @Test
    void observersGetTheGraphAtOnceThenEveryChange() {
        // given two unconnected peers and an observer on a
        PresenceImpl a = peer("a");
        peer("b");
        List<PresenceGraph> seen = new ArrayList<>();
        PresenceObserver observer = a.observe(seen::add);

        // then it got the current graph at once: a alone
        assertEquals(1, seen.size());
        assertEquals(Set.of("pk-a"), keys(seen.get(0)));

        // when a connects to b
        network.connect("a", "b");
        settle();

        // then it was told, and the last graph shows both
        assertTrue(seen.size() > 1);
        assertEquals(Set.of("pk-a", "pk-b"), keys(seen.get(seen.size() - 1)));
        for (int i = 1; i < seen.size(); i++) {
            assertFalse(seen.get(i).equals(seen.get(i - 1)), "an unchanged graph was delivered again");
        }

        // when the observer stops and the graph changes
        observer.stop();
        int count = seen.size();
        presences.get("b").setPeerMetadata(Map.of("k", "v"));
        settle();

        // then nothing more arrives
        assertTrue(observer.isStopped());
        assertEquals(count, seen.size());
    }

    @Test
    void anAllowedPeerSyncsAndAppearsInTheGraph() {
        // given a handler on b that allows a
        peer("a").setPeerMetadata(Map.of("role", "tablet"));
        PresenceImpl b = peer("b");
        List<ConnectionRequest> requests = new ArrayList<>();
        b.setConnectionRequestHandler(r -> {
            requests.add(r);
            return ConnectionRequestAuthorization.ALLOW;
        });

        // when a connects
        network.connect("a", "b");
        settle();

        // then the handler saw a's key and metadata, and the peers are connected
        assertEquals(1, requests.size());
        assertEquals("pk-a", requests.get(0).peerKey());
        assertEquals(Map.of("role", "tablet"), requests.get(0).peerMetadata());
        assertEquals(Set.of("pk-a", "pk-b"), keys(b.graph()));
        assertEquals(Set.of("pk-a", "pk-b"), keys(presences.get("a").graph()));
    }

    @Test
    void aDeniedPeerSeesNoDataAndRetriesLater() {
        // given b denies everyone and holds a document a subscribes to
        PresenceImpl a = peer("a");
        PresenceImpl b = peer("b");
        peers.get(0).subscribe("SELECT * FROM notes", Map.of());
        peers.get(1).execute("INSERT INTO notes DOCUMENTS ({'_id': 'n1'})", Map.of()).close();
        AtomicInteger asked = new AtomicInteger();
        b.setConnectionRequestHandler(r -> {
            asked.incrementAndGet();
            return ConnectionRequestAuthorization.DENY;
        });

        // when a connects and keeps retrying
        network.connect("a", "b");
        network.runFor(30_000);

        // then nothing synced, neither graph shows the other, and a tried again after being denied
        assertEquals(0, peers.get(0).documents("notes").size());
        assertEquals(Set.of("pk-a"), keys(a.graph()));
        assertEquals(Set.of("pk-b"), keys(b.graph()));
        assertTrue(asked.get() >= 2, "asked " + asked.get() + " times");

        // when b allows from now on
        b.setConnectionRequestHandler(r -> ConnectionRequestAuthorization.ALLOW);
        network.runFor(30_000);

        // then a's retry gets through and the document arrives
        assertEquals(1, peers.get(0).documents("notes").size());
        assertEquals(Set.of("pk-a", "pk-b"), keys(a.graph()));
    }

    @Test
    void aHandlerThatThrowsDenies() {
        // given a handler on b that throws
        PresenceImpl a = peer("a");
        PresenceImpl b = peer("b");
        AtomicInteger asked = new AtomicInteger();
        b.setConnectionRequestHandler(r -> {
            asked.incrementAndGet();
            throw new IllegalStateException("boom");
        });

        // when a connects
        network.connect("a", "b");
        settle();

        // then the handler ran and the session was denied
        assertTrue(asked.get() >= 1);
        assertEquals(Set.of("pk-a"), keys(a.graph()));
        assertEquals(Set.of("pk-b"), keys(b.graph()));
    }

    @Test
    void aHandlerThatDoesNotAnswerWithinTenSecondsDenies() {
        // given a handler on b that never gets to answer
        PresenceImpl a = peer("a");
        PresenceImpl b = peer("b");
        b.setConnectionRequestHandler(r -> ConnectionRequestAuthorization.ALLOW);
        parkHandlers = true;

        // when a connects and 9 s pass
        network.connect("a", "b");
        network.runFor(9_000);

        // then the request is still pending: no connection, the session open
        assertEquals(1, parked.size());
        assertEquals(Set.of("pk-b"), keys(b.graph()));
        long denied = peers.get(1).engine.stats().sessionsClosed.get();

        // when the 10 s pass
        network.runFor(2_000);

        // then the session was closed (denied), and a late answer changes nothing
        assertTrue(peers.get(1).engine.stats().sessionsClosed.get() > denied);
        parked.get(0).run();
        network.runFor(100);
        assertEquals(Set.of("pk-b"), keys(b.graph()));
        assertEquals(Set.of("pk-a"), keys(a.graph()));
    }

    @Test
    void smallPeerInfoReachesAPeerThatSubscribesToItsCollection() {
        // given a - b, b subscribed to __small_peer_info, and a publishing small peer info every 300 s
        PresenceImpl a = peer("a");
        peer("b");
        SimPeer simA = peers.get(0);
        SmallPeerInfoImpl info = new SmallPeerInfoImpl(simA.store, () -> a.graph().localPeer(), simA.engine::isActive,
                simA.clock::millis, (delay, task) -> simA.clock.base().schedule(delay, task)::cancel, () -> { });
        info.setMetadata(Map.of("site", "north"));
        peers.get(1).subscribe("SELECT * FROM __small_peer_info", Map.of());
        network.connect("a", "b");
        settle();

        // when the interval passes
        network.runFor(300_000);
        info.close();

        // then b holds a's document, with a's connection to b
        QueryResultItemView doc = new QueryResultItemView(peers.get(1).execute(
                "SELECT * FROM __small_peer_info WHERE _id = 'pk-a'", Map.of()));
        assertEquals("device a", doc.value.get("device_name"));
        assertEquals(Map.of("site", "north"), doc.value.get("metadata"));
        assertEquals(1, ((List<?>) doc.value.get("connections")).size());
    }

    /** The single row of a query result. */
    private static final class QueryResultItemView {
        final Map<String, Object> value;

        QueryResultItemView(ditto.api.QueryResult result) {
            try (result) {
                assertEquals(1, result.items().size());
                value = result.items().get(0).value();
            }
        }
    }
}
