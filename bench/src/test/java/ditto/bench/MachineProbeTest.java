package ditto.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineProbeTest {

    @Test
    void percentileUsesNearestRank() {
        double[] samples = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
        assertEquals(5, MachineProbe.percentile(samples, 0.50));
        assertEquals(10, MachineProbe.percentile(samples, 0.99));
        assertEquals(1, MachineProbe.percentile(samples, 0.0));
    }

    @Test
    void probeMeasuresFsyncAndDescribesMachine(@TempDir Path dir) throws Exception {
        MachineProbe.Machine m = MachineProbe.probe(dir, 20);
        assertTrue(m.fsyncP50Micros() > 0, "fsync takes time");
        assertTrue(m.fsyncP99Micros() >= m.fsyncP50Micros(), "p99 >= p50");
        assertTrue(m.cores() >= 1);
        assertTrue(m.line().startsWith("machine: "), m.line());
    }
}
