package ditto.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Describes the machine a benchmark ran on: CPU, cores, memory, JDK, file system, and the
 * latency of a raw fsync of a small append, which bounds every durable commit.
 *
 * <p>BENCHMARKS.md asks every results table to carry this line, because the machines are shared
 * and noisy and only ratios measured in one run are comparable.
 */
public final class MachineProbe {

    /** What the probe found. */
    public record Machine(String cpu, int cores, long memoryBytes, String jdk, String fileSystem,
            double fsyncP50Micros, double fsyncP99Micros) {

        /** Formats the machine line printed above every results table. */
        public String line() {
            return String.format(Locale.ROOT,
                    "machine: %s | %d cores | %.1f GiB RAM | JDK %s | fs %s | fsync p50 %.0f µs, p99 %.0f µs",
                    cpu, cores, memoryBytes / (1024.0 * 1024 * 1024), jdk, fileSystem, fsyncP50Micros,
                    fsyncP99Micros);
        }
    }

    private MachineProbe() {
    }

    /**
     * Probes the machine, measuring fsync in the given directory.
     *
     * @param dir a directory on the file system the benchmark writes to
     * @param fsyncSamples how many 4 KiB append+fsync rounds to time
     * @return the description
     * @throws IOException if the directory cannot be written
     */
    public static Machine probe(Path dir, int fsyncSamples) throws IOException {
        double[] fsync = fsyncMicros(dir, fsyncSamples);
        return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(), totalMemory(),
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                Files.getFileStore(dir).type(), percentile(fsync, 0.50), percentile(fsync, 0.99));
    }

    /** Times {@code samples} rounds of appending 4 KiB and forcing it to disk, in microseconds. */
    static double[] fsyncMicros(Path dir, int samples) throws IOException {
        Path file = Files.createTempFile(dir, "fsync-probe", ".bin");
        double[] micros = new double[samples];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer block = ByteBuffer.allocate(4096);
            for (int i = 0; i < samples; i++) {
                block.clear();
                long t0 = System.nanoTime();
                ch.write(block);
                ch.force(false);
                micros[i] = (System.nanoTime() - t0) / 1000.0;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return micros;
    }

    /** Returns the value at quantile {@code q} (0..1) of the samples, by nearest rank. */
    static double percentile(double[] samples, double q) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc unreadable: fall through to the JVM's view
        }
        return System.getProperty("os.arch");
    }

    private static long totalMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String kb = line.replaceAll("[^0-9]", "");
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back to the JVM's maximum heap, which is at least a lower bound
        }
        return Runtime.getRuntime().maxMemory();
    }
}
