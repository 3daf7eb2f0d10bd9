package ditto.engine.crdt;

import java.util.Arrays;

/**
 * Internal: an immutable table {@code site -> (hlc, total)} sorted by site (unsigned), used by
 * counters for each site's running increment total and for the "discarded up to" floor.
 *
 * <p>The join keeps, per site, the entry with the greater hlc: a site's increments are applied
 * in its own clock order, so the later entry includes the earlier one. (Equal hlc with different
 * totals cannot come from honest peers; the greater total wins so the join stays deterministic.)
 */
final class SiteTable {
    static final SiteTable EMPTY = new SiteTable(new long[0], new long[0], new double[0]);

    final long[] site;
    final long[] hlc;
    final double[] total;

    SiteTable(long[] site, long[] hlc, double[] total) {
        this.site = site;
        this.hlc = hlc;
        this.total = total;
    }

    int size() {
        return site.length;
    }

    boolean isEmpty() {
        return site.length == 0;
    }

    int find(long s) {
        int lo = 0;
        int hi = site.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(site[mid], s);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** Returns the table with {@code s -> (h, t)} put in place of any entry for {@code s}. */
    SiteTable put(long s, long h, double t) {
        int i = find(s);
        if (i >= 0) {
            long[] hh = hlc.clone();
            double[] tt = total.clone();
            hh[i] = h;
            tt[i] = t;
            return new SiteTable(site, hh, tt);
        }
        int at = -i - 1;
        int n = site.length;
        long[] ss = new long[n + 1];
        long[] hh = new long[n + 1];
        double[] tt = new double[n + 1];
        System.arraycopy(site, 0, ss, 0, at);
        System.arraycopy(hlc, 0, hh, 0, at);
        System.arraycopy(total, 0, tt, 0, at);
        ss[at] = s;
        hh[at] = h;
        tt[at] = t;
        System.arraycopy(site, at, ss, at + 1, n - at);
        System.arraycopy(hlc, at, hh, at + 1, n - at);
        System.arraycopy(total, at, tt, at + 1, n - at);
        return new SiteTable(ss, hh, tt);
    }

    private static boolean wins(long h1, double t1, long h2, double t2) {
        return h1 > h2 || h1 == h2 && Double.compare(t1, t2) > 0;
    }

    /** Per-site maximum by hlc; returns {@code a} itself when the result equals {@code a}. */
    static SiteTable join(SiteTable a, SiteTable b) {
        if (a == b || b.isEmpty()) {
            return a;
        }
        int n = a.size() + b.size();
        long[] s = new long[n];
        long[] h = new long[n];
        double[] t = new double[n];
        int i = 0;
        int j = 0;
        int k = 0;
        boolean changed = false;
        while (i < a.size() || j < b.size()) {
            int c = i == a.size() ? 1 : j == b.size() ? -1 : Long.compareUnsigned(a.site[i], b.site[j]);
            if (c < 0) {
                s[k] = a.site[i];
                h[k] = a.hlc[i];
                t[k++] = a.total[i++];
            } else if (c > 0) {
                s[k] = b.site[j];
                h[k] = b.hlc[j];
                t[k++] = b.total[j++];
                changed = true;
            } else {
                s[k] = a.site[i];
                if (wins(b.hlc[j], b.total[j], a.hlc[i], a.total[i])) {
                    h[k] = b.hlc[j];
                    t[k++] = b.total[j];
                    changed = true;
                } else {
                    h[k] = a.hlc[i];
                    t[k++] = a.total[i];
                }
                i++;
                j++;
            }
        }
        return changed ? new SiteTable(Arrays.copyOf(s, k), Arrays.copyOf(h, k), Arrays.copyOf(t, k)) : a;
    }

    boolean sameAs(SiteTable o) {
        return this == o || Arrays.equals(site, o.site) && Arrays.equals(hlc, o.hlc) && Arrays.equals(total, o.total);
    }
}
