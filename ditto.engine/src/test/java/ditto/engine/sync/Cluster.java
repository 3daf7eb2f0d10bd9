package ditto.engine.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.crdt.CrdtDocument;
import ditto.testkit.sim.SimNetwork;
import ditto.testkit.sim.SimRun;

/**
 * A simulated cluster for the reliability suites (R3–R6, R9): peers, a random workload against a
 * small model, and the convergence checks.
 *
 * <p>Workload: {@code items} (every peer subscribes to all of it) gets upserts, SETs, UNSETs,
 * DELETEs and the odd EVICT on a small pool of ids, so peers conflict constantly;
 * {@code counters} (all subscribed) gets only increments of counters that every peer seeds as
 * identical INITIAL documents, so the model knows each exact total; {@code notes} is subscribed
 * by some peers only, with {@code WHERE kind = 'a'}, and each peer writes notes of kind a and b
 * (kind never changes): subscribers must end with every kind-a note of everybody, identical, and
 * non-subscribers with their own notes only (pull, never push).
 *
 * <p>Converged means: every peer that is up is idle (nothing unacknowledged, nothing unscanned,
 * no task queued), nothing is in flight, {@code items} and {@code counters} are byte-identical
 * everywhere (documents, version vectors and tombstones), counters equal the model, and the
 * notes rules hold.
 */
final class Cluster {

    static final List<String> ITEM_IDS = List.of("i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "i9");
    static final List<String> COUNTER_IDS = List.of("k0", "k1", "k2");
    static final String NOTES_QUERY = "SELECT * FROM notes WHERE kind = :kind";

    final SimWorld world;
    final SimNetwork network;
    final RandomGenerator random;
    final List<SimPeer> peers = new ArrayList<>();
    final Set<String> noteSubscribers = new LinkedHashSet<>();
    private final Map<String, Long> counterTotals = new TreeMap<>();
    private final Map<String, String> notesWritten = new TreeMap<>();
    private int noteNumber;
    private final boolean notesEverywhere;

    /**
     * Creates and opens the peers.
     *
     * @param trial the seed's trial
     * @param count how many peers
     * @param line true for a line topology (explicit links only, so data must be relayed);
     *        false for a full mesh found by discovery
     * @param skews each peer's clock skew in milliseconds (null for none)
     */
    Cluster(SimRun.Trial trial, int count, boolean line, long[] skews) {
        this.world = SimWorld.of(trial);
        this.network = world.network();
        this.random = trial.random();
        this.notesEverywhere = line;
        network.setAutoConnect(!line);
        for (int i = 0; i < count; i++) {
            SimPeer p = new SimPeer(world, "p" + i, skews == null ? 0 : skews[i]);
            p.open();
            peers.add(p);
            seed(p);
            p.subscribe("SELECT * FROM items", Map.of());
            p.subscribe("SELECT * FROM counters", Map.of());
            if (line || random.nextInt(3) > 0) {
                p.subscribe(NOTES_QUERY, Map.of("kind", "a"));
                noteSubscribers.add(p.id);
            }
        }
        if (line) {
            for (int i = 0; i + 1 < count; i++) {
                network.connect("p" + i, "p" + (i + 1));
            }
        }
        for (String id : COUNTER_IDS) {
            counterTotals.put(id, 0L);
        }
        trial.note(this::describe);
    }

    /** Seeds the counters as INITIAL documents (identical on every peer, so they merge into one). */
    private static void seed(SimPeer p) {
        for (String id : COUNTER_IDS) {
            p.execute("INSERT INTO COLLECTION counters (c COUNTER) INITIAL DOCUMENTS (:d)",
                    Map.of("d", Map.of("_id", id, "c", 0L))).close();
        }
    }

    List<SimPeer> up() {
        List<SimPeer> out = new ArrayList<>();
        for (SimPeer p : peers) {
            if (p.isUp()) {
                out.add(p);
            }
        }
        return out;
    }

    SimPeer randomPeer() {
        List<SimPeer> up = up();
        return up.get(random.nextInt(up.size()));
    }

    /** Runs one random write on a random peer that is up. */
    void randomOp() {
        List<SimPeer> up = up();
        if (up.isEmpty()) {
            return;
        }
        SimPeer p = up.get(random.nextInt(up.size()));
        String id = ITEM_IDS.get(random.nextInt(ITEM_IDS.size()));
        int r = random.nextInt(100);
        try {
            if (r < 25) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("_id", id);
                doc.put("f" + random.nextInt(4), value());
                doc.put("by", p.id);
                p.execute("INSERT INTO items DOCUMENTS (:d) ON ID CONFLICT DO UPDATE", Map.of("d", doc)).close();
            } else if (r < 45) {
                p.execute("UPDATE items SET f" + random.nextInt(4) + " = :v, nested.x = :x WHERE _id = :id",
                        Map.of("v", value(), "x", random.nextInt(100), "id", id)).close();
            } else if (r < 52) {
                p.execute("UPDATE items UNSET f" + random.nextInt(4) + " WHERE _id = :id", Map.of("id", id)).close();
            } else if (r < 60) {
                p.execute("DELETE FROM items WHERE _id = :id", Map.of("id", id)).close();
            } else if (r < 62) {
                p.execute("EVICT FROM items WHERE _id = :id", Map.of("id", id)).close();
            } else if (r < 82) {
                String counter = COUNTER_IDS.get(random.nextInt(COUNTER_IDS.size()));
                long by = random.nextInt(9) + 1;
                p.execute("UPDATE COLLECTION counters (c COUNTER) APPLY c INCREMENT BY :n WHERE _id = :id",
                        Map.of("n", by, "id", counter)).close();
                counterTotals.merge(counter, by, Long::sum);
            } else if (r < 92) {
                String note = p.id + "-n" + (noteNumber++);
                String kind = random.nextBoolean() ? "a" : "b";
                p.execute("INSERT INTO notes DOCUMENTS (:d)",
                        Map.of("d", Map.of("_id", note, "kind", kind, "text", "t" + random.nextInt(1000)))).close();
                notesWritten.put(note, kind);
            } else {
                List<String> known = new ArrayList<>(notesWritten.keySet());
                if (!known.isEmpty()) {
                    String note = known.get(random.nextInt(known.size()));
                    p.execute("UPDATE notes SET text = :t WHERE _id = :id AND kind = 'a'",
                            Map.of("t", "u" + random.nextInt(1000), "id", note)).close();
                }
            }
        } catch (DittoException e) {
            if (e.code() != ErrorCode.DOCUMENT_ID_CONFLICT) {
                throw e;
            }
        }
    }

    private Object value() {
        return switch (random.nextInt(4)) {
            case 0 -> (long) random.nextInt(1000);
            case 1 -> "s" + random.nextInt(1000);
            case 2 -> random.nextBoolean();
            default -> List.of(random.nextInt(10), "x");
        };
    }

    /** Delivers up to {@code steps} network events one at a time, in random order. */
    void steps(int steps) {
        for (int i = 0; i < steps; i++) {
            if (!network.step()) {
                network.runFor(1 + random.nextInt(200));
            }
        }
    }

    /** Whether every peer that is up is idle and nothing is in flight. */
    boolean idle() {
        for (SimPeer p : up()) {
            if (!p.isIdle()) {
                return false;
            }
        }
        return network.inFlightFrames() == 0;
    }

    /** Whether the cluster has converged (see the class comment); exceptions mean no. */
    boolean converged() {
        if (!idle()) {
            return false;
        }
        try {
            check();
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    /**
     * Runs the network until converged, checking every half second of virtual time.
     *
     * @return the virtual milliseconds it took
     */
    long awaitConvergence(long maxMillis) {
        long start = network.clock().millis();
        while (network.clock().millis() - start < maxMillis) {
            network.runFor(500);
            if (converged()) {
                return network.clock().millis() - start;
            }
        }
        check();
        throw new AssertionError("idle but not converged?");
    }

    /** Asserts convergence (see the class comment). */
    void check() {
        List<SimPeer> up = up();
        assertTrue(idle(), "not idle");
        SimPeer first = up.get(0);
        Map<Object, String> items = first.state("items");
        Map<Object, String> counters = first.state("counters");
        for (SimPeer p : up) {
            assertEquals(items, p.state("items"), "items of " + p.id + " differ from " + first.id);
            assertEquals(counters, p.state("counters"), "counters of " + p.id + " differ from " + first.id);
            assertEquals(0, p.engine.stats().internalErrors(), "internal errors on " + p.id);
        }
        for (String id : COUNTER_IDS) {
            long value = first.scalar("SELECT c FROM counters WHERE _id = :id", Map.of("id", id));
            assertEquals((long) counterTotals.get(id), value, "counter " + id);
        }
        Map<Object, String> kindA = null;
        String reference = null;
        for (SimPeer p : up) {
            Map<Object, CrdtDocument> notes = p.documents("notes");
            if (noteSubscribers.contains(p.id)) {
                Map<Object, String> mine = new TreeMap<>();
                for (Map.Entry<Object, CrdtDocument> e : notes.entrySet()) {
                    if (e.getValue().value().map(v -> "a".equals(v.get("kind"))).orElse(false)) {
                        mine.put(e.getKey(), java.util.HexFormat.of().formatHex(e.getValue().encode()));
                    }
                }
                for (Map.Entry<String, String> w : notesWritten.entrySet()) {
                    if (w.getValue().equals("a")) {
                        assertTrue(mine.containsKey(w.getKey()), "note " + w.getKey() + " missing on " + p.id);
                    }
                }
                if (kindA == null) {
                    kindA = mine;
                    reference = p.id;
                } else {
                    assertEquals(kindA, mine, "kind-a notes of " + p.id + " differ from " + reference);
                }
            } else if (!notesEverywhere) {
                for (Object id : notes.keySet()) {
                    assertTrue(String.valueOf(id).startsWith(p.id + "-"),
                            "non-subscriber " + p.id + " received note " + id);
                }
            }
        }
    }

    String describe() {
        StringBuilder b = new StringBuilder("cluster: note subscribers " + noteSubscribers + ", counters "
                + counterTotals + "\n");
        for (SimPeer p : peers) {
            try {
                b.append(p.describe()).append('\n');
                if (p.isUp()) {
                    b.append("  items ").append(p.documents("items").keySet()).append('\n');
                }
            } catch (RuntimeException e) {
                b.append("  (").append(e).append(")\n");
            }
        }
        return b.toString();
    }

    void close() {
        for (SimPeer p : peers) {
            p.close();
        }
    }
}
