package ditto.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class DittoConfigTest {

    @Test
    void defaultsUseConstantDatabaseIdSmallPeersAndDefaultDirectory() {
        DittoConfig config = DittoConfig.defaults();
        assertEquals(DittoConfig.DEFAULT_DATABASE_ID, config.databaseId());
        assertEquals(DittoConfig.defaultDatabaseId(), config.databaseId());
        assertEquals(DittoConfigConnect.smallPeersOnly(), config.connect());
        assertEquals(Optional.empty(), config.persistenceDirectory());
        assertTrue(config.experimental().isEmpty());
        assertSame(config, config.validate());
    }

    @Test
    void defaultDatabaseIdIsAUuid() {
        assertEquals(DittoConfig.defaultDatabaseId(), UUID.fromString(DittoConfig.defaultDatabaseId()).toString());
    }

    @Test
    void defaultRootDirectoryIsWorkingDirectoryOffMacAndApplicationSupportOnMac() {
        String saved = System.getProperty("os.name");
        try {
            System.setProperty("os.name", "Linux");
            assertEquals(Path.of("").toAbsolutePath(), DittoConfig.defaultRootDirectory());
            System.setProperty("os.name", "Windows 11");
            assertEquals(Path.of("").toAbsolutePath(), DittoConfig.defaultRootDirectory());
            System.setProperty("os.name", "Mac OS X");
            assertEquals(Path.of(System.getProperty("user.home"), "Library", "Application Support", "Ditto"),
                    DittoConfig.defaultRootDirectory());
        } finally {
            System.setProperty("os.name", saved);
        }
    }

    @Test
    void withersReturnNewInstancesAndLeaveOriginalUnchanged() {
        DittoConfig base = DittoConfig.defaults();
        String id = UUID.randomUUID().toString();
        DittoConfig changed = base.withDatabaseId(id)
                .withConnect(DittoConfigConnect.server("wss://sync.example.com"))
                .withPersistenceDirectory("data")
                .withExperimental(Map.of("flag", true));
        assertEquals(id, changed.databaseId());
        assertEquals(URI.create("wss://sync.example.com"), ((DittoConfigConnect.Server) changed.connect()).url());
        assertEquals(Optional.of(Path.of("data")), changed.persistenceDirectory());
        assertEquals(Map.of("flag", true), changed.experimental());
        assertEquals(DittoConfig.defaults(), base);
        assertEquals(DittoConfig.DEFAULT_DATABASE_ID, base.databaseId());
    }

    @Test
    void rejectsNullArguments() {
        DittoConfig c = DittoConfig.defaults();
        assertThrows(NullPointerException.class, () -> c.withDatabaseId(null));
        assertThrows(NullPointerException.class, () -> c.withConnect(null));
        assertThrows(NullPointerException.class, () -> c.withExperimental(null));
    }

    @Test
    void validateRejectsNonUuidDatabaseIdNamingIt() {
        DittoConfig config = DittoConfig.defaults().withDatabaseId("my-app");
        DittoException e = assertThrows(DittoException.class, config::validate);
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains("'my-app'"), e.getMessage());
        assertThrows(DittoException.class, () -> DittoConfig.defaults().withDatabaseId("").validate());
        assertThrows(DittoException.class,
                () -> DittoConfig.defaults().withDatabaseId("f3a2c1d0-5b6e-4a7f-8c9d-0e1f2a3b4c5").validate());
        assertThrows(DittoException.class,
                () -> DittoConfig.defaults().withDatabaseId("g3a2c1d0-5b6e-4a7f-8c9d-0e1f2a3b4c5d").validate());
    }

    @Test
    void validateAcceptsUpperCaseUuid() {
        String upper = UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
        DittoConfig.defaults().withDatabaseId(upper).validate();
    }

    @Test
    void emptyOrNullPersistenceDirectorySelectsDefault() {
        DittoConfig dir = DittoConfig.defaults().withPersistenceDirectory("x");
        assertEquals(Optional.empty(), dir.withPersistenceDirectory("").persistenceDirectory());
        assertEquals(Optional.empty(), dir.withPersistenceDirectory((String) null).persistenceDirectory());
        assertEquals(Optional.empty(), dir.withPersistenceDirectory((Path) null).persistenceDirectory());
        assertEquals(Optional.empty(), dir.withPersistenceDirectory(Path.of("")).persistenceDirectory());
    }

    @Test
    void resolvesPersistenceDirectoryAgainstRoot() {
        Path root = DittoConfig.defaultRootDirectory();
        DittoConfig config = DittoConfig.defaults();
        assertEquals(root.resolve("ditto-" + DittoConfig.DEFAULT_DATABASE_ID), config.resolvePersistenceDirectory());
        assertEquals(root.resolve("data"), config.withPersistenceDirectory("./data").resolvePersistenceDirectory());
        Path absolute = root.resolve("elsewhere").toAbsolutePath();
        assertEquals(absolute, config.withPersistenceDirectory(absolute).resolvePersistenceDirectory());
    }

    @Test
    void rejectsUnrepresentablePersistenceDirectory() {
        DittoException e = assertThrows(DittoException.class,
                () -> DittoConfig.defaults().withPersistenceDirectory("bad\0name"));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    }

    @Test
    void experimentalIsDeepCopiedAndUnmodifiable() {
        Map<String, Object> nested = new HashMap<>();
        nested.put("n", 1);
        List<Object> list = new ArrayList<>(List.of("a"));
        byte[] bytes = {1, 2, 3};
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("nested", nested);
        source.put("list", list);
        source.put("bytes", bytes);
        source.put("nothing", null);
        DittoConfig config = DittoConfig.defaults().withExperimental(source);

        nested.put("n", 2);
        list.add("b");
        bytes[0] = 9;
        source.put("late", true);

        Map<String, Object> experimental = config.experimental();
        assertEquals(Map.of("n", 1L), experimental.get("nested"));
        assertEquals(List.of("a"), experimental.get("list"));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) experimental.get("bytes"));
        assertTrue(experimental.containsKey("nothing"));
        assertFalse(experimental.containsKey("late"));
        assertThrows(UnsupportedOperationException.class, () -> experimental.put("x", 1));
        @SuppressWarnings("unchecked")
        Map<String, Object> nestedCopy = (Map<String, Object>) experimental.get("nested");
        assertThrows(UnsupportedOperationException.class, () -> nestedCopy.put("x", 1));
        ((byte[]) experimental.get("bytes"))[0] = 7;
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) config.experimental().get("bytes"));
    }

    @Test
    void experimentalRejectsNonJsonValues() {
        DittoException type = assertThrows(DittoException.class,
                () -> DittoConfig.defaults().withExperimental(Map.of("when", new Object())));
        assertEquals(ErrorCode.INVALID_CONFIG, type.code());
        assertTrue(type.getMessage().contains("java.lang.Object"), type.getMessage());
        DittoException nan = assertThrows(DittoException.class,
                () -> DittoConfig.defaults().withExperimental(Map.of("x", Double.NaN)));
        assertEquals(ErrorCode.INVALID_CONFIG, nan.code());
        assertThrows(DittoException.class,
                () -> DittoConfig.defaults().withExperimental(Map.of("m", Map.of(1, "non-string key"))));
    }

    @Test
    void redactsSmallPeersKeyAsRedactedBytes() {
        byte[] key = "super-secret-key".getBytes(StandardCharsets.UTF_8);
        DittoConfig config = DittoConfig.defaults().withConnect(DittoConfigConnect.smallPeersOnly(key));
        DittoConfig redacted = config.redacted();
        assertArrayEquals("[REDACTED]".getBytes(StandardCharsets.UTF_8),
                ((DittoConfigConnect.SmallPeersOnly) redacted.connect()).privateKey());
        assertArrayEquals(key, ((DittoConfigConnect.SmallPeersOnly) config.connect()).privateKey());
    }

    @Test
    void redactsSecretNamedExperimentalKeysAtAnyDepth() {
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("Password", "hunter2");
        auth.put("user", "bob");
        Map<String, Object> experimental = new LinkedHashMap<>();
        experimental.put("apiKey", new byte[] {1, 2});
        experimental.put("AUTH_TOKEN", 42L);
        experimental.put("clientSecret", Map.of("x", 1));
        experimental.put("auth", auth);
        experimental.put("servers", List.of(Map.of("token", "t0k")));
        experimental.put("plain", "visible");
        DittoConfig redacted = DittoConfig.defaults().withExperimental(experimental).redacted();

        Map<String, Object> r = redacted.experimental();
        assertEquals("[REDACTED]", r.get("apiKey"));
        assertEquals("[REDACTED]", r.get("AUTH_TOKEN"));
        assertEquals("[REDACTED]", r.get("clientSecret"));
        assertEquals(Map.of("Password", "[REDACTED]", "user", "bob"), r.get("auth"));
        assertEquals(List.of(Map.of("token", "[REDACTED]")), r.get("servers"));
        assertEquals("visible", r.get("plain"));
    }

    @Test
    void redactsServerUserInfo() {
        DittoConfig config = DittoConfig.defaults()
                .withConnect(new DittoConfigConnect.Server(URI.create("https://alice:pw@example.com:8443/sync")));
        URI url = ((DittoConfigConnect.Server) config.redacted().connect()).url();
        assertEquals("example.com", url.getHost());
        assertEquals(8443, url.getPort());
        assertEquals("/sync", url.getPath());
        assertFalse(url.toString().contains("pw"), url.toString());
        assertEquals("[REDACTED]", url.getUserInfo());
    }

    @Test
    void redactedReturnsSameInstanceWhenNothingIsSecret() {
        DittoConfig plain = DittoConfig.defaults().withExperimental(Map.of("flag", true));
        assertSame(plain, plain.redacted());
        assertNull(((DittoConfigConnect.SmallPeersOnly) plain.redacted().connect()).privateKey());
    }

    @Test
    void toStringNeverPrintsSecrets() {
        DittoConfig config = DittoConfig.defaults()
                .withConnect(DittoConfigConnect.smallPeersOnly("KEYBYTES".getBytes(StandardCharsets.UTF_8)))
                .withExperimental(Map.of("password", "hunter2", "visible", "yes"));
        String text = config.toString();
        assertFalse(text.contains("hunter2"), text);
        assertFalse(text.contains("KEYBYTES"), text);
        assertTrue(text.contains("visible"), text);
        assertTrue(text.contains(DittoConfig.DEFAULT_DATABASE_ID), text);
    }

    @Test
    void equalityComparesAllFieldsWithBytesByContent() {
        DittoConfig a = DittoConfig.defaults().withExperimental(Map.of("b", new byte[] {1}))
                .withConnect(DittoConfigConnect.smallPeersOnly(new byte[] {5}));
        DittoConfig b = DittoConfig.defaults().withExperimental(Map.of("b", new byte[] {1}))
                .withConnect(DittoConfigConnect.smallPeersOnly(new byte[] {5}));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, a.withExperimental(Map.of("b", new byte[] {2})));
        assertNotEquals(a, a.withDatabaseId(UUID.randomUUID().toString()));
        assertNotEquals(a, a.withPersistenceDirectory("p"));
        assertNotEquals(a, a.withConnect(DittoConfigConnect.smallPeersOnly()));
    }
}
