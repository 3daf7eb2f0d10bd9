package ditto.testkit.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.storage.Cursor;
import ditto.api.spi.storage.Durability;
import ditto.api.spi.storage.Entry;
import ditto.api.spi.storage.Snapshot;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.StorageParameters;
import ditto.api.spi.storage.StorageProvider;
import ditto.api.spi.storage.WriteBatch;

/**
 * The contract every {@link StorageProvider} must pass, written once and run against each backend.
 *
 * <p>A backend's test class extends this class and implements {@link #provider()},
 * {@link #persistent()} and {@link #supportsEncryption()}; JUnit then runs every test below
 * against that backend, each in a fresh temporary directory. The suite covers reads and writes,
 * unsigned key order, bounded scans in both directions, range deletes, snapshot isolation,
 * atomic batches, sequence numbers, argument checks, closed handles, persistence across reopen,
 * encryption at rest, concurrent commits and reads, and a seeded randomized comparison against
 * a {@link TreeMap} model.
 *
 * <p>The randomized test prints its seed; replay one with {@code -Dditto.storage.seed=<seed>}.
 * It runs {@value #PR_ITERATIONS} iterations by default and {@value #RELIABILITY_ITERATIONS}
 * with {@code -Dditto.reliability=true}.
 *
 * <p>Not thread-safe: JUnit creates one instance per test method. Every storage opened through
 * {@link #open()} is closed after the test.
 */
public abstract class StorageContract {

    /** System property holding a seed that replays the randomized model test. */
    public static final String SEED_PROPERTY = "ditto.storage.seed";

    /** System property that switches on the large counts of the reliability profile. */
    public static final String RELIABILITY_PROPERTY = "ditto.reliability";

    /** Randomized iterations in the normal (pull-request) test run. */
    public static final int PR_ITERATIONS = 300;

    /** Randomized iterations with {@code -Dditto.reliability=true}. */
    public static final int RELIABILITY_ITERATIONS = 5_000;

    /** Seeds that once found a bug (or cover a tricky path); they run before a fresh random seed. */
    private static final long[] FIXED_SEEDS = {1L, 42L};

    private static final String[] MODEL_SPACES = {"alpha", "beta", "gamma"};
    private static final int[] MODEL_KEY_BYTES = {0x00, 0x01, 0x41, 0x7f, 0x80, 0xc3, 0xfe, 0xff};

    private Path directory;
    private final List<Storage> opened = new ArrayList<>();

    /**
     * Creates the suite. Subclasses have a public no-argument constructor, as JUnit requires.
     */
    protected StorageContract() {
    }

    /**
     * Returns the provider under test. Called once per opened storage; may return a new
     * instance each time.
     *
     * @return the provider, never null
     */
    protected abstract StorageProvider provider();

    /**
     * Tells whether committed data must survive close and reopen in the same directory.
     *
     * @return true for a persistent backend
     */
    protected abstract boolean persistent();

    /**
     * Tells whether the backend encrypts at rest when given a key. If false, the suite checks
     * that a key is refused with {@code UNSUPPORTED}.
     *
     * @return true if the backend supports encryption
     */
    protected abstract boolean supportsEncryption();

    /**
     * Returns the backend options every storage of the suite is opened with.
     *
     * @return the options, empty by default
     */
    protected Map<String, Object> options() {
        return Map.of();
    }

    /**
     * Creates the storage directory inside JUnit's temporary directory, as the engine would.
     *
     * @param temporary the per-test temporary directory
     * @throws IOException if the directory cannot be created
     */
    @BeforeEach
    public void createStorageDirectory(@TempDir Path temporary) throws IOException {
        directory = Files.createDirectories(temporary.resolve("storage"));
    }

    /** Closes every storage the test opened, so files are released before cleanup. */
    @AfterEach
    public void closeOpenedStorages() {
        RuntimeException first = null;
        for (Storage storage : opened) {
            try {
                storage.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        opened.clear();
        if (first != null) {
            throw first;
        }
    }

    /**
     * Returns the directory storages of this test are opened in.
     *
     * @return the directory, which exists
     */
    protected final Path directory() {
        return directory;
    }

    /**
     * Opens a plain storage in {@link #directory()} with {@link #options()}; it is closed after
     * the test.
     *
     * @return the open storage
     */
    protected final Storage open() {
        return open(Optional.empty());
    }

    /**
     * Opens a storage in {@link #directory()} with the given key and {@link #options()}; it is
     * closed after the test.
     *
     * @param key the encryption key, or empty
     * @return the open storage
     */
    protected final Storage open(Optional<byte[]> key) {
        Storage storage = provider().open(new StorageParameters(directory, key, options()));
        assertNotNull(storage, "provider returned a null storage");
        opened.add(storage);
        return storage;
    }

    // ---------------------------------------------------------------- provider

    @Test
    public void providerDeclaresIdAndPersistence() {
        StorageProvider provider = provider();
        assertNotNull(provider.id());
        assertFalse(provider.id().isBlank(), "provider id is blank");
        assertEquals(persistent(), provider.isPersistent());
    }

    @Test
    public void refusesUnknownOptionWithInvalidConfig() {
        // given options with a key no backend knows
        Map<String, Object> options = new java.util.HashMap<>(options());
        options.put("no.such.option", "1");
        StorageParameters parameters = new StorageParameters(directory, Optional.empty(), options);

        // when / then
        assertCode(ErrorCode.INVALID_CONFIG, () -> provider().open(parameters).close());
    }

    // ---------------------------------------------------------------- basic reads and writes

    @Test
    public void newStorageIsEmptyAtSequenceZero() {
        Storage storage = open();

        assertEquals(0, storage.lastSequence());
        try (Snapshot snapshot = storage.snapshot()) {
            assertEquals(0, snapshot.sequence());
            assertTrue(snapshot.get("docs", b(1)).isEmpty());
            assertEquals(List.of(), scan(snapshot, "docs", null, null, false));
            assertEquals(List.of(), scan(snapshot, "docs", null, null, true));
        }
    }

    @Test
    public void readsBackWhatWasPut() {
        Storage storage = open();

        storage.commit(new WriteBatch().put("docs", b(1, 2), s("one-two")), Durability.SYNC);

        try (Snapshot snapshot = storage.snapshot()) {
            assertArrayEquals(s("one-two"), snapshot.get("docs", b(1, 2)).orElseThrow());
            assertTrue(snapshot.get("docs", b(1)).isEmpty(), "prefix of a key is another key");
            assertTrue(snapshot.get("docs", b(1, 2, 0)).isEmpty(), "extension of a key is another key");
        }
    }

    @Test
    public void overwritesValueOfExistingKey() {
        Storage storage = open();
        storage.commit(new WriteBatch().put("docs", b(7), s("old")), Durability.BUFFERED);

        storage.commit(new WriteBatch().put("docs", b(7), s("new")), Durability.BUFFERED);

        try (Snapshot snapshot = storage.snapshot()) {
            assertArrayEquals(s("new"), snapshot.get("docs", b(7)).orElseThrow());
            assertEquals(1, scan(snapshot, "docs", null, null, false).size());
        }
    }

    @Test
    public void deleteRemovesKeyAndToleratesAbsentKey() {
        Storage storage = open();
        storage.commit(new WriteBatch().put("docs", b(1), s("a")).put("docs", b(2), s("b")), Durability.BUFFERED);

        storage.commit(new WriteBatch().delete("docs", b(1)).delete("docs", b(99)).delete("nowhere", b(1)),
                Durability.BUFFERED);

        try (Snapshot snapshot = storage.snapshot()) {
            assertTrue(snapshot.get("docs", b(1)).isEmpty());
            assertArrayEquals(s("b"), snapshot.get("docs", b(2)).orElseThrow());
        }
    }

    @Test
    public void storesEmptyValueDistinctFromAbsentKey() {
        Storage storage = open();

        storage.commit(new WriteBatch().put("docs", b(5), new byte[0]), Durability.SYNC);

        try (Snapshot snapshot = storage.snapshot()) {
            Optional<byte[]> value = snapshot.get("docs", b(5));
            assertTrue(value.isPresent(), "empty value must be present");
            assertEquals(0, value.get().length);
            assertEquals(List.of(new Entry(b(5), new byte[0])), scan(snapshot, "docs", null, null, false));
        }
    }

    @Test
    public void keepsSpacesIndependent() {
        Storage storage = open();

        storage.commit(new WriteBatch().put("a", b(1), s("in a")).put("b", b(1), s("in b")).put("a.b", b(2), s("x")),
                Durability.BUFFERED);

        try (Snapshot snapshot = storage.snapshot()) {
            assertArrayEquals(s("in a"), snapshot.get("a", b(1)).orElseThrow());
            assertArrayEquals(s("in b"), snapshot.get("b", b(1)).orElseThrow());
            assertEquals(1, scan(snapshot, "a", null, null, false).size());
            assertEquals(List.of(new Entry(b(2), s("x"))), scan(snapshot, "a.b", null, null, false));
        }
    }

    @Test
    public void roundTripsLargeValuesAndLongKeys() {
        Storage storage = open();
        byte[] big = new byte[1 << 20];
        new Random(7).nextBytes(big);
        byte[] longKey = new byte[1000];
        Arrays.fill(longKey, (byte) 0xab);

        storage.commit(new WriteBatch().put("blobs", b(1), big).put("blobs", longKey, s("long key")), Durability.SYNC);

        try (Snapshot snapshot = storage.snapshot()) {
            assertArrayEquals(big, snapshot.get("blobs", b(1)).orElseThrow());
            assertArrayEquals(s("long key"), snapshot.get("blobs", longKey).orElseThrow());
        }
    }

    @Test
    public void returnedArraysBelongToTheCaller() {
        Storage storage = open();
        storage.commit(new WriteBatch().put("docs", b(1), s("value")), Durability.BUFFERED);

        try (Snapshot snapshot = storage.snapshot()) {
            // when the caller scribbles over everything it was handed
            snapshot.get("docs", b(1)).orElseThrow()[0] = 'X';
            for (Entry e : scan(snapshot, "docs", null, null, false)) {
                e.key()[0] = 9;
                e.value()[1] = 'Y';
            }

            // then the stored data is unchanged
            assertArrayEquals(s("value"), snapshot.get("docs", b(1)).orElseThrow());
            assertEquals(List.of(new Entry(b(1), s("value"))), scan(snapshot, "docs", null, null, false));
        }
    }

    // ---------------------------------------------------------------- ordering and scans

    @Test
    public void scansForwardInUnsignedLexicographicOrder() {
        Storage storage = open();
        List<byte[]> sorted = orderedKeys();
        WriteBatch batch = new WriteBatch();
        List<byte[]> shuffled = new ArrayList<>(sorted);
        Collections.shuffle(shuffled, new Random(3));
        for (byte[] key : shuffled) {
            batch.put("docs", key, key);
        }

        storage.commit(batch, Durability.BUFFERED);

        try (Snapshot snapshot = storage.snapshot()) {
            assertEquals(entries(sorted), scan(snapshot, "docs", null, null, false));
        }
    }

    @Test
    public void scansReverseInDescendingUnsignedOrder() {
        Storage storage = open();
        List<byte[]> sorted = orderedKeys();
        WriteBatch batch = new WriteBatch();
        for (byte[] key : sorted) {
            batch.put("docs", key, key);
        }

        storage.commit(batch, Durability.BUFFERED);

        List<byte[]> descending = new ArrayList<>(sorted);
        Collections.reverse(descending);
        try (Snapshot snapshot = storage.snapshot()) {
            assertEquals(entries(descending), scan(snapshot, "docs", null, null, true));
        }
    }

    @Test
    public void scanBoundsAreInclusiveFromAndExclusiveTo() {
        Storage storage = open();
        WriteBatch batch = new WriteBatch();
        for (int i = 0x10; i <= 0xf0; i += 0x10) {
            batch.put("docs", b(i), b(i));
        }
        storage.commit(batch, Durability.BUFFERED);

        try (Snapshot snapshot = storage.snapshot()) {
            // bounds equal to stored keys
            assertEquals(keysOf(0x30, 0x40, 0x50), keys(scan(snapshot, "docs", b(0x30), b(0x60), false)));
            assertEquals(keysOf(0x50, 0x40, 0x30), keys(scan(snapshot, "docs", b(0x30), b(0x60), true)));
            // bounds between stored keys, across the sign bit
            assertEquals(keysOf(0x80, 0x90), keys(scan(snapshot, "docs", b(0x75), b(0x95), false)));
            assertEquals(keysOf(0x90, 0x80), keys(scan(snapshot, "docs", b(0x75), b(0x95), true)));
            // longer bounds than the keys
            assertEquals(keysOf(0x40, 0x50), keys(scan(snapshot, "docs", b(0x30, 0), b(0x50, 0), false)));
            assertEquals(keysOf(0x50, 0x40), keys(scan(snapshot, "docs", b(0x30, 0), b(0x50, 0), true)));
            // open ends
            assertEquals(keysOf(0xe0, 0xf0), keys(scan(snapshot, "docs", b(0xd1), null, false)));
            assertEquals(keysOf(0xf0, 0xe0), keys(scan(snapshot, "docs", b(0xd1), null, true)));
            assertEquals(keysOf(0x10, 0x20), keys(scan(snapshot, "docs", null, b(0x30), false)));
            assertEquals(keysOf(0x20, 0x10), keys(scan(snapshot, "docs", null, b(0x30), true)));
            // empty and inverted ranges
            assertEquals(List.of(), scan(snapshot, "docs", b(0x40), b(0x40), false));
            assertEquals(List.of(), scan(snapshot, "docs", b(0x40), b(0x40), true));
            assertEquals(List.of(), scan(snapshot, "docs", b(0x90), b(0x20), false));
            assertEquals(List.of(), scan(snapshot, "docs", b(0x90), b(0x20), true));
            assertEquals(List.of(), scan(snapshot, "docs", b(0xf1), null, false));
            assertEquals(List.of(), scan(snapshot, "docs", null, b(0x10), true));
        }
    }

    @Test
    public void scanOfAbsentSpaceIsEmpty() {
        Storage storage = open();
        storage.commit(new WriteBatch().put("docs", b(1), s("x")), Durability.BUFFERED);

        try (Snapshot snapshot = storage.snapshot(); Cursor cursor = snapshot.scan("other", null, null, false)) {
            assertFalse(cursor.hasNext());
            assertThrows(NoSuchElementException.class, cursor::next);
        }
    }

    @Test
    public void scansManyKeysInOrder() {
        Storage storage = open();
        int count = 5_000;
        WriteBatch batch = new WriteBatch();
        for (int i = count - 1; i >= 0; i--) {
            batch.put("docs", be(i), be(i * 3));
        }
        storage.commit(batch, Durability.BUFFERED);

        try (Snapshot snapshot = storage.snapshot()) {
            List<Entry> all = scan(snapshot, "docs", null, null, false);
            assertEquals(count, all.size());
            for (int i = 0; i < count; i++) {
                assertEquals(new Entry(be(i), be(i * 3)), all.get(i));
            }
            List<Entry> middle = scan(snapshot, "docs", be(1000), be(1010), true);
            assertEquals(10, middle.size());
            assertEquals(new Entry(be(1009), be(3027)), middle.get(0));
        }
    }

    @Test
    public void deleteRangeRemovesHalfOpenRange() {
        Storage storage = open();
        WriteBatch fill = new WriteBatch();
        for (int i = 0x10; i <= 0xf0; i += 0x10) {
            fill.put("docs", b(i), b(i)).put("other", b(i), b(i));
        }
        storage.commit(fill, Durability.BUFFERED);

        storage.commit(new WriteBatch().deleteRange("docs", b(0x30), b(0x50)).deleteRange("docs", b(0x75), b(0x95))
                .deleteRange("docs", b(0xe0), null).deleteRange("docs", b(0x20), b(0x10)), Durability.SYNC);

        try (Snapshot snapshot = storage.snapshot()) {
            assertEquals(keysOf(0x10, 0x20, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0),
                    keys(scan(snapshot, "docs", null, null, false)));
            assertEquals(15, scan(snapshot, "other", null, null, false).size(), "other space untouched");
        }
    }

    // ---------------------------------------------------------------- batches

    @Test
    public void laterOperationOnSameKeyWinsWithinBatch() {
        Storage storage = open();
        storage.commit(new WriteBatch().put("docs", b(3), s("three")).put("docs", b(4), s("four")), Durability.BUFFERED);

        storage.commit(new WriteBatch()
                .put("docs", b(1), s("first")).put("docs", b(1), s("second"))
                .put("docs", b(2), s("gone")).delete("docs", b(2))
                .delete("docs", b(3)).put("docs", b(3), s("back"))
                .deleteRange("docs", b(4), b(6)).put("docs", b(5), s("after range"))
                .put("docs", b(7), s("before range")).deleteRange("docs", b(7), null), Durability.SYNC);

        try (Snapshot snapshot = storage.snapshot()) {
            assertEquals(List.of(new Entry(b(1), s("second")), new Entry(b(3), s("back")), new Entry(b(5), s("after range"))),
                    scan(snapshot, "docs", null, null, false));
        }
    }

    @Test
    public void numbersCommitsConsecutively() {
        Storage storage = open();
        long previous = storage.lastSequence();

        for (int i = 0; i < 20; i++) {
            WriteBatch batch = i % 3 == 0 ? new WriteBatch() : new WriteBatch().put("docs", be(i), be(i));
            long sequence = storage.commit(batch, i % 5 == 0 ? Durability.SYNC : Durability.BUFFERED);

            assertEquals(previous + 1, sequence, "each commit, even an empty one, is one greater");
            assertEquals(sequence, storage.lastSequence());
            try (Snapshot snapshot = storage.snapshot()) {
                assertEquals(sequence, snapshot.sequence());
            }
            previous = sequence;
        }
    }

    @Test
    public void rejectedBatchChangesNothing() {
        Storage storage = open();
        storage.commit(new WriteBatch().put("docs", b(1), s("kept")), Durability.BUFFERED);
        String tooLong = "s".repeat(256);

        // when a batch names a space longer than 255 UTF-8 bytes after a valid write
        WriteBatch batch = new WriteBatch().put("docs", b(1), s("replaced")).put(tooLong, b(1), s("x"));
        assertCode(ErrorCode.INVALID_ARGUMENTS, () -> storage.commit(batch, Durability.SYNC));

        // then nothing of it applies and no sequence number was used
        assertEquals(1, storage.lastSequence());
        try (Snapshot snapshot = storage.snapshot()) {
            assertArrayEquals(s("kept"), snapshot.get("docs", b(1)).orElseThrow());
        }
        // and a 255-byte name (multi-byte characters counted in bytes) is fine
        String longest = "é".repeat(127) + "x";
        assertEquals(255, longest.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(2, storage.commit(new WriteBatch().put(longest, b(1), s("ok")), Durability.BUFFERED));
        assertCode(ErrorCode.INVALID_ARGUMENTS,
                () -> storage.commit(new WriteBatch().put("é".repeat(128), b(1), s("x")), Durability.BUFFERED));
    }

    // ---------------------------------------------------------------- snapshots

    @Test
    public void snapshotDoesNotSeeLaterCommits() {
        Storage storage = open();
        storage.commit(new WriteBatch().put("docs", b(1), s("v1")).put("docs", b(2), s("v1")), Durability.SYNC);

        try (Snapshot before = storage.snapshot()) {
            // when later commits change, delete and add keys, and create a new space
            storage.commit(new WriteBatch().put("docs", b(1), s("v2")).delete("docs", b(2)).put("docs", b(3), s("v2"))
                    .put("fresh", b(1), s("v2")), Durability.SYNC);
            storage.commit(new WriteBatch().deleteRange("docs", b(0), null), Durability.BUFFERED);

            // then the snapshot still shows the state of its commit
            assertEquals(1, before.sequence());
            assertArrayEquals(s("v1"), before.get("docs", b(1)).orElseThrow());
            assertArrayEquals(s("v1"), before.get("docs", b(2)).orElseThrow());
            assertTrue(before.get("docs", b(3)).isEmpty());
            assertTrue(before.get("fresh", b(1)).isEmpty());
            assertEquals(List.of(new Entry(b(1), s("v1")), new Entry(b(2), s("v1"))), scan(before, "docs", null, null, false));
            assertEquals(List.of(), scan(before, "fresh", null, null, false));
            try (Snapshot after = storage.snapshot()) {
                assertEquals(3, after.sequence());
                assertEquals(List.of(), scan(after, "docs", null, null, false));
            }
        }
    }

    @Test
    public void openCursorIsNotDisturbedByCommits() {
        Storage storage = open();
        WriteBatch fill = new WriteBatch();
        for (int i = 0; i < 200; i++) {
            fill.put("docs", be(i), be(i));
        }
        storage.commit(fill, Durability.BUFFERED);

        try (Snapshot snapshot = storage.snapshot(); Cursor cursor = snapshot.scan("docs", null, null, false)) {
            List<Entry> seen = new ArrayList<>();
            int i = 0;
            while (cursor.hasNext()) {
                seen.add(cursor.next());
                // when commits rewrite the space in the middle of the iteration
                if (i++ % 50 == 0) {
                    storage.commit(new WriteBatch().deleteRange("docs", be(0), null).put("docs", be(1_000_000), be(1)),
                            Durability.BUFFERED);
                }
            }
            // then the cursor still yields exactly the snapshot's entries
            assertEquals(200, seen.size());
            for (int k = 0; k < 200; k++) {
                assertEquals(new Entry(be(k), be(k)), seen.get(k));
            }
        }
    }

    @Test
    public void manyConcurrentSnapshotsEachSeeTheirOwnCommit() throws Exception {
        Storage storage = open();
        int count = 100;
        List<Snapshot> snapshots = new ArrayList<>();
        try {
            // given one snapshot after each commit, while the same keys keep changing
            for (int i = 1; i <= count; i++) {
                storage.commit(new WriteBatch().put("docs", b(1), be(i)).put("docs", be(i), be(i))
                        .delete("docs", be(i - 1)), Durability.BUFFERED);
                snapshots.add(storage.snapshot());
            }

            // when all of them are read at once from several threads
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int offset = t;
                    results.add(pool.submit(() -> {
                        for (int n = 0; n < count; n++) {
                            int i = 1 + (n + offset * 25) % count;
                            Snapshot snapshot = snapshots.get(i - 1);
                            // then each shows exactly the state right after its own commit
                            assertEquals(i, snapshot.sequence());
                            assertArrayEquals(be(i), snapshot.get("docs", b(1)).orElseThrow());
                            List<Entry> all = scan(snapshot, "docs", null, null, false);
                            List<Entry> expected = new ArrayList<>();
                            expected.add(new Entry(b(1), be(i)));
                            expected.add(new Entry(be(i), be(i)));
                            expected.sort((x, y) -> Arrays.compareUnsigned(x.key(), y.key()));
                            assertEquals(expected, all, "snapshot " + i);
                        }
                        return null;
                    }));
                }
                for (Future<?> result : results) {
                    result.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        } finally {
            snapshots.forEach(Snapshot::close);
        }
    }

    // ---------------------------------------------------------------- invalid arguments

    @Test
    public void rejectsInvalidArguments() {
        Storage storage = open();
        try (Snapshot snapshot = storage.snapshot()) {
            assertCode(ErrorCode.INVALID_ARGUMENTS, () -> snapshot.get("docs", new byte[0]));
            assertCode(ErrorCode.INVALID_ARGUMENTS, () -> snapshot.get("docs", null));
            assertCode(ErrorCode.INVALID_ARGUMENTS, () -> snapshot.get(null, b(1)));
            assertCode(ErrorCode.INVALID_ARGUMENTS, () -> snapshot.scan(null, null, null, false));
        }
        assertCode(ErrorCode.INVALID_ARGUMENTS, () -> new WriteBatch().put("docs", new byte[0], b(1)));
        assertCode(ErrorCode.INVALID_ARGUMENTS, () -> new WriteBatch().delete("", b(1)));
        assertCode(ErrorCode.INVALID_ARGUMENTS, () -> storage.commit(null, Durability.SYNC));
        assertCode(ErrorCode.INVALID_ARGUMENTS, () -> storage.commit(new WriteBatch(), null));
        assertEquals(0, storage.lastSequence(), "rejected calls use no sequence number");
    }

    // ---------------------------------------------------------------- closed handles

    @Test
    public void closedStorageThrowsClosed() {
        Storage storage = open();
        storage.commit(new WriteBatch().put("docs", b(1), s("x")), Durability.SYNC);

        storage.close();
        storage.close();

        assertCode(ErrorCode.CLOSED, storage::snapshot);
        assertCode(ErrorCode.CLOSED, () -> storage.commit(new WriteBatch(), Durability.SYNC));
        assertCode(ErrorCode.CLOSED, storage::flush);
        assertCode(ErrorCode.CLOSED, storage::lastSequence);
    }

    @Test
    public void closedSnapshotThrowsClosedAndEndsItsCursors() {
        Storage storage = open();
        storage.commit(new WriteBatch().put("docs", b(1), s("x")).put("docs", b(2), s("y")), Durability.SYNC);
        Snapshot snapshot = storage.snapshot();
        Cursor cursor = snapshot.scan("docs", null, null, false);
        assertTrue(cursor.hasNext());
        cursor.next();

        snapshot.close();
        snapshot.close();

        assertCode(ErrorCode.CLOSED, () -> snapshot.get("docs", b(1)));
        assertCode(ErrorCode.CLOSED, () -> snapshot.scan("docs", null, null, false));
        assertCode(ErrorCode.CLOSED, snapshot::sequence);
        assertCursorEnded(cursor);
        cursor.close();
        cursor.close();
    }

    @Test
    public void snapshotOutlivingItsStorageThrowsClosed() {
        Storage storage = open();
        storage.commit(new WriteBatch().put("docs", b(1), s("x")), Durability.SYNC);
        Snapshot snapshot = storage.snapshot();
        Cursor cursor = snapshot.scan("docs", null, null, false);

        storage.close();

        assertCode(ErrorCode.CLOSED, () -> snapshot.get("docs", b(1)));
        assertCode(ErrorCode.CLOSED, () -> snapshot.scan("docs", null, null, false));
        assertCursorEnded(cursor);
        snapshot.close();
    }

    // ---------------------------------------------------------------- persistence

    @Test
    public void reportsSizeOnDisk() {
        Storage storage = open();

        storage.commit(new WriteBatch().put("docs", b(1), new byte[10_000]), Durability.SYNC);

        if (persistent()) {
            assertTrue(storage.sizeOnDisk() > 0, "a persistent backend occupies disk");
        } else {
            assertEquals(0, storage.sizeOnDisk());
        }
    }

    @Test
    public void keepsSyncCommitsAcrossReopen() {
        assumeTrue(persistent(), "backend is not persistent");
        Storage storage = open();
        storage.commit(new WriteBatch().put("docs", b(1), s("one")).put("meta", b(0x80), s("high")), Durability.SYNC);
        storage.commit(new WriteBatch().put("docs", b(2), new byte[0]).delete("docs", b(1)), Durability.SYNC);

        storage.close();
        Storage reopened = open();

        assertEquals(2, reopened.lastSequence());
        try (Snapshot snapshot = reopened.snapshot()) {
            assertEquals(2, snapshot.sequence());
            assertEquals(List.of(new Entry(b(2), new byte[0])), scan(snapshot, "docs", null, null, false));
            assertArrayEquals(s("high"), snapshot.get("meta", b(0x80)).orElseThrow());
        }
        assertEquals(3, reopened.commit(new WriteBatch(), Durability.SYNC), "numbering continues after reopen");
    }

    @Test
    public void keepsFlushedBufferedCommitsAcrossReopen() {
        assumeTrue(persistent(), "backend is not persistent");
        Storage storage = open();
        for (int i = 0; i < 50; i++) {
            storage.commit(new WriteBatch().put("docs", be(i), be(i)), Durability.BUFFERED);
        }

        storage.flush();
        storage.close();
        Storage reopened = open();

        assertEquals(50, reopened.lastSequence());
        try (Snapshot snapshot = reopened.snapshot()) {
            assertEquals(50, scan(snapshot, "docs", null, null, false).size());
        }
    }

    // ---------------------------------------------------------------- encryption

    @Test
    public void plainStorageIsNotEncrypted() {
        assertFalse(open().isEncrypted());
    }

    @Test
    public void refusesKeyWhenEncryptionIsUnsupported() {
        assumeFalse(supportsEncryption(), "backend supports encryption");

        assertCode(ErrorCode.UNSUPPORTED, () -> open(Optional.of(key(1))));
    }

    @Test
    public void encryptedStorageReportsEncryptedAndReadsBack() {
        assumeTrue(supportsEncryption(), "backend does not encrypt");
        Storage storage = open(Optional.of(key(1)));

        storage.commit(new WriteBatch().put("docs", b(1), s("secret")), Durability.SYNC);

        assertTrue(storage.isEncrypted());
        try (Snapshot snapshot = storage.snapshot()) {
            assertArrayEquals(s("secret"), snapshot.get("docs", b(1)).orElseThrow());
        }
        if (persistent()) {
            storage.close();
            Storage reopened = open(Optional.of(key(1)));
            assertTrue(reopened.isEncrypted());
            try (Snapshot snapshot = reopened.snapshot()) {
                assertArrayEquals(s("secret"), snapshot.get("docs", b(1)).orElseThrow());
            }
        }
    }

    @Test
    public void encryptedFilesDoNotContainPlaintext() throws IOException {
        assumeTrue(supportsEncryption() && persistent(), "backend does not encrypt files");
        byte[] marker = s("PLAINTEXT-MARKER-0123456789-PLAINTEXT-MARKER");
        Storage storage = open(Optional.of(key(1)));

        storage.commit(new WriteBatch().put("docs", marker, marker), Durability.SYNC);
        storage.close();

        try (Stream<Path> files = Files.walk(directory())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(contains(Files.readAllBytes(file), marker), "plaintext found in " + file.getFileName());
            }
        }
    }

    @Test
    public void refusesWrongKeyWithEncryptionError() {
        assumeTrue(supportsEncryption() && persistent(), "backend does not encrypt files");
        Storage storage = open(Optional.of(key(1)));
        storage.commit(new WriteBatch().put("docs", b(1), s("secret")), Durability.SYNC);
        storage.close();

        assertCode(ErrorCode.ENCRYPTION, () -> open(Optional.of(key(2))));
        // and the right key still works afterwards
        try (Snapshot snapshot = open(Optional.of(key(1))).snapshot()) {
            assertArrayEquals(s("secret"), snapshot.get("docs", b(1)).orElseThrow());
        }
    }

    @Test
    public void refusesMissingKeyOnEncryptedStorage() {
        assumeTrue(supportsEncryption() && persistent(), "backend does not encrypt files");
        Storage storage = open(Optional.of(key(1)));
        storage.commit(new WriteBatch().put("docs", b(1), s("secret")), Durability.SYNC);
        storage.close();

        assertCode(ErrorCode.ENCRYPTION, () -> open(Optional.empty()));
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    public void concurrentCommitsAndSnapshotsStayConsistent() throws Exception {
        Storage storage = open();
        int writers = 3;
        int commitsPerWriter = 120;
        int readers = 2;
        Set<Long> sequences = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
        try {
            List<Future<?>> writerResults = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writerResults.add(pool.submit(() -> {
                    start.await();
                    SplittableRandom random = new SplittableRandom(writer);
                    for (int c = 0; c < commitsPerWriter; c++) {
                        // every batch changes "left" and "right" identically, all of "left" first
                        byte[][] keys = new byte[8][];
                        for (int k = 0; k < keys.length; k++) {
                            keys[k] = b(random.nextInt(40), 0x80 + random.nextInt(4));
                        }
                        byte[] value = s("w" + writer + "c" + c);
                        WriteBatch batch = new WriteBatch();
                        for (byte[] key : keys) {
                            batch.put("left", key, value);
                        }
                        for (byte[] key : keys) {
                            batch.put("right", key, value);
                        }
                        if (c % 17 == 5) {
                            byte[] from = b(random.nextInt(40));
                            batch.deleteRange("left", from, b(from[0] + 3)).deleteRange("right", from, b(from[0] + 3));
                        }
                        long sequence = storage.commit(batch, c % 40 == 0 ? Durability.SYNC : Durability.BUFFERED);
                        assertTrue(sequences.add(sequence), "sequence " + sequence + " handed out twice");
                    }
                    return null;
                }));
            }
            List<Future<Integer>> readerResults = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                readerResults.add(pool.submit(() -> {
                    start.await();
                    long lastSeen = 0;
                    int reads = 0;
                    do {
                        try (Snapshot snapshot = storage.snapshot()) {
                            assertTrue(snapshot.sequence() >= lastSeen, "snapshots went back in time");
                            lastSeen = snapshot.sequence();
                            List<Entry> left = scan(snapshot, "left", null, null, false);
                            List<Entry> right = scan(snapshot, "right", null, null, false);
                            if (!left.equals(right)) {
                                fail("a batch was seen half applied at sequence " + lastSeen + ": " + firstDifference(left, right));
                            }
                            List<Entry> leftReversed = scan(snapshot, "left", null, null, true);
                            Collections.reverse(leftReversed);
                            assertEquals(left, leftReversed, "reverse scan disagrees at " + lastSeen);
                        }
                        reads++;
                    } while (writing.get() || reads < 3);
                    return reads;
                }));
            }

            start.countDown();
            for (Future<?> result : writerResults) {
                result.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<Integer> result : readerResults) {
                assertTrue(result.get(120, TimeUnit.SECONDS) > 0);
            }
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }

        long total = (long) writers * commitsPerWriter;
        assertEquals(total, storage.lastSequence());
        Set<Long> expected = new HashSet<>();
        for (long i = 1; i <= total; i++) {
            expected.add(i);
        }
        assertEquals(expected, sequences, "sequence numbers are exactly 1.." + total);
    }

    // ---------------------------------------------------------------- randomized model test

    @Test
    public void randomizedOperationsMatchModel() {
        int iterations = Boolean.getBoolean(RELIABILITY_PROPERTY) ? RELIABILITY_ITERATIONS : PR_ITERATIONS;
        Long replay = Long.getLong(SEED_PROPERTY);
        List<Long> seeds = new ArrayList<>();
        if (replay != null) {
            seeds.add(replay);
        } else {
            for (long fixed : FIXED_SEEDS) {
                seeds.add(fixed);
            }
            seeds.add(new Random().nextLong());
        }
        for (long seed : seeds) {
            System.out.println(getClass().getSimpleName() + ".randomizedOperationsMatchModel: seed=" + seed
                    + " iterations=" + iterations + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
            closeOpenedStorages();
            try {
                deleteContents(directory);
                runModel(seed, iterations);
            } catch (AssertionError | RuntimeException | IOException e) {
                throw new AssertionError("randomized model test failed with seed " + seed + " (replay with -D"
                        + SEED_PROPERTY + "=" + seed + "): " + e, e);
            }
        }
    }

    private void runModel(long seed, int iterations) {
        Random random = new Random(seed);
        Storage storage = open();
        Map<String, TreeMap<byte[], byte[]>> model = emptyModel();
        long sequence = 0;
        List<Snapshot> snapshots = new ArrayList<>();
        List<Map<String, TreeMap<byte[], byte[]>>> snapshotModels = new ArrayList<>();
        List<Long> snapshotSequences = new ArrayList<>();

        for (int iteration = 0; iteration < iterations; iteration++) {
            String where = "iteration " + iteration;
            WriteBatch batch = new WriteBatch();
            int ops = random.nextInt(12);
            for (int o = 0; o < ops; o++) {
                String space = MODEL_SPACES[random.nextInt(MODEL_SPACES.length)];
                byte[] key = randomKey(random);
                int kind = random.nextInt(20);
                if (kind < 13) {
                    byte[] value = randomValue(random);
                    batch.put(space, key, value);
                    model.get(space).put(key, value);
                } else if (kind < 18) {
                    batch.delete(space, key);
                    model.get(space).remove(key);
                } else {
                    byte[] to = random.nextInt(4) == 0 ? null : randomKey(random);
                    batch.deleteRange(space, key, to);
                    if (to == null) {
                        model.get(space).tailMap(key, true).clear();
                    } else if (Arrays.compareUnsigned(key, to) < 0) {
                        model.get(space).subMap(key, true, to, false).clear();
                    }
                }
            }
            long committed = storage.commit(batch, random.nextInt(10) == 0 ? Durability.SYNC : Durability.BUFFERED);
            sequence++;
            assertEquals(sequence, committed, where + ": sequence");

            if (random.nextInt(6) == 0 && snapshots.size() < 8) {
                snapshots.add(storage.snapshot());
                snapshotModels.add(copy(model));
                snapshotSequences.add(sequence);
            }
            if (!snapshots.isEmpty() && random.nextInt(4) == 0) {
                int pick = random.nextInt(snapshots.size());
                Snapshot snapshot = snapshots.get(pick);
                assertEquals((long) snapshotSequences.get(pick), snapshot.sequence(), where + ": snapshot sequence");
                compare(snapshot, snapshotModels.get(pick), random, where + ", snapshot of " + snapshotSequences.get(pick));
                if (random.nextBoolean()) {
                    snapshot.close();
                    snapshots.remove(pick);
                    snapshotModels.remove(pick);
                    snapshotSequences.remove(pick);
                }
            }
            if (random.nextInt(10) == 0) {
                try (Snapshot latest = storage.snapshot()) {
                    assertEquals(sequence, latest.sequence(), where + ": latest sequence");
                    compare(latest, model, random, where + ", latest");
                }
            }
            if (persistent() && random.nextInt(60) == 0) {
                snapshots.forEach(Snapshot::close);
                snapshots.clear();
                snapshotModels.clear();
                snapshotSequences.clear();
                if (random.nextBoolean()) {
                    storage.flush();
                }
                storage.close();
                storage = open();
                assertEquals(sequence, storage.lastSequence(), where + ": sequence after reopen");
                try (Snapshot reopened = storage.snapshot()) {
                    compare(reopened, model, random, where + ", after reopen");
                }
            }
        }
        for (int i = 0; i < snapshots.size(); i++) {
            compare(snapshots.get(i), snapshotModels.get(i), random, "end, snapshot of " + snapshotSequences.get(i));
            snapshots.get(i).close();
        }
        try (Snapshot last = storage.snapshot()) {
            compare(last, model, random, "end");
        }
        assertEquals(sequence, storage.lastSequence());
    }

    private static void compare(Snapshot snapshot, Map<String, TreeMap<byte[], byte[]>> model, Random random,
            String where) {
        for (String space : MODEL_SPACES) {
            TreeMap<byte[], byte[]> expected = model.get(space);
            assertEquals(entries(expected), scan(snapshot, space, null, null, false), where + ": forward scan of " + space);
            assertEquals(entries(expected.descendingMap()), scan(snapshot, space, null, null, true),
                    where + ": reverse scan of " + space);
            for (int i = 0; i < 3; i++) {
                byte[] from = random.nextInt(4) == 0 ? null : randomKey(random);
                byte[] to = random.nextInt(4) == 0 ? null : randomKey(random);
                NavigableMap<byte[], byte[]> range = range(expected, from, to);
                String bounds = " [" + hex(from) + ", " + hex(to) + ")";
                assertEquals(entries(range), scan(snapshot, space, from, to, false), where + ": scan of " + space + bounds);
                assertEquals(entries(range.descendingMap()), scan(snapshot, space, from, to, true),
                        where + ": reverse scan of " + space + bounds);
            }
            for (int i = 0; i < 5; i++) {
                byte[] key = randomKey(random);
                byte[] value = expected.get(key);
                Optional<byte[]> actual = snapshot.get(space, key);
                if (value == null) {
                    assertTrue(actual.isEmpty(), where + ": " + space + "/" + hex(key) + " should be absent");
                } else {
                    assertArrayEquals(value, actual.orElseThrow(() -> new AssertionError(
                            where + ": " + space + "/" + hex(key) + " missing")), where + ": get");
                }
            }
        }
    }

    private static NavigableMap<byte[], byte[]> range(TreeMap<byte[], byte[]> map, byte[] from, byte[] to) {
        if (from != null && to != null && Arrays.compareUnsigned(from, to) >= 0) {
            return new TreeMap<>(Arrays::compareUnsigned);
        }
        NavigableMap<byte[], byte[]> range = map;
        if (from != null) {
            range = range.tailMap(from, true);
        }
        if (to != null) {
            range = range.headMap(to, false);
        }
        return range;
    }

    private static Map<String, TreeMap<byte[], byte[]>> emptyModel() {
        Map<String, TreeMap<byte[], byte[]>> model = new java.util.HashMap<>();
        for (String space : MODEL_SPACES) {
            model.put(space, new TreeMap<>(Arrays::compareUnsigned));
        }
        return model;
    }

    private static Map<String, TreeMap<byte[], byte[]>> copy(Map<String, TreeMap<byte[], byte[]>> model) {
        Map<String, TreeMap<byte[], byte[]>> copy = new java.util.HashMap<>();
        model.forEach((space, entries) -> copy.put(space, new TreeMap<>(entries)));
        return copy;
    }

    private static byte[] randomKey(Random random) {
        byte[] key = new byte[1 + random.nextInt(3)];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) MODEL_KEY_BYTES[random.nextInt(MODEL_KEY_BYTES.length)];
        }
        return key;
    }

    private static byte[] randomValue(Random random) {
        byte[] value = new byte[random.nextInt(5) == 0 ? 0 : random.nextInt(40)];
        random.nextBytes(value);
        return value;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Reads a whole range into a list and closes the cursor.
     *
     * @param snapshot the snapshot to read
     * @param space the space
     * @param from the inclusive lower bound, or null
     * @param to the exclusive upper bound, or null
     * @param reverse true for descending order
     * @return the entries in cursor order
     */
    protected static List<Entry> scan(Snapshot snapshot, String space, byte[] from, byte[] to, boolean reverse) {
        List<Entry> result = new ArrayList<>();
        try (Cursor cursor = snapshot.scan(space, from, to, reverse)) {
            while (cursor.hasNext()) {
                result.add(cursor.next());
            }
        }
        return result;
    }

    /**
     * Asserts that running the code throws a {@link DittoException} with the given code.
     *
     * @param code the expected code
     * @param action the code to run
     * @return the exception
     */
    protected static DittoException assertCode(ErrorCode code, Executable action) {
        DittoException e = assertThrows(DittoException.class, action);
        assertEquals(code, e.code(), () -> "unexpected code in " + e);
        assertFalse(e.getMessage().isBlank(), "exception without a message");
        return e;
    }

    /**
     * Makes a byte array from unsigned values.
     *
     * @param values values from 0 to 255
     * @return the bytes
     */
    protected static byte[] b(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    /**
     * Encodes a string as UTF-8.
     *
     * @param text the text
     * @return the bytes
     */
    protected static byte[] s(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Encodes an int as 4 big-endian bytes, whose unsigned order is the numeric order for
     * non-negative values.
     *
     * @param value the value
     * @return the bytes
     */
    protected static byte[] be(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    /**
     * Makes a 32-byte test key from a number.
     *
     * @param n distinguishes keys
     * @return the key bytes
     */
    protected static byte[] key(int n) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) (0x5a ^ n));
        key[0] = (byte) n;
        return key;
    }

    private static void assertCursorEnded(Cursor cursor) {
        try {
            if (cursor.hasNext()) {
                fail("cursor yields entries after its snapshot was closed: " + cursor.next());
            }
        } catch (DittoException e) {
            assertEquals(ErrorCode.CLOSED, e.code(), () -> "unexpected code in " + e);
        }
    }

    private static List<byte[]> orderedKeys() {
        return List.of(b(0x00), b(0x00, 0x00), b(0x00, 0xff), b(0x01), b(0x01, 0x00), b(0x41), b(0x41, 0x41),
                b(0x7f), b(0x7f, 0xff, 0xff), b(0x80), b(0x80, 0x00), b(0x81), b(0xc3, 0xa9), b(0xfe), b(0xff),
                b(0xff, 0x00), b(0xff, 0xff), b(0xff, 0xff, 0xff));
    }

    private static String firstDifference(List<Entry> a, List<Entry> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return "entry " + i + " is " + a.get(i) + " vs " + b.get(i);
            }
        }
        return "sizes " + a.size() + " vs " + b.size();
    }

    private static List<Entry> entries(List<byte[]> keys) {
        List<Entry> entries = new ArrayList<>();
        for (byte[] key : keys) {
            entries.add(new Entry(key, key));
        }
        return entries;
    }

    private static List<Entry> entries(Map<byte[], byte[]> map) {
        List<Entry> entries = new ArrayList<>();
        map.forEach((k, v) -> entries.add(new Entry(k, v)));
        return entries;
    }

    private static List<String> keys(List<Entry> entries) {
        return entries.stream().map(e -> hex(e.key())).toList();
    }

    private static List<String> keysOf(int... keys) {
        List<String> result = new ArrayList<>();
        for (int key : keys) {
            result.add(hex(b(key)));
        }
        return result;
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? "null" : java.util.HexFormat.of().formatHex(bytes);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void deleteContents(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Collections.reverseOrder()).toList()) {
                if (!path.equals(folder)) {
                    Files.delete(path);
                }
            }
        }
    }
}
