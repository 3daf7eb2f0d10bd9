package ditto.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

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
 * A test-only storage plug-in over TreeMaps: enough of the SPI for the engine's own tests (the
 * real backends live in bundles/ditto.store.*). Each commit copies the whole state, so snapshots
 * are trivially consistent. Records what the engine asked for, so tests can check it. Also listed
 * in the test resources' META-INF/services, for the class-path child JVM.
 */
public final class TreeMapStorageProvider implements StorageProvider {

    private final String id;
    private final boolean persistent;
    /** Parameters of every open call, in order. */
    final List<StorageParameters> opened = Collections.synchronizedList(new ArrayList<>());
    /** Storages handed out and not closed yet. */
    final AtomicInteger openStorages = new AtomicInteger();
    /** Storages flushed (any time). */
    final AtomicInteger flushes = new AtomicInteger();

    /** Creates the provider {@code "treemap"}, not persistent (what ServiceLoader instantiates). */
    public TreeMapStorageProvider() {
        this("treemap", false);
    }

    /** Creates a provider with a given id and persistence claim. */
    public TreeMapStorageProvider(String id, boolean persistent) {
        this.id = id;
        this.persistent = persistent;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean isPersistent() {
        return persistent;
    }

    @Override
    public Storage open(StorageParameters parameters) {
        if (!parameters.options().isEmpty()) {
            throw new DittoException(ErrorCode.INVALID_CONFIG,
                    "storage '" + id + "': unknown options " + parameters.options().keySet());
        }
        opened.add(parameters);
        openStorages.incrementAndGet();
        return new MapStorage(parameters.directory());
    }

    @Override
    public String toString() {
        return "TreeMapStorageProvider[" + id + "]";
    }

    private final class MapStorage implements Storage {
        private final Path directory;
        private NavigableMap<String, NavigableMap<byte[], byte[]>> state = new TreeMap<>();
        private long sequence;
        private boolean closed;

        MapStorage(Path directory) {
            this.directory = directory;
        }

        @Override
        public synchronized Snapshot snapshot() {
            check();
            return new MapSnapshot(state, sequence);
        }

        @Override
        public synchronized long commit(WriteBatch batch, Durability durability) {
            check();
            NavigableMap<String, NavigableMap<byte[], byte[]>> next = new TreeMap<>();
            state.forEach((space, map) -> next.put(space, copy(map)));
            for (WriteBatch.Op op : batch.ops()) {
                NavigableMap<byte[], byte[]> space = next.computeIfAbsent(op.space(), s -> newSpace());
                switch (op.kind()) {
                    case PUT -> space.put(op.key().clone(), op.value().clone());
                    case DELETE -> space.remove(op.key());
                    case DELETE_RANGE -> (op.value() == null ? space.tailMap(op.key(), true)
                            : space.subMap(op.key(), true, op.value(), false)).clear();
                    default -> throw new IllegalStateException("unknown op " + op.kind());
                }
            }
            state = next;
            return ++sequence;
        }

        @Override
        public synchronized void flush() {
            check();
            flushes.incrementAndGet();
        }

        @Override
        public synchronized long lastSequence() {
            check();
            return sequence;
        }

        @Override
        public boolean isEncrypted() {
            return false;
        }

        @Override
        public long sizeOnDisk() {
            return 0;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                openStorages.decrementAndGet();
            }
        }

        private void check() {
            if (closed) {
                throw new DittoException(ErrorCode.CLOSED, "tree map storage in " + directory + " is closed");
            }
        }
    }

    private static NavigableMap<byte[], byte[]> newSpace() {
        return new TreeMap<>(Arrays::compareUnsigned);
    }

    private static NavigableMap<byte[], byte[]> copy(NavigableMap<byte[], byte[]> map) {
        NavigableMap<byte[], byte[]> copy = newSpace();
        copy.putAll(map);
        return copy;
    }

    private static final class MapSnapshot implements Snapshot {
        private final NavigableMap<String, NavigableMap<byte[], byte[]>> state;
        private final long sequence;
        private volatile boolean closed;

        MapSnapshot(NavigableMap<String, NavigableMap<byte[], byte[]>> state, long sequence) {
            this.state = state;
            this.sequence = sequence;
        }

        @Override
        public long sequence() {
            check();
            return sequence;
        }

        @Override
        public Optional<byte[]> get(String space, byte[] key) {
            check();
            NavigableMap<byte[], byte[]> map = state.get(space);
            return map == null ? Optional.empty() : Optional.ofNullable(map.get(key)).map(byte[]::clone);
        }

        @Override
        public Cursor scan(String space, byte[] from, byte[] to, boolean reverse) {
            check();
            NavigableMap<byte[], byte[]> map = state.getOrDefault(space, newSpace());
            NavigableMap<byte[], byte[]> range = from == null && to == null ? map
                    : from == null ? map.headMap(to, false)
                    : to == null ? map.tailMap(from, true)
                    : map.subMap(from, true, to, false);
            Iterator<Map.Entry<byte[], byte[]>> it = (reverse ? range.descendingMap() : range).entrySet().iterator();
            return new Cursor() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Entry next() {
                    if (!it.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Map.Entry<byte[], byte[]> e = it.next();
                    return new Entry(e.getKey().clone(), e.getValue().clone());
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() {
            closed = true;
        }

        private void check() {
            if (closed) {
                throw new DittoException(ErrorCode.CLOSED, "snapshot is closed");
            }
        }
    }
}
