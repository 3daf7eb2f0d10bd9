package ditto.engine.sync;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import ditto.testkit.sim.SimNetwork;
import ditto.testkit.sim.SimRun;

/**
 * The simulated world peers live in: the network (with its clock) and the seed their generators
 * derive from.
 *
 * @param network the network, on its clock
 * @param seed the seed of the run
 */
record SimWorld(SimNetwork network, long seed) {

    /** The world of a {@link SimRun} trial. */
    static SimWorld of(SimRun.Trial trial) {
        return new SimWorld(trial.network(), trial.seed());
    }

    /** A world with a fresh network seeded with {@code seed}. */
    static SimWorld of(long seed) {
        return new SimWorld(new SimNetwork(seed), seed);
    }

    /** Returns a new generator for one named participant, fixed by the seed and the name. */
    RandomGenerator randomFor(String name) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode() * 0xC2B2AE3D27D4EB4FL ^ name.length());
    }
}
