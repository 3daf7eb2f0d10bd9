package ditto.bench;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * W2, point lookups by {@code _id}: {@link Sizes#lookups()} gets of random existing ids, each
 * decoded to a {@code Map}. Ours: {@code SELECT * FROM bench WHERE _id = :id} and
 * {@code QueryResultItem.value()}. Peer: {@code SELECT body FROM docs WHERE id = ?} (a prepared
 * statement, reused) and Jackson parsing the body to a {@code Map}. Both sides of one repetition
 * look up the same ids in the same order.
 */
final class W2PointLookups {

    /** One side's repetition: the rate, and how many lookups found their document (all should). */
    record Result(double lookupsPerSecond, int found) {
    }

    private W2PointLookups() {
    }

    static void run(Sizes sizes, Fixture fixture, Report report) {
        Pairing.Outcome<Result> out = Pairing.run("W2 point lookups", sizes.warmups(), sizes.reps(),
                round -> {
                    DittoSide d = fixture.ditto();
                    return lookups(sizes, fixture.ids, round, d::get);
                },
                round -> lookups(sizes, fixture.ids, round, fixture.sqlite::get));
        report.cost(out);
        int expected = sizes.lookups();
        boolean complete = out.ours.stream().allMatch(t -> t.value().found() == expected)
                && out.peer.stream().allMatch(t -> t.value().found() == expected);
        double ratio = out.pairedRatio(Result::lookupsPerSecond);
        String ours = W1DurableWrites.orNa(out, true, Report.rate(out.oursMedian(Result::lookupsPerSecond), "gets/s"));
        String peer = W1DurableWrites.orNa(out, false, Report.rate(out.peerMedian(Result::lookupsPerSecond), "gets/s"));
        if (complete) {
            report.row("W2 point lookup by _id, decoded (gets/s)", ours, peer, ratio, Target.atLeast(1.5));
        } else {
            report.row("W2 point lookup by _id, decoded (gets/s)", ours, peer, ratio, Target.atLeast(1.5),
                    "WRONG RESULT (a lookup found nothing)");
        }
        report.note("W2: both sides decode every document to a Map (Ditto: QueryResultItem.value(); SQLite: Jackson"
                + " ObjectMapper.readValue of the JSON body); " + sizes.lookups() + " random gets per repetition.");
        W1DurableWrites.failures(report, out);
    }

    /** How one side reads a document by id. */
    @FunctionalInterface
    interface Getter {
        Map<String, Object> get(String id) throws Exception;
    }

    private static Result lookups(Sizes sizes, List<String> ids, int round, Getter getter) throws Exception {
        SplittableRandom random = new SplittableRandom(sizes.seed() * 31 + round);
        int found = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < sizes.lookups(); i++) {
            Map<String, Object> doc = getter.get(ids.get(random.nextInt(ids.size())));
            if (doc != null && doc.size() > 1) {
                found++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(sizes.lookups() / seconds, found);
    }
}
