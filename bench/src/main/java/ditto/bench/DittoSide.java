package ditto.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoConfigConnect;
import ditto.api.QueryResult;
import ditto.api.QueryResultItem;
import ditto.api.Store;
import ditto.api.StoreObserver;
import ditto.api.TransactionCompletionAction;

/**
 * Our side of every workload: one Ditto instance on the mvstore backend (durable: a commit
 * returns once it is on disk, the backend's default), driven only through the public API
 * ({@code ditto.api}), so the harness measures what an application gets.
 *
 * <p>Documents live in the collection {@value #COLLECTION}. Reads decode every result item to a
 * {@code Map} with {@link QueryResultItem#value()}, the same work the SQLite side does when it
 * parses its JSON with Jackson. Not thread-safe except where noted: the harness drives one
 * instance from one thread, and observer callbacks arrive on engine threads.
 */
final class DittoSide implements AutoCloseable {

    static final String COLLECTION = "bench";

    private static final String INSERT = "INSERT INTO " + COLLECTION + " DOCUMENTS (:doc)";
    private static final String GET = "SELECT * FROM " + COLLECTION + " WHERE _id = :id";

    private static volatile Map<String, String> storageOptions = Map.of();

    private final Ditto ditto;
    private final Path directory;

    private DittoSide(Ditto ditto, Path directory) {
        this.ditto = ditto;
        this.directory = directory;
    }

    /**
     * Opens a fresh instance on the mvstore backend in {@code directory}.
     *
     * @param directory an absolute directory that no other instance uses
     * @return the open side; the caller closes it
     */
    static DittoSide open(Path directory) {
        return open(directory, UUID.randomUUID().toString());
    }

    /**
     * Opens a fresh instance on the mvstore backend in {@code directory} with the given database
     * id (instances that sync with each other share one).
     *
     * @param directory an absolute directory that no other instance uses
     * @param databaseId the database id
     * @return the open side; the caller closes it
     */
    static DittoSide open(Path directory, String databaseId) {
        return open(directory, databaseId, "mvstore", DittoConfigConnect.smallPeersOnly(), Map.of());
    }

    /**
     * Opens a fresh instance with a chosen storage backend, connection and extra experimental
     * settings (W10's server peer and its clients).
     *
     * @param directory an absolute directory that no other instance uses
     * @param databaseId the database id
     * @param provider the storage backend, {@code mvstore} (which gets the options of
     *        {@link #setStorageOptions}) or {@code memory}
     * @param connect the connection: small peers only, or a server to log in to
     * @param extraExperimental further experimental settings, such as W10's {@code server} key
     * @return the open side; the caller closes it
     */
    static DittoSide open(Path directory, String databaseId, String provider, DittoConfigConnect connect,
            Map<String, Object> extraExperimental) {
        Map<String, Object> experimental = new LinkedHashMap<>();
        experimental.put("storage.provider", provider);
        if (provider.equals("mvstore")) {
            storageOptions.forEach((k, v) -> experimental.put("storage." + k, v));
        }
        experimental.putAll(extraExperimental);
        DittoConfig config = DittoConfig.defaults()
                .withDatabaseId(databaseId)
                .withPersistenceDirectory(directory.toAbsolutePath())
                .withConnect(connect)
                .withExperimental(experimental);
        return new DittoSide(Ditto.open(config), directory);
    }

    /**
     * Sets backend options (such as {@code cacheSizeMb}) for every instance opened afterwards,
     * passed as the experimental settings {@code storage.<key>}. Main sets them once, before
     * any workload runs; the default is none (the backend's defaults).
     */
    static void setStorageOptions(Map<String, String> options) {
        storageOptions = Map.copyOf(options);
    }

    /** Returns the backend options set with {@link #setStorageOptions}. */
    static Map<String, String> storageOptions() {
        return storageOptions;
    }

    /** Returns the instance, for sync and transport settings (W5–W7). */
    Ditto ditto() {
        return ditto;
    }

    Store store() {
        return ditto.store();
    }

    /** Inserts the documents in one transaction, one INSERT statement per document. */
    void insertInTransaction(List<Map<String, Object>> docs) {
        ditto.store().transaction(null, tx -> {
            for (Map<String, Object> doc : docs) {
                tx.execute(INSERT, Map.of("doc", doc)).close();
            }
            return TransactionCompletionAction.COMMIT;
        });
    }

    /** Inserts one document in its own (implicit) transaction; returns once it is committed. */
    void insertOne(Map<String, Object> doc) {
        ditto.store().execute(INSERT, Map.of("doc", doc)).close();
    }

    /**
     * Reads one document by {@code _id}, decoded.
     *
     * @return the document, or null if there is none with that id
     */
    Map<String, Object> get(String id) {
        try (QueryResult result = ditto.store().execute(GET, Map.of("id", id))) {
            if (result.itemCount() == 0) {
                return null;
            }
            try (QueryResultItem item = result.item(0)) {
                return item.value();
            }
        }
    }

    /** Runs a SELECT and decodes every item. */
    List<Map<String, Object>> query(String dql, Map<String, ?> args) {
        try (QueryResult result = ditto.store().execute(dql, args)) {
            List<Map<String, Object>> values = new ArrayList<>(result.itemCount());
            for (QueryResultItem item : result) {
                values.add(item.value());
                item.close();
            }
            return values;
        }
    }

    /** Runs a statement and discards its result. */
    void execute(String dql, Map<String, ?> args) {
        ditto.store().execute(dql, args).close();
    }

    /** Registers a live query; callbacks arrive on engine threads. */
    StoreObserver observe(String dql, Map<String, ?> args, Consumer<QueryResult> onChange) {
        return ditto.store().registerObserver(dql, args, onChange);
    }

    /** Returns the bytes of every file under the persistence directory; meaningful after close. */
    long diskBytes() {
        return directoryBytes(directory);
    }

    @Override
    public void close() {
        ditto.close();
    }

    static long directoryBytes(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
