package ditto.engine.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import ditto.testkit.sim.Cut;
import ditto.testkit.sim.Partition;
import ditto.testkit.sim.SimRun;

/**
 * R5, partitions: symmetric splits, one-way cuts, a bridge peer between two sides, and flapping
 * partitions, holding or dropping the frames that cross them, while every side keeps writing.
 * After the last heal the peers converge within a bounded simulated time (links that timed out
 * during the partition are re-dialed), nothing acknowledged is lost and counters are exact.
 */
class PartitionTest {

    /** The bound on convergence after the last heal, in simulated milliseconds. */
    static final long CONVERGENCE_BOUND_MILLIS = 120_000;

    @Test
    void convergesWithinBoundedTimeAfterTheLastHeal() {
        int ran = SimRun.suite("r5-partitions").counts(Integer.getInteger("ditto.r5.seeds", 500), 20_000)
                .fixtures(PartitionTest.class).run(trial -> {
                    RandomGenerator random = trial.random();
                    Cluster cluster = new Cluster(trial, 3 + random.nextInt(4), false, null);
                    try {
                        cluster.network.runFor(1_000);
                        int rounds = 1 + random.nextInt(3);
                        for (int round = 0; round < rounds; round++) {
                            Cut cut = randomCut(cluster, random);
                            if (random.nextBoolean()) {
                                cut = cut.dropping();
                            }
                            Cut chosen = cut;
                            trial.note(() -> "partition: " + chosen);
                            Partition partition = random.nextInt(4) == 0
                                    ? cluster.network.flap(cut, 1_000 + random.nextInt(20_000),
                                            1_000 + random.nextInt(5_000), 1 + random.nextInt(3))
                                    : cluster.network.partition(cut);
                            int ops = 10 + random.nextInt(20);
                            for (int i = 0; i < ops; i++) {
                                cluster.randomOp();
                                cluster.steps(random.nextInt(10));
                                if (random.nextInt(5) == 0) {
                                    cluster.network.runFor(random.nextInt(15_000));
                                }
                            }
                            partition.heal();
                            cluster.steps(random.nextInt(30));
                        }
                        cluster.network.healAll();
                        cluster.awaitConvergence(CONVERGENCE_BOUND_MILLIS);
                    } finally {
                        cluster.close();
                    }
                });
        assertTrue(ran > 0);
    }

    private static Cut randomCut(Cluster cluster, RandomGenerator random) {
        List<String> ids = new ArrayList<>();
        for (SimPeer p : cluster.peers) {
            ids.add(p.id);
        }
        Set<String> left = new HashSet<>();
        Set<String> right = new HashSet<>();
        String bridge = ids.get(random.nextInt(ids.size()));
        for (String id : ids) {
            if (random.nextBoolean()) {
                left.add(id);
            } else {
                right.add(id);
            }
        }
        if (left.isEmpty()) {
            left.add(ids.get(0));
            right.remove(ids.get(0));
        }
        if (right.isEmpty()) {
            right.add(ids.get(ids.size() - 1));
            left.remove(ids.get(ids.size() - 1));
        }
        switch (random.nextInt(4)) {
            case 0:
                return Cut.oneWay(left, right);
            case 1:
                left.remove(bridge);
                right.remove(bridge);
                if (left.isEmpty() || right.isEmpty()) {
                    return Cut.isolate(bridge);
                }
                return Cut.bridge(bridge, left, right);
            case 2:
                return Cut.isolate(ids.get(random.nextInt(ids.size())));
            default:
                return Cut.between(left, right);
        }
    }
}
