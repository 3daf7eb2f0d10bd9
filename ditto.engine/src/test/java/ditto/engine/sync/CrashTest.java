package ditto.engine.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import ditto.testkit.sim.SimRun;

/**
 * R6, crash mid-sync: at random steps a random peer crashes (no goodbye, its transport and
 * engine vanish, only what it committed survives in its storage) and later restarts from that
 * storage. Because a receiver writes its per-peer checkpoints in the same transaction as the
 * documents they cover, a restarted peer resumes exactly where its store is: nothing
 * acknowledged is lost, no batch counts twice (counters exact), and the cluster converges.
 */
class CrashTest {

    @Test
    void nothingAcknowledgedIsLostWhenPeersCrashMidSync() {
        int ran = SimRun.suite("r6-crash").counts(Integer.getInteger("ditto.r6.seeds", 500), 20_000)
                .fixtures(CrashTest.class).run(trial -> {
                    RandomGenerator random = trial.random();
                    Cluster cluster = new Cluster(trial, 3 + random.nextInt(3), random.nextInt(3) == 0, null);
                    try {
                        cluster.network.runFor(1_000);
                        int ops = 20 + random.nextInt(30);
                        for (int i = 0; i < ops; i++) {
                            cluster.randomOp();
                            cluster.steps(random.nextInt(12));
                            if (random.nextInt(8) == 0) {
                                SimPeer victim = cluster.peers.get(random.nextInt(cluster.peers.size()));
                                if (victim.isUp() && cluster.up().size() > 1) {
                                    victim.crash();
                                } else if (!victim.isUp()) {
                                    victim.open();
                                }
                            }
                        }
                        for (SimPeer p : cluster.peers) {
                            if (!p.isUp()) {
                                p.open();
                            }
                        }
                        cluster.awaitConvergence(180_000);
                    } finally {
                        cluster.close();
                    }
                });
        assertTrue(ran > 0);
    }
}
