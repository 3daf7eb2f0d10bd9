package ditto.engine.crdt;

import java.util.List;
import java.util.Map;

/**
 * Test support: seeds that once failed a property (or exercise a corner worth keeping), replayed
 * first on every run. Add a line when a randomized test finds a bug: the property name as
 * printed in the failure and the seed.
 */
final class RegressionSeeds {
    private static final Map<String, List<Long>> SEEDS = Map.of(
            // the spec looked below a field shown as a number (concurrent SET m2 = 2 and SET m2 = {x, y}),
            // while UNSET m2.x correctly does nothing there
            "R2 model", List.of(169378368773030249L));

    private RegressionSeeds() {
    }

    static List<Long> forProperty(String name) {
        return SEEDS.getOrDefault(name, List.of());
    }
}
