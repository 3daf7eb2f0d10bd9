package ditto.engine.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import ditto.testkit.sim.SimRun;

/**
 * R3, simulated convergence: 3–7 peers (a full mesh found by discovery, or a line whose ends
 * only meet through relays), random writes on random peers, the network delivering one message
 * at a time in random order, random link drops; after the heal every peer holds identical
 * documents, version vectors and tombstones where it is subscribed, every write is everywhere it
 * is subscribed, counters are exact, and nothing is left pending. Prints its seed;
 * {@code -Dditto.seed=N} replays one; {@code -Dditto.reliability=true} runs the large count.
 */
class ConvergenceTest {

    static final int PULL_REQUEST_SEEDS = Integer.getInteger("ditto.r3.seeds", 2_000);

    @Test
    void convergesAfterRandomWritesOrdersAndDisconnects() {
        int ran = SimRun.suite("r3-convergence").counts(PULL_REQUEST_SEEDS, 10_000).fixtures(ConvergenceTest.class)
                .run(trial -> {
                    RandomGenerator random = trial.random();
                    int count = 3 + random.nextInt(5);
                    boolean line = random.nextInt(4) == 0;
                    Cluster cluster = new Cluster(trial, count, line, null);
                    try {
                        cluster.network.runFor(1_000);
                        int ops = 15 + random.nextInt(30);
                        for (int i = 0; i < ops; i++) {
                            cluster.randomOp();
                            cluster.steps(random.nextInt(10));
                            if (random.nextInt(20) == 0) {
                                SimPeer a = cluster.randomPeer();
                                SimPeer b = cluster.randomPeer();
                                if (a != b) {
                                    cluster.network.flapLinks(a.id, b.id);
                                }
                            }
                        }
                        cluster.awaitConvergence(120_000);
                    } finally {
                        cluster.close();
                    }
                });
        assertTrue(ran > 0);
    }
}
