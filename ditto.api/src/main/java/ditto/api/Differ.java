package ditto.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Computes the {@link Diff} between successive lists of query result items, typically the
 * results a {@link StoreObserver} delivers:
 * <pre>{@code
 * Differ differ = new Differ();
 * store.registerObserver("SELECT * FROM tasks ORDER BY rank", null, result -> {
 *     Diff diff = differ.diff(result);
 *     // apply diff.deletions(), insertions(), moves(), updates() to the UI list
 * });
 * }</pre>
 *
 * <p>Each call compares the given items with those of the previous call (initially none, so
 * the first diff lists every item as an insertion). Items are identified by the {@code _id}
 * entry of their {@link QueryResultItem#value()}; items without one (projections that leave
 * {@code _id} out) are identified by their whole value. When several items share an identity,
 * the k-th such item of the new list matches the k-th of the previous list. Values and ids are
 * compared structurally, byte arrays by content. A matched item whose value differs is an
 * update (at its new index). A matched item is a move when it changed position relative to the
 * other matched items: the differ keeps the largest set of matched items whose relative order is
 * unchanged in place (a longest increasing subsequence) and reports every other matched item as a
 * move, so a list where one item was dragged elsewhere yields exactly one move.
 *
 * <p>The differ reads each item's value (materializing it if needed and dematerializing it
 * again if it was not materialized before), keeps the values until the next call, and never
 * closes the items or results given to it. Thread-safe: calls are serialized. Close it to drop
 * the remembered values; afterwards {@code diff} throws {@link ErrorCode#CLOSED}.
 */
public final class Differ implements AutoCloseable {
    private static final String ID_FIELD = "_id";

    private List<Key> previousKeys = List.of();
    private List<Map<String, Object>> previousValues = List.of();
    private boolean closed;

    /** Creates a differ that has seen no items yet. */
    public Differ() {
    }

    /**
     * Diffs the items of a result against the previous call's items; same as
     * {@code diff(result.items())}. The result is not closed.
     *
     * @param result the new result, never null
     * @return the changes from the previous items to these, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this differ (or the result) is closed
     * @throws NullPointerException if {@code result} is null
     */
    public Diff diff(QueryResult result) {
        Objects.requireNonNull(result, "result");
        return diff(result.items());
    }

    /**
     * Diffs the given items against the previous call's items and remembers them for the next
     * call. The items are not closed.
     *
     * @param items the new items in result order, never null, no null element
     * @return the changes from the previous items to these, never null
     * @throws DittoException {@link ErrorCode#CLOSED} if this differ or an item is closed
     * @throws NullPointerException if {@code items} or an element is null
     */
    public synchronized Diff diff(List<QueryResultItem> items) {
        Objects.requireNonNull(items, "items");
        if (closed) {
            throw new DittoException(ErrorCode.CLOSED, "differ: diff called after close");
        }
        int n = items.size();
        List<Key> keys = new ArrayList<>(n);
        List<Map<String, Object>> values = new ArrayList<>(n);
        for (QueryResultItem item : items) {
            Objects.requireNonNull(item, "item");
            boolean wasMaterialized = item.isMaterialized();
            Map<String, Object> value = item.value();
            if (!wasMaterialized) {
                item.dematerialize();
            }
            values.add(value);
            keys.add(new Key(value.containsKey(ID_FIELD) ? value.get(ID_FIELD) : value, value.containsKey(ID_FIELD)));
        }
        Diff diff = compute(previousKeys, previousValues, keys, values);
        previousKeys = keys;
        previousValues = values;
        return diff;
    }

    /** Forgets the remembered items; later {@code diff} calls throw. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        previousKeys = List.of();
        previousValues = List.of();
    }

    private static Diff compute(List<Key> oldKeys, List<Map<String, Object>> oldValues, List<Key> newKeys,
            List<Map<String, Object>> newValues) {
        Map<Key, ArrayDeque<Integer>> oldIndexesByKey = new HashMap<>();
        for (int i = 0; i < oldKeys.size(); i++) {
            oldIndexesByKey.computeIfAbsent(oldKeys.get(i), k -> new ArrayDeque<>()).addLast(i);
        }
        TreeSet<Integer> insertions = new TreeSet<>();
        TreeSet<Integer> updates = new TreeSet<>();
        boolean[] oldMatched = new boolean[oldKeys.size()];
        // matchedOld[k] / matchedNew[k]: the k-th matched pair, in new-list order.
        int[] matchedOld = new int[newKeys.size()];
        int[] matchedNew = new int[newKeys.size()];
        int matches = 0;
        for (int j = 0; j < newKeys.size(); j++) {
            ArrayDeque<Integer> candidates = oldIndexesByKey.get(newKeys.get(j));
            Integer i = candidates == null ? null : candidates.pollFirst();
            if (i == null) {
                insertions.add(j);
                continue;
            }
            oldMatched[i] = true;
            matchedOld[matches] = i;
            matchedNew[matches] = j;
            matches++;
            if (!JsonModelValues.deepEquals(oldValues.get(i), newValues.get(j))) {
                updates.add(j);
            }
        }
        TreeSet<Integer> deletions = new TreeSet<>();
        for (int i = 0; i < oldMatched.length; i++) {
            if (!oldMatched[i]) {
                deletions.add(i);
            }
        }
        boolean[] stays = longestIncreasing(Arrays.copyOf(matchedOld, matches));
        List<Move> moves = new ArrayList<>();
        for (int k = 0; k < matches; k++) {
            if (!stays[k]) {
                moves.add(new Move(matchedOld[k], matchedNew[k]));
            }
        }
        return new Diff(insertions, deletions, updates, moves);
    }

    /**
     * Marks one longest strictly increasing subsequence of {@code a} (patience sorting,
     * O(n log n)); the values are distinct old indexes.
     */
    static boolean[] longestIncreasing(int[] a) {
        int n = a.length;
        int[] tailIndex = new int[n];
        int[] predecessor = new int[n];
        int length = 0;
        for (int k = 0; k < n; k++) {
            int lo = 0;
            int hi = length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[tailIndex[mid]] < a[k]) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            predecessor[k] = lo > 0 ? tailIndex[lo - 1] : -1;
            tailIndex[lo] = k;
            if (lo == length) {
                length++;
            }
        }
        boolean[] marked = new boolean[n];
        for (int k = length > 0 ? tailIndex[length - 1] : -1; k >= 0; k = predecessor[k]) {
            marked[k] = true;
        }
        return marked;
    }

    /**
     * The identity of an item: its {@code _id} value, or its whole value when it has none
     * (the flag keeps the two kinds apart). Equality is structural, byte arrays by content.
     */
    private static final class Key {
        private final Object identity;
        private final boolean isId;
        private final int hash;

        Key(Object identity, boolean isId) {
            this.identity = identity;
            this.isId = isId;
            this.hash = JsonModelValues.deepHashCode(identity) * 2 + (isId ? 1 : 0);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && isId == other.isId && hash == other.hash
                    && JsonModelValues.deepEquals(identity, other.identity);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
