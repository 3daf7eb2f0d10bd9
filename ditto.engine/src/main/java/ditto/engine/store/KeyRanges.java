package ditto.engine.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * A set of half-open ranges {@code [from, to)} of encoded values ({@link KeyCodec}), sorted and
 * disjoint; a null {@code from} is the start of the value space and a null {@code to} its end.
 * The planner builds one per index from the WHERE condition: equality and IN give points,
 * comparisons and BETWEEN give ranges, AND intersects and OR unites. Immutable.
 *
 * @param ranges the ranges, sorted by {@code from}, pairwise disjoint and non-empty
 */
record KeyRanges(List<Range> ranges) {

    /**
     * One range.
     *
     * @param from inclusive lower bound, or null
     * @param to exclusive upper bound, or null
     * @param point whether the range holds exactly the keys of one value
     */
    record Range(byte[] from, byte[] to, boolean point) {
    }

    /** Every value. */
    static final KeyRanges ALL = new KeyRanges(List.of(new Range(null, null, false)));
    /** No value. */
    static final KeyRanges NONE = new KeyRanges(List.of());

    /** Freezes the list. */
    KeyRanges {
        ranges = Collections.unmodifiableList(new ArrayList<>(ranges));
    }

    /** The keys of exactly one encoded value. */
    static KeyRanges point(byte[] encoded) {
        return new KeyRanges(List.of(new Range(encoded, Keys.end(encoded), true)));
    }

    /** The range {@code [from, to)}; empty when {@code from >= to}. */
    static KeyRanges of(byte[] from, byte[] to) {
        if (from != null && to != null && Arrays.compareUnsigned(from, to) >= 0) {
            return NONE;
        }
        return new KeyRanges(List.of(new Range(from, to, false)));
    }

    /** Returns whether no value is in the set. */
    boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Returns whether every range is a single value. */
    boolean allPoints() {
        for (Range r : ranges) {
            if (!r.point()) {
                return false;
            }
        }
        return true;
    }

    /** Returns whether this is the unconstrained set. */
    boolean isAll() {
        return ranges.size() == 1 && ranges.get(0).from() == null && ranges.get(0).to() == null;
    }

    /** Returns the values in both sets. */
    KeyRanges intersect(KeyRanges other) {
        List<Range> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < ranges.size() && j < other.ranges.size()) {
            Range a = ranges.get(i);
            Range b = other.ranges.get(j);
            byte[] from = maxFrom(a.from(), b.from());
            byte[] to = minTo(a.to(), b.to());
            if (from == null || to == null || Arrays.compareUnsigned(from, to) < 0) {
                boolean point = a.point() && same(a, from, to) || b.point() && same(b, from, to);
                out.add(new Range(from, to, point));
            }
            if (compareTo(a.to(), b.to()) <= 0) {
                i++;
            } else {
                j++;
            }
        }
        return new KeyRanges(out);
    }

    /** Returns the values in either set. */
    KeyRanges union(KeyRanges other) {
        List<Range> all = new ArrayList<>(ranges);
        all.addAll(other.ranges);
        all.sort(Comparator.comparing(Range::from, KeyRanges::compareFrom));
        List<Range> out = new ArrayList<>();
        for (Range r : all) {
            if (!out.isEmpty()) {
                Range last = out.get(out.size() - 1);
                if (last.to() == null || r.from() == null || Arrays.compareUnsigned(r.from(), last.to()) <= 0) {
                    boolean samePoint = last.point() && r.point() && Arrays.equals(last.from(), r.from());
                    byte[] to = compareTo(last.to(), r.to()) >= 0 ? last.to() : r.to();
                    out.set(out.size() - 1, new Range(last.from(), to, samePoint));
                    continue;
                }
            }
            out.add(r);
        }
        return new KeyRanges(out);
    }

    private static boolean same(Range r, byte[] from, byte[] to) {
        return Arrays.equals(r.from(), from) && Arrays.equals(r.to(), to);
    }

    private static byte[] maxFrom(byte[] a, byte[] b) {
        return compareFrom(a, b) >= 0 ? a : b;
    }

    private static byte[] minTo(byte[] a, byte[] b) {
        return compareTo(a, b) <= 0 ? a : b;
    }

    /** Compares lower bounds, null being the smallest. */
    private static int compareFrom(byte[] a, byte[] b) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? -1 : 1;
        }
        return Arrays.compareUnsigned(a, b);
    }

    /** Compares upper bounds, null being the largest. */
    private static int compareTo(byte[] a, byte[] b) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? 1 : -1;
        }
        return Arrays.compareUnsigned(a, b);
    }
}
