package ditto.store.memory;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.storage.Cursor;
import ditto.api.spi.storage.Entry;
import ditto.api.spi.storage.Snapshot;

/**
 * A snapshot of the in-memory storage: the immutable {@link MemoryStorage.State} it was opened
 * on. Reads never lock. Invariant: every array handed out is a fresh copy, so callers cannot
 * reach the shared tree. Fails with {@code CLOSED} once it or its storage is closed.
 */
final class MemorySnapshot implements Snapshot {

    private final MemoryStorage storage;
    private final MemoryStorage.State state;
    private volatile boolean closed;

    MemorySnapshot(MemoryStorage storage, MemoryStorage.State state) {
        this.storage = storage;
        this.state = state;
    }

    @Override
    public long sequence() {
        checkOpen("sequence");
        return state.sequence();
    }

    @Override
    public Optional<byte[]> get(String space, byte[] key) {
        checkOpen("get");
        checkSpace(space);
        if (key == null || key.length == 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "memory snapshot get: key is null or empty in space '" + space + "'");
        }
        byte[] value = Treap.get(state.spaces().get(space), key);
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    @Override
    public Cursor scan(String space, byte[] from, byte[] to, boolean reverse) {
        checkOpen("scan");
        checkSpace(space);
        return new MemoryCursor(Treap.range(state.spaces().get(space), from, to, reverse));
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen(String operation) {
        if (closed || storage.isClosed()) {
            throw new DittoException(ErrorCode.CLOSED, "memory snapshot " + operation + ": the "
                    + (closed ? "snapshot" : "storage") + " is closed");
        }
    }

    private static void checkSpace(String space) {
        if (space == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "memory snapshot: space name is null");
        }
    }

    /** Walks a treap range; one thread at a time, as the {@link Cursor} contract says. */
    private final class MemoryCursor implements Cursor {
        private final Iterator<Treap.Node> nodes;
        private boolean cursorClosed;

        MemoryCursor(Iterator<Treap.Node> nodes) {
            this.nodes = nodes;
        }

        @Override
        public boolean hasNext() {
            if (cursorClosed) {
                return false;
            }
            checkOpen("cursor");
            return nodes.hasNext();
        }

        @Override
        public Entry next() {
            if (!hasNext()) {
                throw new NoSuchElementException("memory cursor: no more entries");
            }
            Treap.Node node = nodes.next();
            return new Entry(node.key.clone(), node.value.clone());
        }

        @Override
        public void close() {
            cursorClosed = true;
        }
    }
}
