package ditto.store.mvstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
        // given no page cache and no retention, so freed chunks are overwritten at once
        Random random = new Random(11);
        Map<String, Object> options = Map.of(MvStoreOptions.CACHE_SIZE_MB, 0, MvStoreOptions.AUTO_COMPACT_FILL_RATE, 0);
        try (Storage storage = provider().open(new StorageParameters(directory(), Optional.empty(), options))) {
            MVStore store = ((MvStoreStorage) storage).mvStore();
            store.setRetentionTime(0);
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
            long sizeBefore = storage.sizeOnDisk();

            try (Snapshot snapshot = storage.snapshot()) {
                // when every key is overwritten several times, which frees every chunk of the snapshot
                for (int round = 0; round < 40; round++) {
                    WriteBatch batch = new WriteBatch();
                    for (int i = 0; i < 3000; i += 4) {
                        byte[] value = new byte[200];
                        random.nextBytes(value);
                        batch.put("docs", be(i + round % 4), value);
                    }
                    storage.commit(batch, Durability.BUFFERED);
                }

                // then the snapshot still reads its own data, from the file
                List<Entry> all = scan(snapshot, "docs", null, null, false);
                assertEquals(expected.size(), all.size());
                int i = 0;
                for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
                    assertEquals(new Entry(e.getKey(), e.getValue()), all.get(i++));
                }
                assertArrayEquals(expected.get(be(1234)), snapshot.get("docs", be(1234)).orElseThrow());
            }
            // and the file did grow far less than the 40 rewrites wrote, so chunks were reused
            assertTrue(storage.sizeOnDisk() < sizeBefore + 40L * 750 * 200 / 2,
                    "file grew from " + sizeBefore + " to " + storage.sizeOnDisk());
        }
    }

    @Test
    void reportsDamagedFileAsStoreError() throws IOException {
        Storage storage = open();
        for (int i = 0; i < 20; i++) {
            storage.commit(new WriteBatch().put("docs", be(i), new byte[500]), Durability.SYNC);
        }
        storage.close();
        Path file = directory().resolve(MvStoreStorage.STORE_FILE);

        // when every byte after the file header is overwritten with noise
        byte[] noise = new byte[(int) Files.size(file) - 8192];
        new Random(5).nextBytes(noise);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(8192);
            raf.write(noise);
        }

        // then opening reports a damaged store, not an empty or garbled one
        DittoException e = assertCode(ErrorCode.STORE, this::open);
        assertTrue(e.getMessage().contains(MvStoreStorage.STORE_FILE), e.getMessage());
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
    void acceptsOptionsAsNumbersOrStrings(@TempDir Path other) {
        Map<String, Object> options = Map.of(MvStoreOptions.CACHE_SIZE_MB, "4", MvStoreOptions.AUTO_COMPACT_FILL_RATE, 50L,
                MvStoreOptions.COMPRESS, "true");

        try (Storage storage = provider().open(new StorageParameters(other, Optional.empty(), options))) {
            storage.commit(new WriteBatch().put("docs", b(1), new byte[10_000]), Durability.SYNC);
            try (Snapshot snapshot = storage.snapshot()) {
                assertEquals(10_000, snapshot.get("docs", b(1)).orElseThrow().length);
            }
            assertTrue(storage.sizeOnDisk() < 10_000, "10 kB of zeros compress");
        }
        assertEquals(new MvStoreOptions(4, 50, true), MvStoreOptions.parse(options));
        assertEquals(new MvStoreOptions(16, 90, false), MvStoreOptions.parse(Map.of()));
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
            Process child = startWriter(directory());
            AtomicLong lastAck = new AtomicLong(acknowledged);
            BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String ready = output.readLine();
            assertTrue(ready != null && ready.startsWith("ready "), where + ": child did not start: " + ready
                    + " " + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(acknowledged + 1, Long.parseLong(ready.substring(6)), where + ": child resumed at the wrong batch");
            Thread reader = new Thread(() -> {
                try {
                    for (String line = output.readLine(); line != null; line = output.readLine()) {
                        if (line.startsWith("ack ")) {
                            lastAck.set(Long.parseLong(line.substring(4)));
                        }
                    }
                } catch (IOException endOfStream) {
                    // the pipe closes when the child dies
                }
            });
            reader.start();

            Thread.sleep(20 + random.nextInt(300));
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), where + ": child did not die");
            reader.join(10_000);
            acknowledged = lastAck.get();

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
                acknowledged = batches.size() - 1;
            }
        }
        assertTrue(acknowledged > 0, "the child never committed anything");
    }

    private static Process startWriter(Path directory) throws IOException {
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
        return new ProcessBuilder(command).start();
    }

    private static String locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot locate " + type, e);
        }
    }
}
