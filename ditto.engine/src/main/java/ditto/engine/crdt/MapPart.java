package ditto.engine.crdt;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Internal: the add-wins map part of a {@link Field} (and, with an unused presence, the document
 * root), immutable.
 *
 * <p>{@code presence} holds the dots of the writes that created the object as a whole
 * ({@code SET a = {...}}), so an empty object is visible too. {@code children} maps each key to
 * its own field, which merges by its own type. The map is visible when it has a presence dot or
 * a visible child: an update of {@code a.b} concurrent with {@code UNSET a} keeps {@code a}
 * holding just that update (add-wins). Children are never empty fields; a part with neither
 * presence nor children is represented by {@code null}.
 */
final class MapPart {
    final Dots presence;
    final SortedMap<String, Field> children; // unmodifiable, sorted by String.compareTo
    private Shown shown; // lazily computed, Shown.INVISIBLE when nothing is visible

    private MapPart(Dots presence, SortedMap<String, Field> children) {
        this.presence = presence;
        this.children = children;
    }

    /** Returns the part, or null when it has neither presence nor children; takes ownership of {@code children}. */
    static MapPart of(Dots presence, TreeMap<String, Field> children) {
        if (presence.isEmpty() && children.isEmpty()) {
            return null;
        }
        return new MapPart(presence, Collections.unmodifiableSortedMap(children));
    }

    MapPart cleared() {
        TreeMap<String, Field> kept = null;
        for (Map.Entry<String, Field> e : children.entrySet()) {
            Field c = e.getValue().cleared();
            if (c != e.getValue()) {
                if (kept == null) {
                    kept = new TreeMap<>(children);
                }
                if (c.isEmpty()) {
                    kept.remove(e.getKey());
                } else {
                    kept.put(e.getKey(), c);
                }
            }
        }
        if (kept == null && presence.isEmpty()) {
            return this;
        }
        return of(Dots.EMPTY, kept == null ? new TreeMap<>(children) : kept);
    }

    static MapPart join(MapPart a, MapPart b, VersionVector ca, VersionVector cb) {
        if (a == b) {
            return a;
        }
        Dots pa = a == null ? Dots.EMPTY : a.presence;
        Dots pb = b == null ? Dots.EMPTY : b.presence;
        SortedMap<String, Field> fa = a == null ? Collections.emptySortedMap() : a.children;
        SortedMap<String, Field> fb = b == null ? Collections.emptySortedMap() : b.children;
        Dots p = Dots.join(pa, ca, pb, cb);
        TreeMap<String, Field> joined = joinChildren(fa, fb, ca, cb);
        if (a != null && p == pa && joined == null) {
            return a;
        }
        return of(p, joined == null ? new TreeMap<>(fa) : joined);
    }

    /** Joins two child maps; returns null when the result equals {@code fa}. */
    static TreeMap<String, Field> joinChildren(SortedMap<String, Field> fa, SortedMap<String, Field> fb,
            VersionVector ca, VersionVector cb) {
        TreeMap<String, Field> out = null;
        Iterator<Map.Entry<String, Field>> ia = fa.entrySet().iterator();
        Iterator<Map.Entry<String, Field>> ib = fb.entrySet().iterator();
        Map.Entry<String, Field> ea = ia.hasNext() ? ia.next() : null;
        Map.Entry<String, Field> eb = ib.hasNext() ? ib.next() : null;
        while (ea != null || eb != null) {
            int c = ea == null ? 1 : eb == null ? -1 : ea.getKey().compareTo(eb.getKey());
            String key = c <= 0 ? ea.getKey() : eb.getKey();
            Field left = c <= 0 ? ea.getValue() : Field.EMPTY;
            Field right = c >= 0 ? eb.getValue() : Field.EMPTY;
            Field j = Field.join(left, right, ca, cb);
            if (j != left) {
                if (out == null) {
                    out = new TreeMap<>(fa);
                }
                if (j.isEmpty()) {
                    out.remove(key);
                } else {
                    out.put(key, j);
                }
            }
            if (c <= 0) {
                ea = ia.hasNext() ? ia.next() : null;
            }
            if (c >= 0) {
                eb = ib.hasNext() ? ib.next() : null;
            }
        }
        return out;
    }

    /** Returns the visible object and the newest timestamp in it, or null when invisible. */
    Shown show() {
        Shown s = shown;
        if (s == null) {
            s = computeShown(presence, children);
            if (s == null) {
                s = Shown.INVISIBLE;
            }
            shown = s;
        }
        return s == Shown.INVISIBLE ? null : s;
    }

    static Shown computeShown(Dots presence, SortedMap<String, Field> children) {
        Map<String, Object> value = new LinkedHashMap<>();
        long h = 0;
        long s = 0;
        boolean visible = false;
        if (!presence.isEmpty()) {
            int i = presence.last();
            h = presence.hlc[i];
            s = presence.site[i];
            visible = true;
        }
        for (Map.Entry<String, Field> e : children.entrySet()) {
            Shown c = e.getValue().show();
            if (c != null) {
                value.put(e.getKey(), c.value());
                if (!visible || c.newerThan(h, s)) {
                    h = c.hlc();
                    s = c.site();
                }
                visible = true;
            }
        }
        return visible ? new Shown(Collections.unmodifiableMap(value), h, s, Shown.Kind.MAP) : null;
    }

    boolean sameAs(MapPart o) {
        if (this == o) {
            return true;
        }
        if (!presence.sameAs(o.presence) || children.size() != o.children.size()) {
            return false;
        }
        Iterator<Map.Entry<String, Field>> i = children.entrySet().iterator();
        Iterator<Map.Entry<String, Field>> j = o.children.entrySet().iterator();
        while (i.hasNext()) {
            Map.Entry<String, Field> x = i.next();
            Map.Entry<String, Field> y = j.next();
            if (!x.getKey().equals(y.getKey()) || !x.getValue().sameAs(y.getValue())) {
                return false;
            }
        }
        return true;
    }
}
