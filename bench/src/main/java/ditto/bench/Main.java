package ditto.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ditto.api.DittoLogger;
import ditto.api.LogLevel;

/**
 * Entry point of the benchmark harness: runs workloads W1–W7 of BENCHMARKS.md on Ditto and on
 * its peers (SQLite, raw sockets, an in-memory merge) side by side in one process and prints the machine line and the results table.
 *
 * <p>Usage (see docs/benchmarks.md for the build command):
 * <pre>
 * java -cp "bench/target/ditto.bench.jar:bench/target/lib/*" ditto.bench.Main [smoke|full|probe]
 *      [--dir DIR] [--reps N] [--warmups N] [--docs N] [--only W1,W2,W3,W4,W5,W6,W7] [--markdown FILE] [--samples N]
 *      [--storage KEY=VALUE]...
 * </pre>
 * {@code smoke} (the default) uses 10k documents and takes about two minutes; {@code full} uses
 * 100k. {@code probe} prints only the machine line. {@code --dir} is where the scratch folder
 * {@code ditto-bench-<pid>} is made (default: the system temp folder; it is deleted at the end);
 * {@code --markdown} also writes the tables as Markdown; {@code --samples} sets the fsync
 * probe's rounds (default 2000); {@code --storage} passes an option to Ditto's mvstore backend
 * (for example {@code cacheSizeMb=256}), repeatable, default none. Exit status 0 when the run completed (missed targets included),
 * 2 for bad arguments.
 */
public final class Main {

    private static final Set<String> WORKLOADS = Set.of("W1", "W2", "W3", "W4", "W5", "W6", "W7");

    private Main() {
    }

    /**
     * Runs the harness.
     *
     * @param args see the class documentation
     * @throws Exception on I/O failure or a failure of the peer (our engine's failures are
     *         reported in the table instead)
     */
    public static void main(String[] args) throws Exception {
        String mode = "smoke";
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        int samples = 2000;
        Integer reps = null;
        Integer warmups = null;
        Integer docs = null;
        Path markdown = null;
        Set<String> only = new LinkedHashSet<>(WORKLOADS.stream().sorted().toList());
        Map<String, String> storageOptions = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "smoke", "full", "probe" -> mode = args[i];
                case "--dir" -> parent = Path.of(requireValue(args, ++i, "--dir"));
                case "--samples" -> samples = positive(args, ++i, "--samples", 1);
                case "--reps" -> reps = positive(args, ++i, "--reps", 1);
                case "--warmups" -> warmups = positive(args, ++i, "--warmups", 0);
                case "--docs" -> docs = positive(args, ++i, "--docs", 100);
                case "--markdown" -> markdown = Path.of(requireValue(args, ++i, "--markdown"));
                case "--storage" -> {
                    String kv = requireValue(args, ++i, "--storage");
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        usage("--storage takes KEY=VALUE (an mvstore option such as cacheSizeMb=256), got '" + kv + "'");
                    }
                    storageOptions.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "--only" -> {
                    only.clear();
                    for (String w : requireValue(args, ++i, "--only").split(",")) {
                        String name = w.trim().toUpperCase(Locale.ROOT);
                        if (!WORKLOADS.contains(name)) {
                            usage("--only takes workloads among W1..W7, got '" + w + "'");
                        }
                        only.add(name);
                    }
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        Files.createDirectories(parent);
        if (mode.equals("probe")) {
            System.out.println(MachineProbe.probe(parent, samples).line());
            return;
        }
        Sizes sizes = Sizes.named(mode);
        if (reps != null || warmups != null) {
            sizes = sizes.withRepetitions(reps != null ? reps : sizes.reps(), warmups != null ? warmups : sizes.warmups());
        }
        if (docs != null) {
            sizes = sizes.withDocs(docs);
        }
        if (sizes.reps() < 5) {
            System.err.println("bench: warning: " + sizes.reps() + " repetitions; BENCHMARKS.md asks for at least 5");
        }
        DittoLogger.setMinimumLogLevel(LogLevel.WARNING);
        DittoSide.setStorageOptions(storageOptions);
        Path work = Files.createDirectories(parent.resolve("ditto-bench-" + ProcessHandle.current().pid()));
        try {
            run(sizes, only, work, samples, markdown, String.join(" ", args));
        } finally {
            WorkDir.deleteTree(work);
        }
    }

    private static void run(Sizes sizes, Set<String> only, Path work, int samples, Path markdown, String argLine)
            throws Exception {
        long start = System.nanoTime();
        MachineProbe.Machine machine = MachineProbe.probe(work, samples);
        System.out.println(machine.line());
        System.out.println(sizes.line());
        if (!DittoSide.storageOptions().isEmpty()) {
            System.out.println("ditto storage options: " + DittoSide.storageOptions());
        }
        System.out.flush();
        Report report = new Report();
        if (only.contains("W1")) {
            progress("W1 durable writes", start);
            W1DurableWrites.run(sizes, work, machine, report);
        }
        if (only.contains("W2") || only.contains("W3") || only.contains("W4")) {
            progress("loading the data set", start);
            try (Fixture fixture = Fixture.load(sizes, work, report)) {
                if (only.contains("W2")) {
                    progress("W2 point lookups", start);
                    W2PointLookups.run(sizes, fixture, report);
                }
                if (only.contains("W3")) {
                    progress("W3 queries", start);
                    W3Queries.run(sizes, fixture, report);
                }
                if (only.contains("W4")) {
                    progress("W4 live queries", start);
                    W4LiveQueries.run(sizes, fixture, report);
                }
            }
        }
        if (only.contains("W5")) {
            progress("W5 initial sync", start);
            W5InitialSync.run(sizes, work, report);
        }
        if (only.contains("W6")) {
            progress("W6 incremental sync", start);
            W6IncrementalSync.run(sizes, work, report);
        }
        if (only.contains("W7")) {
            progress("W7 partition and heal", start);
            W7PartitionHeal.run(sizes, work, report);
        }
        double total = (System.nanoTime() - start) / 1e9;
        report.note(String.format(Locale.ROOT, "whole run: %.0f s wall, %.0f s process CPU", total,
                Pairing.processCpuNanos() / 1e9));
        System.out.println();
        System.out.print(report.text());
        if (markdown != null) {
            String md = "Measured " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " with `ditto.bench.Main "
                    + argLine + "`\n\n" + "`" + machine.line() + "`\n\n`" + sizes.line() + "`\n\n" + report.markdown();
            Files.writeString(markdown, md, StandardCharsets.UTF_8);
            System.out.println("bench: Markdown written to " + markdown.toAbsolutePath());
        }
    }

    private static void progress(String what, long start) {
        System.err.printf(Locale.ROOT, "bench: [%5.1f s] %s%n", (System.nanoTime() - start) / 1e9, what);
    }

    private static int positive(String[] args, int i, String flag, int min) {
        String value = requireValue(args, i, flag);
        try {
            int n = Integer.parseInt(value);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the flag's name
        }
        usage(flag + " needs an integer of at least " + min + ", got '" + value + "'");
        return min;
    }

    private static String requireValue(String[] args, int i, String flag) {
        if (i >= args.length) {
            usage(flag + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("bench: " + problem);
        System.err.println("usage: ditto.bench.Main [smoke|full|probe] [--dir DIR] [--reps N] [--warmups N]"
                + " [--docs N] [--only W1,W2,W3,W4,W5,W6,W7] [--markdown FILE] [--samples N] [--storage KEY=VALUE]...");
        System.exit(2);
    }
}
