package ditto.engine.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ditto.api.AttachmentToken;
import ditto.api.DittoException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Test support: random concurrent histories of one document on 2 to 4 peers, each with its own
 * skewed, sometimes backwards-jumping physical clock and its own {@link HybridClock}. Steps are
 * local operations (as the store would apply them) and merges of one replica into another (as
 * sync would deliver them, sometimes through encode/decode).
 *
 * <p>With the spec enabled, every event is also recorded in a tiny sequential specification
 * ({@link Spec}) that computes the expected document declaratively from the set of events a
 * replica has seen: a write survives unless an event that had seen it removes its path; LWW by
 * (HLC, site) among survivors; summed surviving increments. After every step the acting
 * replica's materialized value must equal the spec's (RELIABILITY.md R2). The spec also predicts
 * which operations the CRDT must refuse and which must be no-ops.
 */
final class Histories {
    enum Profile { REGISTER, MAP, COUNTER, PN_COUNTER, ATTACHMENT, DOCUMENT, INITIAL }

    static final String ID = "doc-1";
    private static final long T0 = 1_700_000_000_000L;
    private static final TypeHints ATTACHMENT_HINTS = TypeHints.builder().put("a1", CrdtType.ATTACHMENT).build();

    final Random rnd;
    final Profile profile;
    final boolean withSpec;
    final List<Replica> replicas = new ArrayList<>();
    final List<CrdtDocument> states = new ArrayList<>();
    final Spec spec = new Spec();

    static final class Replica {
        final SiteId site;
        final long[] physical = new long[1];
        final HybridClock clock;
        CrdtDocument doc;
        final Set<Integer> known = new HashSet<>();

        Replica(SiteId site, long start) {
            this.site = site;
            this.physical[0] = start;
            this.clock = new HybridClock(site, () -> physical[0]);
        }
    }

    Histories(long seed, Profile profile, boolean withSpec) {
        this.rnd = new Random(seed);
        this.profile = profile;
        this.withSpec = withSpec && profile != Profile.INITIAL;
        int n = 2 + rnd.nextInt(3);
        long[] special = {1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 2L};
        Set<Long> used = new HashSet<>();
        for (int i = 0; i < n; i++) {
            long id;
            do {
                id = rnd.nextInt(3) == 0 ? special[rnd.nextInt(special.length)] : rnd.nextLong();
            } while (id == 0 || !used.add(id));
            // skew within ±4 minutes: inside the default drift limit, so merges are never refused here
            replicas.add(new Replica(new SiteId(id), T0 + rnd.nextInt(480_000) - 240_000));
        }
    }

    /** Runs {@code steps} random steps; the first replica always starts with the document. */
    Histories run(int steps) {
        op(replicas.get(0));
        for (int s = 0; s < steps; s++) {
            if (rnd.nextInt(10) < 3) {
                Replica to = pick();
                Replica from = pick();
                if (to != from && from.doc != null) {
                    merge(to, from);
                    continue;
                }
            }
            op(pick());
        }
        return this;
    }

    Replica pick() {
        return replicas.get(rnd.nextInt(replicas.size()));
    }

    CrdtDocument randomState() {
        return states.get(rnd.nextInt(states.size()));
    }

    void merge(Replica to, Replica from) {
        CrdtDocument incoming = rnd.nextBoolean() ? from.doc : CrdtDocument.decode(from.doc.encode());
        to.clock.observe(incoming.versionVector().maxHlc());
        CrdtDocument before = to.doc;
        to.doc = before == null ? incoming : before.merge(incoming);
        to.known.addAll(from.known);
        if (withSpec && before != null && before.equals(to.doc)) {
            assertSame(before, to.doc, "a merge that adds nothing returns the receiver");
        }
        record(to);
    }

    /** Merges every replica into one document, in a random order. */
    CrdtDocument convergeAll() {
        List<Replica> order = new ArrayList<>(replicas);
        Collections.shuffle(order, rnd);
        CrdtDocument all = null;
        for (Replica r : order) {
            if (r.doc != null) {
                all = all == null ? r.doc : all.merge(r.doc);
            }
        }
        return all;
    }

    Set<Integer> allEvents() {
        Set<Integer> all = new HashSet<>();
        replicas.forEach(r -> all.addAll(r.known));
        return all;
    }

    private void record(Replica r) {
        states.add(r.doc);
        if (withSpec) {
            Spec.Result expected = spec.evaluate(r.known);
            assertEquals(expected.deleted(), r.doc.isDeleted(), () -> "deleted flag at site " + r.site + ", spec " + expected + ", doc " + r.doc);
            if (!expected.deleted()) {
                Map<String, Object> actual = r.doc.value().orElseThrow();
                assertTrue(JsonValues.equal(expected.value(), actual), () -> "value at site " + r.site + ":\n  spec " + expected.value()
                        + "\n  doc  " + actual + "\n  events " + spec.describe(r.known));
            }
        }
    }

    private void tick(Replica r) {
        int k = rnd.nextInt(20);
        if (k == 0) {
            r.physical[0] -= rnd.nextInt(2000); // backwards jump
        } else if (k > 3) {
            r.physical[0] += rnd.nextInt(50);
        }
    }

    // ------------------------------------------------------------------ operations

    private void op(Replica r) {
        tick(r);
        if (r.doc == null) {
            if (profile == Profile.INITIAL) {
                r.doc = CrdtDocument.initial(ID, initialVariant());
                states.add(r.doc);
                return;
            }
            insert(r, true);
            return;
        }
        if (r.doc.isDeleted()) {
            insert(r, false);
            return;
        }
        switch (profile) {
            case REGISTER -> registerOp(r);
            case MAP -> mapOp(r);
            case COUNTER -> counterOp(r, false);
            case PN_COUNTER -> counterOp(r, true);
            case ATTACHMENT -> attachmentOp(r);
            default -> documentOp(r);
        }
    }

    private Map<String, Object> initialVariant() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("r1", "initial");
        v.put("m1", Map.of("x", 1L));
        if (rnd.nextBoolean()) {
            v.put("r2", rnd.nextBoolean() ? 7L : 8L);
            v.put("m1", Map.of("x", 1L, "y", rnd.nextInt(2) == 0 ? "a" : "b"));
        }
        return v;
    }

    private void documentOp(Replica r) {
        int k = rnd.nextInt(20);
        if (profile == Profile.INITIAL && k == 0) {
            // INSERT ... INITIAL DOCUMENTS over an id the replica already holds: the store merges it in
            r.doc = r.doc.merge(CrdtDocument.initial(ID, initialVariant()));
            states.add(r.doc);
        } else if (k < 2) {
            delete(r);
        } else if (k < 4) {
            insert(r, false);
        } else if (k < 9) {
            registerOp(r);
        } else if (k < 14) {
            mapOp(r);
        } else if (k < 18) {
            counterOp(r, rnd.nextInt(4) == 0);
        } else {
            attachmentOp(r);
        }
    }

    private void registerOp(Replica r) {
        String key = rnd.nextBoolean() ? "r1" : "r2";
        int k = rnd.nextInt(20);
        if (k < 12) {
            set(r, List.of(key), scalar(), TypeHints.NONE, false);
        } else if (k < 18) {
            unset(r, List.of(key));
        } else {
            set(r, List.of(key, "x"), scalar(), TypeHints.NONE, false);
        }
    }

    private void mapOp(Replica r) {
        String key = rnd.nextBoolean() ? "m1" : "m2";
        String child = rnd.nextBoolean() ? "x" : "y";
        int k = rnd.nextInt(20);
        if (k < 5) {
            set(r, List.of(key), object(2), TypeHints.NONE, false);
        } else if (k < 11) {
            set(r, List.of(key, child), rnd.nextInt(4) == 0 ? object(1) : scalar(), TypeHints.NONE, false);
        } else if (k < 14) {
            unset(r, List.of(key));
        } else if (k < 18) {
            unset(r, List.of(key, child));
        } else {
            set(r, List.of(key), scalar(), TypeHints.NONE, false);
        }
    }

    private void counterOp(Replica r, boolean pn) {
        String key = rnd.nextBoolean() ? "c1" : "c2";
        int k = rnd.nextInt(20);
        if (k < 10) {
            increment(r, key, rnd.nextInt(9) - 3, pn);
        } else if (k < 14 && !pn) {
            restart(r, key, rnd.nextInt(21) - 10);
        } else if (k < 17) {
            unset(r, List.of(key));
        } else if (k < 19) {
            set(r, List.of(key), (long) rnd.nextInt(100), TypeHints.NONE, false);
        } else {
            set(r, List.of(key), "text", TypeHints.NONE, false);
        }
    }

    private void attachmentOp(Replica r) {
        int k = rnd.nextInt(10);
        if (k < 5) {
            set(r, List.of("a1"), token(), ATTACHMENT_HINTS, true);
        } else if (k < 7) {
            set(r, List.of("a1"), token(), TypeHints.NONE, true);
        } else {
            unset(r, List.of("a1"));
        }
    }

    private Object scalar() {
        return switch (rnd.nextInt(9)) {
            case 0 -> null;
            case 1 -> rnd.nextBoolean();
            case 2 -> rnd.nextDouble() * 100;
            case 3 -> "s" + rnd.nextInt(5);
            case 4 -> new byte[] {(byte) rnd.nextInt(4), 1};
            case 5 -> List.of((long) rnd.nextInt(3), "e");
            default -> (long) rnd.nextInt(10);
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> m = new TreeMap<>();
        if (rnd.nextBoolean()) {
            m.put("x", scalar());
        }
        if (rnd.nextBoolean()) {
            m.put("y", depth > 1 && rnd.nextInt(3) == 0 ? object(depth - 1) : scalar());
        }
        return m;
    }

    private Map<String, Object> token() {
        String hex = Integer.toHexString(0x100 + rnd.nextInt(0xF00));
        return AttachmentToken.of(hex.length() % 2 == 0 ? hex : "0" + hex, rnd.nextInt(100), Map.of()).toMap();
    }

    // ---- each operation: predicted by the spec, applied to the CRDT, recorded in the spec

    private Spec.Event newEvent(Replica r, Spec.Kind kind, List<String> path) {
        Spec.Event e = new Spec.Event();
        e.kind = kind;
        e.path = path;
        e.seen = new HashSet<>(r.known);
        return e;
    }

    private void commit(Replica r, CrdtDocument next, Spec.Event e) {
        r.doc = next;
        if (withSpec) {
            spec.add(e);
            r.known.add(e.id);
        }
        record(r);
    }

    /** The spec's visible value at {@code path}, navigating from the top: nothing is visible below a non-map. */
    private Spec.Shown view(Replica r, List<String> path) {
        if (!withSpec) {
            return null;
        }
        List<Spec.Atom> surv = spec.survivors(r.known);
        Spec.Shown s = spec.show(surv, path.subList(0, 1));
        for (int i = 2; i <= path.size(); i++) {
            if (s == null || s.kind() != Shown.Kind.MAP) {
                return null;
            }
            s = spec.show(surv, path.subList(0, i));
        }
        return s;
    }

    private static Path path(List<String> p) {
        return Path.of(p.toArray());
    }

    private void insert(Replica r, boolean create) {
        Map<String, Object> fields = new TreeMap<>();
        String[] keys = {"r1", "m1", "c1", "a1"};
        for (String k : keys) {
            if (rnd.nextInt(3) == 0) {
                fields.put(k, k.startsWith("m") ? object(2) : k.startsWith("a") ? token() : scalar());
            }
        }
        Timestamp ts = r.clock.now();
        CrdtDocument next = create ? CrdtDocument.create(ID, fields, TypeHints.NONE, OpContext.of(ts))
                : r.doc.insert(fields, TypeHints.NONE, OpContext.of(ts));
        Spec.Event e = newEvent(r, Spec.Kind.INSERT, List.of());
        e.ts = ts;
        e.fields = fields;
        commit(r, next, e);
    }

    private void delete(Replica r) {
        Timestamp ts = r.clock.now();
        CrdtDocument next = r.doc.delete(OpContext.of(ts));
        Spec.Event e = newEvent(r, Spec.Kind.DELETE, List.of());
        e.ts = ts;
        commit(r, next, e);
    }

    private void set(Replica r, List<String> p, Object value, TypeHints hints, boolean register) {
        Object v = JsonValues.normalize(value, "test", p.size());
        Spec.Event e = newEvent(r, Spec.Kind.SET, p);
        e.value = v;
        e.register = register;
        boolean allowed = true;
        if (withSpec && p.size() > 1) {
            Spec.Shown parent = view(r, p.subList(0, 1));
            if (parent == null) {
                e.presences.add(p.subList(0, 1));
            } else if (parent.kind() != Shown.Kind.MAP) {
                allowed = false;
            }
        }
        Timestamp ts = r.clock.now();
        e.ts = ts;
        CrdtDocument next;
        try {
            next = r.doc.set(path(p), v, hints, OpContext.of(ts));
        } catch (DittoException ex) {
            if (withSpec && allowed) {
                fail("set " + p + " refused but the spec allows it: " + ex.getMessage());
            }
            return;
        }
        if (withSpec && !allowed) {
            fail("set " + p + " accepted but the spec refuses it (parent is not a map): " + r.doc);
        }
        commit(r, next, e);
    }

    private void unset(Replica r, List<String> p) {
        Timestamp ts = r.clock.now();
        CrdtDocument next = r.doc.unset(path(p), OpContext.of(ts));
        if (withSpec) {
            boolean missing = view(r, p) == null;
            if (missing) {
                assertSame(r.doc, next, "unset of a missing path " + p + " changes nothing");
                return;
            }
            assertTrue(next != r.doc, "unset of a visible path " + p + " changes the document");
        } else if (next == r.doc) {
            return;
        }
        Spec.Event e = newEvent(r, Spec.Kind.UNSET, p);
        e.ts = ts;
        commit(r, next, e);
    }

    private void increment(Replica r, String key, long by, boolean pn) {
        List<String> p = List.of(key);
        Spec.Event e = newEvent(r, Spec.Kind.INC, p);
        e.number = by;
        boolean allowed = true;
        if (withSpec) {
            Spec.Shown s = view(r, p);
            if (s != null && s.kind() == Shown.Kind.REGISTER && s.value() instanceof Number n) {
                e.convertBase = n.doubleValue();
            } else if (s != null && s.kind() != Shown.Kind.COUNTER) {
                allowed = false;
            }
        }
        Timestamp ts = r.clock.now();
        e.ts = ts;
        CrdtDocument next;
        try {
            next = pn ? r.doc.pnIncrement(path(p), by, OpContext.of(ts)) : r.doc.increment(path(p), by, OpContext.of(ts));
        } catch (DittoException ex) {
            if (withSpec && allowed) {
                fail("increment " + p + " refused but the spec allows it: " + ex.getMessage());
            }
            return;
        }
        if (withSpec && !allowed) {
            fail("increment " + p + " accepted but the spec refuses it: " + r.doc);
        }
        commit(r, next, e);
    }

    private void restart(Replica r, String key, long with) {
        List<String> p = List.of(key);
        Spec.Event e = newEvent(r, Spec.Kind.RESTART, p);
        e.number = with;
        boolean allowed = true;
        if (withSpec) {
            Spec.Shown s = view(r, p);
            allowed = s == null || s.kind() == Shown.Kind.COUNTER || s.kind() == Shown.Kind.REGISTER && s.value() instanceof Number;
        }
        Timestamp ts = r.clock.now();
        e.ts = ts;
        CrdtDocument next;
        try {
            next = r.doc.restart(path(p), with, OpContext.of(ts));
        } catch (DittoException ex) {
            if (withSpec && allowed) {
                fail("restart " + p + " refused but the spec allows it: " + ex.getMessage());
            }
            return;
        }
        if (withSpec && !allowed) {
            fail("restart " + p + " accepted but the spec refuses it: " + r.doc);
        }
        commit(r, next, e);
    }

    /**
     * The sequential specification: events with the set of events their replica had seen; the
     * expected document is computed from a set of known events without any CRDT machinery.
     */
    static final class Spec {
        enum Kind { SET, UNSET, INC, RESTART, DELETE, INSERT }

        enum AtomKind { REG, PRESENCE, INC, RESTART, EXIST, DELMARK }

        static final class Event {
            int id;
            Timestamp ts;
            Kind kind;
            List<String> path;
            Object value;
            boolean register;
            double number;
            Double convertBase;
            List<List<String>> presences = new ArrayList<>();
            Map<String, Object> fields;
            Set<Integer> seen;
            final List<Atom> atoms = new ArrayList<>();

            @Override
            public String toString() {
                return "#" + id + " " + kind + " " + path + (value != null ? " = " + value : "") + (kind == Kind.INC || kind == Kind.RESTART ? " " + number : "")
                        + (fields != null ? " " + fields : "") + " @" + ts + " seen " + seen;
            }
        }

        record Atom(Event e, AtomKind kind, List<String> path, Object value, double number) {
        }

        record Shown(Object value, Timestamp ts, ditto.engine.crdt.Shown.Kind kind) {
        }

        record Result(boolean deleted, Map<String, Object> value) {
        }

        final List<Event> events = new ArrayList<>();

        void add(Event e) {
            e.id = events.size();
            events.add(e);
            for (List<String> p : e.presences) {
                e.atoms.add(new Atom(e, AtomKind.PRESENCE, p, null, 0));
            }
            switch (e.kind) {
                case SET -> writeAtoms(e, e.path, e.value, e.register);
                case INSERT -> {
                    e.atoms.add(new Atom(e, AtomKind.EXIST, List.of(), null, 0));
                    e.fields.forEach((k, v) -> writeAtoms(e, List.of(k), JsonValues.normalize(v, k, 1), false));
                }
                case INC -> {
                    if (e.convertBase != null) {
                        e.atoms.add(new Atom(e, AtomKind.RESTART, e.path, null, e.convertBase));
                    }
                    e.atoms.add(new Atom(e, AtomKind.INC, e.path, null, e.number));
                }
                case RESTART -> e.atoms.add(new Atom(e, AtomKind.RESTART, e.path, null, e.number));
                case DELETE -> e.atoms.add(new Atom(e, AtomKind.DELMARK, List.of(), null, 0));
                default -> {
                }
            }
        }

        private static void writeAtoms(Event e, List<String> p, Object v, boolean register) {
            if (v instanceof Map<?, ?> m && !register && !JsonValues.isAttachmentToken(v)) {
                e.atoms.add(new Atom(e, AtomKind.PRESENCE, p, null, 0));
                m.forEach((k, c) -> {
                    List<String> cp = new ArrayList<>(p);
                    cp.add((String) k);
                    writeAtoms(e, List.copyOf(cp), c, false);
                });
            } else {
                e.atoms.add(new Atom(e, AtomKind.REG, p, v, 0));
            }
        }

        private static boolean prefix(List<String> q, List<String> p) {
            return q.size() <= p.size() && p.subList(0, q.size()).equals(q);
        }

        private static boolean removes(Event o, Atom a) {
            if (!o.seen.contains(a.e().id)) {
                return false;
            }
            switch (a.kind()) {
                case DELMARK:
                    return true;
                case EXIST:
                    return o.kind == Kind.DELETE || o.kind == Kind.INSERT;
                default:
                    if (o.kind == Kind.DELETE) {
                        return true;
                    }
                    if (o.kind == Kind.INSERT) {
                        return o.fields.containsKey(a.path().get(0));
                    }
                    boolean remover = o.kind == Kind.SET || o.kind == Kind.UNSET || o.kind == Kind.RESTART
                            || o.kind == Kind.INC && o.convertBase != null;
                    return remover && prefix(o.path, a.path());
            }
        }

        List<Atom> survivors(Set<Integer> known) {
            List<Atom> out = new ArrayList<>();
            for (int id : known) {
                for (Atom a : events.get(id).atoms) {
                    boolean removed = false;
                    for (int o : known) {
                        if (removes(events.get(o), a)) {
                            removed = true;
                            break;
                        }
                    }
                    if (!removed) {
                        out.add(a);
                    }
                }
            }
            return out;
        }

        /** The visible value at {@code p}, or null when nothing is visible there. */
        Shown show(List<Atom> surv, List<String> p) {
            Atom reg = null;
            Timestamp presence = null;
            Atom restart = null;
            double incSum = 0;
            Timestamp incTs = null;
            Set<String> kids = new java.util.TreeSet<>();
            for (Atom a : surv) {
                if (a.path().size() > p.size() && prefix(p, a.path())) {
                    kids.add(a.path().get(p.size()));
                    continue;
                }
                if (!a.path().equals(p)) {
                    continue;
                }
                Timestamp ts = a.e().ts;
                switch (a.kind()) {
                    case REG -> {
                        if (reg == null || ts.compareTo(reg.e().ts) > 0) {
                            reg = a;
                        }
                    }
                    case PRESENCE -> {
                        if (presence == null || ts.compareTo(presence) > 0) {
                            presence = ts;
                        }
                    }
                    case RESTART -> {
                        if (restart == null || ts.compareTo(restart.e().ts) > 0) {
                            restart = a;
                        }
                    }
                    case INC -> {
                        incSum += a.number();
                        if (incTs == null || ts.compareTo(incTs) > 0) {
                            incTs = ts;
                        }
                    }
                    default -> {
                    }
                }
            }
            Shown best = reg == null ? null : new Shown(reg.value(), reg.e().ts, ditto.engine.crdt.Shown.Kind.REGISTER);
            Map<String, Object> obj = new TreeMap<>();
            Timestamp mapTs = presence;
            for (String k : kids) {
                List<String> cp = new ArrayList<>(p);
                cp.add(k);
                Shown c = show(surv, cp);
                if (c != null) {
                    obj.put(k, c.value());
                    if (mapTs == null || c.ts().compareTo(mapTs) > 0) {
                        mapTs = c.ts();
                    }
                }
            }
            if (mapTs != null && (best == null || mapTs.compareTo(best.ts()) > 0)) {
                best = new Shown(obj, mapTs, ditto.engine.crdt.Shown.Kind.MAP);
            }
            if (restart != null || incTs != null) {
                Timestamp cts = restart == null ? incTs : incTs == null || restart.e().ts.compareTo(incTs) > 0 ? restart.e().ts : incTs;
                double base = restart == null ? 0 : restart.number();
                if (best == null || cts.compareTo(best.ts()) > 0) {
                    best = new Shown(CounterPart.number(base + incSum), cts, ditto.engine.crdt.Shown.Kind.COUNTER);
                }
            }
            return best;
        }

        Result evaluate(Set<Integer> known) {
            List<Atom> surv = survivors(known);
            boolean exists = false;
            boolean marked = false;
            Set<String> keys = new java.util.TreeSet<>();
            for (Atom a : surv) {
                if (a.kind() == AtomKind.EXIST) {
                    exists = true;
                } else if (a.kind() == AtomKind.DELMARK) {
                    marked = true;
                } else {
                    keys.add(a.path().get(0));
                }
            }
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("_id", ID);
            for (String k : keys) {
                Shown s = show(surv, List.of(k));
                if (s != null) {
                    value.put(k, s.value());
                }
            }
            boolean deleted = marked && !exists && value.size() == 1;
            return new Result(deleted, value);
        }

        String describe(Set<Integer> known) {
            StringBuilder sb = new StringBuilder();
            new TreeMap<Integer, Event>() {
                {
                    known.forEach(i -> put(i, events.get(i)));
                }
            }.values().forEach(e -> sb.append("\n    ").append(e));
            return sb.toString();
        }
    }
}
