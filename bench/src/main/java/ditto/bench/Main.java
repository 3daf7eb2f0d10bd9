package ditto.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point of the benchmark harness.
 *
 * <p>Usage: {@code java -cp … ditto.bench.Main [probe] [--dir DIR] [--samples N]}. Today the
 * harness offers the machine probe (the line every results table starts with, including the raw
 * fsync latency that bounds durable commits); the workloads of BENCHMARKS.md join it as the
 * features they measure land. See docs/benchmarks.md.
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs the harness.
     *
     * @param args {@code probe} (default), {@code --dir DIR} (where to write, default the system
     *        temp folder), {@code --samples N} (fsync rounds, default 2000)
     * @throws Exception on I/O failure
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        int samples = 2000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "probe" -> { }
                case "--dir" -> dir = Path.of(requireValue(args, ++i, "--dir"));
                case "--samples" -> samples = Integer.parseInt(requireValue(args, ++i, "--samples"));
                default -> {
                    System.err.println("bench: unknown argument '" + args[i]
                            + "' (expected: probe, --dir DIR, --samples N)");
                    System.exit(2);
                }
            }
        }
        if (samples < 1) {
            System.err.println("bench: --samples must be at least 1, got " + samples);
            System.exit(2);
        }
        Files.createDirectories(dir);
        System.out.println(MachineProbe.probe(dir, samples).line());
    }

    private static String requireValue(String[] args, int i, String flag) {
        if (i >= args.length) {
            System.err.println("bench: " + flag + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
