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
 * Entry point of the benchmark harness: runs workloads W1–W7 of BENCHMARKS.md and W10 (server
 * fan-in/fan-out) on Ditto and on its peers (SQLite, raw sockets, an in-memory merge, a TCP
 * relay) side by side in one process and prints the machine line and the results table.
 *
 * <p>Usage (see docs/benchmarks.md for the build command):
 * <pre>
 * java -cp "bench/target/ditto.bench.jar:bench/target/lib/*" ditto.bench.Main [smoke|full|probe]
 *      [--dir DIR] [--reps N] [--warmups N] [--docs N] [--only W1,W2,W3,W4,W5,W6,W7,W10] [--markdown FILE] [--samples N]
 *      [--storage KEY=VALUE]... [--w10-clients N] [--w10-seconds S] [--w10-rate R] [--w10-reps N]
 *      [--w10-client-storage memory|mvstore]
 * </pre>
 * {@code smoke} (the default) uses 10k documents and takes about two minutes; {@code full} uses
 * 100k. {@code probe} prints only the machine line. {@code --dir} is where the scratch folder
 * {@code ditto-bench-<pid>} is made (default: the system temp folder; it is deleted at the end);
 * {@code --markdown} also writes the tables as Markdown; {@code --samples} sets the fsync
 * probe's rounds (default 2000); {@code --storage} passes an option to Ditto's mvstore backend
 * (for example {@code cacheSizeMb=256}), repeatable, default none. The {@code --w10-*} options set W10's
 * clients (default 5 in smoke, 50 in full), writing seconds (5 / 60), writes per second per
 * client (10), repetitions (1) and the clients' storage backend (memory). Exit status 0 when the
 * run completed (missed targets included), 2 for bad arguments.
 */
public final class Main {

    private static final Set<String> WORKLOADS = Set.of("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W10");

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
        Integer w10Clients = null;
        Integer w10Seconds = null;
        Double w10Rate = null;
        Integer w10Reps = null;
        String w10Storage = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "smoke", "full", "probe" -> mode = args[i];
                case "--dir" -> parent = Path.of(requireValue(args, ++i, "--dir"));
                case "--samples" -> samples = positive(args, ++i, "--samples", 1);
                case "--reps" -> reps = positive(args, ++i, "--reps", 1);
                case "--warmups" -> warmups = positive(args, ++i, "--warmups", 0);
                case "--docs" -> docs = positive(args, ++i, "--docs", 100);
                case "--markdown" -> markdown = Path.of(requireValue(args, ++i, "--markdown"));
                case "--w10-clients" -> w10Clients = positive(args, ++i, "--w10-clients", 2);
                case "--w10-seconds" -> w10Seconds = positive(args, ++i, "--w10-seconds", 1);
                case "--w10-rate" -> w10Rate = rate(args, ++i, "--w10-rate");
                case "--w10-reps" -> w10Reps = positive(args, ++i, "--w10-reps", 1);
                case "--w10-client-storage" -> {
                    w10Storage = requireValue(args, ++i, "--w10-client-storage");
                    if (!w10Storage.equals("memory") && !w10Storage.equals("mvstore")) {
                        usage("--w10-client-storage takes memory or mvstore, got '" + w10Storage + "'");
                    }
                }
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
                            usage("--only takes workloads among W1..W10, got '" + w + "'");
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
        W10ServerFanOut.Settings w10 = W10ServerFanOut.Settings.forSize(sizes)
                .with(w10Clients, w10Seconds, w10Rate, w10Reps, w10Storage);
        if (sizes.reps() < 5) {
            System.err.println("bench: warning: " + sizes.reps() + " repetitions; BENCHMARKS.md asks for at least 5");
        }
        DittoLogger.setMinimumLogLevel(LogLevel.WARNING);
        DittoSide.setStorageOptions(storageOptions);
        Path work = Files.createDirectories(parent.resolve("ditto-bench-" + ProcessHandle.current().pid()));
        try {
            run(sizes, w10, only, work, samples, markdown, String.join(" ", args));
        } finally {
            WorkDir.deleteTree(work);
        }
    }

    private static void run(Sizes sizes, W10ServerFanOut.Settings w10, Set<String> only, Path work, int samples,
            Path markdown, String argLine) throws Exception {
        long start = System.nanoTime();
        MachineProbe.Machine machine = MachineProbe.probe(work, samples);
        System.out.println(machine.line());
        System.out.println(sizes.line());
        if (only.contains("W10")) {
            System.out.println(w10.line());
        }
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
        if (only.contains("W10")) {
            progress("W10 server fan-in/fan-out", start);
            W10ServerFanOut.run(w10, work, report);
        }
        double total = (System.nanoTime() - start) / 1e9;
        report.note(String.format(Locale.ROOT, "whole run: %.0f s wall, %.0f s process CPU", total,
                Pairing.processCpuNanos() / 1e9));
        System.out.println();
        System.out.print(report.text());
        if (markdown != null) {
            String md = "Measured " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " with `ditto.bench.Main "
                    + argLine + "`\n\n" + "`" + machine.line() + "`\n\n`" + sizes.line() + "`\n\n"
                    + (only.contains("W10") ? "`" + w10.line() + "`\n\n" : "") + report.markdown();
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

    private static double rate(String[] args, int i, String flag) {
        String value = requireValue(args, i, flag);
        try {
            double rate = Double.parseDouble(value);
            if (rate >= 0.01 && rate <= 100_000) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below, with the flag's name
        }
        usage(flag + " needs writes per second between 0.01 and 100000 (decimals allowed), got '" + value + "'");
        return 1;
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
                + " [--docs N] [--only W1,W2,W3,W4,W5,W6,W7,W10] [--markdown FILE] [--samples N] [--storage KEY=VALUE]..."
                + " [--w10-clients N] [--w10-seconds S] [--w10-rate R] [--w10-reps N] [--w10-client-storage memory|mvstore]");
        System.exit(2);
    }
}
