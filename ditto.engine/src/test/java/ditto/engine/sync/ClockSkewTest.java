package ditto.engine.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import ditto.engine.crdt.HybridClock;
import ditto.testkit.sim.SimRun;

/**
 * R9, clock skew: every honest peer's clock is skewed (up to ±4 minutes, so any two differ by at
 * most the allowed drift of 10 minutes even after jumps) and jumps backwards or forwards during
 * the run; in half the seeds a peer whose clock is two hours ahead also writes, so its
 * timestamps are hostile far-future ones. Each honest peer's hybrid logical clock never goes
 * back and never adopts a far-future time; documents beyond the allowed drift are rejected and
 * counted (the engine's count equals the clock's); the honest peers converge with the same
 * last-writer-wins results everywhere.
 */
class ClockSkewTest {

    static final long MAX_SKEW_MILLIS = 4 * 60_000;
    static final long MAX_JUMP_MILLIS = 60_000;
    static final long LIMIT_MILLIS = 5 * 60_000;

    @Test
    void honestPeersConvergeAndFarFutureTimestampsAreRejectedAndCounted() {
        int ran = SimRun.suite("r9-clock-skew").counts(Integer.getInteger("ditto.r9.seeds", 500), 20_000)
                .fixtures(ClockSkewTest.class).run(trial -> {
                    RandomGenerator random = trial.random();
                    int count = 3 + random.nextInt(3);
                    long[] skews = new long[count];
                    for (int i = 0; i < count; i++) {
                        skews[i] = random.nextLong(-MAX_SKEW_MILLIS, MAX_SKEW_MILLIS + 1);
                    }
                    Cluster cluster = new Cluster(trial, count, false, skews);
                    SimPeer hostile = null;
                    if (random.nextBoolean()) {
                        hostile = new SimPeer(cluster.world, "px", 2 * 3_600_000L);
                        hostile.open();
                        hostile.subscribe("SELECT * FROM items", Map.of());
                    }
                    Map<String, Long> lastHlc = new LinkedHashMap<>();
                    int hostileWrites = 0;
                    try {
                        cluster.network.runFor(1_000);
                        int ops = 20 + random.nextInt(30);
                        for (int i = 0; i < ops; i++) {
                            cluster.randomOp();
                            if (hostile != null && random.nextInt(4) == 0) {
                                String id = Cluster.ITEM_IDS.get(random.nextInt(Cluster.ITEM_IDS.size()));
                                Map<String, Object> doc = Map.of("_id", id, "f0", "from the future");
                                hostile.execute("INSERT INTO items DOCUMENTS (:d) ON ID CONFLICT DO UPDATE",
                                        Map.of("d", doc)).close();
                                hostileWrites++;
                            }
                            cluster.steps(random.nextInt(10));
                            if (random.nextInt(6) == 0) {
                                SimPeer p = cluster.randomPeer();
                                long jump = random.nextLong(-MAX_JUMP_MILLIS, MAX_JUMP_MILLIS / 2);
                                long next = p.clock.skewMillis() + jump;
                                if (Math.abs(next) <= LIMIT_MILLIS) {
                                    p.clock.jump(jump);
                                }
                            }
                            checkClocks(cluster, lastHlc);
                        }
                        cluster.awaitConvergence(120_000);
                        checkClocks(cluster, lastHlc);
                        long rejected = 0;
                        for (SimPeer p : cluster.peers) {
                            assertEquals(p.store.clock().rejectedCount(), p.engine.stats().clockDriftRejected(),
                                    "rejections counted by the engine and by the clock of " + p.id);
                            rejected += p.engine.stats().clockDriftRejected();
                        }
                        if (hostile == null) {
                            assertEquals(0, rejected, "an honest document was rejected");
                        } else if (hostileWrites > 0) {
                            assertTrue(rejected > 0, "far-future documents were accepted");
                        }
                    } finally {
                        if (hostile != null) {
                            hostile.close();
                        }
                        cluster.close();
                    }
                });
        assertTrue(ran > 0);
    }

    /** Each honest clock only moves forward and never beyond the honest clocks' range. */
    private static void checkClocks(Cluster cluster, Map<String, Long> lastHlc) {
        long shared = cluster.network.clock().millis();
        for (SimPeer p : cluster.peers) {
            long hlc = p.store.clock().current();
            Long before = lastHlc.put(p.id, hlc);
            assertTrue(before == null || hlc >= before, "the clock of " + p.id + " went back");
            assertTrue(HybridClock.physicalOf(hlc) <= shared + LIMIT_MILLIS,
                    "the clock of " + p.id + " adopted a far-future time");
        }
    }
}
