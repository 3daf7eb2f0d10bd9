package ditto.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.ConnectionType;
import ditto.api.DiskUsageItem;
import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoConfigConnect;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.FileSystemType;
import ditto.api.TransportConfig;
import ditto.engine.plugin.PluginRegistry;

class DittoInstanceTest {

    @TempDir
    Path temp;

    private final PluginRegistry registry = new PluginRegistry();
    private final DittoEngine engine = new DittoEngine(registry);
    private final TreeMapStorageProvider storage = new TreeMapStorageProvider("treemap", false);
    private final List<Ditto> opened = new ArrayList<>();

    @AfterEach
    void closeEverything() {
        opened.forEach(Ditto::close);
        engine.close();
    }

    private Ditto open(DittoConfig config) {
        Ditto ditto = engine.open(config);
        opened.add(ditto);
        return ditto;
    }

    private DittoConfig config(Path dir) {
        return DittoConfig.defaults().withDatabaseId(UUID.randomUUID().toString()).withPersistenceDirectory(dir);
    }

    private static DittoException assertDitto(ErrorCode code, Executable call) {
        DittoException e = assertThrows(DittoException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    // ---- persistence directory ---------------------------------------------------------------

    @Test
    void absolutePersistenceDirectoryIsUsedUnchangedAndGetsItsParts() {
        // given a storage plug-in and an absolute directory
        registry.addStorage(storage);
        Path dir = temp.resolve("abs");

        // when an instance opens there
        Ditto ditto = open(config(dir));

        // then it reports that directory, created with one folder per part, and storage got the store folder
        assertEquals(dir, ditto.absolutePersistenceDirectory());
        for (String part : List.of("store", "auth", "replication", "attachments")) {
            assertTrue(Files.isDirectory(dir.resolve(part)), part);
        }
        assertEquals(1, storage.opened.size());
        assertEquals(((DittoInstance) ditto).directory().folder(FileSystemType.STORE),
                storage.opened.get(0).directory());
    }

    @Test
    void relativePersistenceDirectoryIsResolvedAgainstTheDefaultRoot() throws IOException {
        // given a relative directory below target/
        registry.addStorage(storage);
        Path relative = Path.of("target", "instance-test-" + UUID.randomUUID());
        try {
            // when an instance opens there
            Ditto ditto = open(config(relative));

            // then the absolute directory is the root joined with it
            Path expected = DittoConfig.defaultRootDirectory().resolve(relative).normalize();
            assertEquals(expected, ditto.absolutePersistenceDirectory());
            assertTrue(ditto.absolutePersistenceDirectory().isAbsolute());
            assertTrue(Files.isDirectory(expected.resolve("store")));
            ditto.close();
        } finally {
            deleteTree(DittoConfig.defaultRootDirectory().resolve(relative));
        }
    }

    @Test
    void emptyPersistenceDirectoryMeansRootSlashDittoDashDatabaseId() throws IOException {
        // given no directory configured (the empty string) and a fresh database id
        registry.addStorage(storage);
        String id = UUID.randomUUID().toString();
        DittoConfig config = DittoConfig.defaults().withDatabaseId(id).withPersistenceDirectory("");
        Path expected = DittoConfig.defaultRootDirectory().resolve("ditto-" + id);
        try {
            // when an instance opens
            Ditto ditto = open(config);

            // then it uses {root}/ditto-{databaseId}
            assertEquals(expected, ditto.absolutePersistenceDirectory());
            assertTrue(Files.isDirectory(expected));
            ditto.close();
        } finally {
            deleteTree(expected);
        }
    }

    @Test
    void secondOpenOfTheSameDirectoryInThisProcessFailsNamingIt() {
        // given an open instance
        registry.addStorage(storage);
        Path dir = temp.resolve("db");
        Ditto first = open(config(dir));

        // when a second instance opens the same directory (same or other database id)
        DittoException e = assertDitto(ErrorCode.PERSISTENCE_DIRECTORY, () -> open(config(dir)));

        // then the error names the directory; the first instance is unharmed
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertFalse(first.isClosed());
        assertEquals(1, storage.openStorages.get());

        // and after closing the first, the directory can be opened again
        first.close();
        Ditto again = open(config(dir));
        assertFalse(again.isClosed());
    }

    @Test
    void invalidDatabaseIdIsRefusedBeforeTouchingTheDisk() {
        // given a configuration with a database id that is not a UUID
        registry.addStorage(storage);
        Path dir = temp.resolve("never");
        DittoConfig bad = DittoConfig.defaults().withDatabaseId("not-a-uuid").withPersistenceDirectory(dir);

        // when opened, then INVALID_CONFIG names the value and nothing was created
        DittoException e = assertDitto(ErrorCode.INVALID_CONFIG, () -> open(bad));
        assertTrue(e.getMessage().contains("not-a-uuid"), e.getMessage());
        assertFalse(Files.exists(dir));
    }

    // ---- storage selection -----------------------------------------------------------------

    @Test
    void noStoragePluginMeansNotAvailableAndReleasesTheDirectory() {
        // given no storage plug-in
        Path dir = temp.resolve("db");

        // when opened, then NOT_AVAILABLE, and the directory is not left locked
        assertDitto(ErrorCode.NOT_AVAILABLE, () -> open(config(dir)));
        registry.addStorage(storage);
        assertFalse(open(config(dir)).isClosed());
    }

    @Test
    void prefersAPersistentStoragePluginByDefault() {
        // given a volatile and a persistent storage plug-in
        TreeMapStorageProvider persistent = new TreeMapStorageProvider("zz-disk", true);
        registry.addStorage(storage);
        registry.addStorage(persistent);

        // when an instance opens without naming one
        DittoInstance ditto = (DittoInstance) open(config(temp.resolve("db")));

        // then the persistent one is used
        assertEquals("zz-disk", ditto.storageId());
        assertEquals(1, persistent.opened.size());
        assertTrue(storage.opened.isEmpty());
    }

    @Test
    void experimentalStorageProviderChoosesByIdAndPassesItsOptions() {
        // given two plug-ins, the persistent one not wanted
        TreeMapStorageProvider persistent = new TreeMapStorageProvider("disk", true);
        registry.addStorage(storage);
        registry.addStorage(persistent);

        // when the configuration names the volatile one
        DittoConfig config = config(temp.resolve("db")).withExperimental(Map.of("storage.provider", "treemap"));
        DittoInstance ditto = (DittoInstance) open(config);

        // then it is used
        assertEquals("treemap", ditto.storageId());
        assertTrue(persistent.opened.isEmpty());
        assertEquals(Map.of(), storage.opened.get(0).options());

        // and storage.* options reach the backend without the prefix (this one refuses them, releasing the directory)
        ditto.close();
        DittoConfig withOption = config.withExperimental(Map.of("storage.provider", "treemap", "storage.cache_mb", 16));
        DittoException e = assertDitto(ErrorCode.INVALID_CONFIG, () -> open(withOption));
        assertTrue(e.getMessage().contains("cache_mb"), e.getMessage());
        assertFalse(open(config).isClosed());
    }

    @Test
    void unknownOrMalformedStorageProviderIsReported() {
        // given one storage plug-in
        registry.addStorage(storage);
        DittoConfig base = config(temp.resolve("db"));

        // when the configuration names an absent one, then NOT_AVAILABLE lists what is there
        DittoException missing = assertDitto(ErrorCode.NOT_AVAILABLE,
                () -> open(base.withExperimental(Map.of("storage.provider", "rocksdb"))));
        assertTrue(missing.getMessage().contains("rocksdb") && missing.getMessage().contains("[treemap]"),
                missing.getMessage());

        // when it is not a string, then INVALID_CONFIG names the key
        DittoException malformed = assertDitto(ErrorCode.INVALID_CONFIG,
                () -> open(base.withExperimental(Map.of("storage.provider", 42))));
        assertTrue(malformed.getMessage().contains("storage.provider"), malformed.getMessage());
    }

    @Test
    void storagePluginGoingAwayClosesTheInstanceSayingWhy() {
        // given an instance on the tree map storage
        registry.addStorage(storage);
        Ditto ditto = open(config(temp.resolve("db")));

        // when the plug-in goes away
        registry.removeStorage(storage);

        // then the instance flushed, closed its storage, released the directory and says why
        assertTrue(ditto.isClosed());
        assertEquals(0, storage.openStorages.get());
        assertTrue(storage.flushes.get() > 0);
        DittoException e = assertDitto(ErrorCode.CLOSED, ditto::deviceName);
        assertTrue(e.getMessage().contains("storage plug-in 'treemap' went away"), e.getMessage());
        assertEquals(0, engine.openInstanceCount());
    }

    // ---- close -----------------------------------------------------------------------------

    @Test
    void closeIsIdempotentReleasesEverythingAndLaterCallsThrowClosed() {
        // given an open instance and components taken before closing
        registry.addStorage(storage);
        Path dir = temp.resolve("db");
        DittoConfig config = config(dir);
        Ditto ditto = open(config);
        var store = ditto.store();
        var sync = ditto.sync();
        var diskUsage = ditto.diskUsage();

        // when closed twice
        ditto.close();
        ditto.close();

        // then it is closed, storage is closed, and the directory is free again
        assertTrue(ditto.isClosed());
        assertEquals(0, storage.openStorages.get());
        assertEquals(0, engine.openInstanceCount());

        // and the accessors the contract keeps still answer
        assertEquals(dir, ditto.absolutePersistenceDirectory());
        assertEquals(config.databaseId(), ditto.databaseId());
        assertEquals(config.redacted(), ditto.config());

        // and everything else throws CLOSED, components included
        List<Executable> calls = List.of(ditto::deviceName, () -> ditto.setDeviceName("x"), ditto::store,
                ditto::sync, ditto::presence, ditto::auth, ditto::smallPeerInfo, ditto::diskUsage,
                ditto::isActivated, ditto::isEncrypted, ditto::transportConfig, ditto::transportDiagnostics,
                () -> ditto.setTransportConfig(TransportConfig.defaults()),
                () -> ditto.updateTransportConfig(c -> { }), () -> ditto.setOfflineOnlyLicenseToken("t"),
                () -> store.execute("SELECT * FROM cars"), sync::start, sync::subscriptions,
                diskUsage::exec);
        for (Executable call : calls) {
            DittoException e = assertDitto(ErrorCode.CLOSED, call);
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        }
        assertFalse(sync.isActive());
        sync.stop();
        assertFalse(open(config).isClosed(), "the directory is free after close");
    }

    @Test
    void engineCloseClosesTheInstancesItOpenedAndRefusesNewOnes() {
        // given two open instances
        registry.addStorage(storage);
        Ditto a = open(config(temp.resolve("a")));
        Ditto b = open(config(temp.resolve("b")));

        // when the engine closes (the OSGi component deactivating)
        engine.close();

        // then both are closed and no further instance opens
        assertTrue(a.isClosed() && b.isClosed());
        DittoException e = assertDitto(ErrorCode.CLOSED, a::store);
        assertTrue(e.getMessage().contains("engine was stopped"), e.getMessage());
        assertDitto(ErrorCode.NOT_AVAILABLE, () -> open(config(temp.resolve("c"))));
    }

    // ---- accessors -------------------------------------------------------------------------

    @Test
    void configIsRedacted() {
        // given a configuration with a shared key and a secret experimental setting
        registry.addStorage(storage);
        byte[] key = "super-secret-key".getBytes(StandardCharsets.UTF_8);
        DittoConfig config = config(temp.resolve("db")).withConnect(DittoConfigConnect.smallPeersOnly(key))
                .withExperimental(Map.of("apiToken", "abc123", "nested", Map.of("password", "hunter2", "size", 3)));

        // when the instance reports its configuration
        DittoConfig reported = open(config).config();

        // then secrets are replaced, the rest is intact
        DittoConfigConnect.SmallPeersOnly connect = (DittoConfigConnect.SmallPeersOnly) reported.connect();
        assertArrayEquals(DittoConfig.REDACTED.getBytes(StandardCharsets.UTF_8), connect.privateKey());
        assertEquals(DittoConfig.REDACTED, reported.experimental().get("apiToken"));
        assertEquals(Map.of("password", DittoConfig.REDACTED, "size", 3L), reported.experimental().get("nested"));
        assertEquals(config.databaseId(), reported.databaseId());
        assertFalse(reported.toString().contains("hunter2"));
    }

    @Test
    void deviceNameDefaultsToTheHostNameAndIsTruncatedWhenSet() {
        // given an open instance
        registry.addStorage(storage);
        Ditto ditto = open(config(temp.resolve("db")));

        // then the default is the truncated host name
        assertEquals(DeviceName.defaultName(), ditto.deviceName());

        // when a long multi-byte name is set
        ditto.setDeviceName("Küchen-Gerät-Nummer-Zweiundvierzig");

        // then at most 24 bytes of whole characters remain
        assertEquals("Küchen-Gerät-Nummer-Zw", ditto.deviceName());
        assertEquals(24, ditto.deviceName().getBytes(StandardCharsets.UTF_8).length);
        assertThrows(NullPointerException.class, () -> ditto.setDeviceName(null));
    }

    @Test
    void transportConfigIsACopyAndChangesAreValidatedFirst() {
        // given an open instance with the default transport configuration (everything off)
        registry.addStorage(storage);
        Ditto ditto = open(config(temp.resolve("db")));
        assertEquals(TransportConfig.defaults(), ditto.transportConfig());

        // when the returned copy is changed, then the instance is not
        ditto.transportConfig().peerToPeer().lan().setEnabled(true);
        assertFalse(ditto.transportConfig().peerToPeer().lan().isEnabled());

        // when a configuration is set and then changed after setting, then the instance kept its own copy
        TransportConfig mine = TransportConfig.defaults();
        mine.peerToPeer().bluetoothLe().setEnabled(true);
        ditto.setTransportConfig(mine);
        mine.peerToPeer().bluetoothLe().setEnabled(false);
        assertTrue(ditto.transportConfig().peerToPeer().bluetoothLe().isEnabled());

        // when an invalid configuration is set, then INVALID_CONFIG and nothing changes
        TransportConfig invalid = TransportConfig.defaults();
        invalid.connect().setRetryInterval(java.time.Duration.ZERO);
        assertDitto(ErrorCode.INVALID_CONFIG, () -> ditto.setTransportConfig(invalid));
        assertTrue(ditto.transportConfig().peerToPeer().bluetoothLe().isEnabled());

        // when updated through a callback, then the change applies; a failing callback applies nothing
        ditto.updateTransportConfig(c -> c.setSyncGroup(7));
        assertEquals(7, ditto.transportConfig().global().syncGroup());
        assertThrows(IllegalStateException.class, () -> ditto.updateTransportConfig(c -> {
            c.setSyncGroup(9);
            throw new IllegalStateException("changed my mind");
        }));
        assertEquals(7, ditto.transportConfig().global().syncGroup());
        assertDitto(ErrorCode.INVALID_CONFIG,
                () -> ditto.updateTransportConfig(c -> c.connect().setRetryInterval(java.time.Duration.ZERO)));
        assertEquals(TransportConfig.DEFAULT_RETRY_INTERVAL, ditto.transportConfig().connect().retryInterval());
    }

    @Test
    void transportDiagnosticsAreEmptyWhenSyncNeverStarted() {
        // given an instance with LAN enabled and a LAN plug-in, sync never started
        registry.addStorage(storage);
        FakeTransportProvider lan = new FakeTransportProvider("lan", ConnectionType.ACCESS_POINT);
        registry.addTransport(lan);
        Ditto ditto = open(config(temp.resolve("db")));
        ditto.updateTransportConfig(c -> c.peerToPeer().lan().setEnabled(true));

        // then no transport was created and diagnostics are empty
        assertTrue(lan.created.isEmpty());
        assertTrue(ditto.transportDiagnostics().transports().isEmpty());
    }

    @Test
    void runningTransportsFollowPlugInsAndTheInstancesConfiguration() {
        // given an instance whose transports run (as sync will start them) with LAN enabled
        registry.addStorage(storage);
        DittoInstance ditto = (DittoInstance) open(config(temp.resolve("db")));
        ditto.updateTransportConfig(c -> c.peerToPeer().lan().setEnabled(true));
        ditto.transports().start(ditto.transportConfig(), "peer-key", InstanceTransportsTest.NO_LINKS);

        // when a LAN plug-in arrives, then its transport starts, carrying the device name
        FakeTransportProvider lan = new FakeTransportProvider("lan", ConnectionType.ACCESS_POINT);
        registry.addTransport(lan);
        assertTrue(lan.only().running());
        assertEquals(ditto.deviceName(), lan.only().parameters.deviceName());
        assertEquals(1, ditto.transportDiagnostics().transports().size());

        // when the configuration turns LAN off through the instance, then the transport closes
        ditto.updateTransportConfig(c -> c.peerToPeer().lan().setEnabled(false));
        assertTrue(lan.only().closed);

        // when turned on again and the plug-in then goes away, its second transport closes too
        ditto.updateTransportConfig(c -> c.peerToPeer().lan().setEnabled(true));
        assertEquals(2, lan.created.size());
        registry.removeTransport(lan);
        assertTrue(lan.created.get(1).closed);

        // and closing the instance stops following the registry
        ditto.close();
        registry.addTransport(lan);
        assertEquals(2, lan.created.size());
    }

    @Test
    void diskUsageMeasuresThePersistenceDirectory() throws IOException {
        // given an instance and a file in its attachments folder
        registry.addStorage(storage);
        Ditto ditto = open(config(temp.resolve("db")));
        Files.write(ditto.absolutePersistenceDirectory().resolve("attachments").resolve("blob"), new byte[4321]);

        // when measured
        DiskUsageItem root = ditto.diskUsage().exec();
        DiskUsageItem attachments = ditto.diskUsage().exec(FileSystemType.ATTACHMENTS);

        // then the tree has the parts with their sizes
        assertEquals(FileSystemType.ROOT, root.fileSystemType());
        assertEquals(4321, attachments.sizeInBytes());
        assertEquals(4321, root.findByPath("attachments/blob").orElseThrow().sizeInBytes());
        for (FileSystemType type : List.of(FileSystemType.STORE, FileSystemType.AUTH, FileSystemType.REPLICATION)) {
            assertNotNull(root.children().stream().filter(c -> c.fileSystemType() == type).findFirst().orElse(null),
                    type.name());
        }
        assertTrue(root.sizeInBytes() >= 4321);
    }

    @Test
    void diskUsageObserverReportsTheTreeAtOnceThenChangesUntilCancelled() throws Exception {
        // given an instance and an observer of its disk usage
        registry.addStorage(storage);
        Ditto ditto = open(config(temp.resolve("db")));
        java.util.concurrent.LinkedBlockingQueue<DiskUsageItem> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        ditto.api.DiskUsageObserver observer = ditto.diskUsage().registerObserver(seen::add);

        // then the first tree arrives soon
        DiskUsageItem first = seen.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertNotNull(first);
        assertEquals(FileSystemType.ROOT, first.fileSystemType());

        // when a file appears, then a tree holding it follows
        Files.write(ditto.absolutePersistenceDirectory().resolve("attachments").resolve("blob"), new byte[1234]);
        DiskUsageItem next = seen.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertNotNull(next);
        assertEquals(1234, next.findByPath("attachments/blob").orElseThrow().sizeInBytes());

        // and after cancel nothing more arrives, and closing the instance cancels the others
        observer.cancel();
        assertTrue(observer.isCanceled());
        Files.write(ditto.absolutePersistenceDirectory().resolve("attachments").resolve("blob2"), new byte[10]);
        assertEquals(null, seen.poll(3, java.util.concurrent.TimeUnit.SECONDS));
        ditto.api.DiskUsageObserver other = ditto.diskUsage().registerObserver(i -> { });
        ditto.close();
        assertTrue(other.isCanceled());
    }

    @Test
    void documentCacheSizeIsConfigurableAndChecked() {
        registry.addStorage(storage);
        Ditto ditto = open(config(temp.resolve("db")).withExperimental(Map.of("store.document_cache_mb", 0)));
        ditto.store().execute("INSERT INTO c DOCUMENTS ({'_id': 1})");
        assertEquals(1, ditto.store().execute("SELECT * FROM c WHERE _id = 1").itemCount());
        DittoException e = assertDitto(ErrorCode.INVALID_CONFIG,
                () -> open(config(temp.resolve("other")).withExperimental(Map.of("store.document_cache_mb", "lots"))));
        assertTrue(e.getMessage().contains("store.document_cache_mb"), e.getMessage());
    }

    @Test
    void laterFeaturesSayTheyAreNotAvailableYet() {
        // given an open small-peers instance and a server-connection instance
        registry.addStorage(storage);
        Ditto ditto = open(config(temp.resolve("db")));
        Ditto server = open(config(temp.resolve("server"))
                .withConnect(new DittoConfigConnect.Server(URI.create("wss://example.org"))));

        // then the components exist for the instance's lifetime
        assertSame(ditto.store(), ditto.store());
        assertSame(ditto.sync(), ditto.sync());
        assertSame(ditto.presence(), ditto.presence());
        assertTrue(ditto.auth().isEmpty(), "small peers only has no authenticator");
        assertTrue(server.auth().isPresent());

        // and what belongs to later work throws UNSUPPORTED naming the method
        DittoException e = assertDitto(ErrorCode.UNSUPPORTED, () -> ditto.store().newAttachment(new byte[1], Map.of()));
        assertTrue(e.getMessage().startsWith("store.newAttachment: not available in this build yet (engine issue"),
                e.getMessage());

        // while what can be answered truthfully is answered
        assertFalse(ditto.sync().isActive());
        assertTrue(ditto.sync().subscriptions().isEmpty());
        assertTrue(ditto.store().observers().isEmpty());
        assertTrue(ditto.isActivated());
        assertFalse(ditto.isEncrypted());
    }

    @Test
    void serverConnectionNeedsAnExpirationHandlerBeforeSyncStarts() {
        // given
        registry.addStorage(storage);
        Ditto client = open(config(temp.resolve("client"))
                .withConnect(new DittoConfigConnect.Server(URI.create("wss://example.org"))));

        // when
        DittoException e = assertDitto(ErrorCode.EXPIRATION_HANDLER_NOT_SET, () -> client.sync().start());

        // then
        assertTrue(e.getMessage().contains("setExpirationHandler"), e.getMessage());
        assertFalse(client.sync().isActive());
        assertFalse(client.auth().orElseThrow().status().isAuthenticated());
        assertEquals(null, client.auth().orElseThrow().expirationHandler());
    }

    @Test
    void serverPeerConfigurationIsCheckedAtOpen() {
        // given
        registry.addStorage(storage);

        // when
        DittoException badKey = assertDitto(ErrorCode.INVALID_CONFIG, () -> open(config(temp.resolve("s1"))
                .withExperimental(Map.of("server", Map.of("developement_mode", true)))));
        DittoException withSharedKey = assertDitto(ErrorCode.INVALID_CONFIG, () -> open(config(temp.resolve("s2"))
                .withConnect(DittoConfigConnect.smallPeersOnly("0123456789abcdef".getBytes()))
                .withExperimental(Map.of("server", Map.of()))));

        // then
        assertTrue(badKey.getMessage().contains("server.developement_mode"), badKey.getMessage());
        assertTrue(withSharedKey.getMessage().contains("shared key"), withSharedKey.getMessage());
    }

    // ---- encryption at rest (through Ditto.open, the engine's ServiceLoader bootstrap and the real backends) ----

    private static final String KEY = "00112233445566778899aabbccddeeff0123456789abcdef";
    private static final String OTHER_KEY = "ffeeddccbbaa99887766554433221100fedcba9876543210";

    private Ditto openWithDittoOpen(DittoConfig config) {
        Ditto ditto = Ditto.open(config);
        opened.add(ditto);
        return ditto;
    }

    private static DittoConfig storageConfig(DittoConfig base, String provider, String key) {
        return key == null
                ? base.withExperimental(Map.of("storage.provider", provider))
                : base.withExperimental(Map.of("storage.provider", provider, "storage.encryption_key", key));
    }

    @Test
    void encryptionKeyEncryptsTheStoreAndOnlyTheSameKeyOpensItAgain() throws IOException {
        // given an mvstore instance opened with an encryption key, holding a document
        DittoConfig base = config(temp.resolve("encrypted"));
        Ditto ditto = openWithDittoOpen(storageConfig(base, "mvstore", KEY));
        ditto.store().execute("INSERT INTO cars DOCUMENTS ({'_id': 'c1', 'make': 'plaintext-marker-Ford'})").close();

        // then it is encrypted, its reported configuration hides the key, and no file shows the data
        assertTrue(ditto.isEncrypted());
        assertEquals(DittoConfig.REDACTED, ditto.config().experimental().get("storage.encryption_key"));
        assertFalse(ditto.config().toString().contains(KEY), ditto.config().toString());
        ditto.close();
        try (Stream<Path> files = Files.walk(base.resolvePersistenceDirectory())) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                        .contains("plaintext-marker"), "plaintext in " + file);
            }
        }

        // when it is opened with a wrong key, and without a key
        DittoException wrongKey = assertDitto(ErrorCode.ENCRYPTION,
                () -> openWithDittoOpen(storageConfig(base, "mvstore", OTHER_KEY)));
        DittoException noKey = assertDitto(ErrorCode.ENCRYPTION,
                () -> openWithDittoOpen(storageConfig(base, "mvstore", null)));

        // then both fail clearly, never with garbage, and release the directory
        assertTrue(wrongKey.getMessage().contains("wrong encryption key"), wrongKey.getMessage());
        assertTrue(noKey.getMessage().contains("no encryption key was given"), noKey.getMessage());
        assertFalse(wrongKey.getMessage().contains(OTHER_KEY) || noKey.getMessage().contains(KEY));

        // and the same key opens it with the data intact
        Ditto reopened = openWithDittoOpen(storageConfig(base, "mvstore", KEY.toUpperCase(Locale.ROOT)));
        assertTrue(reopened.isEncrypted());
        assertEquals(List.of(Map.of("_id", "c1", "make", "plaintext-marker-Ford")),
                reopened.store().execute("SELECT * FROM cars").values());
    }

    @Test
    void storeWithoutKeyIsNotEncryptedAndCannotBeOpenedWithOne() {
        // given a plain mvstore instance
        DittoConfig base = config(temp.resolve("plain"));
        Ditto plain = openWithDittoOpen(storageConfig(base, "mvstore", null));

        // then it is not encrypted
        assertFalse(plain.isEncrypted());
        plain.close();

        // and a key for the existing plain store is refused rather than ignored
        DittoException e = assertDitto(ErrorCode.ENCRYPTION, () -> openWithDittoOpen(storageConfig(base, "mvstore", KEY)));
        assertTrue(e.getMessage().contains("not encrypted"), e.getMessage());
    }

    @Test
    void memoryStorageRefusesAnEncryptionKey() {
        // when the memory backend is asked to encrypt
        DittoException e = assertDitto(ErrorCode.UNSUPPORTED,
                () -> openWithDittoOpen(storageConfig(config(temp.resolve("memory")), "memory", KEY)));

        // then it says it cannot
        assertTrue(e.getMessage().contains("does not encrypt"), e.getMessage());
    }

    @Test
    void malformedEncryptionKeyIsInvalidConfigNamingTheSettingButNotTheValue() {
        // given keys that are too short, too long, of odd length, not hexadecimal, or not a string
        registry.addStorage(storage);
        List<Object> bad = List.of("00112233445566778899aabbccddee", "ab".repeat(65), KEY + "0",
                "zz112233445566778899aabbccddeeff", "00112233445566778899aabbccddee\u0663\u0663", 1234567890123456789L);
        for (Object key : bad) {
            // when an instance opens with it
            DittoException e = assertDitto(ErrorCode.INVALID_CONFIG, () -> open(config(temp.resolve("bad"))
                    .withExperimental(Map.of("storage.encryption_key", key))));

            // then the message names the setting and what it expects, never the value itself
            assertTrue(e.getMessage().startsWith("experimental config 'storage.encryption_key': expected the key as 32 to"
                    + " 128 hexadecimal digits"), e.getMessage());
            assertFalse(e.getMessage().contains(key.toString()), e.getMessage());
        }
        assertTrue(storage.opened.isEmpty(), "no storage may be opened with a bad key");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
