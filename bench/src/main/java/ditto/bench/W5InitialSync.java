package ditto.bench;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import ditto.api.QueryResult;
import ditto.api.StoreObserver;

/**
 * W5, initial sync: peer A holds the data set (loaded once, before anything syncs); each
 * repetition opens a fresh peer B that dials A through a counting {@link LoopbackProxy} and
 * subscribes to everything. Time runs from B's {@code sync().start()} until B's observer on the
 * last document has fired and B's store counts every document (B applies each batch durably, in
 * one transaction with its checkpoint). Wire bytes are both directions on the proxy (TLS,
 * framing, acknowledgements included); peak heap is the whole process's used heap above the
 * level at the start (both instances live in this JVM).
 *
 * <p>Peers, in one peer run: a raw socket copy of the same JSON (one document per line) over
 * loopback, then "copy + ingest": the same stream read line by line by a receiver that takes
 * each document's {@code _id} (Jackson) and inserts {@code (id, body)} into a fresh SQLite
 * (WAL, {@code synchronous=FULL}) in transactions of 500. Single-threaded driver.
 */
final class W5InitialSync {

    private static final int INGEST_BATCH = 500;
    private static final long TIMEOUT_SECONDS = 600;

    /** One side's repetition: seconds to have everything, bytes on the wire, peak heap growth, raw copy seconds. */
    record Result(double seconds, long wireBytes, long peakHeapBytes, double copySeconds) {
    }

    private W5InitialSync() {
    }

    static void run(Sizes sizes, Path work, Report report) throws Exception {
        List<Map<String, Object>> docs = new DataGenerator(sizes.seed()).next(sizes.docs());
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        long rawJson = 0;
        for (Map<String, Object> d : docs) {
            byte[] json = SqliteSide.toJson(d).getBytes(StandardCharsets.UTF_8);
            rawJson += json.length;
            lines.write(json);
            lines.write('\n');
        }
        byte[] stream = lines.toByteArray();
        String lastId = (String) docs.get(docs.size() - 1).get("_id");
        Path dir = work.resolve("w5");
        AtomicInteger counter = new AtomicInteger();
        SyncNet net = null;
        String openFailure = null;
        try {
            net = SyncNet.open(dir, 1, docs);
            net.startAll();
        } catch (Exception | LinkageError e) {
            openFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        SyncNet a = net;
        String failure = openFailure;
        try {
            Pairing.Outcome<Result> out = Pairing.run("W5 initial sync " + docs.size() + " docs", sizes.warmups(),
                    sizes.reps(), round -> {
                        if (a == null) {
                            throw new IllegalStateException("opening peer A failed: " + failure);
                        }
                        return ours(a, dir.resolve("b-" + counter.incrementAndGet()), docs.size(), lastId);
                    },
                    round -> peer(stream, work.resolve("w5-sqlite-" + counter.incrementAndGet() + ".db")));
            report.cost(out);
            rows(report, out, docs.size(), rawJson);
        } finally {
            if (net != null) {
                net.close();
            }
        }
    }

    private static void rows(Report report, Pairing.Outcome<Result> out, int n, long rawJson) {
        String at = String.format(Locale.ROOT, "W5 initial sync %,d docs", n);
        report.row(at + ": time vs copy+ingest",
                W1DurableWrites.orNa(out, true, Report.seconds(out.oursMedian(Result::seconds)) + " s"),
                W1DurableWrites.orNa(out, false, Report.seconds(out.peerMedian(Result::seconds)) + " s"),
                out.pairedRatio(Result::seconds), Target.atMost(1.5));
        report.row(at + ": time vs raw socket copy",
                W1DurableWrites.orNa(out, true, Report.seconds(out.oursMedian(Result::seconds)) + " s"),
                W1DurableWrites.orNa(out, false, Report.millis(out.peerMedian(Result::copySeconds) * 1e3)),
                out.oursMedian(Result::seconds) / out.peerMedian(Result::copySeconds),
                null);
        double wire = out.oursMedian(Result::wireBytes);
        report.row(at + ": wire bytes ÷ raw JSON", W1DurableWrites.orNa(out, true, mb(wire)), mb(rawJson) + " (JSON)",
                wire / rawJson, Target.atMost(1.2));
        double heap = out.oursMedian(Result::peakHeapBytes);
        report.row(at + ": peak heap growth ÷ dataset", W1DurableWrites.orNa(out, true, mb(heap)),
                W1DurableWrites.orNa(out, false, mb(out.peerMedian(Result::peakHeapBytes))) + " (peer)",
                heap / rawJson, Target.atMost(2.0));
        report.note(String.format(Locale.ROOT, "%s: time from B's sync start until B's observer on the last"
                + " document fired and B counts all %,d documents; wire = both directions through a counting"
                + " proxy (TLS 1.3, framing, acks); raw JSON %s in %,d lines; peak heap growth is the whole JVM's"
                + " used heap above its level at the start of the round (A, B and the harness's data set in one"
                + " process), the peer column is the same measure for copy+ingest; rows with a ratio ÷ dataset"
                + " divide by the raw JSON bytes", at, n, mb(rawJson), n));
        W1DurableWrites.failures(report, out);
    }

    static String mb(double bytes) {
        return Double.isFinite(bytes) ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6) : "n/a";
    }

    private static Result ours(SyncNet net, Path bDir, int n, String lastId) throws Exception {
        try (HeapSampler heap = new HeapSampler()) {
            DittoSide b = net.addPeer(bDir);
            try {
                CountDownLatch fired = new CountDownLatch(1);
                StoreObserver observer = b.observe("SELECT _id FROM " + DittoSide.COLLECTION + " WHERE _id = :id",
                        Map.of("id", lastId), result -> {
                            try (QueryResult r = result) {
                                if (r.itemCount() > 0) {
                                    fired.countDown();
                                }
                            }
                        });
                long t0 = System.nanoTime();
                b.ditto().sync().start();
                if (!fired.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("W5: B's observer did not see the last document within "
                            + TIMEOUT_SECONDS + " s");
                }
                SyncNet.await("B counts " + n + " documents", TIMEOUT_SECONDS, 5, () -> count(b) == n);
                double seconds = (System.nanoTime() - t0) / 1e9;
                observer.cancel();
                long wire = net.proxies.get(net.proxies.size() - 1).bytes();
                return new Result(seconds, wire, heap.peakGrowth(), Double.NaN);
            } finally {
                net.closeLast();
                WorkDir.deleteTree(bDir);
            }
        }
    }

    private static int count(DittoSide b) {
        try (QueryResult r = b.store().execute("SELECT _id FROM " + DittoSide.COLLECTION)) {
            return r.itemCount();
        }
    }

    private static Result peer(byte[] stream, Path file) throws Exception {
        double copy = copy(stream);
        try (HeapSampler heap = new HeapSampler()) {
            long t0 = System.nanoTime();
            copyAndIngest(stream, file);
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Result(seconds, stream.length, heap.peakGrowth(), copy);
        } finally {
            SqliteSide.delete(file);
        }
    }

    /** Sends the bytes over a loopback socket to a receiver that reads them to the end; returns seconds. */
    private static double copy(byte[] stream) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    byte[] buffer = new byte[64 * 1024];
                    long total = 0;
                    int k;
                    while ((k = in.read(buffer)) >= 0) {
                        total += k;
                    }
                    return total;
                } catch (IOException e) {
                    throw new IllegalStateException("W5 copy receiver: " + e.getMessage(), e);
                }
            });
            long t0 = System.nanoTime();
            send(stream, server.getLocalPort());
            long total = received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (total != stream.length) {
                throw new IllegalStateException("W5 copy received " + total + " of " + stream.length + " bytes");
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    private static void send(byte[] stream, int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port); OutputStream out = s.getOutputStream()) {
            for (int off = 0; off < stream.length; off += 64 * 1024) {
                out.write(stream, off, Math.min(64 * 1024, stream.length - off));
            }
        }
    }

    /** Streams the lines over a loopback socket into SQLite batch inserts; returns when all are committed. */
    private static void copyAndIngest(byte[] stream, Path file) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> ingested = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept(); Connection c = SqliteSide.connect(file)) {
                    return ingest(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8),
                            64 * 1024), c);
                } catch (IOException | SQLException e) {
                    throw new IllegalStateException("W5 ingest receiver: " + e.getMessage(), e);
                }
            });
            send(stream, server.getLocalPort());
            ingested.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static int ingest(BufferedReader in, Connection c) throws IOException, SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, body TEXT)");
        }
        int total = 0;
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO docs (id, body) VALUES (?, ?)")) {
            String line;
            int inBatch = 0;
            while ((line = in.readLine()) != null) {
                JsonNode node = SqliteSide.JSON.readTree(line);
                insert.setString(1, node.get("_id").asText());
                insert.setString(2, line);
                insert.executeUpdate();
                total++;
                if (++inBatch == INGEST_BATCH) {
                    c.commit();
                    inBatch = 0;
                }
            }
            c.commit();
        }
        return total;
    }
}
