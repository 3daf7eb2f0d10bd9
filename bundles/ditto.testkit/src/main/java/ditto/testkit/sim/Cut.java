package ditto.testkit.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Which directions between simulated nodes a partition blocks: a value handed to
 * {@link SimNetwork#partition(Cut)}.
 *
 * <ul>
 * <li>{@link #between(Set, Set)} / {@link #between(List)}: symmetric; nodes in different sides
 * cannot reach each other, nodes in no side are unaffected (so a node left out of both sides
 * and linked to both is a bridge, see {@link #bridge}).</li>
 * <li>{@link #oneWay(Set, Set)}: asymmetric; frames from the first set to the second are blocked,
 * the other direction flows.</li>
 * <li>{@link #isolate(String...)}: the given nodes cannot reach, or be reached by, any other
 * node, including nodes that join later.</li>
 * </ul>
 *
 * <p><b>Hold or drop.</b> By default a partition holds frames: frames crossing it stay in
 * flight, in order, and are delivered after the partition heals, like TCP retransmitting over a
 * broken route (the links stay open). {@link #dropping()} makes it drop them instead, counted as
 * dropped, like a route that black-holes traffic. Either way no new link can be opened across
 * it, and link closes (FIN) are held rather than dropped. Immutable and thread-safe.
 */
public final class Cut {
    private enum Kind { BETWEEN, ONE_WAY, ISOLATE }

    private final Kind kind;
    private final List<Set<String>> sides;
    private final boolean dropping;

    private Cut(Kind kind, List<Set<String>> sides, boolean dropping) {
        this.kind = kind;
        this.sides = sides;
        this.dropping = dropping;
    }

    /**
     * Returns a symmetric partition between two sides.
     *
     * @param sideA node ids on one side, not empty
     * @param sideB node ids on the other side, not empty, disjoint from {@code sideA}
     * @return the cut, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a side is empty or a node is
     *         on both sides
     * @throws NullPointerException if a side or an id is null
     */
    public static Cut between(Set<String> sideA, Set<String> sideB) {
        return between(List.of(sideA, sideB));
    }

    /**
     * Returns a symmetric partition between two or more sides: nodes on different sides cannot
     * reach each other.
     *
     * @param sides the sides, at least two, each not empty, pairwise disjoint
     * @return the cut, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if there are fewer than two
     *         sides, a side is empty, or a node is on two sides
     * @throws NullPointerException if the list, a side or an id is null
     */
    public static Cut between(List<Set<String>> sides) {
        Objects.requireNonNull(sides, "sides");
        if (sides.size() < 2) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated partition: needs at least two sides, got "
                    + sides.size());
        }
        Set<String> seen = new HashSet<>();
        List<Set<String>> copies = new ArrayList<>();
        for (Set<String> side : sides) {
            Set<String> copy = sortedCopy("side", side);
            for (String id : copy) {
                if (!seen.add(id)) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated partition: node \"" + id
                            + "\" is on more than one side");
                }
            }
            copies.add(copy);
        }
        return new Cut(Kind.BETWEEN, List.copyOf(copies), false);
    }

    /**
     * Returns a partition between two groups that a bridge node still reaches: the same as
     * {@code between(left, right)}, with a check that the bridge is on neither side.
     *
     * @param bridge the node that reaches both sides
     * @param left node ids on one side, not empty
     * @param right node ids on the other side, not empty, disjoint from {@code left}
     * @return the cut, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a side is empty, the sides
     *         overlap or the bridge is on a side
     * @throws NullPointerException if an argument or an id is null
     */
    public static Cut bridge(String bridge, Set<String> left, Set<String> right) {
        Objects.requireNonNull(bridge, "bridge");
        if (left.contains(bridge) || right.contains(bridge)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated partition: bridge node \"" + bridge
                    + "\" must be on neither side");
        }
        return between(left, right);
    }

    /**
     * Returns an asymmetric partition: frames from any node of {@code from} to any node of
     * {@code to} are blocked; the other direction is not.
     *
     * @param from sending node ids, not empty
     * @param to receiving node ids, not empty
     * @return the cut, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a set is empty
     * @throws NullPointerException if a set or an id is null
     */
    public static Cut oneWay(Set<String> from, Set<String> to) {
        return new Cut(Kind.ONE_WAY, List.of(sortedCopy("from", from), sortedCopy("to", to)), false);
    }

    /**
     * Returns an asymmetric partition blocking one node's frames to another.
     *
     * @param from the sending node id
     * @param to the receiving node id
     * @return the cut, never null
     * @throws NullPointerException if an id is null
     */
    public static Cut oneWay(String from, String to) {
        return oneWay(Set.of(from), Set.of(to));
    }

    /**
     * Returns a partition that cuts the given nodes off from every other node, including nodes
     * that join after the partition is applied. The isolated nodes still reach each other.
     *
     * @param nodes the node ids to isolate, at least one
     * @return the cut, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if no id is given
     * @throws NullPointerException if an id is null
     */
    public static Cut isolate(String... nodes) {
        return new Cut(Kind.ISOLATE, List.of(sortedCopy("isolated nodes", Arrays.asList(nodes))), false);
    }

    /**
     * Returns a copy of this cut that drops the frames crossing it instead of holding them.
     *
     * @return the dropping cut, never null
     */
    public Cut dropping() {
        return new Cut(kind, sides, true);
    }

    /**
     * Tells whether frames crossing this cut are dropped (true) or held until it heals (false).
     *
     * @return true for a dropping cut
     */
    public boolean isDropping() {
        return dropping;
    }

    /**
     * Tells whether this cut blocks frames and connections from one node to another.
     *
     * @param from the sending node id, never null
     * @param to the receiving node id, never null
     * @return true if the direction is blocked
     */
    public boolean blocks(String from, String to) {
        switch (kind) {
            case ONE_WAY:
                return sides.get(0).contains(from) && sides.get(1).contains(to);
            case ISOLATE:
                return sides.get(0).contains(from) != sides.get(0).contains(to);
            default:
                int a = sideOf(from);
                int b = sideOf(to);
                return a >= 0 && b >= 0 && a != b;
        }
    }

    private int sideOf(String node) {
        for (int i = 0; i < sides.size(); i++) {
            if (sides.get(i).contains(node)) {
                return i;
            }
        }
        return -1;
    }

    /** Describes the cut, for example {@code between [a, b] | [c] (hold)}. */
    @Override
    public String toString() {
        String mode = dropping ? " (drop)" : " (hold)";
        switch (kind) {
            case ONE_WAY:
                return "oneWay " + sides.get(0) + " -> " + sides.get(1) + mode;
            case ISOLATE:
                return "isolate " + sides.get(0) + mode;
            default:
                StringBuilder out = new StringBuilder("between ");
                for (int i = 0; i < sides.size(); i++) {
                    out.append(i == 0 ? "" : " | ").append(sides.get(i));
                }
                return out.append(mode).toString();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cut && kind == ((Cut) o).kind && dropping == ((Cut) o).dropping
                && sides.equals(((Cut) o).sides);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, sides, dropping);
    }

    private static Set<String> sortedCopy(String what, Collection<String> ids) {
        Objects.requireNonNull(ids, what);
        if (ids.isEmpty()) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated partition: " + what + " is empty");
        }
        Set<String> copy = new TreeSet<>();
        for (String id : ids) {
            copy.add(Objects.requireNonNull(id, "node id"));
        }
        return Collections.unmodifiableSet(copy);
    }
}
