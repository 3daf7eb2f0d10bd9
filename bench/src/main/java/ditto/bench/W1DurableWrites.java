package ditto.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * W1, durable local writes: the data set inserted in transactions of {@link Sizes#batch()}
 * (documents per second), then single-document commits (latency p50/p99), then the bytes the
 * store keeps on disk divided by the raw JSON bytes of what was written. Each repetition starts
 * from an empty store, so both sides do exactly the same work every time.
 *
 * <p>Ours: Ditto on mvstore, whose commits are durable when they return. Peer: SQLite, WAL and
 * {@code synchronous=FULL}. The single-commit p50 is also compared with the raw fsync latency
 * {@link MachineProbe} measured on the same file system.
 */
final class W1DurableWrites {

    /** One side's repetition. */
    record Result(double docsPerSecond, Latencies single, double diskRatio) {
    }

    private W1DurableWrites() {
    }

    static void run(Sizes sizes, Path work, MachineProbe.Machine machine, Report report) {
        DataGenerator gen = new DataGenerator(sizes.seed());
        List<Map<String, Object>> bulk = gen.next(sizes.docs());
        List<Map<String, Object>> singles = gen.next(sizes.singleCommits());
        long rawJson = 0;
        for (Map<String, Object> d : bulk) {
            rawJson += SqliteSide.toJson(d).getBytes(StandardCharsets.UTF_8).length;
        }
        for (Map<String, Object> d : singles) {
            rawJson += SqliteSide.toJson(d).getBytes(StandardCharsets.UTF_8).length;
        }
        final long raw = rawJson;
        report.note(String.format(Locale.ROOT, "W1 data: %,d + %,d documents, %,d bytes of raw JSON (%.0f B/doc)",
                bulk.size(), singles.size(), raw, raw / (double) (bulk.size() + singles.size())));

        Pairing.Outcome<Result> out = Pairing.run("W1 durable writes", sizes.warmups(), sizes.reps(),
                round -> ours(work.resolve("w1-ditto" + round), bulk, singles, sizes.batch(), raw),
                round -> peer(work.resolve("w1-sqlite" + round + ".db"), bulk, singles, sizes.batch(), raw));
        report.cost(out);

        Latencies oursAll = pooled(out.ours);
        Latencies peerAll = pooled(out.peer);
        report.row("W1 bulk insert, tx of " + sizes.batch() + " (docs/s)",
                orNa(out, true, Report.rate(out.oursMedian(Result::docsPerSecond), "docs/s")),
                orNa(out, false, Report.rate(out.peerMedian(Result::docsPerSecond), "docs/s")),
                out.pairedRatio(Result::docsPerSecond), Target.atLeast(1.0));
        report.row("W1 single-doc commit p50",
                orNa(out, true, Report.millis(oursAll.p50Millis())), orNa(out, false, Report.millis(peerAll.p50Millis())),
                out.pairedRatio(r -> r.single().p50Millis()), Target.atMost(1.25));
        double fsyncMs = machine.fsyncP50Micros() / 1000.0;
        double oursP50 = out.oursMedian(r -> r.single().p50Millis());
        report.row("W1 single-doc commit p50 vs raw fsync p50",
                orNa(out, true, Report.millis(oursAll.p50Millis())), Report.millis(fsyncMs) + " (fsync)",
                oursP50 / fsyncMs, Target.atMost(1.5));
        report.row("W1 single-doc commit p99",
                orNa(out, true, Report.millis(oursAll.p99Millis())), orNa(out, false, Report.millis(peerAll.p99Millis())),
                out.pairedRatio(r -> r.single().p99Millis()), null);
        double oursDisk = out.oursMedian(Result::diskRatio);
        report.row("W1 bytes on disk ÷ raw JSON",
                orNa(out, true, Report.ratio(oursDisk)), orNa(out, false, Report.ratio(out.peerMedian(Result::diskRatio))),
                oursDisk, Target.atMost(1.5));
        report.note("W1: commit percentiles pool every repetition's " + sizes.singleCommits()
                + " single commits; ratios are medians of per-repetition ratios; the disk row's ratio is ours ÷ raw JSON"
                + " (SQLite's own ratio is shown for context).");
        failures(report, out);
    }

    private static Result ours(Path dir, List<Map<String, Object>> bulk, List<Map<String, Object>> singles, int batch,
            long raw) throws IOException {
        WorkDir.deleteTree(dir);
        double docsPerSecond;
        Latencies single = new Latencies();
        DittoSide side = DittoSide.open(dir);
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < bulk.size(); i += batch) {
                side.insertInTransaction(bulk.subList(i, Math.min(bulk.size(), i + batch)));
            }
            docsPerSecond = bulk.size() / ((System.nanoTime() - t0) / 1e9);
            for (Map<String, Object> doc : singles) {
                long s = System.nanoTime();
                side.insertOne(doc);
                single.record(System.nanoTime() - s);
            }
        } finally {
            side.close();
        }
        double disk = DittoSide.directoryBytes(dir) / (double) raw;
        WorkDir.deleteTree(dir);
        return new Result(docsPerSecond, single, disk);
    }

    private static Result peer(Path file, List<Map<String, Object>> bulk, List<Map<String, Object>> singles,
            int batch, long raw) throws Exception {
        SqliteSide.delete(file);
        double docsPerSecond;
        double disk;
        Latencies single = new Latencies();
        try (SqliteSide side = SqliteSide.open(file)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < bulk.size(); i += batch) {
                side.insertInTransaction(bulk.subList(i, Math.min(bulk.size(), i + batch)));
            }
            docsPerSecond = bulk.size() / ((System.nanoTime() - t0) / 1e9);
            for (Map<String, Object> doc : singles) {
                long s = System.nanoTime();
                side.insertOne(doc);
                single.record(System.nanoTime() - s);
            }
            disk = side.diskBytes() / (double) raw;
        }
        SqliteSide.delete(file);
        return new Result(docsPerSecond, single, disk);
    }

    private static Latencies pooled(List<Pairing.Timed<Result>> runs) {
        Latencies all = new Latencies();
        for (Pairing.Timed<Result> t : runs) {
            all.addAll(t.value().single());
        }
        return all;
    }

    /** The formatted value, or "n/a" when that side failed. */
    static String orNa(Pairing.Outcome<?> out, boolean ours, String value) {
        return (ours ? out.oursFailure : out.peerFailure) != null ? "n/a" : value;
    }

    /** Adds a note for each side that failed, naming the reason. */
    static void failures(Report report, Pairing.Outcome<?> out) {
        if (out.oursFailure != null) {
            report.note(out.name + ": Ditto not measured: " + out.oursFailure);
        }
        if (out.peerFailure != null) {
            report.note(out.name + ": SQLite not measured: " + out.peerFailure);
        }
    }
}
