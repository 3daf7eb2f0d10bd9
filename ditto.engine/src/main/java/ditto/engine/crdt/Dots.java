package ditto.engine.crdt;

import java.util.Arrays;

/**
 * Internal: an immutable dot store, the building block of every causal part of a document.
 *
 * <p>Entries map a dot (an operation's {@link Timestamp}: hlc, site) to a value (a normalized JSON
 * value for registers, a {@code Double} for counter restarts, {@code null} for pure dot sets such
 * as map presence, document existence and delete markers). Entries are sorted ascending by
 * timestamp (hlc, then site, unsigned), so the last entry is the last-writer-wins winner.
 *
 * <p>{@link #join} is the causal ("dot kernel") join used for add-wins semantics: an entry
 * present on both sides stays; an entry present on one side stays unless the other side's
 * context has seen its dot, which means the other side removed it. That is how an UNSET or a
 * DELETE removes exactly the writes it had seen while a concurrent write survives.
 */
final class Dots {
    static final Dots EMPTY = new Dots(new long[0], new long[0], new Object[0]);

    final long[] hlc;
    final long[] site;
    final Object[] values;

    Dots(long[] hlc, long[] site, Object[] values) {
        this.hlc = hlc;
        this.site = site;
        this.values = values;
    }

    static Dots of(long hlc, long site, Object value) {
        return new Dots(new long[] {hlc}, new long[] {site}, new Object[] {value});
    }

    int size() {
        return hlc.length;
    }

    boolean isEmpty() {
        return hlc.length == 0;
    }

    /** Index of the greatest dot (the LWW winner); only for a non-empty store. */
    int last() {
        return hlc.length - 1;
    }

    /**
     * Joins two stores under their documents' causal contexts; returns {@code a} itself when the
     * result equals {@code a}. Two different values under one dot (only INITIAL data can do
     * that) resolve to the greater value in canonical order, so the join stays a semilattice.
     */
    static Dots join(Dots a, VersionVector ca, Dots b, VersionVector cb) {
        if (a == b || b.isEmpty() && (a.isEmpty() || !anyCovered(a, cb))) {
            return a;
        }
        int n = a.size() + b.size();
        long[] h = new long[n];
        long[] s = new long[n];
        Object[] v = new Object[n];
        int i = 0;
        int j = 0;
        int k = 0;
        boolean changed = false;
        while (i < a.size() || j < b.size()) {
            int c = i == a.size() ? 1 : j == b.size() ? -1 : Timestamp.compare(a.hlc[i], a.site[i], b.hlc[j], b.site[j]);
            if (c == 0) {
                Object va = a.values[i];
                Object vb = b.values[j];
                h[k] = a.hlc[i];
                s[k] = a.site[i];
                if (JsonValues.compare(va, vb) >= 0) {
                    v[k++] = va;
                } else {
                    v[k++] = vb;
                    changed = true;
                }
                i++;
                j++;
            } else if (c < 0) {
                if (!cb.covers(a.hlc[i], a.site[i])) {
                    h[k] = a.hlc[i];
                    s[k] = a.site[i];
                    v[k++] = a.values[i];
                } else {
                    changed = true;
                }
                i++;
            } else {
                if (!ca.covers(b.hlc[j], b.site[j])) {
                    h[k] = b.hlc[j];
                    s[k] = b.site[j];
                    v[k++] = b.values[j];
                    changed = true;
                }
                j++;
            }
        }
        if (!changed) {
            return a;
        }
        if (k == 0) {
            return EMPTY;
        }
        return new Dots(Arrays.copyOf(h, k), Arrays.copyOf(s, k), Arrays.copyOf(v, k));
    }

    private static boolean anyCovered(Dots a, VersionVector cb) {
        for (int i = 0; i < a.size(); i++) {
            if (cb.covers(a.hlc[i], a.site[i])) {
                return true;
            }
        }
        return false;
    }

    boolean sameAs(Dots o) {
        if (this == o) {
            return true;
        }
        if (!Arrays.equals(hlc, o.hlc) || !Arrays.equals(site, o.site)) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (!JsonValues.equal(values[i], o.values[i])) {
                return false;
            }
        }
        return true;
    }
}
