package ditto.store.mvstore;

import java.nio.file.Path;
import java.util.Random;

import ditto.api.spi.storage.Cursor;
import ditto.api.spi.storage.Durability;
import ditto.api.spi.storage.Entry;
import ditto.api.spi.storage.Snapshot;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.StorageParameters;
import ditto.api.spi.storage.WriteBatch;

/**
 * The child process of the kill test (not a test itself): opens the store in the directory
 * given as the first argument, prints {@code ready <next>}, then commits numbered batches with
 * {@code SYNC} forever, printing {@code ack <n>} after each commit returns. Batch {@code n} puts
 * key {@code n} (8 bytes, big-endian) into the spaces {@code batches} and {@code mirror} with the
 * same payload of random length, so a torn batch would show as a difference between the two.
 */
public final class KillLoopWriter {

    static final String BATCHES = "batches";
    static final String MIRROR = "mirror";

    private KillLoopWriter() {
    }

    /**
     * Runs until killed.
     *
     * @param args the storage directory
     */
    public static void main(String[] args) {
        Storage storage = new MvStoreStorageProvider().open(StorageParameters.of(Path.of(args[0])));
        long next = 0;
        try (Snapshot snapshot = storage.snapshot(); Cursor last = snapshot.scan(BATCHES, null, null, true)) {
            if (last.hasNext()) {
                next = number(last.next()) + 1;
            }
        }
        Random random = new Random(next);
        System.out.println("ready " + next);
        System.out.flush();
        while (true) {
            byte[] payload = new byte[random.nextInt(3000)];
            random.nextBytes(payload);
            storage.commit(new WriteBatch().put(BATCHES, key(next), payload).put(MIRROR, key(next), payload),
                    Durability.SYNC);
            System.out.println("ack " + next);
            System.out.flush();
            next++;
        }
    }

    static byte[] key(long n) {
        byte[] key = new byte[8];
        for (int i = 7; i >= 0; i--) {
            key[i] = (byte) n;
            n >>>= 8;
        }
        return key;
    }

    static long number(Entry entry) {
        long n = 0;
        for (byte b : entry.key()) {
            n = (n << 8) | (b & 0xff);
        }
        return n;
    }
}
