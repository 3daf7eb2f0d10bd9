package ditto.engine.crdt;

/**
 * Internal: the state behind one key of a MAP (or of the document root), immutable.
 *
 * <p>A field is the product of three parts, so that concurrent writes of different types to one
 * key merge without loss: a last-writer-wins register (dots to values), an add-wins map
 * ({@link MapPart}) and a counter ({@link CounterPart}). Normally only one part is non-empty; after
 * concurrent writes of different types the part holding the newest operation is shown
 * ({@link #show()}; ties, possible only between INITIAL data, prefer register, then map, then
 * counter). The register keeps every concurrent write until a later write has seen them all, so
 * an UNSET removes only what it had seen; the winner among them is the greatest timestamp.
 *
 * <p>Invariant: a field stored in a map is never {@link #isEmpty() empty}. A field whose parts
 * hold only counter residue (increments already discarded) is kept but invisible.
 */
final class Field {
    static final Field EMPTY = new Field(Dots.EMPTY, null, null);

    final Dots reg;
    final MapPart map;        // null when absent
    final CounterPart counter; // null when absent
    private Shown shown; // lazily computed, Shown.INVISIBLE when nothing is visible

    private Field(Dots reg, MapPart map, CounterPart counter) {
        this.reg = reg;
        this.map = map;
        this.counter = counter;
    }

    static Field of(Dots reg, MapPart map, CounterPart counter) {
        if (reg.isEmpty() && map == null && counter == null) {
            return EMPTY;
        }
        return new Field(reg, map, counter);
    }

    boolean isEmpty() {
        return reg.isEmpty() && map == null && counter == null;
    }

    /**
     * Returns the field after a removal that has seen everything in it: register and map entries
     * go, counters keep their increment totals as a floor so that replicas still holding those
     * increments cannot bring them back. Returns this when there is nothing to remove.
     */
    Field cleared() {
        MapPart m = map == null ? null : map.cleared();
        CounterPart c = counter == null ? null : counter.cleared();
        if (reg.isEmpty() && m == map && c == counter) {
            return this;
        }
        return of(Dots.EMPTY, m, c);
    }

    static Field join(Field a, Field b, VersionVector ca, VersionVector cb) {
        if (a == b) {
            return a;
        }
        Dots r = Dots.join(a.reg, ca, b.reg, cb);
        MapPart m = MapPart.join(a.map, b.map, ca, cb);
        CounterPart c = CounterPart.join(a.counter, b.counter, ca, cb);
        if (r == a.reg && m == a.map && c == a.counter) {
            return a;
        }
        return of(r, m, c);
    }

    /** Returns the visible value and its timestamp, or null when nothing is visible. */
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
        Shown best = null;
        if (!reg.isEmpty()) {
            int i = reg.last();
            best = new Shown(reg.values[i], reg.hlc[i], reg.site[i], Shown.Kind.REGISTER);
        }
        if (map != null) {
            Shown m = map.show();
            if (m != null && (best == null || m.newerThan(best.hlc(), best.site()))) {
                best = m;
            }
        }
        if (counter != null) {
            Shown c = counter.show();
            if (c != null && (best == null || c.newerThan(best.hlc(), best.site()))) {
                best = c;
            }
        }
        return best;
    }

    boolean sameAs(Field o) {
        if (this == o) {
            return true;
        }
        return reg.sameAs(o.reg)
                && (map == null ? o.map == null : o.map != null && map.sameAs(o.map))
                && (counter == null ? o.counter == null : o.counter != null && counter.sameAs(o.counter));
    }
}
