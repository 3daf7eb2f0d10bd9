package ditto.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.function.Executable;

import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.spi.storage.StorageProvider;
import ditto.engine.DittoEngine;
import ditto.engine.plugin.PluginRegistry;

/**
 * Opens Ditto instances for the store's tests through the real engine, on the in-memory backend
 * (fast) or the MVStore backend (durable, for reopen tests), and closes them afterwards.
 */
final class StoreFixture implements AutoCloseable {

    private final PluginRegistry registry = new PluginRegistry();
    private final DittoEngine engine = new DittoEngine(registry);
    private final List<Ditto> opened = new ArrayList<>();
    private final String databaseId = UUID.randomUUID().toString();

    /** A fixture whose instances use the given backend. */
    StoreFixture(StorageProvider provider) {
        registry.addStorage(provider);
    }

    static StoreFixture memory() {
        return new StoreFixture(provider("memory"));
    }

    static StoreFixture mvstore() {
        return new StoreFixture(provider("mvstore"));
    }

    /**
     * Finds a real backend the way the engine does on the module path (the backends are test
     * dependencies and export nothing, so they are reached through ServiceLoader only).
     */
    static StorageProvider provider(String id) {
        for (StorageProvider p : ServiceLoader.load(StorageProvider.class)) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new IllegalStateException("storage backend '" + id + "' is not on the test module path");
    }

    /** Opens (or reopens) the instance persisted in {@code dir}. */
    Ditto open(Path dir) {
        Ditto ditto = engine.open(DittoConfig.defaults().withDatabaseId(databaseId).withPersistenceDirectory(dir));
        opened.add(ditto);
        return ditto;
    }

    @Override
    public void close() {
        opened.forEach(Ditto::close);
        engine.close();
    }

    /** Runs a statement and returns the values of its items. */
    static List<Map<String, Object>> rows(Ditto ditto, String dql, Map<String, ?> args) {
        try (QueryResult r = ditto.store().execute(dql, args)) {
            return r.values();
        }
    }

    static List<Map<String, Object>> rows(Ditto ditto, String dql) {
        return rows(ditto, dql, Map.of());
    }

    /** Asserts that the call throws a DittoException with the code, and returns it. */
    static DittoException assertCode(ErrorCode code, Executable call) {
        DittoException e = assertThrows(DittoException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }
}
