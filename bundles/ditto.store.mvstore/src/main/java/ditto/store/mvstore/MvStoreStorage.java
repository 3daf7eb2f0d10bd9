package ditto.store.mvstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.RootReference;
import org.h2.mvstore.type.ByteArrayDataType;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.storage.Durability;
import ditto.api.spi.storage.Snapshot;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.WriteBatch;

/**
 * A storage in one MVStore file: one {@link MVMap} per space (byte-array keys in unsigned
 * order), one meta map holding the format and the last sequence number.
 *
 * <p><b>Commits.</b> MVStore runs with auto-commit disabled, so nothing reaches the file except
 * through {@link MVStore#commit()}, which this class calls once per batch, after the whole batch
 * and its new sequence number are in the maps. An MVStore commit writes one chunk and recovery
 * keeps only complete chunks, so a batch is on disk entirely or not at all. {@code SYNC} adds
 * {@link MVStore#sync()} (a {@code force} of the file). Any failure while committing leaves the
 * storage unusable (every later call fails with {@code STORE}) and the half-applied maps are
 * never written.
 *
 * <p><b>Snapshots.</b> MVMaps are copy-on-write B-trees, so the root references taken after a
 * commit are an immutable view of every space. A view pins its MVStore version
 * ({@link MVStore#registerVersionUsage()}) before reading the roots, which keeps MVStore from
 * reusing any chunk the view may still read; the pin is dropped when the last snapshot of a
 * superseded view closes.
 *
 * <pre>
 *  committer (commitLock held)                              readers (no lock)
 *  apply batch → meta.sequence → store.commit() [→ sync()]
 *     → pin = registerVersionUsage(); roots = flushAndGetRoot()
 *     → view = new View(pin, roots) ──volatile write──▶  snapshot(): view.acquire()
 *     → oldView.release()          ◀── last release unpins ── snapshot.close()
 * </pre>
 *
 * <p><b>Space.</b> Dead chunks are reused only while every stored version is forced to disk
 * (see {@link #allowChunkReuseIfDurable()}), so a commit forces the file when the last force is
 * more than a second old or about 4 MiB were written since (estimated from the batches), even
 * for {@code BUFFERED} batches; without that, the file would grow by everything written in
 * MVStore's retention time.
 *
 * <p><b>Recovery.</b> When the file was not closed cleanly, the open writes the recovered state
 * again (see {@link #settleAfterCrash()}) before anything else, so that a later clean close never
 * vouches for a layout that still names chunks the interrupted process overwrote.
 *
 * <p>Invariants: the maps, {@link #sequence}, {@link #durableVersion} and the force and
 * housekeeping counters change only under {@link #commitLock} (or in the constructor);
 * {@link #view} always shows a committed state whose sequence equals the meta map's; every
 * pinned view is in {@link #liveViews} until unpinned.
 */
final class MvStoreStorage implements Storage {

    /** The MVStore file inside the storage directory. */
    static final String STORE_FILE = "ditto.mv.db";
    /** The key verifier of an encrypted store (see {@link KeyCheck}). */
    static final String KEY_CHECK_FILE = "ditto.mv.key";

    static final int MAX_SPACE_NAME_BYTES = 255;

    private static final String META_MAP = "ditto.meta";
    private static final String SPACE_PREFIX = "space.";
    private static final byte[] FORMAT_KEY = "format".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQUENCE_KEY = "sequence".getBytes(StandardCharsets.US_ASCII);
    private static final long FORMAT = 1;
    /** The MVStore file header field naming the newest chunk, present once any chunk was written. */
    private static final String HEADER_CHUNK = "chunk";
    /** The MVStore file header field with the version of that chunk. */
    private static final String HEADER_VERSION = "version";
    /** The MVStore file header field set by a clean close, after everything was forced to disk. */
    private static final String HEADER_CLEAN = "clean";
    private static final byte[] ENCRYPTED_HEADER = "H2encrypt\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PLAIN_HEADER = "H:2,".getBytes(StandardCharsets.US_ASCII);
    private static final long HOUSEKEEPING_INTERVAL_NANOS = 1_000_000_000L;
    private static final int HOUSEKEEPING_WRITE_LIMIT = 1 << 20;
    private static final long FORCE_INTERVAL_NANOS = 1_000_000_000L;
    private static final long FORCE_BYTES = 4 << 20;
    /** A rough size of the pages one small commit rewrites (leaf, inner nodes, meta, layout). */
    private static final long PAGE_OVERHEAD_PER_COMMIT = 16 << 10;

    private final MVStore store;
    private final Path file;
    private final Path keyFile;
    private final boolean encrypted;
    private final int autoCompactFillRate;
    private final MVMap<byte[], byte[]> meta;
    private final Map<String, MVMap<byte[], byte[]>> spaces = new HashMap<>();
    private final ReentrantLock commitLock = new ReentrantLock();
    private final Set<View> liveViews = ConcurrentHashMap.newKeySet();
    private volatile View view;
    private volatile boolean closed;
    private volatile DittoException failure;
    private long sequence;
    private long lastHousekeeping = System.nanoTime();
    private long lastForce = System.nanoTime();
    private long durableVersion = -1;
    private long unforcedBytes;

    private MvStoreStorage(MVStore store, Path file, Path keyFile, boolean encrypted, int autoCompactFillRate,
            boolean recovered) {
        this.store = store;
        this.file = file;
        this.keyFile = keyFile;
        this.encrypted = encrypted;
        this.autoCompactFillRate = autoCompactFillRate;
        this.meta = store.openMap(META_MAP, mapBuilder());
        byte[] format = meta.get(FORMAT_KEY);
        boolean hasOtherMaps = store.getMapNames().stream().anyMatch(name -> !name.equals(META_MAP));
        if (format == null) {
            if (hasOtherMaps || meta.sizeAsLong() > 0) {
                throw new DittoException(ErrorCode.STORE, "mvstore storage: " + file + " is an MVStore file but not a Ditto store");
            }
            long headerVersion = DataUtils.readHexLong(store.getStoreHeader(), HEADER_VERSION, 0);
            if (store.getStoreHeader().get(HEADER_CHUNK) != null && headerVersion > 1) {
                // MVStore opens a file whose chunks are all unreadable as an empty store. The
                // format is in version 1, the first chunk ever written (a header naming only that
                // one may be left by a creation that was interrupted), so a header naming a later
                // version without any readable format means data was lost.
                throw new DittoException(encrypted ? ErrorCode.ENCRYPTION : ErrorCode.STORE, "mvstore storage: " + file
                        + " is damaged" + (encrypted ? " or was tampered with" : "") + ": its header names version "
                        + headerVersion + ", but no readable chunk holds the store's data");
            }
            meta.put(FORMAT_KEY, encodeLong(FORMAT));
            store.commit();
            // forced, so that a header naming a chunk always has a readable chunk with the format
            store.sync();
        } else if (decodeLong(format) != FORMAT) {
            throw new DittoException(ErrorCode.STORE, "mvstore storage: " + file + " has format " + decodeLong(format)
                    + ", this version reads format " + FORMAT + " only");
        }
        byte[] stored = meta.get(SEQUENCE_KEY);
        sequence = stored == null ? 0 : decodeLong(stored);
        for (String name : store.getMapNames()) {
            if (name.startsWith(SPACE_PREFIX)) {
                spaces.put(name.substring(SPACE_PREFIX.length()), store.openMap(name, mapBuilder()));
            }
        }
        if (recovered) {
            settleAfterCrash();
        }
        // whatever was just read from the file is as durable as this class can make it
        durableVersion = store.getCurrentVersion();
        view = captureView();
    }

    /**
     * Makes a store that MVStore has just recovered from an interrupted process safe to close
     * cleanly, by writing the recovered state once more with a layout that names no dead chunk.
     *
     * <p>An interrupted process may already have freed a dead chunk, still listed in the layout
     * of the last complete version, and overwritten it with the chunk it was writing. MVStore's
     * recovery accepts that version (a dead chunk holds nothing it needs) and forgets the chunk
     * in memory only; the layout on disk keeps listing it until MVStore drops it in a later
     * version. A clean close in between would write the clean mark over that layout, and
     * MVStore's open of a cleanly closed file verifies the newest chunks of the layout, dead
     * ones included: it would find the overwritten chunk and fall back to an older version,
     * losing acknowledged commits (which {@link #probe} refuses as damage).
     *
     * <p>So this forces the recovered version (reuse is safe only once it is durable), then
     * writes one version (the same sequence number) with no version kept back and no retention
     * time: MVStore drops, at the start of a version, every dead chunk that no kept version needs
     * and whose retention time is over, and at open it keeps the recovered version only, which
     * needs no dead chunk; a negative retention time makes the drop independent of the clock. No
     * snapshot is open yet to pin an older version.
     */
    private void settleAfterCrash() {
        int versionsToKeep = store.getVersionsToKeep();
        store.sync();
        store.setVersionsToKeep(0);
        store.setRetentionTime(-1);
        try {
            meta.put(SEQUENCE_KEY, encodeLong(sequence));
            store.commit();
            store.sync();
        } finally {
            store.setVersionsToKeep(versionsToKeep);
            store.setRetentionTime(0);
        }
    }

    /**
     * Opens or creates the store in {@code directory}.
     *
     * @throws DittoException as described on {@link MvStoreStorageProvider#open}
     */
    static MvStoreStorage open(Path directory, Optional<byte[]> key, MvStoreOptions options) {
        if (key.isPresent() && key.get().length == 0) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "mvstore storage: the encryption key is empty");
        }
        prepareDirectory(directory);
        Path file = directory.resolve(STORE_FILE);
        Path keyFile = directory.resolve(KEY_CHECK_FILE);
        byte[] header = readHeader(file);
        boolean exists = header.length > 0;
        boolean fileEncrypted = startsWith(header, ENCRYPTED_HEADER);
        KeyCheck.Result check = KeyCheck.Result.ABSENT;
        if (exists) {
            if (!Files.isWritable(file)) {
                throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY, "mvstore storage: " + file + " is not writable");
            }
            if (fileEncrypted && key.isEmpty()) {
                throw new DittoException(ErrorCode.ENCRYPTION,
                        "mvstore storage: " + file + " is encrypted, but no encryption key was given");
            }
            if (startsWith(header, PLAIN_HEADER) && key.isPresent()) {
                throw new DittoException(ErrorCode.ENCRYPTION, "mvstore storage: " + file
                        + " is not encrypted, but an encryption key was given (an existing store cannot be encrypted in place)");
            }
            if (fileEncrypted) {
                check = KeyCheck.verify(keyFile, key.get());
                if (check == KeyCheck.Result.MISMATCH) {
                    throw new DittoException(ErrorCode.ENCRYPTION,
                            "mvstore storage: wrong encryption key for " + file + " (it does not match " + KEY_CHECK_FILE + ")");
                }
            }
        } else {
            try {
                if (key.isPresent()) {
                    KeyCheck.write(keyFile, key.get());
                } else {
                    Files.deleteIfExists(keyFile);
                }
            } catch (IOException e) {
                throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY,
                        "mvstore storage: cannot remove the stale key check file " + keyFile + ": " + e.getMessage(), e);
            }
        }

        boolean keyVerified = check == KeyCheck.Result.MATCH;
        boolean recovered = exists && !probe(file, key, options, fileEncrypted, keyVerified);
        MVStore store;
        try {
            store = builder(file, key, options).open();
        } catch (RuntimeException e) {
            throw openFailure(file, e, fileEncrypted, keyVerified);
        }
        MvStoreStorage storage;
        try {
            storage = new MvStoreStorage(store, file, keyFile, key.isPresent(), options.autoCompactFillRate(), recovered);
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e instanceof DittoException d ? d : openFailure(file, e, fileEncrypted, keyVerified);
        }
        if (exists && fileEncrypted && check == KeyCheck.Result.ABSENT) {
            // the key just opened the store, so it is right: record a verifier for next time
            KeyCheck.write(keyFile, key.get());
        }
        return storage;
    }

    /**
     * Opens the file read-only, which changes nothing in it, and refuses it if MVStore would
     * silently fall back to an older version than the one its header says was cleanly closed.
     * A writable open would "repair" the header to the older version, hiding the loss; after a
     * crash (no clean mark) falling back is MVStore's normal recovery and is accepted.
     *
     * @return whether the file was closed cleanly (or holds no chunk yet); false after a crash
     */
    private static boolean probe(Path file, Optional<byte[]> key, MvStoreOptions options, boolean fileEncrypted,
            boolean keyVerified) {
        MVStore probe;
        try {
            probe = builder(file, key, options).readOnly().open();
        } catch (RuntimeException e) {
            throw openFailure(file, e, fileEncrypted, keyVerified);
        }
        try {
            Map<String, Object> header = probe.getStoreHeader();
            long claimed = DataUtils.readHexLong(header, HEADER_VERSION, 0);
            boolean clean = DataUtils.readHexLong(header, HEADER_CLEAN, 0) != 0;
            long loaded = probe.getCurrentVersion();
            if (clean && loaded < claimed) {
                throw new DittoException(fileEncrypted ? ErrorCode.ENCRYPTION : ErrorCode.STORE, "mvstore storage: "
                        + file + " is damaged" + (fileEncrypted ? " or was tampered with" : "")
                        + ": it was closed cleanly at version " + claimed + ", but only version " + loaded
                        + " can be read");
            }
            return clean || header.get(HEADER_CHUNK) == null;
        } catch (MVStoreException e) {
            throw openFailure(file, e, fileEncrypted, keyVerified);
        } finally {
            probe.closeImmediately();
        }
    }

    private static MVStore.Builder builder(Path file, Optional<byte[]> key, MvStoreOptions options) {
        MVStore.Builder builder = new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitDisabled()
                .cacheSize(options.cacheSizeMb())
                .autoCompactFillRate(options.autoCompactFillRate());
        if (options.compress()) {
            builder.compress();
        }
        // MVStore wipes the password array after use, so every open gets a fresh one
        key.ifPresent(k -> builder.encryptionKey(passwordOf(k)));
        return builder;
    }

    @Override
    public Snapshot snapshot() {
        checkUsable("snapshot");
        while (true) {
            View current = view;
            if (current.acquire()) {
                return new MvStoreSnapshot(this, current);
            }
            // the view was superseded and released between the read and acquire: take the new one
            checkUsable("snapshot");
        }
    }

    @Override
    public long commit(WriteBatch batch, Durability durability) {
        if (batch == null || durability == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "mvstore storage commit: " + (batch == null ? "batch" : "durability") + " is null");
        }
        for (WriteBatch.Op op : batch.ops()) {
            checkSpaceName(op.space());
        }
        commitLock.lock();
        try {
            checkUsable("commit");
            long next = sequence + 1;
            try {
                for (WriteBatch.Op op : batch.ops()) {
                    apply(op);
                }
                meta.put(SEQUENCE_KEY, encodeLong(next));
                allowChunkReuseIfDurable();
                store.commit();
                unforcedBytes += batch.byteSize() + PAGE_OVERHEAD_PER_COMMIT;
                if (durability == Durability.SYNC || unforcedBytes >= FORCE_BYTES
                        || System.nanoTime() - lastForce >= FORCE_INTERVAL_NANOS) {
                    force();
                }
            } catch (RuntimeException e) {
                throw breakDown("commit", e);
            }
            sequence = next;
            try {
                housekeeping();
            } catch (RuntimeException e) {
                // the batch is committed; the storage is not usable any more, which later calls report
                breakDown("housekeeping", e);
                return next;
            }
            publish();
            return next;
        } finally {
            commitLock.unlock();
        }
    }

    @Override
    public void flush() {
        commitLock.lock();
        try {
            checkUsable("flush");
            try {
                force();
            } catch (RuntimeException e) {
                throw breakDown("flush", e);
            }
        } finally {
            commitLock.unlock();
        }
    }

    @Override
    public long lastSequence() {
        checkUsable("lastSequence");
        return view.sequence;
    }

    @Override
    public boolean isEncrypted() {
        checkOpen("isEncrypted");
        return encrypted;
    }

    @Override
    public long sizeOnDisk() {
        checkOpen("sizeOnDisk");
        try {
            long size = Files.size(file);
            if (Files.exists(keyFile)) {
                size += Files.size(keyFile);
            }
            return size;
        } catch (IOException e) {
            throw new DittoException(ErrorCode.STORE, "mvstore storage: cannot read the size of " + file + ": " + e, e);
        }
    }

    /**
     * Unpins every view, writes what is pending and closes the file, without moving chunks
     * (MVStore 2.4.240's chunk-moving compaction trips its own consistency checks). Idempotent.
     */
    @Override
    public void close() {
        commitLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (View v : liveViews) {
                v.unpin();
            }
            if (failure != null) {
                store.closeImmediately();
                return;
            }
            try {
                // force every chunk first, so the clean mark MVStore writes vouches only for durable data
                store.sync();
                store.close();
            } catch (RuntimeException e) {
                store.closeImmediately();
                throw translate("close", e);
            }
        } finally {
            commitLock.unlock();
        }
    }

    /** Translates a failure while reading a snapshot: {@code CLOSED} once the storage is closed. */
    DittoException readFailure(String operation, RuntimeException e) {
        if (e instanceof DittoException d) {
            return d;
        }
        if (closed) {
            return new DittoException(ErrorCode.CLOSED, "mvstore snapshot " + operation + ": the storage is closed", e);
        }
        return translate(operation, e);
    }

    boolean isClosed() {
        return closed;
    }

    /** Returns the underlying MVStore; for white-box tests in this package only. */
    MVStore mvStore() {
        return store;
    }

    void checkOpen(String operation) {
        if (closed) {
            throw new DittoException(ErrorCode.CLOSED, "mvstore storage " + operation + ": the storage is closed");
        }
    }

    private void checkUsable(String operation) {
        checkOpen(operation);
        DittoException broken = failure;
        if (broken != null) {
            throw new DittoException(ErrorCode.STORE, "mvstore storage " + operation
                    + ": the storage failed earlier and must be reopened: " + broken.getMessage(), broken);
        }
    }

    private void apply(WriteBatch.Op op) {
        MVMap<byte[], byte[]> map = spaces.get(op.space());
        switch (op.kind()) {
            case PUT -> {
                if (map == null) {
                    map = store.openMap(SPACE_PREFIX + op.space(), mapBuilder());
                    spaces.put(op.space(), map);
                }
                map.put(op.key().clone(), op.value().clone());
            }
            case DELETE -> {
                if (map != null) {
                    map.remove(op.key());
                }
            }
            case DELETE_RANGE -> {
                if (map != null && (op.value() == null || Arrays.compareUnsigned(op.key(), op.value()) < 0)) {
                    // iterate a fixed root, so the removals do not disturb the iteration
                    org.h2.mvstore.Cursor<byte[], byte[]> cursor =
                            new org.h2.mvstore.Cursor<>(map.flushAndGetRoot(), op.key(), null, false);
                    while (cursor.hasNext()) {
                        byte[] key = cursor.next();
                        if (op.value() != null && Arrays.compareUnsigned(key, op.value()) >= 0) {
                            break;
                        }
                        map.remove(key);
                    }
                }
            }
        }
    }

    /** Rewrites sparse chunks now and then, as MVStore's background thread would. */
    private void housekeeping() {
        long now = System.nanoTime();
        if (autoCompactFillRate == 0 || now - lastHousekeeping < HOUSEKEEPING_INTERVAL_NANOS) {
            return;
        }
        lastHousekeeping = now;
        allowChunkReuseIfDurable();
        if (store.compact(autoCompactFillRate, HOUSEKEEPING_WRITE_LIMIT)) {
            // the rewritten pages hold the same data; store and force them, so that the chunks
            // they came from may be reused without endangering the last durable version
            store.commit();
            force();
        }
    }

    /** Forces the file and records that every stored MVStore version is now durable. */
    private void force() {
        store.sync();
        durableVersion = store.getCurrentVersion();
        lastForce = System.nanoTime();
        unforcedBytes = 0;
    }

    /**
     * Lets MVStore reuse the space of dead chunks only while every stored version is durable.
     *
     * <p>MVStore frees a chunk once no kept version needs it, after a retention time (45 s by
     * default) meant to outlast the operating system's write-back, because it does not know when
     * a version is on disk. This class does know: it forces the file itself. A chunk is freed at
     * the start of a later store operation, in favour of versions stored before it; if those are
     * all forced, a crash can only lose the chunk being written, and recovery finds the newest
     * forced version complete. Otherwise reuse waits (retention "forever") until the next force.
     */
    private void allowChunkReuseIfDurable() {
        store.setRetentionTime(durableVersion == store.getCurrentVersion() ? 0 : Integer.MAX_VALUE);
    }

    private void publish() {
        View old = view;
        view = captureView();
        old.release();
    }

    private View captureView() {
        MVStore.TxCounter pin = store.registerVersionUsage();
        Map<String, Space> roots = new HashMap<>();
        spaces.forEach((name, map) -> roots.put(name, new Space(map, map.flushAndGetRoot())));
        View captured = new View(sequence, Map.copyOf(roots), pin);
        liveViews.add(captured);
        return captured;
    }

    private DittoException breakDown(String operation, RuntimeException e) {
        DittoException translated = translate(operation, e);
        failure = translated;
        try {
            store.closeImmediately();
        } catch (RuntimeException ignored) {
            // the store is already broken; the original failure is what matters
        }
        for (View v : liveViews) {
            v.unpin();
        }
        return translated;
    }

    private DittoException translate(String operation, RuntimeException e) {
        if (e instanceof DittoException d) {
            return d;
        }
        int code = e instanceof MVStoreException m ? m.getErrorCode() : -1;
        if (code == DataUtils.ERROR_FILE_CORRUPT && encrypted) {
            return new DittoException(ErrorCode.ENCRYPTION, "mvstore storage " + operation + ": " + file
                    + " failed an integrity check: it is damaged or was tampered with: " + e.getMessage(), e);
        }
        if (code == DataUtils.ERROR_CLOSED && closed) {
            return new DittoException(ErrorCode.CLOSED, "mvstore storage " + operation + ": the storage is closed", e);
        }
        return new DittoException(ErrorCode.STORE, "mvstore storage " + operation + " on " + file + " failed: "
                + e.getMessage(), e);
    }

    private static DittoException openFailure(Path file, RuntimeException e, boolean fileEncrypted, boolean keyVerified) {
        int code = e instanceof MVStoreException m ? m.getErrorCode() : -1;
        Throwable cause = e.getCause();
        if (code == DataUtils.ERROR_FILE_LOCKED) {
            return new DittoException(ErrorCode.PERSISTENCE_DIRECTORY, "mvstore storage: " + file
                    + " is locked: another storage in this or another process has it open", e);
        }
        if (cause instanceof AccessDeniedException || e instanceof IllegalArgumentException) {
            return new DittoException(ErrorCode.PERSISTENCE_DIRECTORY,
                    "mvstore storage: cannot open " + file + ": " + e.getMessage(), e);
        }
        if (fileEncrypted && code != DataUtils.ERROR_READING_FAILED) {
            return new DittoException(ErrorCode.ENCRYPTION, "mvstore storage: cannot decrypt " + file + ": "
                    + (keyVerified ? "the key is right, so the file is damaged or was tampered with"
                            : "the encryption key is wrong or the file is damaged") + " (" + e.getMessage() + ")", e);
        }
        if (code == DataUtils.ERROR_UNSUPPORTED_FORMAT) {
            return new DittoException(ErrorCode.STORE,
                    "mvstore storage: " + file + " was written in an unsupported MVStore format: " + e.getMessage(), e);
        }
        return new DittoException(ErrorCode.STORE,
                "mvstore storage: cannot open " + file + ", it is damaged or unreadable: " + e.getMessage(), e);
    }

    private static void prepareDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY,
                    "mvstore storage: cannot create the directory " + directory + ": " + e, e);
        }
        if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
            throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY,
                    "mvstore storage: " + directory + " is not a writable directory");
        }
    }

    /** Returns up to the first 16 bytes of the file, empty if it is missing or empty. */
    private static byte[] readHeader(Path file) {
        if (!Files.exists(file)) {
            return new byte[0];
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(16);
        } catch (IOException e) {
            throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY, "mvstore storage: cannot read " + file + ": " + e, e);
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The MVStore password for a key: its lower-case hexadecimal form (see the package documentation). */
    private static char[] passwordOf(byte[] key) {
        char[] password = new char[key.length * 2];
        for (int i = 0; i < key.length; i++) {
            password[2 * i] = Character.forDigit((key[i] >> 4) & 0xf, 16);
            password[2 * i + 1] = Character.forDigit(key[i] & 0xf, 16);
        }
        return password;
    }

    static void checkSpaceName(String space) {
        if (space == null || space.isEmpty()) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "mvstore storage: space name is null or empty");
        }
        if (space.length() * 3 > MAX_SPACE_NAME_BYTES
                && space.getBytes(StandardCharsets.UTF_8).length > MAX_SPACE_NAME_BYTES) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "mvstore storage: space name '"
                    + space.substring(0, 32) + "…' is longer than " + MAX_SPACE_NAME_BYTES + " UTF-8 bytes");
        }
    }

    private static MVMap.Builder<byte[], byte[]> mapBuilder() {
        return new MVMap.Builder<byte[], byte[]>().keyType(ByteArrayDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE);
    }

    private static byte[] encodeLong(long value) {
        byte[] bytes = new byte[8];
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) value;
            value >>>= 8;
        }
        return bytes;
    }

    private static long decodeLong(byte[] bytes) {
        if (bytes.length != 8) {
            throw new DittoException(ErrorCode.STORE, "mvstore storage: a stored number has " + bytes.length + " bytes, not 8");
        }
        long value = 0;
        for (byte b : bytes) {
            value = (value << 8) | (b & 0xff);
        }
        return value;
    }

    /**
     * One space as of a view.
     *
     * @param map the space's map, used only to read pages
     * @param root the map's immutable root as of the view
     */
    record Space(MVMap<byte[], byte[]> map, RootReference<byte[], byte[]> root) {
    }

    /**
     * An immutable, pinned state of every space as of one commit, shared by the snapshots
     * opened on it. Reference counted: the storage holds one reference while the view is
     * current, each snapshot holds one; the last release unpins the MVStore version.
     */
    final class View {
        final long sequence;
        final Map<String, Space> spaces;
        private final MVStore.TxCounter pin;
        private final AtomicInteger references = new AtomicInteger(1);
        private final AtomicBoolean unpinned = new AtomicBoolean();

        View(long sequence, Map<String, Space> spaces, MVStore.TxCounter pin) {
            this.sequence = sequence;
            this.spaces = spaces;
            this.pin = pin;
        }

        /** Takes a reference unless the view is already released. */
        boolean acquire() {
            while (true) {
                int count = references.get();
                if (count <= 0) {
                    return false;
                }
                if (references.compareAndSet(count, count + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (references.decrementAndGet() == 0) {
                unpin();
            }
        }

        void unpin() {
            if (unpinned.compareAndSet(false, true)) {
                liveViews.remove(this);
                if (!store.isClosed()) {
                    store.deregisterVersionUsage(pin);
                }
            }
        }
    }
}
