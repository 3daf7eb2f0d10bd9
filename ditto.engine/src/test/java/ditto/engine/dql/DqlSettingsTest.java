package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class DqlSettingsTest {

    @Test
    void startsWithTheDocumentedDefaults() {
        DqlSettings s = new DqlSettings();
        assertEquals(false, s.strictMode());
        assertEquals(true, s.tombstoneTtlEnabled());
        assertEquals(168, s.tombstoneTtlHours());
        assertEquals(262_144, s.documentSizeSoftLimitBytes());
        assertEquals(5_242_880, s.documentSizeHardLimitBytes());
        assertEquals(Map.of(), s.userCollectionSyncScopes());
        assertEquals(true, s.restrictSubscriptions());
        assertEquals(false, s.attachmentsAutoFetch());
        assertEquals(300, s.smallPeerInfoPublishIntervalSecs());
        assertEquals(10_000, s.transactionDurationBeforeLoggingMs());
        assertEquals(10, DqlSettings.names().size());
    }

    @Test
    void readsAndWritesNamesInAnyCase() {
        DqlSettings s = new DqlSettings();
        s.set("tombstone_ttl_hours", 5.0);
        assertEquals(5L, s.get("Tombstone_TTL_Hours"));
        DittoException e = assertThrows(DittoException.class, () -> s.set("TOMBSTONE_TTL_HOURS", 5.5));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertEquals("system setting TOMBSTONE_TTL_HOURS: expects an integer, got 5.5", e.getMessage());
    }

    @Test
    void keepsTheSoftLimitAtOrBelowTheHardLimit() {
        DqlSettings s = new DqlSettings();
        s.set(DqlSettings.DOCUMENT_SIZE_HARD_LIMIT_BYTES, 300_000);
        assertThrows(DittoException.class, () -> s.set(DqlSettings.DOCUMENT_SIZE_HARD_LIMIT_BYTES, 1000));
        s.set(DqlSettings.DOCUMENT_SIZE_SOFT_LIMIT_BYTES, 300_000);
        s.reset(DqlSettings.DOCUMENT_SIZE_HARD_LIMIT_BYTES);
        assertEquals(5_242_880, s.documentSizeHardLimitBytes());
        s.set(DqlSettings.DOCUMENT_SIZE_HARD_LIMIT_BYTES, 300_000);
        s.set(DqlSettings.DOCUMENT_SIZE_SOFT_LIMIT_BYTES, 300_000);
        s.reset(DqlSettings.DOCUMENT_SIZE_SOFT_LIMIT_BYTES);
        assertEquals(262_144, s.documentSizeSoftLimitBytes());
    }

    @Test
    void notifiesListenersUntilClosed() throws Exception {
        DqlSettings s = new DqlSettings();
        List<String> seen = new ArrayList<>();
        AutoCloseable handle = s.onChange((name, value) -> seen.add(name + "=" + value));
        s.execute(Dql.parse("ALTER SYSTEM SET DQL_STRICT_MODE = true"), EvalContext.empty());
        s.execute(Dql.parse("ALTER SYSTEM RESET ALL"), EvalContext.empty());
        handle.close();
        handle.close();
        s.set(DqlSettings.DQL_STRICT_MODE, true);
        assertEquals(List.of("DQL_STRICT_MODE=true", "DQL_STRICT_MODE=false"), seen);
    }

    @Test
    void givesEachCollectionItsSyncScope() {
        DqlSettings s = new DqlSettings();
        s.set(DqlSettings.USER_COLLECTION_SYNC_SCOPES, Map.of("local", "localpeeronly"));
        assertEquals("LocalPeerOnly", s.syncScope("local"));
        assertEquals("AllPeers", s.syncScope("other"));
        DittoException e = assertThrows(DittoException.class,
                () -> s.set(DqlSettings.USER_COLLECTION_SYNC_SCOPES, Map.of("__small_peer_info", "AllPeers")));
        assertEquals("system setting USER_COLLECTION_SYNC_SCOPES: '__small_peer_info' is not a user collection name", e.getMessage());
    }

    @Test
    void refusesOtherStatements() {
        DittoException e = assertThrows(DittoException.class, () -> new DqlSettings().execute(Dql.parse("SELECT * FROM c"), EvalContext.empty()));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
    }

    @Test
    void staysConsistentUnderConcurrentChanges() throws Exception {
        DqlSettings s = new DqlSettings();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 1; i <= 500; i++) {
                    long v = 1000L * (id + 1) + i;
                    try {
                        s.set(DqlSettings.DOCUMENT_SIZE_SOFT_LIMIT_BYTES, v);
                    } catch (DittoException ignored) {
                        // a concurrent hard-limit change may make this value too large; that is the check working
                    }
                    s.set(DqlSettings.DOCUMENT_SIZE_HARD_LIMIT_BYTES, 100_000L + v);
                    assertTrue(s.documentSizeSoftLimitBytes() <= s.documentSizeHardLimitBytes());
                }
            });
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertTrue(s.documentSizeSoftLimitBytes() <= s.documentSizeHardLimitBytes());
    }
}
