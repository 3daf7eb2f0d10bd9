package ditto.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import ditto.api.TransactionCompletionAction;

/**
 * W7, partition and heal: {@code n} peers in a line over loopback (peer i dials peer i − 1
 * through a {@link LoopbackProxy}); peer 0 inserts the shared documents and the line syncs them;
 * then the proxy on the middle link is blocked (the link is cut and redial refused), so the
 * line splits into a left half {@code [0, n/2)} and a right half {@code [n/2, n)}. Each half
 * makes the same number of conflicting updates to the shared documents (two fields per update,
 * different values per half, spread round-robin over the half's peers, in transactions of 10),
 * and each half settles (its peers' digests agree). Measured: from unblocking the proxy until
 * every peer's digest of {@code SELECT *} is the same (polling every 10 ms), which includes the
 * redial (retry interval 50 ms) and the TLS handshake.
 *
 * <p>Peer: the CPU floor of the merge, an in-memory last-writer-wins merge of the same deltas
 * (per document and field, highest (timestamp, site) wins) into {@code n} replicas. No
 * automerge-java run: {@code org.automerge:automerge} is not in the package lists available to
 * this build. Single-threaded driver.
 */
final class W7PartitionHeal {

    private static final int TX = 10;
    private static final long TIMEOUT_SECONDS = 300;

    /** One side's repetition: seconds to converge after the heal, bytes over the bridge during the heal. */
    record Result(double seconds, long healBytes) {
    }

    private W7PartitionHeal() {
    }

    static void run(Sizes sizes, Path work, Report report) throws Exception {
        boolean full = sizes.name().equals("full");
        int docs = full ? 1_000 : 100;
        int updates = full ? 10_000 : 1_000;
        List<Map<String, Object>> shared = new DataGenerator(sizes.seed()).next(docs);
        List<String> ids = shared.stream().map(d -> (String) d.get("_id")).toList();
        AtomicInteger counter = new AtomicInteger();
        for (int n : full ? new int[] {3, 5, 8} : new int[] {3, 5}) {
            Pairing.Outcome<Result> out = Pairing.run("W7 partition+heal " + n + " peers", 0, sizes.reps(),
                    round -> ours(work.resolve("w7-" + n + "-" + counter.incrementAndGet()), n, shared, ids, updates),
                    round -> floor(n, ids, updates));
            report.cost(out);
            String at = String.format(Locale.ROOT, "W7 %d-peer line, %,d updates/half to %,d docs", n, updates, docs);
            double seconds = out.oursMedian(Result::seconds);
            report.row(at + ": heal→identical digests vs 1 s",
                    W1DurableWrites.orNa(out, true, Report.millis(seconds * 1e3)), "1000 ms (budget)", seconds,
                    n == 5 ? Target.atMost(1.0) : null);
            report.row(at + ": heal→identical vs in-memory merge floor",
                    W1DurableWrites.orNa(out, true, Report.millis(seconds * 1e3)),
                    W1DurableWrites.orNa(out, false, Report.millis(out.peerMedian(Result::seconds) * 1e3)),
                    out.pairedRatio(Result::seconds), null);
            report.note(String.format(Locale.ROOT, "%s: bytes over the healed link until convergence %s (median);"
                    + " the budget row's target applies to 5 peers only (BENCHMARKS.md)", at,
                    W5InitialSync.mb(out.oursMedian(Result::healBytes))));
            W1DurableWrites.failures(report, out);
        }
        report.note("W7: automerge-java not compared: org.automerge:automerge is not in this machine's package"
                + " lists (/work/.library/env/packages), so the \"merge rate ≥ 3× automerge-java\" target is not"
                + " measured; the 4-peer 3-hop relay latency is not measured either");
    }

    private static String value(boolean left, int k) {
        return (left ? "left-" : "right-") + k;
    }

    private static Result ours(Path dir, int n, List<Map<String, Object>> shared, List<String> ids, int updates)
            throws Exception {
        try (SyncNet net = SyncNet.open(dir, n, shared)) {
            net.startAll();
            SyncNet.await("all " + n + " peers hold the shared documents", TIMEOUT_SECONDS, 20, net::converged);
            int half = n / 2;
            LoopbackProxy bridge = net.proxies.get(half - 1);
            bridge.block();
            for (int side = 0; side < 2; side++) {
                boolean left = side == 0;
                List<DittoSide> members = left ? net.peers.subList(0, half) : net.peers.subList(half, n);
                for (int from = 0; from < updates; from += TX) {
                    int start = from;
                    DittoSide peer = members.get((from / TX) % members.size());
                    peer.store().transaction(null, tx -> {
                        for (int k = start; k < Math.min(updates, start + TX); k++) {
                            tx.execute("UPDATE " + DittoSide.COLLECTION + " SET city = :c, seq = :s WHERE _id = :id",
                                    Map.of("c", value(left, k), "s", left ? k : -k, "id", ids.get(k % ids.size())))
                                    .close();
                        }
                        return TransactionCompletionAction.COMMIT;
                    });
                }
                SyncNet.await((left ? "left" : "right") + " half settles", TIMEOUT_SECONDS, 20, () -> {
                    String first = SyncNet.digest(members.get(0));
                    return members.stream().allMatch(m -> SyncNet.digest(m).equals(first));
                });
            }
            long bytes0 = bridge.bytes();
            long t0 = System.nanoTime();
            bridge.unblock();
            SyncNet.await("all " + n + " peers hold identical documents after the heal", TIMEOUT_SECONDS, 10,
                    net::converged);
            double seconds = (System.nanoTime() - t0) / 1e9;
            int count = net.peers.get(0).query(SyncNet.SUBSCRIPTION, Map.of()).size();
            if (count != ids.size()) {
                throw new IllegalStateException("W7: converged on " + count + " documents, expected " + ids.size());
            }
            return new Result(seconds, bridge.bytes() - bytes0);
        } finally {
            WorkDir.deleteTree(dir);
        }
    }

    /** One field change: document, field, value and its (timestamp, site) stamp. */
    private record Delta(String id, String field, Object value, long timestamp, int site) {
    }

    /** A stamped value in a replica. */
    private record Stamped(Object value, long timestamp, int site) {
    }

    private static Result floor(int n, List<String> ids, int updates) {
        List<Delta> leftDeltas = new ArrayList<>();
        List<Delta> rightDeltas = new ArrayList<>();
        for (int side = 0; side < 2; side++) {
            boolean left = side == 0;
            List<Delta> into = left ? leftDeltas : rightDeltas;
            for (int k = 0; k < updates; k++) {
                String id = ids.get(k % ids.size());
                into.add(new Delta(id, "city", value(left, k), k, side));
                into.add(new Delta(id, "seq", left ? k : -k, k, side));
            }
        }
        int half = n / 2;
        List<Map<String, Map<String, Stamped>>> replicas = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Map<String, Stamped>> replica = new HashMap<>();
            apply(replica, i < half ? leftDeltas : rightDeltas);
            replicas.add(replica);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            apply(replicas.get(i), i < half ? rightDeltas : leftDeltas);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (int i = 1; i < n; i++) {
            if (!replicas.get(i).equals(replicas.get(0))) {
                throw new IllegalStateException("W7 floor: replicas " + i + " and 0 differ after the merge");
            }
        }
        return new Result(seconds, 0);
    }

    private static void apply(Map<String, Map<String, Stamped>> replica, List<Delta> deltas) {
        for (Delta d : deltas) {
            replica.computeIfAbsent(d.id(), k -> new HashMap<>()).merge(d.field(),
                    new Stamped(d.value(), d.timestamp(), d.site()), (old, neu) ->
                            neu.timestamp() > old.timestamp()
                                    || (neu.timestamp() == old.timestamp() && neu.site() > old.site()) ? neu : old);
        }
    }
}
