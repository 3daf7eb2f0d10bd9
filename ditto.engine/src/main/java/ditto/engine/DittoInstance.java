package ditto.engine;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.tinylog.Logger;

import ditto.api.Authenticator;
import ditto.api.DiskUsage;
import ditto.api.DiskUsageItem;
import ditto.api.DiskUsageObserver;
import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoConfigConnect;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.FileSystemType;
import ditto.api.Presence;
import ditto.api.SmallPeerInfo;
import ditto.api.Store;
import ditto.api.Sync;
import ditto.api.TransportConfig;
import ditto.api.TransportDiagnostics;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.StorageParameters;
import ditto.api.spi.storage.StorageProvider;
import ditto.engine.auth.ClientAuthenticator;
import ditto.engine.auth.ServerConfig;
import ditto.engine.plugin.PluginChange;
import ditto.engine.plugin.PluginKind;
import ditto.engine.plugin.PluginListener;
import ditto.engine.plugin.PluginRegistry;
import ditto.engine.store.PersistenceDirectory;
import ditto.engine.store.StoreImpl;
import ditto.engine.presence.ConnectionRequests;
import ditto.engine.presence.PresenceImpl;
import ditto.engine.presence.SmallPeerInfoImpl;
import ditto.engine.sync.Activation;
import ditto.engine.sync.SyncEngine;
import ditto.engine.sync.SyncImpl;
import ditto.engine.sync.SyncRuntime;

/**
 * One open Ditto instance: the configuration, the locked persistence directory, the storage
 * opened through the plug-in registry, the document store ({@link StoreImpl}) on it, the device
 * name, the transport configuration, the instance's transports, sync ({@link SyncImpl} over a
 * {@link SyncEngine}, wired to identity, TLS and transports by {@link InstanceSync}), activation
 * and a small maintenance scheduler (long-transaction log, tombstone reaper, disk usage
 * observers), presence ({@link PresenceImpl} over the sync engine's presence records) and
 * small peer info ({@link SmallPeerInfoImpl}, on the maintenance scheduler). Authentication and
 * attachments are, in this build, the placeholders of {@link NotYetAvailable}.
 *
 * <p>Closing, in order: refuse new calls (CLOSED), stop sync (sessions say goodbye), stop the
 * transports, close the store (it waits
 * for the running read-write transaction, then stops its observers), cancel disk usage observers
 * and the scheduler, flush and close the storage, release the directory lock.
 *
 * <p>Invariants: while open, this instance holds the lock of {@link #directory} and an open
 * {@link #storage}; after {@link #close()} it holds neither, and every method except
 * {@link #close()}, {@link #isClosed()}, {@link #config()}, {@link #databaseId()} and
 * {@link #absolutePersistenceDirectory()} throws {@link ErrorCode#CLOSED}. If the storage plug-in
 * the instance uses goes away (OSGi), the instance closes itself, so the backend flushes before
 * its bundle stops; the CLOSED message then says so.
 *
 * <p>Thread-safe. {@link #stateLock} guards opening/closing; {@link #transportLock} serializes
 * transport configuration changes.
 */
final class DittoInstance implements Ditto, PluginListener {

    /** The experimental configuration key that names the storage provider to use. */
    static final String STORAGE_PROVIDER_KEY = "storage.provider";
    /**
     * Experimental keys with this prefix (other than {@link #STORAGE_PROVIDER_KEY} and
     * {@link #ENCRYPTION_KEY_KEY}) are the backend's options.
     */
    static final String STORAGE_OPTION_PREFIX = "storage.";
    /**
     * The experimental configuration key for encryption at rest: the key as a string of
     * hexadecimal digits, {@value #MIN_ENCRYPTION_KEY_BYTES} to {@value #MAX_ENCRYPTION_KEY_BYTES}
     * bytes. Absent means plain storage. {@link DittoConfig#redacted()} hides it (its name
     * contains "key").
     */
    static final String ENCRYPTION_KEY_KEY = "storage.encryption_key";
    /** The shortest accepted encryption key, in bytes. */
    static final int MIN_ENCRYPTION_KEY_BYTES = 16;
    /** The longest accepted encryption key, in bytes. */
    static final int MAX_ENCRYPTION_KEY_BYTES = 64;
    /**
     * The experimental configuration key for the size of the store's decoded-document cache, in
     * MiB of encoded documents (an integer from 0, which disables it, to 65536; default 16).
     */
    static final String DOCUMENT_CACHE_KEY = "store.document_cache_mb";
    /** How often disk usage observers measure the persistence directory. */
    static final long DISK_USAGE_INTERVAL_MILLIS = 2_000;

    private static final AtomicInteger SCHEDULER_NUMBER = new AtomicInteger();

    private final DittoConfig config;
    private final DittoConfig redactedConfig;
    private final Path absoluteDirectory;
    private final PersistenceDirectory directory;
    private final PluginRegistry registry;
    private final String storageId;
    private final StorageProvider storageProvider;
    private final Storage storage;
    private final Consumer<DittoInstance> onClose;
    private final InstanceTransports transports;

    private final StoreImpl store;
    private final ScheduledExecutorService scheduler;
    private final Set<DiskUsageWatch> diskUsageWatches = ConcurrentHashMap.newKeySet();
    private final Activation activation;
    private final InstanceSync instanceSync;
    private final SyncImpl sync;
    private final PresenceImpl presence;
    private final ExecutorService presenceCallbacks;
    private final SmallPeerInfoImpl smallPeerInfo;
    private final Optional<Authenticator> auth;
    private final ClientAuthenticator clientAuthenticator;
    private final DiskUsage diskUsage;

    private final Object stateLock = new Object();
    private volatile boolean closed;
    private volatile String closeReason;

    private final Object transportLock = new Object();
    private TransportConfig transportConfig = TransportConfig.defaults();

    private volatile String deviceName;

    private DittoInstance(DittoConfig config, Path absoluteDirectory, PersistenceDirectory directory,
            PluginRegistry registry, String storageId, StorageProvider storageProvider, Storage storage,
            Consumer<DittoInstance> onClose, long documentCacheBytes, Optional<ServerConfig> server) {
        this.config = config;
        this.redactedConfig = config.redacted();
        this.absoluteDirectory = absoluteDirectory;
        this.directory = directory;
        this.registry = registry;
        this.storageId = storageId;
        this.storageProvider = storageProvider;
        this.storage = storage;
        this.onClose = onClose;
        this.activation = Activation.of(config.experimental(), config.databaseId(), Clock.systemUTC());
        this.transports = new InstanceTransports(absoluteDirectory.toString(), registry, config.databaseId(),
                this::currentDeviceName);
        Runnable checkOpen = this::checkOpen;
        int number = SCHEDULER_NUMBER.incrementAndGet();
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "ditto-maintenance-" + number);
            t.setDaemon(true);
            return t;
        });
        try {
            this.store = StoreImpl.open(storage, this, checkOpen, new NotYetAvailable.PendingAttachments(), scheduler,
                    documentCacheBytes);
        } catch (RuntimeException | Error e) {
            scheduler.shutdownNow();
            throw e;
        }
        this.instanceSync = new InstanceSync(config.connect(), absoluteDirectory, transports, this::currentTransportConfig,
                this::currentDeviceName, activation, server, config.databaseId(), registry);
        SyncEngine syncEngine = new SyncEngine(store, config.databaseId(),
                SyncRuntime.threaded(absoluteDirectory.toString()), SyncEngine.Options.DEFAULTS,
                absoluteDirectory.toString());
        this.sync = new SyncImpl(this, checkOpen, store, syncEngine, instanceSync);
        instanceSync.bindEngine(syncEngine);
        // Presence observers and connection request handlers run here, never on the sync thread.
        this.presenceCallbacks = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ditto-presence-" + number);
            t.setDaemon(true);
            return t;
        });
        this.presence = new PresenceImpl(syncEngine, instanceSync::localPeer, checkOpen, presenceCallbacks,
                new ConnectionRequests(presenceCallbacks, (millis, task) -> scheduler.schedule(task, millis,
                        TimeUnit.MILLISECONDS), ConnectionRequests.DEFAULT_TIMEOUT_MILLIS));
        this.smallPeerInfo = new SmallPeerInfoImpl(store, () -> presence.graph().localPeer(), syncEngine::isActive,
                System::currentTimeMillis, (millis, task) -> {
                    ScheduledFuture<?> f = scheduler.schedule(task, millis, TimeUnit.MILLISECONDS);
                    return () -> f.cancel(false);
                }, checkOpen);
        if (config.connect() instanceof DittoConfigConnect.Server serverConnection) {
            ClientAuthenticator client = new ClientAuthenticator(this, checkOpen, serverConnection.url(),
                    config.databaseId(), absoluteDirectory, instanceSync::identity, new ClientAuthenticator.Hooks() {
                        @Override
                        public void credentialsChanged() {
                            ClientAuthenticator self = clientAuthenticator;
                            if (self != null) {
                                presence.setIdentityMetadata(self.identityMetadata());
                            }
                            instanceSync.credentialsChanged();
                        }

                        @Override
                        public void stopSync() {
                            sync.stop();
                        }
                    }, Clock.systemUTC(), "ditto-auth-" + number);
            instanceSync.attach(client);
            this.clientAuthenticator = client;
            this.auth = Optional.of(client);
            presence.setIdentityMetadata(client.identityMetadata());
        } else {
            this.clientAuthenticator = null;
            this.auth = Optional.empty();
        }
        this.diskUsage = new InstanceDiskUsage();
    }

    /**
     * Validates the configuration, locks the persistence directory and opens the storage.
     *
     * @param config the configuration, never null
     * @param registry the plug-ins
     * @param onClose told once when the instance closes
     * @return the open instance
     * @throws DittoException INVALID_CONFIG naming the problem, PERSISTENCE_DIRECTORY naming the
     *         directory, NOT_AVAILABLE if no (or no such) storage plug-in is deployed, or what the
     *         storage backend throws (STORE, ENCRYPTION, …)
     */
    static DittoInstance open(DittoConfig config, PluginRegistry registry, Consumer<DittoInstance> onClose) {
        Objects.requireNonNull(config, "config");
        config.validate();
        Map<String, Object> experimental = config.experimental();
        Optional<String> requestedStorage = requestedStorage(experimental);
        Map<String, Object> storageOptions = storageOptions(experimental);
        long documentCacheBytes = documentCacheBytes(experimental);
        Optional<byte[]> encryptionKey = encryptionKey(experimental);
        Optional<ServerConfig> server = ServerConfig.of(experimental);
        InstanceSync.check(config.connect(), server);

        Path absolute = config.resolvePersistenceDirectory();
        PersistenceDirectory directory = PersistenceDirectory.open(absolute);
        DittoInstance instance = null;
        try {
            Map.Entry<String, StorageProvider> chosen = chooseStorage(registry, requestedStorage);
            Storage storage = openStorage(chosen.getKey(), chosen.getValue(),
                    new StorageParameters(directory.folder(FileSystemType.STORE), encryptionKey, storageOptions));
            try {
                instance = new DittoInstance(config, absolute, directory, registry, chosen.getKey(), chosen.getValue(),
                        storage, onClose, documentCacheBytes, server);
            } catch (RuntimeException | Error e) {
                try {
                    storage.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
            registry.addListener(instance);
            if (registry.storage(chosen.getKey()).orElse(null) != chosen.getValue()) {
                throw new DittoException(ErrorCode.NOT_AVAILABLE, "open " + absolute + ": storage plug-in '"
                        + chosen.getKey() + "' went away while the instance was opening");
            }
            Logger.info("opened Ditto instance at {} (database {}, storage '{}')", absolute, config.databaseId(),
                    chosen.getKey());
            return instance;
        } catch (RuntimeException | Error e) {
            if (instance != null) {
                instance.closeBecause("opening failed");
            } else {
                directory.close();
            }
            throw e;
        }
    }

    // ---- Ditto -----------------------------------------------------------------------------

    @Override
    public Path absolutePersistenceDirectory() {
        return absoluteDirectory;
    }

    @Override
    public Optional<Authenticator> auth() {
        checkOpen();
        return auth;
    }

    @Override
    public void close() {
        closeBecause(null);
    }

    @Override
    public DittoConfig config() {
        return redactedConfig;
    }

    @Override
    public String databaseId() {
        return config.databaseId();
    }

    @Override
    public String deviceName() {
        checkOpen();
        return currentDeviceName();
    }

    @Override
    public void setDeviceName(String name) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        deviceName = DeviceName.truncate(name);
    }

    @Override
    public boolean isActivated() {
        checkOpen();
        return activation.isActivated();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isEncrypted() {
        checkOpen();
        try {
            return storage.isEncrypted();
        } catch (DittoException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DittoException(ErrorCode.STORE, "isEncrypted: storage plug-in '" + storageId + "' failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Presence presence() {
        checkOpen();
        return presence;
    }

    @Override
    public void setOfflineOnlyLicenseToken(String token) {
        Objects.requireNonNull(token, "token");
        checkOpen();
        activation.setToken(token);
    }

    @Override
    public SmallPeerInfo smallPeerInfo() {
        checkOpen();
        return smallPeerInfo;
    }

    @Override
    public Store store() {
        checkOpen();
        return store;
    }

    @Override
    public Sync sync() {
        checkOpen();
        return sync;
    }

    @Override
    public DiskUsage diskUsage() {
        checkOpen();
        return diskUsage;
    }

    @Override
    public TransportConfig transportConfig() {
        checkOpen();
        synchronized (transportLock) {
            return transportConfig.copy();
        }
    }

    @Override
    public void setTransportConfig(TransportConfig newConfig) {
        Objects.requireNonNull(newConfig, "config");
        checkOpen();
        TransportConfig copy = newConfig.copy().validate();
        synchronized (transportLock) {
            checkOpen();
            transportConfig = copy;
            transports.reconfigure(copy);
        }
    }

    @Override
    public void updateTransportConfig(Consumer<TransportConfig> update) {
        Objects.requireNonNull(update, "update");
        checkOpen();
        synchronized (transportLock) {
            checkOpen();
            TransportConfig copy = transportConfig.copy();
            update.accept(copy);
            TransportConfig checked = copy.copy().validate();
            transportConfig = checked;
            transports.reconfigure(checked);
        }
    }

    @Override
    public TransportDiagnostics transportDiagnostics() {
        checkOpen();
        return transports.diagnostics();
    }

    // ---- plug-in changes -------------------------------------------------------------------

    /** Closes this instance when the storage plug-in it uses goes away (transports follow on their own). */
    @Override
    public void onPluginChange(PluginChange change) {
        if (change.kind() == PluginKind.STORAGE && change.previous().orElse(null) == storageProvider && !closed) {
            Logger.error("Ditto instance at {}: its storage plug-in '{}' went away; closing the instance so the"
                    + " backend flushes and releases its files", absoluteDirectory, storageId);
            closeBecause("its storage plug-in '" + storageId + "' went away");
        }
    }

    // ---- engine-internal -------------------------------------------------------------------

    /**
     * Closes this instance, remembering why for later CLOSED errors (null: closed by the
     * application). Idempotent: only the first call has an effect.
     */
    void closeBecause(String reason) {
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            closeReason = reason;
            closed = true;
        }
        registry.removeListener(this);
        try {
            sync.close();
        } catch (Throwable t) {
            Logger.error(t, "Ditto instance at {}: stopping sync failed", absoluteDirectory);
        }
        instanceSync.close();
        if (clientAuthenticator != null) {
            clientAuthenticator.close();
        }
        smallPeerInfo.close();
        presence.close();
        presenceCallbacks.shutdownNow();
        try {
            transports.close();
        } catch (Throwable t) {
            Logger.error(t, "Ditto instance at {}: closing its transports failed", absoluteDirectory);
        }
        try {
            store.close();
        } catch (Throwable t) {
            Logger.error(t, "Ditto instance at {}: closing the store failed", absoluteDirectory);
        }
        for (DiskUsageWatch watch : List.copyOf(diskUsageWatches)) {
            watch.cancel();
        }
        scheduler.shutdownNow();
        try {
            storage.flush();
        } catch (Throwable t) {
            Logger.error(t, "Ditto instance at {}: flushing storage '{}' failed", absoluteDirectory, storageId);
        }
        try {
            storage.close();
        } catch (Throwable t) {
            Logger.error(t, "Ditto instance at {}: closing storage '{}' failed", absoluteDirectory, storageId);
        }
        directory.close();
        try {
            onClose.accept(this);
        } catch (Throwable t) {
            Logger.error(t, "Ditto instance at {}: close listener failed", absoluteDirectory);
        }
        Logger.info("closed Ditto instance at {}{}", absoluteDirectory, reason == null ? "" : " (" + reason + ")");
    }

    /** Returns the transports of this instance (later sync work starts and stops them). */
    InstanceTransports transports() {
        return transports;
    }

    /** Returns the document store of this instance. */
    StoreImpl storeImpl() {
        return store;
    }

    /** Returns the storage this instance opened. */
    Storage storage() {
        return storage;
    }

    /** Returns the id of the storage plug-in this instance uses. */
    String storageId() {
        return storageId;
    }

    /** Returns the locked persistence directory. */
    PersistenceDirectory directory() {
        return directory;
    }

    /**
     * Throws {@link ErrorCode#CLOSED} if this instance is closed.
     *
     * @throws DittoException CLOSED naming the instance and, if it was not the application, why
     */
    void checkOpen() {
        if (closed) {
            String reason = closeReason;
            throw new DittoException(ErrorCode.CLOSED, "Ditto instance at " + absoluteDirectory + " is closed"
                    + (reason == null ? "" : ": " + reason));
        }
    }

    @Override
    public String toString() {
        return "DittoInstance[" + absoluteDirectory + ", database " + config.databaseId() + ", storage '" + storageId
                + "'" + (closed ? ", closed]" : "]");
    }

    // ---- internals -------------------------------------------------------------------------

    private TransportConfig currentTransportConfig() {
        synchronized (transportLock) {
            return transportConfig.copy();
        }
    }

    private String currentDeviceName() {
        String name = deviceName;
        if (name == null) {
            name = DeviceName.defaultName();
            deviceName = name;
        }
        return name;
    }

    private static Optional<String> requestedStorage(Map<String, Object> experimental) {
        if (!experimental.containsKey(STORAGE_PROVIDER_KEY)) {
            return Optional.empty();
        }
        Object value = experimental.get(STORAGE_PROVIDER_KEY);
        if (!(value instanceof String id) || id.isBlank()) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "experimental config '" + STORAGE_PROVIDER_KEY
                    + "': expected the id of a storage plug-in (a non-empty string), got " + value);
        }
        return Optional.of(id);
    }

    private static long documentCacheBytes(Map<String, Object> experimental) {
        if (!experimental.containsKey(DOCUMENT_CACHE_KEY)) {
            return StoreImpl.DEFAULT_DOCUMENT_CACHE_BYTES;
        }
        Object value = experimental.get(DOCUMENT_CACHE_KEY);
        if (!(value instanceof Long mb) || mb < 0 || mb > 65_536) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "experimental config '" + DOCUMENT_CACHE_KEY
                    + "': expected a whole number of MiB from 0 to 65536, got " + value);
        }
        return mb << 20;
    }

    /**
     * Reads {@link #ENCRYPTION_KEY_KEY}. The messages never show the value, only its length or the position
     * of a bad character.
     *
     * @throws DittoException INVALID_CONFIG naming the key if the value is not a string of an even
     *         number of hexadecimal digits for a key of the accepted length
     */
    private static Optional<byte[]> encryptionKey(Map<String, Object> experimental) {
        if (!experimental.containsKey(ENCRYPTION_KEY_KEY)) {
            return Optional.empty();
        }
        Object value = experimental.get(ENCRYPTION_KEY_KEY);
        String expected = "expected the key as " + 2 * MIN_ENCRYPTION_KEY_BYTES + " to " + 2 * MAX_ENCRYPTION_KEY_BYTES
                + " hexadecimal digits (" + MIN_ENCRYPTION_KEY_BYTES + " to " + MAX_ENCRYPTION_KEY_BYTES
                + " random bytes)";
        if (!(value instanceof String hex)) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "experimental config '" + ENCRYPTION_KEY_KEY + "': "
                    + expected + ", got " + (value == null ? "null" : "a " + value.getClass().getSimpleName()));
        }
        if (hex.length() % 2 != 0 || hex.length() < 2 * MIN_ENCRYPTION_KEY_BYTES
                || hex.length() > 2 * MAX_ENCRYPTION_KEY_BYTES) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "experimental config '" + ENCRYPTION_KEY_KEY + "': "
                    + expected + ", got " + hex.length() + " characters");
        }
        byte[] key = new byte[hex.length() / 2];
        for (int i = 0; i < key.length; i++) {
            char high = hex.charAt(2 * i);
            char low = hex.charAt(2 * i + 1);
            if (!HexFormat.isHexDigit(high) || !HexFormat.isHexDigit(low)) {
                throw new DittoException(ErrorCode.INVALID_CONFIG, "experimental config '" + ENCRYPTION_KEY_KEY
                        + "': " + expected + ", got a character that is not a hexadecimal digit at position "
                        + (HexFormat.isHexDigit(high) ? 2 * i + 2 : 2 * i + 1));
            }
            key[i] = (byte) (HexFormat.fromHexDigit(high) << 4 | HexFormat.fromHexDigit(low));
        }
        return Optional.of(key);
    }

    private static Map<String, Object> storageOptions(Map<String, Object> experimental) {
        SortedMap<String, Object> options = new TreeMap<>();
        for (Map.Entry<String, Object> e : experimental.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(STORAGE_OPTION_PREFIX) && !key.equals(STORAGE_PROVIDER_KEY)
                    && !key.equals(ENCRYPTION_KEY_KEY)) {
                if (e.getValue() == null) {
                    throw new DittoException(ErrorCode.INVALID_CONFIG,
                            "experimental config '" + key + "': a storage option cannot be null");
                }
                options.put(key.substring(STORAGE_OPTION_PREFIX.length()), e.getValue());
            }
        }
        return options;
    }

    /**
     * Picks the storage plug-in: the requested id, else the first persistent one by id, else the
     * first one by id.
     */
    private static Map.Entry<String, StorageProvider> chooseStorage(PluginRegistry registry,
            Optional<String> requested) {
        SortedMap<String, StorageProvider> storages = registry.storages();
        if (requested.isPresent()) {
            StorageProvider provider = storages.get(requested.get());
            if (provider == null) {
                throw new DittoException(ErrorCode.NOT_AVAILABLE, "open: storage plug-in '" + requested.get()
                        + "' (experimental config '" + STORAGE_PROVIDER_KEY + "') is not deployed; available: "
                        + storages.keySet());
            }
            return Map.entry(requested.get(), provider);
        }
        if (storages.isEmpty()) {
            throw new DittoException(ErrorCode.NOT_AVAILABLE, "open: no storage plug-in is deployed (deploy"
                    + " ditto.store.mvstore or ditto.store.memory)");
        }
        for (Map.Entry<String, StorageProvider> e : storages.entrySet()) {
            if (isPersistent(e.getKey(), e.getValue())) {
                return e;
            }
        }
        return storages.entrySet().iterator().next();
    }

    private static boolean isPersistent(String id, StorageProvider provider) {
        try {
            return provider.isPersistent();
        } catch (Throwable t) {
            Logger.error(t, "storage plug-in '{}' failed in isPersistent(); treated as not persistent", id);
            return false;
        }
    }

    private static Storage openStorage(String id, StorageProvider provider, StorageParameters parameters) {
        Storage storage;
        try {
            storage = provider.open(parameters);
        } catch (DittoException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DittoException(ErrorCode.STORE, "open: storage plug-in '" + id + "' failed to open "
                    + parameters.directory() + ": " + e, e);
        }
        if (storage == null) {
            throw new DittoException(ErrorCode.INTERNAL, "open: storage plug-in '" + id + "' ("
                    + provider.getClass().getName() + ") returned no storage");
        }
        return storage;
    }

    /** Disk usage of the persistence directory, measured on demand. */
    private final class InstanceDiskUsage implements DiskUsage {

        @Override
        public DiskUsageItem exec() {
            return exec(FileSystemType.ROOT);
        }

        @Override
        public DiskUsageItem exec(FileSystemType type) {
            Objects.requireNonNull(type, "type");
            checkOpen();
            return directory.measure(type);
        }

        @Override
        public DiskUsageObserver registerObserver(Consumer<DiskUsageItem> callback) {
            Objects.requireNonNull(callback, "callback");
            checkOpen();
            DiskUsageWatch watch = new DiskUsageWatch(callback);
            diskUsageWatches.add(watch);
            watch.start();
            if (closed) {
                watch.cancel();
                checkOpen();
            }
            return watch;
        }
    }

    /**
     * A disk usage observer: measures the whole persistence directory every
     * {@link #DISK_USAGE_INTERVAL_MILLIS} ms on the maintenance scheduler (first at once) and
     * calls back when the tree differs from the last one delivered. Runs never overlap (fixed
     * delay), so callbacks are in order and never concurrent.
     */
    private final class DiskUsageWatch implements DiskUsageObserver {
        private final Consumer<DiskUsageItem> callback;
        private volatile boolean canceled;
        private volatile ScheduledFuture<?> future;
        private DiskUsageItem last;

        DiskUsageWatch(Consumer<DiskUsageItem> callback) {
            this.callback = callback;
        }

        void start() {
            future = scheduler.scheduleWithFixedDelay(this::measure, 0, DISK_USAGE_INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
        }

        private void measure() {
            if (canceled || closed) {
                return;
            }
            DiskUsageItem item;
            try {
                item = directory.measure(FileSystemType.ROOT);
            } catch (Throwable t) {
                Logger.warn(t, "disk usage of {}: measuring failed", absoluteDirectory);
                return;
            }
            if (item.equals(last) || canceled) {
                return;
            }
            last = item;
            try {
                callback.accept(item);
            } catch (Throwable t) {
                Logger.error(t, "disk usage observer of {}: the callback failed", absoluteDirectory);
            }
        }

        @Override
        public void cancel() {
            canceled = true;
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
            diskUsageWatches.remove(this);
        }

        @Override
        public boolean isCanceled() {
            return canceled;
        }
    }
}
