package ditto.store.memory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.storage.Durability;
import ditto.api.spi.storage.Snapshot;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.WriteBatch;

/**
 * An in-memory storage: one persistent treap per space, published as an immutable
 * {@link State} per commit.
 *
 * <pre>
 *   committer (under commitLock)                 readers (any thread, no lock)
 *   state = S(n) ──copy roots, apply batch──▶ S(n+1) ──volatile write──▶ snapshot() reads state
 * </pre>
 *
 * <p>Invariants: {@link #state} only moves forward, one sequence number at a time, and is
 * replaced by a single volatile write after the whole batch is applied, so a reader sees every
 * operation of a batch or none. A state never changes after publication. The priority source
 * is touched only under {@link #commitLock}.
 */
final class MemoryStorage implements Storage {

    /** The largest space name, in UTF-8 bytes. */
    static final int MAX_SPACE_NAME_BYTES = 255;

    /**
     * The storage as of one commit: the roots of the non-empty spaces.
     *
     * @param sequence the commit's sequence number
     * @param spaces space name to treap root (never null roots); unmodifiable
     */
    record State(long sequence, Map<String, Treap.Node> spaces) {
    }

    private final ReentrantLock commitLock = new ReentrantLock();
    private final SplittableRandom priorities = new SplittableRandom();
    private volatile State state = new State(0, Map.of());
    private volatile boolean closed;

    @Override
    public Snapshot snapshot() {
        checkOpen("snapshot");
        return new MemorySnapshot(this, state);
    }

    @Override
    public long commit(WriteBatch batch, Durability durability) {
        if (batch == null || durability == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "memory storage commit: " + (batch == null ? "batch" : "durability") + " is null");
        }
        for (WriteBatch.Op op : batch.ops()) {
            checkSpaceName(op.space());
        }
        commitLock.lock();
        try {
            checkOpen("commit");
            State current = state;
            Map<String, Treap.Node> spaces = new HashMap<>(current.spaces());
            for (WriteBatch.Op op : batch.ops()) {
                Treap.Node root = spaces.get(op.space());
                root = switch (op.kind()) {
                    case PUT -> Treap.put(root, op.key().clone(), op.value().clone(), priorities.nextInt());
                    case DELETE -> Treap.delete(root, op.key());
                    case DELETE_RANGE -> Treap.deleteRange(root, op.key(), op.value());
                };
                if (root == null) {
                    spaces.remove(op.space());
                } else {
                    spaces.put(op.space(), root);
                }
            }
            long sequence = current.sequence() + 1;
            state = new State(sequence, Map.copyOf(spaces));
            return sequence;
        } finally {
            commitLock.unlock();
        }
    }

    /** Does nothing but check the storage is open: nothing is ever written anywhere. */
    @Override
    public void flush() {
        checkOpen("flush");
    }

    @Override
    public long lastSequence() {
        checkOpen("lastSequence");
        return state.sequence();
    }

    @Override
    public boolean isEncrypted() {
        checkOpen("isEncrypted");
        return false;
    }

    @Override
    public long sizeOnDisk() {
        checkOpen("sizeOnDisk");
        return 0;
    }

    /** Drops the data; open snapshots start failing with {@code CLOSED}. Idempotent. */
    @Override
    public void close() {
        commitLock.lock();
        try {
            if (!closed) {
                closed = true;
                state = new State(state.sequence(), Map.of());
            }
        } finally {
            commitLock.unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new DittoException(ErrorCode.CLOSED, "memory storage " + operation + ": the storage is closed");
        }
    }

    /** Refuses a null, empty or too long (over 255 UTF-8 bytes) space name. */
    static void checkSpaceName(String space) {
        if (space == null || space.isEmpty()) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "memory storage: space name is null or empty");
        }
        if (space.length() * 3 > MAX_SPACE_NAME_BYTES
                && space.getBytes(StandardCharsets.UTF_8).length > MAX_SPACE_NAME_BYTES) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "memory storage: space name '"
                    + space.substring(0, 32) + "…' is longer than " + MAX_SPACE_NAME_BYTES + " UTF-8 bytes");
        }
    }
}
