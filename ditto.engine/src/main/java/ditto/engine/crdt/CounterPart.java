package ditto.engine.crdt;

/**
 * Internal: the counter part of a {@link Field} (COUNTER and PN_COUNTER), immutable.
 *
 * <pre>
 *   incs     site -> (hlc, running total of that site's increments)     join: newest per site
 *   floor    site -> (hlc, total) already discarded by a RESTART/removal join: newest per site
 *   restarts dot  -> base value                                         join: dot kernel
 *   value  = base of the newest surviving restart (0 if none)
 *          + sum over sites of (incs.total - floor.total) where incs.hlc > floor.hlc
 * </pre>
 *
 * A RESTART (or an UNSET/SET/DELETE removing the counter) moves the floor up to every total it
 * has seen, so exactly the increments it had seen are discarded, while increments made
 * concurrently (a later hlc of that site) still count. Restarts themselves are last-writer-wins
 * among the surviving ones. Keeping one running total per site (instead of one entry per
 * increment) bounds the state by the number of sites. Sums are taken in site order, so every
 * replica computes the same double.
 */
final class CounterPart {
    final SiteTable incs;
    final SiteTable floor;
    final Dots restarts; // values are Doubles
    private Shown shown; // lazily computed, Shown.INVISIBLE when nothing is visible

    private CounterPart(SiteTable incs, SiteTable floor, Dots restarts) {
        this.incs = incs;
        this.floor = floor;
        this.restarts = restarts;
    }

    static CounterPart of(SiteTable incs, SiteTable floor, Dots restarts) {
        if (incs.isEmpty() && floor.isEmpty() && restarts.isEmpty()) {
            return null;
        }
        return new CounterPart(incs, floor, restarts);
    }

    /** The removal: discards every increment seen and every restart; returns this when nothing changes. */
    CounterPart cleared() {
        SiteTable f = SiteTable.join(floor, incs);
        if (f == floor && restarts.isEmpty()) {
            return this;
        }
        return of(incs, f, Dots.EMPTY);
    }

    /** Returns {@code c} (null: a new counter) with {@code by} added to {@code site}'s running total, stamped {@code hlc}. */
    static CounterPart increment(CounterPart c, long site, long hlc, double by) {
        SiteTable incs = c == null ? SiteTable.EMPTY : c.incs;
        int i = incs.find(site);
        double before = i >= 0 ? incs.total[i] : 0;
        return new CounterPart(incs.put(site, hlc, before + by), c == null ? SiteTable.EMPTY : c.floor,
                c == null ? Dots.EMPTY : c.restarts);
    }

    /** Returns {@code c} (may be null) cleared and restarted at {@code base} under dot (hlc, site). */
    static CounterPart restart(CounterPart c, long hlc, long site, double base) {
        CounterPart cleared = c == null ? null : c.cleared();
        SiteTable i = cleared == null ? SiteTable.EMPTY : cleared.incs;
        SiteTable f = cleared == null ? SiteTable.EMPTY : cleared.floor;
        return new CounterPart(i, f, Dots.of(hlc, site, base));
    }

    static CounterPart join(CounterPart a, CounterPart b, VersionVector ca, VersionVector cb) {
        if (a == b) {
            return a;
        }
        if (a == null) {
            a = new CounterPart(SiteTable.EMPTY, SiteTable.EMPTY, Dots.EMPTY);
            CounterPart j = join(a, b, ca, cb);
            return j == a ? null : j;
        }
        if (b == null) {
            b = new CounterPart(SiteTable.EMPTY, SiteTable.EMPTY, Dots.EMPTY);
        }
        SiteTable i = SiteTable.join(a.incs, b.incs);
        SiteTable f = SiteTable.join(a.floor, b.floor);
        Dots r = Dots.join(a.restarts, ca, b.restarts, cb);
        if (i == a.incs && f == a.floor && r == a.restarts) {
            return a;
        }
        return of(i, f, r);
    }

    /** Returns the counter's value and the newest timestamp behind it, or null when nothing survives. */
    Shown show() {
        Shown s = shown;
        if (s == null) {
            s = computeShown();
            if (s == null) {
                s = Shown.INVISIBLE;
            }
            shown = s;
        }
        return s == Shown.INVISIBLE ? null : s;
    }

    private Shown computeShown() {
        boolean visible = false;
        long h = 0;
        long s = 0;
        double base = 0;
        if (!restarts.isEmpty()) {
            int k = restarts.last();
            base = (Double) restarts.values[k];
            h = restarts.hlc[k];
            s = restarts.site[k];
            visible = true;
        }
        double sum = 0;
        for (int k = 0; k < incs.size(); k++) {
            int f = floor.find(incs.site[k]);
            if (f >= 0 && incs.hlc[k] <= floor.hlc[f]) {
                continue;
            }
            sum += incs.total[k] - (f >= 0 ? floor.total[f] : 0);
            if (!visible || Timestamp.compare(incs.hlc[k], incs.site[k], h, s) > 0) {
                h = incs.hlc[k];
                s = incs.site[k];
            }
            visible = true;
        }
        return visible ? new Shown(number(base + sum), h, s, Shown.Kind.COUNTER) : null;
    }

    /** A counter's double as a JSON-model number: a Long when it is a whole number within 2^53, else a Double. */
    static Object number(double d) {
        if (d == Math.rint(d) && Math.abs(d) <= 9007199254740992.0) {
            return (long) d;
        }
        return d;
    }

    boolean sameAs(CounterPart o) {
        return this == o || incs.sameAs(o.incs) && floor.sameAs(o.floor) && restarts.sameAs(o.restarts);
    }
}
