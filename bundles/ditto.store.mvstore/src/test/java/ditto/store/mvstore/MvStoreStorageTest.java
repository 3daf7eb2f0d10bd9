package ditto.store.mvstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.storage.Durability;
import ditto.api.spi.storage.Entry;
import ditto.api.spi.storage.Snapshot;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.StorageParameters;
import ditto.api.spi.storage.StorageProvider;
import ditto.api.spi.storage.WriteBatch;
import ditto.testkit.storage.StorageContract;

/** Runs the storage contract against the MVStore backend, plus what is particular to it. */
class MvStoreStorageTest extends StorageContract {

    @Override
    protected StorageProvider provider() {
        return new MvStoreStorageProvider();
    }

    @Override
    protected boolean persistent() {
        return true;
    }

    @Override
    protected boolean supportsEncryption() {
        return true;
    }

    @Test
    void refusesSecondOpenOfSameDirectory() {
        open();

        DittoException e = assertCode(ErrorCode.PERSISTENCE_DIRECTORY, this::open);
        assertTrue(e.getMessage().contains("locked"), e.getMessage());
    }

    @Test
    void keepsSnapshotReadableWhileItsChunksWouldBeReused() {
        // given no page cache and no retention time, so a freed chunk is overwritten at once
        Random random = new Random(11);
        Map<String, Object> options = Map.of(MvStoreOptions.CACHE_SIZE_MB, 0, MvStoreOptions.AUTO_COMPACT_FILL_RATE, 0);
        try (Storage storage = provider().open(new StorageParameters(directory(), Optional.empty(), options))) {
            ((MvStoreStorage) storage).mvStore().setRetentionTime(0);
            TreeMap<byte[], byte[]> expected = new TreeMap<>(Arrays::compareUnsigned);
            for (int round = 0; round < 10; round++) {
                WriteBatch batch = new WriteBatch();
                for (int i = 0; i < 300; i++) {
                    byte[] key = be(round * 300 + i);
                    byte[] value = new byte[200];
                    random.nextBytes(value);
                    batch.put("docs", key, value);
                    expected.put(key, value);
                }
                storage.commit(batch, Durability.BUFFERED);
            }

            try (Snapshot snapshot = storage.snapshot()) {
                // when every key is overwritten several times, which leaves no live page in the snapshot's chunks
                overwrite(storage, random, 40);

                // then the snapshot still reads its own data, from the file
                List<Entry> all = scan(snapshot, "docs", null, null, false);
                assertEquals(expected.size(), all.size());
                int i = 0;
                for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
                    assertEquals(new Entry(e.getKey(), e.getValue()), all.get(i++));
                }
                assertArrayEquals(expected.get(be(1234)), snapshot.get("docs", be(1234)).orElseThrow());
            }

            // and once it is closed, the space it held is reused: 40 more rounds barely grow the file
            overwrite(storage, random, 2);
            long released = storage.sizeOnDisk();
            overwrite(storage, random, 40);
            long grown = storage.sizeOnDisk() - released;
            assertTrue(grown < 4 << 20, "file grew by " + grown + " bytes after the snapshot was closed");
        }
    }

    private static void overwrite(Storage storage, Random random, int rounds) {
        for (int round = 0; round < rounds; round++) {
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < 3000; i += 4) {
                byte[] value = new byte[200];
                random.nextBytes(value);
                batch.put("docs", be(i + round % 4), value);
            }
            storage.commit(batch, Durability.BUFFERED);
        }
    }

    @Test
    void keepsFileSmallUnderManySmallCommits() {
        // each small commit writes a chunk of about 16 KiB; without reuse 4,000 of them take 64 MiB
        Storage storage = open();
        byte[] value = new byte[200];
        for (int i = 0; i < 4000; i++) {
            storage.commit(new WriteBatch().put("docs", be(i % 2000), value),
                    i % 20 == 0 ? Durability.SYNC : Durability.BUFFERED);
        }

        assertTrue(storage.sizeOnDisk() < 16 << 20, "file is " + storage.sizeOnDisk() + " bytes");
    }

    @Test
    void refusesFileWhoseChunksAreAllDamaged() throws IOException {
        damageAndReopen(Optional.empty(), 8192, ErrorCode.STORE);
    }

    @Test
    void refusesFileThatWouldSilentlyRollBack() throws IOException {
        // noise over the newer half of the chunks would make MVStore fall back to an old version
        damageAndReopen(Optional.empty(), -1, ErrorCode.STORE);
    }

    @Test
    void reportsDamagedEncryptedFileAsEncryptionError() throws IOException {
        damageAndReopen(Optional.of(key(3)), 8192, ErrorCode.ENCRYPTION);
        damageAndReopen(Optional.of(key(3)), -1, ErrorCode.ENCRYPTION);
    }

    /** Writes 20 SYNC commits, closes, overwrites the file from {@code from} (-1: the middle) with noise, reopens. */
    private void damageAndReopen(Optional<byte[]> key, long from, ErrorCode expected) throws IOException {
        Path folder = Files.createTempDirectory(directory(), "damaged");
        try (Storage storage = provider().open(new StorageParameters(folder, key, Map.of()))) {
            for (int i = 0; i < 20; i++) {
                storage.commit(new WriteBatch().put("docs", be(i), new byte[500]), Durability.SYNC);
            }
        }
        Path file = folder.resolve(MvStoreStorage.STORE_FILE);
        long start = from >= 0 ? from : Files.size(file) / 2;

        // when the file is overwritten with noise from there on
        byte[] noise = new byte[(int) (Files.size(file) - start)];
        new Random(5).nextBytes(noise);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(start);
            raf.write(noise);
        }

        // then opening reports damage (twice: the failed open repaired nothing), never an older or empty store
        for (int attempt = 0; attempt < 2; attempt++) {
            DittoException e = assertCode(expected, () -> provider().open(new StorageParameters(folder, key, Map.of())).close());
            assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        }
    }

    @Test
    void reportsTruncatedFileAsStoreError() throws IOException {
        Storage storage = open();
        storage.commit(new WriteBatch().put("docs", b(1), new byte[5000]), Durability.SYNC);
        storage.close();
        Path file = directory().resolve(MvStoreStorage.STORE_FILE);

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(100);
        }

        assertCode(ErrorCode.STORE, this::open);
    }

    /**
     * The sequence the kill test hit (StoreImplKillTest seed 5287469222162, and this class's own
     * kill loop): a process dies while writing a chunk over a dead chunk that the layout of the
     * last complete version still lists; the next process recovers that version and closes
     * cleanly; the one after must open it again, with every commit. Before the fix, MVStore's
     * check of the cleanly closed file met the overwritten dead chunk and fell back to an older
     * version, which the damaged-file probe refused ("closed cleanly at version 51, but only
     * version 43 can be read"); a plain MVStore open would have dropped those commits silently.
     */
    @Test
    void reopensStoreClosedCleanlyAfterRecoveringFromCrashThatOverwroteDeadChunk() throws IOException {
        // given 50 SYNC commits and more (no compaction, so the run is the same every time) until
        // the layout lists a dead chunk that MVStore frees at the next commit
        Map<String, Object> options = Map.of(MvStoreOptions.AUTO_COMPACT_FILL_RATE, 0);
        StorageParameters parameters = new StorageParameters(directory(), Optional.empty(), options);
        MvStoreStorage writer = (MvStoreStorage) provider().open(parameters);
        Random random = new Random(1);
        int committed = 0;
        Map<String, String> doomed = null;
        while (doomed == null) {
            byte[] payload = new byte[random.nextInt(3000)];
            random.nextBytes(payload);
            writer.commit(new WriteBatch().put(KillLoopWriter.BATCHES, KillLoopWriter.key(committed), payload)
                    .put(KillLoopWriter.MIRROR, KillLoopWriter.key(committed), payload), Durability.SYNC);
            committed++;
            assertTrue(committed < 2000, "no dead chunk waiting to be freed after " + committed + " commits");
            if (committed >= 50) {
                // with older chunks to fall back to: MVStore scans the whole file when none is left
                doomed = deadChunkFreedByNextCommit(writer.mvStore());
            }
        }

        // when the process dies while writing the next chunk into that chunk's space (no clean mark,
        // the header still names the last complete version, the dead chunk's blocks are garbage)
        writer.mvStore().closeImmediately();
        long block = DataUtils.readHexLong(doomed, "block", 0);
        byte[] garbage = new byte[(int) DataUtils.readHexLong(doomed, "len", 0) * 4096];
        new Random(2).nextBytes(garbage);
        try (RandomAccessFile raf = new RandomAccessFile(directory().resolve(MvStoreStorage.STORE_FILE).toFile(), "rw")) {
            raf.seek(block * 4096);
            raf.write(garbage);
        }
        // and the next process recovers the store and closes it cleanly, committing nothing
        try (Storage recovered = provider().open(parameters)) {
            assertEquals(committed, recovered.lastSequence(), "recovery lost a complete commit");
        }

        // then every later open (the check changes nothing, so twice) finds every commit
        for (int attempt = 0; attempt < 2; attempt++) {
            try (Storage reopened = provider().open(parameters); Snapshot snapshot = reopened.snapshot()) {
                assertEquals(committed, reopened.lastSequence());
                List<Entry> batches = scan(snapshot, KillLoopWriter.BATCHES, null, null, false);
                assertEquals(committed, batches.size());
                assertEquals(batches, scan(snapshot, KillLoopWriter.MIRROR, null, null, false));
            }
        }
    }

    /**
     * Returns the layout entry (MVStore's informational chunk metadata) of a dead chunk that the
     * next commit may free: no live page, unused since before the versions MVStore keeps.
     */
    private static Map<String, String> deadChunkFreedByNextCommit(MVStore store) {
        long version = store.getCurrentVersion();
        for (Map.Entry<String, String> e : store.getLayoutMap().entrySet()) {
            if (e.getKey().startsWith("chunk.")) {
                Map<String, String> chunk = DataUtils.parseMap(e.getValue());
                if (DataUtils.readHexLong(chunk, "livePages", 1) == 0
                        && DataUtils.readHexLong(chunk, "unusedAtVersion", version) < version + 1 - store.getVersionsToKeep()) {
                    return chunk;
                }
            }
        }
        return null;
    }

    @Test
    void refusesForeignMvStoreFile() {
        MVStore foreign = new MVStore.Builder().fileName(directory().resolve(MvStoreStorage.STORE_FILE).toString()).open();
        foreign.openMap("customers").put("a", "b");
        foreign.close();

        DittoException e = assertCode(ErrorCode.STORE, this::open);
        assertTrue(e.getMessage().contains("not a Ditto store"), e.getMessage());
    }

    @Test
    void namesWrongKeyInTheError() {
        open(Optional.of(key(1))).close();

        DittoException e = assertCode(ErrorCode.ENCRYPTION, () -> open(Optional.of(key(2))));
        assertTrue(e.getMessage().contains("wrong encryption key"), e.getMessage());
    }

    @Test
    void refusesWrongKeyEvenWithoutKeyCheckFile() throws IOException {
        Storage storage = open(Optional.of(key(1)));
        storage.commit(new WriteBatch().put("docs", b(1), s("secret")), Durability.SYNC);
        storage.close();
        Files.delete(directory().resolve(MvStoreStorage.KEY_CHECK_FILE));

        // the wrong key fails when MVStore cannot read its header
        DittoException e = assertCode(ErrorCode.ENCRYPTION, () -> open(Optional.of(key(2))));
        assertTrue(e.getMessage().contains("key is wrong"), e.getMessage());
        assertFalse(Files.exists(directory().resolve(MvStoreStorage.KEY_CHECK_FILE)), "no verifier for a wrong key");

        // the right key opens it and writes a verifier again
        try (Snapshot snapshot = open(Optional.of(key(1))).snapshot()) {
            assertArrayEquals(s("secret"), snapshot.get("docs", b(1)).orElseThrow());
        }
        assertTrue(Files.exists(directory().resolve(MvStoreStorage.KEY_CHECK_FILE)));
    }

    @Test
    void refusesKeyForPlainStore() {
        Storage storage = open();
        storage.commit(new WriteBatch().put("docs", b(1), s("plain")), Durability.SYNC);
        storage.close();

        DittoException e = assertCode(ErrorCode.ENCRYPTION, () -> open(Optional.of(key(1))));
        assertTrue(e.getMessage().contains("not encrypted"), e.getMessage());
    }

    @Test
    void refusesEmptyKey() {
        assertCode(ErrorCode.INVALID_CONFIG, () -> open(Optional.of(new byte[0])));
    }

    @Test
    void acceptsOptionsAsNumbersOrStrings() {
        Map<String, Object> options = Map.of(MvStoreOptions.CACHE_SIZE_MB, "4", MvStoreOptions.AUTO_COMPACT_FILL_RATE, 50L,
                MvStoreOptions.COMPRESS, "true");

        assertEquals(new MvStoreOptions(4, 50, true), MvStoreOptions.parse(options));
        assertEquals(new MvStoreOptions(16, 90, false), MvStoreOptions.parse(Map.of()));
        assertEquals(new MvStoreOptions(0, 0, false), MvStoreOptions.parse(Map.of(MvStoreOptions.CACHE_SIZE_MB, 0,
                MvStoreOptions.AUTO_COMPACT_FILL_RATE, " 0 ", MvStoreOptions.COMPRESS, false)));
    }

    @Test
    void compressesPagesWhenAsked(@TempDir Path plainDirectory, @TempDir Path compressedDirectory) {
        // given the same compressible data in a plain and in a compressed store
        byte[] text = s("the same sentence again and again. ".repeat(300));
        long[] sizes = new long[2];
        Path[] directories = {plainDirectory, compressedDirectory};
        for (int i = 0; i < 2; i++) {
            Map<String, Object> options = Map.of(MvStoreOptions.COMPRESS, i == 1);
            try (Storage storage = provider().open(new StorageParameters(directories[i], Optional.empty(), options))) {
                WriteBatch batch = new WriteBatch();
                for (int k = 0; k < 50; k++) {
                    batch.put("docs", be(k), text);
                }
                storage.commit(batch, Durability.SYNC);
                try (Snapshot snapshot = storage.snapshot()) {
                    assertArrayEquals(text, snapshot.get("docs", be(49)).orElseThrow());
                }
                sizes[i] = storage.sizeOnDisk();
            }
        }

        // then the compressed file is much smaller
        assertTrue(sizes[1] * 4 < sizes[0], "plain " + sizes[0] + " bytes, compressed " + sizes[1]);
    }

    @Test
    void refusesBadOptionValues() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of(MvStoreOptions.CACHE_SIZE_MB, "lots"),
                Map.of(MvStoreOptions.CACHE_SIZE_MB, -1),
                Map.of(MvStoreOptions.CACHE_SIZE_MB, 1.5),
                Map.of(MvStoreOptions.AUTO_COMPACT_FILL_RATE, 101),
                Map.of(MvStoreOptions.COMPRESS, "maybe"),
                Map.of("cacheSize", 16))) {
            DittoException e = assertCode(ErrorCode.INVALID_CONFIG,
                    () -> provider().open(new StorageParameters(directory(), Optional.empty(), bad)).close());
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
        }
    }

    /**
     * R8: a child JVM commits numbered batches with SYNC and is killed at random moments; after
     * each kill the store must open cleanly with every acknowledged batch, and no torn batch.
     */
    @Test
    @Tag("slow")
    void keepsEveryAcknowledgedCommitWhenKilled() throws Exception {
        int cycles = Boolean.getBoolean(RELIABILITY_PROPERTY) ? 20 : 5;
        Long replay = Long.getLong("ditto.storage.killSeed");
        long seed = replay != null ? replay : new Random().nextLong();
        System.out.println("MvStoreStorageTest.keepsEveryAcknowledgedCommitWhenKilled: seed=" + seed + " cycles=" + cycles
                + " (replay with -Dditto.storage.killSeed=" + seed + ")");
        Random random = new Random(seed);
        long acknowledged = -1;
        for (int cycle = 0; cycle < cycles; cycle++) {
            String where = "seed " + seed + ", cycle " + cycle;
            Path errors = directory().resolveSibling("writer-" + cycle + ".err");
            Process child = startWriter(directory(), errors);
            try {
                BlockingQueue<String> lines = new LinkedBlockingQueue<>();
                Thread reader = new Thread(() -> {
                    try (BufferedReader output = new BufferedReader(
                            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = output.readLine(); line != null; line = output.readLine()) {
                            lines.add(line);
                        }
                    } catch (IOException endOfStream) {
                        // the pipe breaks when the child dies
                    }
                }, "kill-test-reader");
                reader.start();
                String ready = lines.poll(60, TimeUnit.SECONDS);
                if (ready == null || !ready.startsWith("ready ")) {
                    child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    fail(where + ": child did not start: " + ready + "\n" + Files.readString(errors));
                }
                assertEquals(acknowledged + 1, Long.parseLong(ready.substring(6)), where + ": child resumed at the wrong batch");

                // when the child is killed at a random moment while it commits
                Thread.sleep(20 + random.nextInt(300));
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), where + ": child did not die");
                reader.join(10_000);
                for (String line : lines) {
                    if (line.startsWith("ack ")) {
                        acknowledged = Math.max(acknowledged, Long.parseLong(line.substring(4)));
                    }
                }
            } finally {
                child.destroyForcibly();
            }

            // then the store opens cleanly with every acknowledged batch and no torn one
            try (Storage storage = provider().open(StorageParameters.of(directory())); Snapshot snapshot = storage.snapshot()) {
                List<Entry> batches = scan(snapshot, KillLoopWriter.BATCHES, null, null, false);
                List<Entry> mirror = scan(snapshot, KillLoopWriter.MIRROR, null, null, false);
                assertEquals(batches, mirror, where + ": a batch was torn");
                for (int i = 0; i < batches.size(); i++) {
                    assertEquals(i, KillLoopWriter.number(batches.get(i)), where + ": batches are not contiguous");
                }
                assertTrue(batches.size() - 1 >= acknowledged,
                        where + ": acknowledged batch " + acknowledged + " lost, store has " + batches.size());
                assertEquals(batches.size(), storage.lastSequence(), where + ": sequence does not match the batches");
                System.out.println("  " + where + ": " + (acknowledged + 1) + " batches acknowledged, " + batches.size()
                        + " present after reopen");
                acknowledged = batches.size() - 1;
            }
        }
        assertTrue(acknowledged > 0, "the child never committed anything");
    }

    private static Process startWriter(Path directory, Path errors) throws IOException {
        Set<String> classPath = new LinkedHashSet<>();
        for (Class<?> type : new Class<?>[] {KillLoopWriter.class, MvStoreStorageProvider.class, MVStore.class,
                DittoException.class}) {
            classPath.add(locationOf(type));
        }
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                String.join(System.getProperty("path.separator"), classPath), KillLoopWriter.class.getName(),
                directory.toString()));
        return new ProcessBuilder(command).redirectError(errors.toFile()).start();
    }

    private static String locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot locate " + type, e);
        }
    }
}
