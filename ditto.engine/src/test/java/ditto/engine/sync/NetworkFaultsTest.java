package ditto.engine.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import ditto.testkit.sim.Delay;
import ditto.testkit.sim.Faults;
import ditto.testkit.sim.SimRun;

/**
 * R4, network faults: while peers write, the network loses, duplicates, reorders, delays,
 * truncates and bit-flips frames (a random mix per seed). Every corrupt frame that reaches an
 * engine closes its session with a typed PROTOCOL error (the frame checksum and sequence numbers
 * catch what TLS would), never an internal error; duplicates are ignored; after the faults stop
 * the peers reconnect and converge, counters exact. {@code -Dditto.seed=N} replays a seed.
 */
class NetworkFaultsTest {

    @Test
    void convergesAndCountsExactlyDespiteLossDuplicationReorderingAndCorruption() {
        int ran = SimRun.suite("r4-network-faults").counts(Integer.getInteger("ditto.r4.seeds", 1_000), 50_000)
                .fixtures(NetworkFaultsTest.class).run(trial -> {
                    RandomGenerator random = trial.random();
                    Cluster cluster = new Cluster(trial, 3 + random.nextInt(3), random.nextInt(4) == 0, null);
                    try {
                        cluster.network.runFor(1_000);
                        Faults faults = Faults.NONE;
                        if (random.nextBoolean()) {
                            faults = faults.withLoss(random.nextDouble() * 0.05);
                        }
                        if (random.nextBoolean()) {
                            faults = faults.withDuplication(random.nextDouble() * 0.2);
                        }
                        if (random.nextBoolean()) {
                            faults = faults.withReorder(random.nextDouble() * 0.1);
                        }
                        if (random.nextBoolean()) {
                            faults = faults.withTruncation(random.nextDouble() * 0.03);
                        }
                        if (random.nextBoolean()) {
                            faults = faults.withBitFlip(random.nextDouble() * 0.03);
                        }
                        if (random.nextBoolean()) {
                            faults = faults.withDelay(Delay.uniform(0, 1 + random.nextInt(300)));
                        }
                        Faults chosen = faults;
                        trial.note(() -> "faults: " + chosen);
                        cluster.network.setFaults(faults);
                        int ops = 20 + random.nextInt(30);
                        for (int i = 0; i < ops; i++) {
                            cluster.randomOp();
                            cluster.steps(random.nextInt(15));
                        }
                        cluster.network.setFaults(Faults.NONE);
                        cluster.awaitConvergence(180_000);

                        long protocolErrors = 0;
                        long internalErrors = 0;
                        long corrupt = 0;
                        long leftOpen = 0;
                        for (SimPeer p : cluster.peers) {
                            protocolErrors += p.engine.stats().protocolErrors();
                            internalErrors += p.engine.stats().internalErrors();
                            corrupt += p.corruptFramesDelivered;
                            leftOpen += p.corruptFramesLeftOpen;
                        }
                        assertEquals(0, internalErrors, "internal errors");
                        assertEquals(0, leftOpen, "corrupt frames after which the session stayed open");
                        assertTrue(protocolErrors >= corrupt, "corrupt frames delivered: " + corrupt
                                + ", sessions closed with a protocol error: " + protocolErrors);
                        if (chosen.loss() == 0 && chosen.reorder() == 0 && chosen.truncation() == 0
                                && chosen.bitFlip() == 0) {
                            assertEquals(0, protocolErrors, "a perfect-but-duplicating network broke no session");
                        }
                    } finally {
                        cluster.close();
                    }
                });
        assertTrue(ran > 0);
    }
}
