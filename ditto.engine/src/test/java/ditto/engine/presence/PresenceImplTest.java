package ditto.engine.presence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ditto.api.Connection;
import ditto.api.ConnectionType;
import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.PeerOS;
import ditto.api.Presence;
import ditto.api.PresenceGraph;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.StorageParameters;
import ditto.engine.TreeMapStorageProvider;
import ditto.engine.store.AttachmentSupport;
import ditto.engine.store.StoreImpl;
import ditto.engine.sync.SyncEngine;
import ditto.engine.sync.SyncRuntime;
import ditto.engine.wire.Message;

/**
 * Presence without a network: the local-only graph while sync is stopped, the peer metadata
 * setters and their limits, observers told of metadata changes, and how a snapshot of records
 * becomes a graph (only mutual edges of the same type; invalid remote metadata shows empty).
 */
class PresenceImplTest {

    private Storage storage;
    private StoreImpl store;
    private SyncEngine engine;
    private PresenceImpl presence;

    @BeforeEach
    void open() {
        storage = new TreeMapStorageProvider().open(new StorageParameters(Path.of("unused"), Optional.empty(), Map.of()));
        Ditto ditto = (Ditto) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Ditto.class},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        AttachmentSupport attachments = (AttachmentSupport) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AttachmentSupport.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        store = StoreImpl.open(storage, ditto, () -> { }, attachments, null, 0);
        engine = new SyncEngine(store, "00000000-0000-4000-8000-000000000009", SyncRuntime.threaded("presence-test"),
                SyncEngine.Options.DEFAULTS, "presence-test");
        presence = new PresenceImpl(engine, () -> new SyncEngine.LocalPeer("pk-local", "laptop"), () -> { },
                Runnable::run, new ConnectionRequests(Runnable::run, (millis, task) -> { }, 10_000));
    }

    @AfterEach
    void close() {
        presence.close();
        engine.close();
        store.close();
        storage.close();
    }

    @Test
    void showsThisPeerAloneWhileSyncIsStopped() {
        PresenceGraph g = presence.graph();
        assertEquals("pk-local", g.localPeer().peerKeyString());
        assertEquals("laptop", g.localPeer().deviceName());
        assertEquals(PeerOS.current(), g.localPeer().os());
        assertEquals(Ditto.version(), g.localPeer().dittoSdkVersion());
        assertEquals(List.of(), g.remotePeers());
        assertEquals(Map.of(), g.allConnectionsById());
    }

    @Test
    void peerMetadataSettersRoundTripAndObserversHearOfThem() {
        // given an observer
        List<PresenceGraph> seen = new ArrayList<>();
        presence.observe(seen::add);
        assertEquals(1, seen.size());

        // when the map setter is used
        presence.setPeerMetadata(Map.of("team", "red"));

        // then the getters and the graph show it, and the observer was told
        assertEquals(Map.of("team", "red"), presence.peerMetadata());
        assertArrayEquals("{\"team\":\"red\"}".getBytes(StandardCharsets.UTF_8), presence.peerMetadataJsonData());
        assertEquals(Map.of("team", "red"), presence.graph().localPeer().peerMetadata());
        assertEquals(2, seen.size());
        assertEquals(Map.of("team", "red"), seen.get(1).localPeer().peerMetadata());

        // when the JSON setter is used
        presence.setPeerMetadataJsonData("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("n", 1L), presence.peerMetadata());
        assertEquals(3, seen.size());
    }

    @Test
    void peerMetadataSettersEnforceTheLimits() {
        presence.setPeerMetadata(Map.of("keep", true));
        byte[] big = ("{\"k\":\"" + "x".repeat(Presence.MAX_PEER_METADATA_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
        DittoException e = assertThrows(DittoException.class, () -> presence.setPeerMetadataJsonData(big));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains("MAX_PEER_METADATA_BYTES"), e.getMessage());
        e = assertThrows(DittoException.class, () -> presence.setPeerMetadata(Map.of("k", "x".repeat(
                Presence.MAX_PEER_METADATA_BYTES))));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        presence.setPeerMetadataJsonData(SmallPeerInfoImplTest.nested(64).getBytes(StandardCharsets.UTF_8));
        e = assertThrows(DittoException.class, () -> presence.setPeerMetadataJsonData(
                SmallPeerInfoImplTest.nested(65).getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("MAX_PEER_METADATA_DEPTH"), e.getMessage());
        assertThrows(DittoException.class, () -> presence.setPeerMetadataJsonData(null));
        assertThrows(DittoException.class, () -> presence.setPeerMetadataJsonData("nope".getBytes(StandardCharsets.UTF_8)));
        assertEquals(SmallPeerInfoImplTest.nested(64), new String(presence.peerMetadataJsonData(), StandardCharsets.UTF_8));
    }

    private static Message.Presence record(String key, String metadata, Message.PresenceLink... links) {
        return new Message.Presence(key, 1, "dev " + key, "Android", "9.9", 1, metadata.getBytes(StandardCharsets.UTF_8),
                MetadataJson.EMPTY_OBJECT, List.of(links));
    }

    private static Message.PresenceLink link(String key, ConnectionType type) {
        return new Message.PresenceLink(key, type.wireName());
    }

    @Test
    void aSnapshotBecomesAGraphOfMutualEdges() {
        // given a - b mutual over two types, b - c announced only by b, and c with invalid metadata
        Message.Presence a = record("a", "{}", link("b", ConnectionType.ACCESS_POINT), link("b", ConnectionType.BLUETOOTH));
        Message.Presence b = record("b", "{\"x\":1}", link("a", ConnectionType.ACCESS_POINT),
                link("a", ConnectionType.BLUETOOTH), link("c", ConnectionType.WEB_SOCKET));
        Message.Presence c = record("c", "{broken");

        // when turned into a graph
        PresenceGraph g = PresenceImpl.graphOf(new SyncEngine.PresenceSnapshot(a, List.of(b, c)));

        // then there are exactly the two a - b connections, with their deterministic ids
        assertEquals(2, g.allConnectionsById().size());
        assertTrue(g.allConnectionsById().containsKey(Connection.between("a", "b", ConnectionType.ACCESS_POINT).id()));
        assertTrue(g.allConnectionsById().containsKey(Connection.between("b", "a", ConnectionType.BLUETOOTH).id()));
        assertEquals(2, g.localPeer().connections().size());
        assertEquals(List.of(), g.peer("c").orElseThrow().connections());
        assertEquals(Map.of("x", 1L), g.peer("b").orElseThrow().peerMetadata());
        assertEquals(Map.of(), g.peer("c").orElseThrow().peerMetadata());
        assertEquals(PeerOS.ANDROID, g.peer("b").orElseThrow().os());
        assertEquals("9.9", g.peer("b").orElseThrow().dittoSdkVersion());
    }
}
