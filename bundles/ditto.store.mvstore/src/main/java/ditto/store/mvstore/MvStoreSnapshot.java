package ditto.store.mvstore;

import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.storage.Cursor;
import ditto.api.spi.storage.Entry;
import ditto.api.spi.storage.Snapshot;

/**
 * A snapshot of an mvstore storage: one reference on a pinned {@link MvStoreStorage.View}.
 * Reads walk the view's immutable roots without locking and may load pages from the file.
 * Invariants: the view reference is released exactly once, on the first {@link #close()};
 * every array handed out is a fresh copy, never a page's own array.
 */
final class MvStoreSnapshot implements Snapshot {

    private final MvStoreStorage storage;
    private final MvStoreStorage.View view;
    private final AtomicBoolean closed = new AtomicBoolean();

    MvStoreSnapshot(MvStoreStorage storage, MvStoreStorage.View view) {
        this.storage = storage;
        this.view = view;
    }

    @Override
    public long sequence() {
        checkOpen("sequence");
        return view.sequence;
    }

    @Override
    public Optional<byte[]> get(String space, byte[] key) {
        checkOpen("get");
        checkSpace(space);
        if (key == null || key.length == 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "mvstore snapshot get: key is null or empty in space '" + space + "'");
        }
        MvStoreStorage.Space s = view.spaces.get(space);
        if (s == null) {
            return Optional.empty();
        }
        try {
            byte[] value = s.map().get(s.root().root, key);
            return value == null ? Optional.empty() : Optional.of(value.clone());
        } catch (RuntimeException e) {
            throw storage.readFailure("get", e);
        }
    }

    @Override
    public Cursor scan(String space, byte[] from, byte[] to, boolean reverse) {
        checkOpen("scan");
        checkSpace(space);
        MvStoreStorage.Space s = view.spaces.get(space);
        boolean empty = s == null || (from != null && to != null && Arrays.compareUnsigned(from, to) >= 0);
        return new MvStoreCursor(empty ? null : s, from, to, reverse);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            view.release();
        }
    }

    private void checkOpen(String operation) {
        if (closed.get()) {
            throw new DittoException(ErrorCode.CLOSED, "mvstore snapshot " + operation + ": the snapshot is closed");
        }
        storage.checkOpen("snapshot " + operation);
    }

    private static void checkSpace(String space) {
        if (space == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "mvstore snapshot: space name is null");
        }
    }

    /**
     * Walks one space of the view between the bounds. MVStore's cursor starts at the first key
     * at or after the start bound (at or before it, in reverse) and knows only inclusive ends,
     * so this class applies the exclusive upper bound itself. One thread at a time.
     */
    private final class MvStoreCursor implements Cursor {
        private final org.h2.mvstore.Cursor<byte[], byte[]> inner;
        private final byte[] from;
        private final byte[] to;
        private final boolean reverse;
        private Entry next;
        private boolean finished;

        MvStoreCursor(MvStoreStorage.Space space, byte[] from, byte[] to, boolean reverse) {
            this.from = from;
            this.to = to;
            this.reverse = reverse;
            if (space == null) {
                inner = null;
                finished = true;
            } else {
                try {
                    inner = new org.h2.mvstore.Cursor<>(space.root(), reverse ? to : from, null, reverse);
                } catch (RuntimeException e) {
                    throw storage.readFailure("scan", e);
                }
            }
        }

        @Override
        public boolean hasNext() {
            if (finished) {
                return false;
            }
            checkOpen("cursor");
            if (next == null) {
                advance();
            }
            return next != null;
        }

        @Override
        public Entry next() {
            if (!hasNext()) {
                throw new NoSuchElementException("mvstore cursor: no more entries");
            }
            Entry result = next;
            next = null;
            return result;
        }

        @Override
        public void close() {
            finished = true;
            next = null;
        }

        private void advance() {
            try {
                while (inner.hasNext()) {
                    byte[] key = inner.next();
                    if (reverse) {
                        if (to != null && Arrays.compareUnsigned(key, to) >= 0) {
                            continue;
                        }
                        if (from != null && Arrays.compareUnsigned(key, from) < 0) {
                            break;
                        }
                    } else {
                        if (from != null && Arrays.compareUnsigned(key, from) < 0) {
                            continue;
                        }
                        if (to != null && Arrays.compareUnsigned(key, to) >= 0) {
                            break;
                        }
                    }
                    next = new Entry(key.clone(), inner.getValue().clone());
                    return;
                }
                finished = true;
            } catch (RuntimeException e) {
                throw storage.readFailure("scan", e);
            }
        }
    }
}
