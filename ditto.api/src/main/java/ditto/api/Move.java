package ditto.api;

/**
 * One entry of {@link Diff#moves()}: the item at index {@code from} of the previous list is at
 * index {@code to} of the new list, and got there by changing its position relative to the other
 * kept items (not merely because items before it were inserted or deleted). Immutable; ordered
 * by {@code from}, then {@code to}.
 *
 * @param from the index in the previous list, not negative
 * @param to the index in the new list, not negative
 */
public record Move(int from, int to) implements Comparable<Move> {

    /**
     * Checks the indexes.
     *
     * @param from the index in the previous list
     * @param to the index in the new list
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if an index is negative
     */
    public Move {
        if (from < 0 || to < 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "move " + from + " -> " + to + ": indexes must not be negative");
        }
    }

    @Override
    public int compareTo(Move other) {
        int c = Integer.compare(from, other.from);
        return c != 0 ? c : Integer.compare(to, other.to);
    }

    /** Returns {@code "from->to"}. */
    @Override
    public String toString() {
        return from + "->" + to;
    }
}
