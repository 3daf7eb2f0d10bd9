package ditto.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The changes between two lists of query result items, computed by a {@link Differ}: which
 * items were inserted, deleted, updated and moved, by index. Immutable and thread-safe.
 *
 * <p>To replay a diff on a UI list: remove the {@link #deletions()} (old indexes), place the
 * {@link #insertions()} and the {@link #moves()} targets at their new indexes, and fill the
 * remaining new indexes with the remaining kept items in their old relative order; then refresh
 * the {@link #updates()} (new indexes). A moved item whose content also changed appears in both
 * {@link #moves()} and {@link #updates()}.
 *
 * @param insertions indexes in the new list of items that were not in the previous list
 * @param deletions indexes in the previous list of items that are not in the new list
 * @param updates indexes in the new list of items that were in the previous list with a
 *        different value
 * @param moves items kept from the previous list that changed position relative to the other
 *        kept items, ordered by {@link Move#from()}
 */
public record Diff(SortedSet<Integer> insertions, SortedSet<Integer> deletions, SortedSet<Integer> updates,
        List<Move> moves) {

    /** The diff with no changes. */
    public static final Diff EMPTY = new Diff(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), List.of());

    /**
     * Copies the arguments into unmodifiable sorted collections (moves sorted by {@code from},
     * then {@code to}).
     *
     * @param insertions indexes in the new list
     * @param deletions indexes in the previous list
     * @param updates indexes in the new list
     * @param moves the moves, in any order
     * @throws NullPointerException if a collection or an element is null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if an index is negative
     */
    public Diff {
        insertions = indexes(insertions, "insertion");
        deletions = indexes(deletions, "deletion");
        updates = indexes(updates, "update");
        List<Move> sorted = new ArrayList<>(Objects.requireNonNull(moves, "moves"));
        sorted.forEach(m -> Objects.requireNonNull(m, "move"));
        Collections.sort(sorted);
        moves = List.copyOf(sorted);
    }

    /**
     * Returns a diff from any collections of indexes and moves, copied and sorted as the
     * canonical constructor does.
     *
     * @param insertions indexes in the new list
     * @param deletions indexes in the previous list
     * @param updates indexes in the new list
     * @param moves the moves, in any order
     * @return the diff, never null
     * @throws NullPointerException if a collection or an element is null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if an index is negative
     */
    public static Diff of(Collection<Integer> insertions, Collection<Integer> deletions, Collection<Integer> updates,
            Collection<Move> moves) {
        return new Diff(indexes(insertions, "insertion"), indexes(deletions, "deletion"), indexes(updates, "update"),
                new ArrayList<>(Objects.requireNonNull(moves, "moves")));
    }

    private static SortedSet<Integer> indexes(Collection<Integer> source, String what) {
        Objects.requireNonNull(source, what + "s");
        TreeSet<Integer> copy = new TreeSet<>();
        for (Integer i : source) {
            Objects.requireNonNull(i, what + " index");
            if (i < 0) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS, what + " index " + i + " is negative");
            }
            copy.add(i);
        }
        return Collections.unmodifiableSortedSet(copy);
    }

    /** Returns whether this diff has no insertions, deletions, updates or moves. */
    public boolean isEmpty() {
        return insertions.isEmpty() && deletions.isEmpty() && updates.isEmpty() && moves.isEmpty();
    }

    /** Returns {@code Diff[insertions=[..], deletions=[..], updates=[..], moves=[from->to, ..]]}. */
    @Override
    public String toString() {
        return "Diff[insertions=" + insertions + ", deletions=" + deletions + ", updates=" + updates
                + ", moves=" + moves + "]";
    }
}
