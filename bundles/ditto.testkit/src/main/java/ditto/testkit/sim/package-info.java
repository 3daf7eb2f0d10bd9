/**
 * Deterministic simulation support: virtual time, a simulated network behind the real transport
 * SPI, and the seed conventions of randomized suites.
 *
 * <p>{@link ditto.testkit.sim.SimClock} is manual virtual time with ordered timers and per-node
 * skew. {@link ditto.testkit.sim.SimNetwork} runs many simulated nodes in one thread: each node
 * gets a real {@link ditto.api.spi.transport.TransportProvider}, frames wait in flight until the
 * test delivers them one at a time in a seeded random order, and {@link ditto.testkit.sim.Faults},
 * {@link ditto.testkit.sim.Cut partitions}, link flaps and crashes are injected on demand.
 * {@link ditto.testkit.sim.SimRun} and {@link ditto.testkit.sim.Seeds} run a suite over many seeds,
 * replay one with {@code -Dditto.seed=N} and keep failing seeds as fixtures. A run is a pure
 * function of its seed as long as the code under test takes its time, randomness and network
 * from these objects and runs on the simulation thread. Test support only: never deployed.
 */
package ditto.testkit.sim;
