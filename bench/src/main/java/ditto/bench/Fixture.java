package ditto.bench;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data set W2–W4 read and observe, loaded once into both stores: the generator's first
 * {@link Sizes#docs()} documents (the same ones W1 writes), kept pre-parsed in memory as well
 * for W3's in-memory ceiling.
 *
 * <p>If Ditto cannot be opened or loaded (the engine is incomplete), {@link #ditto()} throws
 * with the reason, so each workload records "not measured" for our side and still measures the
 * peer. Single-threaded.
 */
final class Fixture implements AutoCloseable {

    /** The {@code grp} value W4's live query observes (about 1 % of the documents). */
    static final int OBSERVED_GROUP = 7;

    private static final int LOAD_BATCH = 500;

    final List<Map<String, Object>> docs;
    final List<String> ids;
    final List<String> observedIds;
    private final DittoSide ditto;
    final SqliteSide sqlite;

    private Fixture(List<Map<String, Object>> docs, DittoSide ditto, SqliteSide sqlite) {
        this.docs = docs;
        this.ids = docs.stream().map(d -> (String) d.get("_id")).toList();
        this.observedIds = docs.stream().filter(d -> ((Integer) d.get("grp")) == OBSERVED_GROUP)
                .map(d -> (String) d.get("_id")).toList();
        this.ditto = ditto;
        this.sqlite = sqlite;
    }

    /** Generates the data set and loads it into a fresh Ditto and a fresh SQLite under {@code work}. */
    static Fixture load(Sizes sizes, Path work, Report report) throws Exception {
        List<Map<String, Object>> docs = new DataGenerator(sizes.seed()).next(sizes.docs());
        List<List<Map<String, Object>>> batches = new ArrayList<>();
        for (int i = 0; i < docs.size(); i += LOAD_BATCH) {
            batches.add(docs.subList(i, Math.min(docs.size(), i + LOAD_BATCH)));
        }
        Path sqliteFile = work.resolve("data-sqlite.db");
        SqliteSide.delete(sqliteFile);
        long t0 = System.nanoTime();
        SqliteSide sqlite = SqliteSide.open(sqliteFile);
        for (List<Map<String, Object>> batch : batches) {
            sqlite.insertInTransaction(batch);
        }
        double sqliteSeconds = (System.nanoTime() - t0) / 1e9;

        DittoSide ditto = null;
        String failure = null;
        double dittoSeconds = Double.NaN;
        Path dittoDir = work.resolve("data-ditto");
        try {
            WorkDir.deleteTree(dittoDir);
            t0 = System.nanoTime();
            ditto = DittoSide.open(dittoDir);
            for (List<Map<String, Object>> batch : batches) {
                ditto.insertInTransaction(batch);
            }
            dittoSeconds = (System.nanoTime() - t0) / 1e9;
        } catch (Exception | LinkageError e) {
            failure = "loading the data set failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            System.err.println("bench: Ditto " + failure);
            if (ditto != null) {
                try {
                    ditto.close();
                } catch (RuntimeException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
                ditto = null;
            }
        }
        report.note(String.format(Locale.ROOT, "data set for W2–W4: %,d docs loaded in transactions of %d:"
                + " Ditto %s s, SQLite %.2f s (not a target; one run)%s", docs.size(), LOAD_BATCH,
                Report.seconds(dittoSeconds), sqliteSeconds, failure == null ? "" : "; Ditto " + failure));
        return new Fixture(docs, ditto, sqlite);
    }

    /**
     * Returns the loaded Ditto side.
     *
     * @throws IllegalStateException naming why Ditto could not be loaded
     */
    DittoSide ditto() {
        if (ditto == null) {
            throw new IllegalStateException("the data set could not be loaded into Ditto (see the data-set note)");
        }
        return ditto;
    }

    @Override
    public void close() throws SQLException {
        try {
            if (ditto != null) {
                ditto.close();
            }
        } finally {
            sqlite.close();
        }
    }
}
