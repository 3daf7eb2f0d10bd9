package ditto.engine.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ditto.api.spi.auth.Permissions;

/**
 * Permissions are enforced by the receiving and the sending peer (simulated network, fixed seed):
 * a client never receives documents outside its read permission, and documents it changes
 * outside its write permission are not stored by the server (so not relayed), counted and shown
 * in {@code system:data_sync_info}. The server peer subscribes to every collection by itself.
 */
class PermissionsTest {

    private static final Permissions ALICE = new Permissions(
            Map.of("cars", Permissions.Rule.matching(List.of("_id.owner = 'alice'")), "notes", Permissions.Rule.everything()),
            Map.of("cars", Permissions.Rule.matching(List.of("_id.owner = 'alice'", "_id.shared = true")),
                    "notes", Permissions.Rule.everything()));

    private final SimWorld world = SimWorld.of(20261126L);
    private final SimPeer server = new SimPeer(world, "server", 0);
    private final SimPeer alice = new SimPeer(world, "alice", 0);

    @AfterEach
    void close() {
        alice.close();
        server.close();
    }

    private void openBoth() {
        server.serverPeer = true;
        server.channels = grantEveryRemote("alice", ALICE);
        alice.channels = grantEveryRemote("", Permissions.everything());
        server.open();
        alice.open();
    }

    @Test
    void clientReceivesOnlyWhatItMayRead() {
        // given: the server holds cars of alice and bob
        openBoth();
        server.execute("INSERT INTO cars DOCUMENTS ({'_id': {'owner': 'alice', 'n': 1}, 'make': 'Ford'}),"
                + " ({'_id': {'owner': 'bob', 'n': 1}, 'make': 'Fiat'})", Map.of()).close();
        server.execute("INSERT INTO boats DOCUMENTS ({'_id': 'b1'})", Map.of()).close();

        // when: alice subscribes to every car and every boat
        alice.subscribe("SELECT * FROM cars", Map.of());
        alice.subscribe("SELECT * FROM boats", Map.of());
        world.network().runFor(10_000);

        // then
        assertEquals(Set.of(Map.of("owner", "alice", "n", 1L)), alice.state("cars").keySet());
        assertTrue(alice.state("boats").isEmpty());

        // and a deletion of bob's car is not sent either (not even its tombstone)
        server.execute("DELETE FROM cars WHERE _id.owner = 'bob'", Map.of()).close();
        server.execute("UPDATE cars SET make = 'Opel' WHERE _id.owner = 'alice'", Map.of()).close();
        world.network().runFor(10_000);
        assertEquals(Set.of(Map.of("owner", "alice", "n", 1L)), alice.state("cars").keySet());
        assertEquals(1, alice.scalar("SELECT COUNT(*) FROM cars WHERE make = 'Opel'", Map.of()));
    }

    @Test
    void serverStoresEveryCollectionButRejectsWritesOutsidePermission() {
        // given
        openBoth();

        // when: alice writes her car, bob's car, a shared car, a note and a boat (no subscription on the server)
        alice.execute("INSERT INTO cars DOCUMENTS ({'_id': {'owner': 'alice', 'n': 2}}), ({'_id': {'owner': 'bob', 'n': 2}}),"
                + " ({'_id': {'owner': 'carol', 'shared': true}})", Map.of()).close();
        alice.execute("INSERT INTO notes DOCUMENTS ({'_id': 'n1', 'text': 'hello'})", Map.of()).close();
        alice.execute("INSERT INTO boats DOCUMENTS ({'_id': 'b2'})", Map.of()).close();
        world.network().runFor(10_000);

        // then: the server took what alice may write and nothing else
        assertEquals(Set.of(Map.of("owner", "alice", "n", 2L), Map.of("owner", "carol", "shared", true)),
                server.state("cars").keySet());
        assertEquals(Set.of("n1"), server.state("notes").keySet());
        assertTrue(server.state("boats").isEmpty());
        assertEquals(2, server.engine.stats().writesForbidden());
        Map<String, Object> row = server.engine.dataSyncInfo().stream()
                .filter(r -> r.get("_id").equals("pk-alice")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> documents = (Map<String, Object>) row.get("documents");
        assertEquals(2L, documents.get("rejected_writes"));
        assertTrue(String.valueOf(documents.get("last_rejected_write")).startsWith("boats")
                || String.valueOf(documents.get("last_rejected_write")).startsWith("cars"), row.toString());
        // the client keeps its own writes: rejection happens where they are received
        assertEquals(3, alice.state("cars").size());
    }

    @Test
    void anEchoOfDocumentsTheClientMayNotWriteIsNotARejection() {
        // given: alice reads (but may not write) a car of hers that the server wrote... she may read
        // every note and write them; the server writes a note, alice receives it and the server then
        // subscribes to alice's notes, which echoes the note back unchanged
        openBoth();
        server.execute("INSERT INTO cars DOCUMENTS ({'_id': {'owner': 'alice', 'n': 9}})", Map.of()).close();
        alice.subscribe("SELECT * FROM cars", Map.of());

        // when
        world.network().runFor(10_000);

        // then: nothing counted as a rejected write, although alice sent the car back to the server
        assertEquals(1, alice.state("cars").size());
        assertEquals(0, server.engine.stats().writesForbidden());
        assertFalse(server.engine.dataSyncInfo().stream().anyMatch(r -> String.valueOf(r.get("documents"))
                .contains("rejected_writes")));
    }

    /** A channel factory that gives every remote the same grant (a star: one kind of remote per peer). */
    private static ChannelFactory grantEveryRemote(String user, Permissions permissions) {
        return (link, listener) -> listener.onEstablished(link, null,
                new ChannelFactory.Grant(user, permissions, Long.MAX_VALUE));
    }
}
