package ditto.engine.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import ditto.api.Diff;
import ditto.api.Differ;
import ditto.api.Move;

/** {@link Differ} (from the API) over the consecutive results an observer delivers. */
class DifferIntegrationTest {

    private static Diff next(BlockingQueue<Diff> diffs) throws InterruptedException {
        Diff d = diffs.poll(10, TimeUnit.SECONDS);
        assertNotNull(d, "no delivery");
        return d;
    }

    private static Diff diff(Set<Integer> insertions, Set<Integer> deletions, Set<Integer> updates, List<Move> moves) {
        return Diff.of(new TreeSet<>(insertions), new TreeSet<>(deletions), new TreeSet<>(updates), moves);
    }

    @Test
    void reportsInsertionsDeletionsUpdatesAndMovesBetweenDeliveries() throws Exception {
        // given
        FakeStore store = new FakeStore();
        store.upsert("tasks", ObserverHubTest.doc("a", "rank", 1L, "title", "A"));
        store.upsert("tasks", ObserverHubTest.doc("b", "rank", 2L, "title", "B"));
        store.upsert("tasks", ObserverHubTest.doc("c", "rank", 3L, "title", "C"));
        BlockingQueue<Diff> diffs = new LinkedBlockingQueue<>();
        try (ObserverHub hub = new ObserverHub(FakeStore.ditto(), store, null); Differ differ = new Differ()) {
            store.attach(hub);
            hub.register("SELECT * FROM tasks ORDER BY rank", null, result -> {
                diffs.add(differ.diff(result));
                result.close();
            });
            // then the first delivery inserts everything
            assertEquals(diff(Set.of(0, 1, 2), Set.of(), Set.of(), List.of()), next(diffs));
            // when b's title changes
            store.upsert("tasks", ObserverHubTest.doc("b", "rank", 2L, "title", "B2"));
            assertEquals(diff(Set.of(), Set.of(), Set.of(1), List.of()), next(diffs));
            // when c moves to the top
            store.upsert("tasks", ObserverHubTest.doc("c", "rank", 0L, "title", "C"));
            assertEquals(diff(Set.of(), Set.of(), Set.of(0), List.of(new Move(2, 0))), next(diffs));
            // when a (now index 1) is deleted
            store.delete("tasks", "a");
            assertEquals(diff(Set.of(), Set.of(1), Set.of(), List.of()), next(diffs));
            // when d is inserted between c and b
            store.upsert("tasks", ObserverHubTest.doc("d", "rank", 1L, "title", "D"));
            assertEquals(diff(Set.of(1), Set.of(), Set.of(), List.of()), next(diffs));
        }
    }
}
