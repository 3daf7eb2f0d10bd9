package ditto.engine.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ditto.api.Address;
import ditto.api.Connection;
import ditto.api.ConnectionType;
import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.Peer;
import ditto.api.PeerOS;
import ditto.api.QueryResult;
import ditto.api.QueryResultItem;
import ditto.api.SmallPeerInfo;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.StorageParameters;
import ditto.engine.TreeMapStorageProvider;
import ditto.engine.store.AttachmentSupport;
import ditto.engine.store.StoreImpl;

/**
 * Small peer info on a real store with a manual clock: publication into {@code __small_peer_info}
 * on the configured interval while enabled and sync is started, the document's fields, the
 * setting read for every interval, and the metadata setters' limits.
 */
class SmallPeerInfoImplTest {

    /** Scheduled tasks by due time on a manual clock. */
    private final List<Object[]> timers = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicBoolean syncActive = new AtomicBoolean(true);
    private Storage storage;
    private StoreImpl store;
    private SmallPeerInfoImpl info;

    @BeforeEach
    void open() {
        storage = new TreeMapStorageProvider().open(new StorageParameters(Path.of("unused"), Optional.empty(), Map.of()));
        Ditto ditto = (Ditto) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Ditto.class},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        AttachmentSupport attachments = (AttachmentSupport) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AttachmentSupport.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        store = StoreImpl.open(storage, ditto, () -> { }, attachments, null, 0, now::get, new java.util.SplittableRandom(5));
        Connection link = Connection.between("pk-me", "pk-other", ConnectionType.WEB_SOCKET);
        Peer me = new Peer(Address.UNKNOWN, "pk-me", List.of(link), "my device", PeerOS.LINUX, false, true, "0.1.0",
                Map.of(), Map.of());
        info = new SmallPeerInfoImpl(store, () -> me, syncActive::get, now::get, (delay, task) -> {
            Object[] t = {now.get() + delay, task};
            timers.add(t);
            return () -> timers.remove(t);
        }, () -> { });
    }

    @AfterEach
    void close() {
        info.close();
        store.close();
        storage.close();
    }

    private void advance(long millis) {
        long target = now.get() + millis;
        while (true) {
            Object[] next = timers.stream().filter(t -> (long) t[0] <= target)
                    .min((x, y) -> Long.compare((long) x[0], (long) y[0])).orElse(null);
            if (next == null) {
                break;
            }
            timers.remove(next);
            now.set((long) next[0]);
            ((Runnable) next[1]).run();
        }
        now.set(target);
    }

    private List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (QueryResult r = store.execute("SELECT * FROM __small_peer_info", Map.of())) {
            for (QueryResultItem item : r.items()) {
                rows.add(item.value());
            }
        }
        return rows;
    }

    @Test
    void isEnabledByDefaultAndPublishesOnItsInterval() {
        // given the default interval of 300 s
        assertTrue(info.isEnabled());
        info.setMetadata(Map.of("role", "kiosk"));

        // when 299 s pass, nothing is published; at 300 s the document appears
        advance(299_000);
        assertEquals(List.of(), rows());
        advance(1_000);

        // then it describes this peer
        List<Map<String, Object>> rows = rows();
        assertEquals(1, rows.size());
        Map<String, Object> doc = rows.get(0);
        assertEquals("pk-me", doc.get("_id"));
        assertEquals("pk-me", doc.get("peer_key"));
        assertEquals("my device", doc.get("device_name"));
        assertEquals("Linux", doc.get("os"));
        assertEquals("0.1.0", doc.get("sdk_version"));
        assertEquals(Map.of("role", "kiosk"), doc.get("metadata"));
        assertEquals(now.get(), doc.get("updated_at"));
        List<?> connections = (List<?>) doc.get("connections");
        assertEquals(1, connections.size());
        assertEquals(Connection.between("pk-me", "pk-other", ConnectionType.WEB_SOCKET).id(),
                ((Map<?, ?>) connections.get(0)).get("id"));

        // when another interval passes, the same document is refreshed
        advance(300_000);
        assertEquals(1, rows().size());
        assertEquals(now.get(), rows().get(0).get("updated_at"));
    }

    @Test
    void followsThePublishIntervalSetting() {
        // given an interval of 10 s set before the first one ends
        store.execute("ALTER SYSTEM SET SMALL_PEER_INFO_PUBLISH_INTERVAL_SECS = 10", Map.of()).close();
        advance(300_000);
        long first = (long) rows().get(0).get("updated_at");

        // when 10 s pass
        advance(10_000);

        // then it was published again
        assertEquals(first + 10_000, rows().get(0).get("updated_at"));
    }

    @Test
    void publishesNothingWhileDisabledOrWhileSyncIsStopped() {
        // given disabled
        info.setEnabled(false);
        assertFalse(info.isEnabled());
        advance(600_000);
        assertEquals(List.of(), rows());

        // when enabled while sync is stopped
        info.setEnabled(true);
        syncActive.set(false);
        advance(600_000);
        assertEquals(List.of(), rows());

        // when sync starts
        syncActive.set(true);
        advance(300_000);
        assertEquals(1, rows().size());
    }

    @Test
    void metadataSettersKeepValuesAndEnforceTheLimits() {
        // JSON string setter round trip
        info.setMetadataJsonString("{\"a\":{\"b\":[1,2.5,\"x\",null,true]}}");
        assertEquals(Map.of("a", Map.of("b", java.util.Arrays.asList(1L, 2.5, "x", null, true))), info.metadata());
        assertEquals("{\"a\":{\"b\":[1,2.5,\"x\",null,true]}}", info.metadataJsonString());

        // too large
        String big = "{\"k\":\"" + "x".repeat(SmallPeerInfo.MAX_METADATA_JSON_BYTES) + "\"}";
        DittoException e = assertThrows(DittoException.class, () -> info.setMetadataJsonString(big));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains("MAX_METADATA_JSON_BYTES"), e.getMessage());
        e = assertThrows(DittoException.class, () -> info.setMetadata(Map.of("k", "x".repeat(
                SmallPeerInfo.MAX_METADATA_JSON_BYTES))));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());

        // 64 levels are accepted, 65 are not
        info.setMetadataJsonString(nested(64));
        e = assertThrows(DittoException.class, () -> info.setMetadataJsonString(nested(65)));
        assertTrue(e.getMessage().contains("64 levels"), e.getMessage());
        Map<String, Object> deep = Map.of();
        for (int i = 0; i < 65; i++) {
            deep = Map.of("k", deep);
        }
        Map<String, Object> tooDeep = deep;
        assertThrows(DittoException.class, () -> info.setMetadata(tooDeep));

        // not an object, invalid JSON
        assertThrows(DittoException.class, () -> info.setMetadataJsonString("[1]"));
        assertThrows(DittoException.class, () -> info.setMetadataJsonString("{\"a\":"));

        // a failed call changed nothing
        assertEquals(nested(64), info.metadataJsonString());
    }

    static String nested(int levels) {
        return "{\"k\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }
}
