package ditto.engine.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ditto.api.AttachmentToken;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The merge semantics of DQL.md "Types and merge rules", one scenario at a time. */
class CrdtDocumentTest {
    private static final long T = 1_700_000_000_000L;
    private static final SiteId A = SiteId.of(0xA);
    private static final SiteId B = SiteId.of(0xB);

    /** A peer with a manually driven clock. */
    private static final class Peer {
        final long[] now = {T};
        final HybridClock clock;
        final boolean strict;

        Peer(SiteId site) {
            this(site, false);
        }

        Peer(SiteId site, boolean strict) {
            clock = new HybridClock(site, () -> now[0]);
            this.strict = strict;
        }

        OpContext ctx() {
            now[0] += 10;
            return new OpContext(clock.now(), strict);
        }

        CrdtDocument receive(CrdtDocument mine, CrdtDocument theirs) {
            CrdtDocument wire = CrdtDocument.decode(theirs.encode());
            clock.observe(wire.versionVector().maxHlc());
            return mine == null ? wire : mine.merge(wire);
        }
    }

    private static Path p(String dql) {
        return Path.parse(dql);
    }

    private static Map<String, Object> value(CrdtDocument d) {
        return d.value().orElseThrow();
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void materializesIdFirstAndNormalizesNumbers() {
        // given a document created with an int, a float and nested values
        Peer a = new Peer(A);
        CrdtDocument d = CrdtDocument.create("x", map("n", 5, "f", 1.5f, "o", map("k", List.of(1, "s")), "b", (short) 2),
                TypeHints.NONE, a.ctx());

        // then _id comes first, keys are sorted, and numbers are Long / Double
        assertEquals(List.of("_id", "b", "f", "n", "o"), new ArrayList<>(value(d).keySet()));
        assertEquals(map("_id", "x", "b", 2L, "f", 1.5, "n", 5L, "o", map("k", List.of(1L, "s"))), value(d));
        assertEquals(5L, d.valueAt(p("n")));
        assertEquals(1L, d.valueAt(p("o.k[0]")));
        assertSame(CrdtDocument.MISSING, d.valueAt(p("o.k[9]")));
        assertSame(CrdtDocument.MISSING, d.valueAt(p("n.x")));
        assertEquals("x", d.valueAt(p("_id")));
    }

    @Test
    void settingAKeyOfAMapKeepsItsSiblings() {
        // given m = {a: 1, b: 2}
        Peer a = new Peer(A);
        CrdtDocument d = CrdtDocument.create("x", map("m", map("a", 1, "b", 2)), TypeHints.NONE, a.ctx());

        // when SET m.a = 5 and SET m.c.d = true (c missing)
        d = d.set(p("m.a"), 5, TypeHints.NONE, a.ctx()).set(p("m.c.d"), true, TypeHints.NONE, a.ctx());

        // then b is kept and c is created as an object
        assertEquals(map("a", 5L, "b", 2L, "c", map("d", true)), value(d).get("m"));
    }

    @Test
    void concurrentWritesToDifferentKeysOfAMapAllSurvive() {
        // given both peers hold m = {a: 1}
        Peer a = new Peer(A);
        Peer b = new Peer(B);
        CrdtDocument base = CrdtDocument.create("x", map("m", map("a", 1)), TypeHints.NONE, a.ctx());
        CrdtDocument onB = b.receive(null, base);

        // when A sets m.b and B sets m.c concurrently, then they exchange
        CrdtDocument da = base.set(p("m.b"), 2, TypeHints.NONE, a.ctx());
        CrdtDocument db = onB.set(p("m.c"), 3, TypeHints.NONE, b.ctx());
        CrdtDocument onA = a.receive(da, db);
        CrdtDocument onB2 = b.receive(db, da);

        // then both hold all three keys, byte for byte
        assertEquals(map("a", 1L, "b", 2L, "c", 3L), value(onA).get("m"));
        assertArrayEquals(onA.encode(), onB2.encode());
    }

    @Test
    void concurrentObjectWritesMergeKeysButStrictModeReplacesWhole() {
        for (boolean strict : new boolean[] {false, true}) {
            // given both peers hold o = {a: 1}
            Peer a = new Peer(A, strict);
            Peer b = new Peer(B, strict);
            CrdtDocument base = CrdtDocument.create("x", map("o", map("a", 1)), TypeHints.NONE, a.ctx());
            CrdtDocument onB = b.receive(null, base);

            // when each replaces o with a different object (B later)
            CrdtDocument da = base.set(p("o"), map("b", 2), TypeHints.NONE, a.ctx());
            b.now[0] += 1_000;
            CrdtDocument db = onB.set(p("o"), map("c", 3), TypeHints.NONE, b.ctx());
            CrdtDocument merged = da.merge(db);

            // then as MAPs the new keys merge (the old key a was seen by both and is gone);
            // as strict-mode REGISTERs the later object wins whole
            Object expected = strict ? map("c", 3L) : map("b", 2L, "c", 3L);
            assertEquals(expected, value(merged).get("o"), "strict=" + strict);
            assertArrayEquals(merged.encode(), db.merge(da).encode());
        }
    }

    @Test
    void strictModeCreatesRegisterObjectsUnlessHintedMap() {
        // given strict mode and a hint declaring only m as a MAP
        Peer a = new Peer(A, true);
        TypeHints hints = TypeHints.builder().put("m", CrdtType.MAP).build();
        CrdtDocument d = CrdtDocument.create("x", map("r", map("k", 1), "m", map("k", 1)), hints, a.ctx());
        Peer b = new Peer(B, true);
        CrdtDocument onB = b.receive(null, d);

        // when both peers update a different key of r and of m concurrently
        CrdtDocument da = d.set(p("r.x"), 1, hints, a.ctx()).set(p("m.x"), 1, hints, a.ctx());
        b.now[0] += 1_000;
        CrdtDocument db = onB.set(p("r.y"), 2, hints, b.ctx()).set(p("m.y"), 2, hints, b.ctx());
        Map<String, Object> v = value(da.merge(db));

        // then r (a register) holds one peer's whole object, m (a map) holds both updates
        assertEquals(map("k", 1L, "y", 2L), v.get("r"));
        assertEquals(map("k", 1L, "x", 1L, "y", 2L), v.get("m"));
    }

    @Test
    void arraysAreRegistersReplacedAtomically() {
        // given both peers hold a = [1, 2, 3]
        Peer a = new Peer(A);
        Peer b = new Peer(B);
        CrdtDocument base = CrdtDocument.create("x", map("a", List.of(1, 2, 3)), TypeHints.NONE, a.ctx());
        CrdtDocument onB = b.receive(null, base);

        // when A sets a[0] and B (later) sets a[2]
        CrdtDocument da = base.set(p("a[0]"), 10, TypeHints.NONE, a.ctx());
        b.now[0] += 1_000;
        CrdtDocument db = onB.set(p("a[2]"), 30, TypeHints.NONE, b.ctx());

        // then the later whole array wins; an index out of range is refused
        assertEquals(List.of(10L, 2L, 3L), value(da).get("a"));
        assertEquals(List.of(1L, 2L, 30L), value(da.merge(db)).get("a"));
        DittoException e = assertThrows(DittoException.class, () -> base.set(p("a[3]"), 1, TypeHints.NONE, a.ctx()));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    }

    @Test
    void lastWriterWinsByTimestampAndTiesBreakBySite() {
        // given two peers whose clocks read the same millisecond
        Peer a = new Peer(A);
        Peer b = new Peer(B);
        CrdtDocument base = CrdtDocument.create("x", map(), TypeHints.NONE, a.ctx());
        CrdtDocument onB = b.receive(null, base);
        a.now[0] = T + 1_000;
        b.now[0] = T + 1_000;
        CrdtDocument da = base.set(p("r"), "from A", TypeHints.NONE, new OpContext(a.clock.now(), false));
        CrdtDocument db = onB.set(p("r"), "from B", TypeHints.NONE, new OpContext(b.clock.now(), false));

        // when merged either way, then site B (the greater id) wins the tie
        assertEquals("from B", value(da.merge(db)).get("r"));
        assertEquals("from B", value(db.merge(da)).get("r"));

        // and a later write from A wins over both
        CrdtDocument later = da.set(p("r"), "later", TypeHints.NONE, a.ctx());
        assertEquals("later", value(later.merge(db)).get("r"));
    }

    @Test
    void unsetRemovesOnlyWhatItHadSeen() {
        // given both peers hold m = {x: 1} and r = "old"
        Peer a = new Peer(A);
        Peer b = new Peer(B);
        CrdtDocument base = CrdtDocument.create("x", map("m", map("x", 1), "r", "old"), TypeHints.NONE, a.ctx());
        CrdtDocument onB = b.receive(null, base);

        // when A unsets m and r while B concurrently sets m.y and r
        CrdtDocument da = base.unset(p("m"), a.ctx()).unset(p("r"), a.ctx());
        CrdtDocument db = onB.set(p("m.y"), 2, TypeHints.NONE, b.ctx()).set(p("r"), "new", TypeHints.NONE, b.ctx());
        CrdtDocument merged = da.merge(db);

        // then the concurrent updates survive (m keeps only y), the unset values are gone
        assertEquals(map("_id", "x", "m", map("y", 2L), "r", "new"), value(merged));
        assertEquals(map("_id", "x"), value(da));

        // and an unset that has seen the update removes it
        assertEquals(map("_id", "x"), value(merged.unset(p("m"), a.ctx()).unset(p("r"), a.ctx())));
    }

    @Test
    void unsetInsideRegistersAndOfMissingPaths() {
        // given a register array and a strict-mode register object
        Peer a = new Peer(A, true);
        CrdtDocument d = CrdtDocument.create("x", map("a", List.of(1, 2, 3), "o", map("k", 1, "j", 2)), TypeHints.NONE, a.ctx());

        // when an element and a key are unset, and missing paths are unset
        CrdtDocument after = d.unset(p("a[1]"), a.ctx()).unset(p("o.k"), a.ctx());

        // then the registers are rewritten, and unsetting nothing returns the same document
        assertEquals(List.of(1L, 3L), value(after).get("a"));
        assertEquals(map("j", 2L), value(after).get("o"));
        assertSame(after, after.unset(p("missing"), a.ctx()));
        assertSame(after, after.unset(p("a[7]"), a.ctx()));
        assertSame(after, after.unset(p("o.k.deeper"), a.ctx()));
    }

    @Test
    void deleteConcurrentWithUpdateKeepsTheUpdatedFieldsOnly() {
        // given both peers hold {f: 1, g: 2, m: {x: 1}}
        Peer a = new Peer(A);
        Peer b = new Peer(B);
        CrdtDocument base = CrdtDocument.create("x", map("f", 1, "g", 2, "m", map("x", 1)), TypeHints.NONE, a.ctx());
        CrdtDocument onB = b.receive(null, base);

        // when A deletes the document while B updates f and m.y
        CrdtDocument da = base.delete(a.ctx());
        CrdtDocument db = onB.set(p("f"), 10, TypeHints.NONE, b.ctx()).set(p("m.y"), 5, TypeHints.NONE, b.ctx());

        // then A's copy is a tombstone, and after merging the update's fields survive on an otherwise empty document
        assertTrue(da.isDeleted());
        assertTrue(da.value().isEmpty());
        CrdtDocument merged = da.merge(db);
        assertFalse(merged.isDeleted());
        assertEquals(map("_id", "x", "f", 10L, "m", map("y", 5L)), value(merged));
        assertArrayEquals(merged.encode(), db.merge(da).encode());
    }

    @Test
    void deleteWinsOverEverythingItHadSeenAndExpiresAfterTheTtl() {
        // given a deleted document and an older copy of it on another peer
        Peer a = new Peer(A);
        CrdtDocument base = CrdtDocument.create("x", map("f", 1, "c", 0), TypeHints.builder().put("c", CrdtType.COUNTER).build(), a.ctx());
        CrdtDocument old = base.increment(p("c"), 4, a.ctx());
        CrdtDocument deleted = old.delete(a.ctx());
        long deletedAt = a.now[0];

        // when the old copy arrives again, then the document stays deleted (and unchanged)
        assertSame(deleted, deleted.merge(old));
        assertTrue(old.merge(deleted).isDeleted());
        assertEquals(deletedAt, deleted.deletedAt().orElseThrow().physicalMillis());

        // then the tombstone expires exactly at deletedAt + ttl
        long ttl = 168L * 3_600_000;
        assertFalse(deleted.isExpired(deletedAt + ttl - 1, ttl));
        assertTrue(deleted.isExpired(deletedAt + ttl, ttl));
        assertFalse(base.isExpired(Long.MAX_VALUE, 0), "a live document never expires");
    }

    @Test
    void insertOverADeletedDocumentRecreatesIt() {
        // given a deleted document
        Peer a = new Peer(A);
        CrdtDocument deleted = CrdtDocument.create("x", map("f", 1), TypeHints.NONE, a.ctx()).delete(a.ctx());

        // when an INSERT writes it again (only with other fields)
        CrdtDocument again = deleted.insert(map("_id", "x", "g", 2), TypeHints.NONE, a.ctx());

        // then it is live with just the new fields, and a peer still holding the tombstone agrees after merging
        assertEquals(map("_id", "x", "g", 2L), value(again));
        assertEquals(map("_id", "x", "g", 2L), value(deleted.merge(again)));
        assertTrue(deleted.deletedAt().isPresent());
        assertTrue(again.deletedAt().isEmpty());
    }

    @Test
    void countersSumIncrementsFromAllPeersAndMayGoNegative() {
        // given a counter declared by a type hint, starting at 5
        Peer a = new Peer(A);
        Peer b = new Peer(B);
        TypeHints hints = TypeHints.builder().put("c", CrdtType.COUNTER).build();
        CrdtDocument base = CrdtDocument.create("x", map("c", 5), hints, a.ctx());
        CrdtDocument onB = b.receive(null, base);

        // when A adds 2 twice and B subtracts 10, concurrently
        CrdtDocument da = base.increment(p("c"), 2, a.ctx()).increment(p("c"), 2, a.ctx());
        CrdtDocument db = onB.increment(p("c"), -10, b.ctx());
        CrdtDocument merged = da.merge(db);

        // then the counter is 5 + 4 - 10, and delivering the same changes again counts nothing twice
        assertEquals(-1L, value(merged).get("c"));
        assertSame(merged, merged.merge(da).merge(db));
        assertEquals(1.5, value(merged.increment(p("c"), 2.5, a.ctx())).get("c"));
    }

    @Test
    void restartDiscardsOnlyTheIncrementsItHadSeen() {
        // given both peers saw c incremented by 5
        Peer a = new Peer(A);
        Peer b = new Peer(B);
        CrdtDocument base = CrdtDocument.create("x", map(), TypeHints.NONE, a.ctx()).increment(p("c"), 5, a.ctx());
        CrdtDocument onB = b.receive(null, base);

        // when B restarts the counter at 100 while A concurrently adds 3
        CrdtDocument db = onB.restart(p("c"), 100, b.ctx());
        CrdtDocument da = base.increment(p("c"), 3, a.ctx());

        // then the restart discarded the 5 it had seen but not the concurrent 3
        assertEquals(100L, value(db).get("c"));
        assertEquals(103L, value(da.merge(db)).get("c"));
        assertEquals(103L, value(db.merge(da)).get("c"));
    }

    @Test
    void concurrentRestartsAreLastWriterWins() {
        // given both peers hold a counter at 1
        Peer a = new Peer(A);
        Peer b = new Peer(B);
        CrdtDocument base = CrdtDocument.create("x", map(), TypeHints.NONE, a.ctx()).increment(p("c"), 1, a.ctx());
        CrdtDocument onB = b.receive(null, base);

        // when A restarts with 10, then B (later) with 20
        CrdtDocument da = base.restart(p("c"), 10, a.ctx());
        b.now[0] += 1_000;
        CrdtDocument db = onB.restart(p("c"), 20, b.ctx());

        // then the later restart sets the base
        assertEquals(20L, value(da.merge(db)).get("c"));
    }

    @Test
    void pnCounterSumsIncrementsAndUnsetRemovesOnlySeenOnes() {
        // given both peers saw a PN counter at 4
        Peer a = new Peer(A);
        Peer b = new Peer(B);
        CrdtDocument base = CrdtDocument.create("x", map(), TypeHints.NONE, a.ctx()).pnIncrement(p("n"), 4, a.ctx());
        CrdtDocument onB = b.receive(null, base);

        // when B unsets it while A adds 1 concurrently
        CrdtDocument db = onB.unset(p("n"), b.ctx());
        CrdtDocument da = base.pnIncrement(p("n"), 1, a.ctx());

        // then only the concurrent increment remains, and the old one never comes back
        assertEquals(1L, value(da.merge(db)).get("n"));
        assertEquals(1L, value(da.merge(db).merge(base)).get("n"));
        assertFalse(value(db.merge(base)).containsKey("n"));
    }

    @Test
    void incrementTurnsAPlainNumberIntoACounterAndRefusesOtherValues() {
        // given a plain number and a string
        Peer a = new Peer(A);
        CrdtDocument d = CrdtDocument.create("x", map("n", 7, "s", "text", "m", map()), TypeHints.NONE, a.ctx());

        // when the number is incremented, then it counts on from its value
        assertEquals(8L, value(d.increment(p("n"), 1, a.ctx())).get("n"));

        // and non-numbers, maps, register contents and non-finite amounts are refused
        for (Path path : List.of(p("s"), p("m"))) {
            DittoException e = assertThrows(DittoException.class, () -> d.increment(path, 1, a.ctx()));
            assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        }
        assertThrows(DittoException.class, () -> d.increment(p("n"), Double.NaN, a.ctx()));
        assertThrows(DittoException.class, () -> d.restart(p("s"), 1, a.ctx()));
    }

    @Test
    void attachmentTokensAreLastWriterWinsValues() {
        // given a field declared ATTACHMENT and two concurrent tokens
        Peer a = new Peer(A);
        Peer b = new Peer(B);
        TypeHints hints = TypeHints.builder().put("att", CrdtType.ATTACHMENT).build();
        AttachmentToken t1 = AttachmentToken.of("aa", 1, Map.of("name", "one"));
        AttachmentToken t2 = AttachmentToken.of("bb", 2, Map.of("kind", "two"));
        CrdtDocument base = CrdtDocument.create("x", map(), hints, a.ctx());
        CrdtDocument onB = b.receive(null, base);
        CrdtDocument da = base.set(p("att"), t1, hints, a.ctx());
        b.now[0] += 1_000;
        CrdtDocument db = onB.set(p("att"), t2.toMap(), TypeHints.NONE, b.ctx());

        // when merged, then the later token wins whole (never a mix of both)
        Object merged = value(da.merge(db)).get("att");
        assertEquals(t2, AttachmentToken.fromMap((Map<?, ?>) merged));

        // and a declared ATTACHMENT refuses anything but a token
        DittoException e = assertThrows(DittoException.class, () -> base.set(p("att"), "nope", hints, a.ctx()));
        assertTrue(e.getMessage().contains("ATTACHMENT"), e.getMessage());
    }

    @Test
    void initialDocumentsMergeAsOneAndLoseToAnyRealWrite() {
        // given two peers that insert the same INITIAL document, and one with a real document
        Map<String, Object> seed = map("name", "default", "prefs", map("dark", false));
        CrdtDocument i1 = CrdtDocument.initial("cfg", seed);
        CrdtDocument i2 = CrdtDocument.initial("cfg", new HashMap<>(seed));
        Peer a = new Peer(A);

        // then identical initial documents are byte-identical and merge as one
        assertArrayEquals(i1.encode(), i2.encode());
        assertSame(i1, i1.merge(i2));
        assertTrue(i1.isInitialOnly());
        assertEquals(VersionVector.EMPTY, i1.versionVector());

        // when a peer updates its copy, then the update wins everywhere, and initial data cannot undo it
        CrdtDocument updated = i1.set(p("prefs.dark"), true, TypeHints.NONE, a.ctx()).unset(p("name"), a.ctx());
        assertFalse(updated.isInitialOnly());
        assertEquals(map("_id", "cfg", "prefs", map("dark", true)), value(i2.merge(updated)));
        assertSame(updated, updated.merge(i2), "initial data merged into a written document is a no-op");

        // and an INITIAL insert over a document created for real is a no-op
        CrdtDocument real = CrdtDocument.create("cfg", map("name", "mine"), TypeHints.NONE, a.ctx());
        assertSame(real, real.merge(i1));
        assertEquals(map("_id", "cfg", "name", "mine"), value(i1.merge(real)));
    }

    @Test
    void differingInitialDocumentsMergeDeterministically() {
        // given two peers with different INITIAL documents for one id
        CrdtDocument i1 = CrdtDocument.initial("cfg", map("a", 1, "b", 2));
        CrdtDocument i2 = CrdtDocument.initial("cfg", map("a", 9, "c", 3));

        // when merged either way, then keys unite and the conflicting key resolves the same way
        CrdtDocument m1 = i1.merge(i2);
        CrdtDocument m2 = i2.merge(i1);
        assertArrayEquals(m1.encode(), m2.encode());
        assertEquals(List.of("_id", "a", "b", "c"), new ArrayList<>(value(m1).keySet()));
    }

    @Test
    void idIsImmutable() {
        // given a document
        Peer a = new Peer(A);
        CrdtDocument d = CrdtDocument.create(map("site", "s1", "n", 1), map("f", 1), TypeHints.NONE, a.ctx());

        // then _id cannot be set, unset or changed by an insert, but repeating the same _id is fine
        for (DittoException e : List.of(
                assertThrows(DittoException.class, () -> d.set(p("_id"), 1, TypeHints.NONE, a.ctx())),
                assertThrows(DittoException.class, () -> d.set(p("_id.site"), "s2", TypeHints.NONE, a.ctx())),
                assertThrows(DittoException.class, () -> d.unset(p("_id"), a.ctx())),
                assertThrows(DittoException.class, () -> d.insert(map("_id", "other"), TypeHints.NONE, a.ctx())),
                assertThrows(DittoException.class, () -> CrdtDocument.create(null, map(), TypeHints.NONE, a.ctx())))) {
            assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        }
        CrdtDocument again = d.insert(map("_id", map("n", 1, "site", "s1"), "g", 2), TypeHints.NONE, a.ctx());
        assertEquals(map("n", 1L, "site", "s1"), again.id());
    }

    @Test
    void rejectsNonFiniteNumbersNamingThePath() {
        Peer a = new Peer(A);
        CrdtDocument d = CrdtDocument.create("x", map(), TypeHints.NONE, a.ctx());
        DittoException e = assertThrows(DittoException.class,
                () -> d.set(p("m.list"), List.of(1, Double.POSITIVE_INFINITY), TypeHints.NONE, a.ctx()));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains("m.list[1]"), e.getMessage());
        assertThrows(DittoException.class, () -> d.set(p("f"), Float.NaN, TypeHints.NONE, a.ctx()));
        assertThrows(DittoException.class, () -> d.set(p("f"), new Object(), TypeHints.NONE, a.ctx()));
        assertThrows(DittoException.class, () -> d.set(p("f"), Map.of(1, 2), TypeHints.NONE, a.ctx()));
    }

    @Test
    void limitsNestingTo64Levels() {
        // given values nested so that the document has 64 and 65 levels
        Object ok = 1;
        for (int i = 0; i < 63; i++) {
            ok = List.of(ok);
        }
        Object tooDeep = List.of(ok);
        Peer a = new Peer(A);
        CrdtDocument d = CrdtDocument.create("x", map("v", ok), TypeHints.NONE, a.ctx());

        // then 64 levels are stored and survive the codec, 65 are refused
        assertEquals(d, CrdtDocument.decode(d.encode()));
        DittoException e = assertThrows(DittoException.class, () -> CrdtDocument.create("x", map("v", tooDeep), TypeHints.NONE, a.ctx()));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains("64"), e.getMessage());

        // and a path that is too deep is refused as well
        Path deep = Path.key("k");
        for (int i = 0; i < 64; i++) {
            deep = deep.child("k");
        }
        Path finalDeep = deep;
        assertThrows(DittoException.class, () -> d.set(finalDeep, 1, TypeHints.NONE, a.ctx()));
    }

    @Test
    void writesThroughScalarsOrCountersAreRefused() {
        Peer a = new Peer(A);
        CrdtDocument d = CrdtDocument.create("x", map("s", 1), TypeHints.NONE, a.ctx()).increment(p("c"), 1, a.ctx());
        assertThrows(DittoException.class, () -> d.set(p("s.x"), 1, TypeHints.NONE, a.ctx()));
        assertThrows(DittoException.class, () -> d.set(p("c.x"), 1, TypeHints.NONE, a.ctx()));
        assertThrows(DittoException.class, () -> d.set(p("missing[0]"), 1, TypeHints.NONE, a.ctx()));
        assertThrows(DittoException.class, () -> d.set(p("c"), "x", TypeHints.builder().put("c", CrdtType.COUNTER).build(), a.ctx()));
        assertThrows(DittoException.class, () -> d.set(p("m"), 1, TypeHints.builder().put("m", CrdtType.MAP).build(), a.ctx()));
    }

    @Test
    void refusesTimestampsOlderThanTheSitesLastOperation() {
        // given a document written at a late timestamp
        Peer a = new Peer(A);
        CrdtDocument d = CrdtDocument.create("x", map(), TypeHints.NONE, a.ctx());
        OpContext stale = new OpContext(new Timestamp(d.versionVector().get(A.value()) - 1, A.value()), false);

        // then a write stamped earlier by the same site is refused
        assertThrows(DittoException.class, () -> d.set(p("f"), 1, TypeHints.NONE, stale));
        assertThrows(DittoException.class, () -> new OpContext(Timestamp.ZERO, false));
    }

    @Test
    void mergeRefusesADifferentDocument() {
        Peer a = new Peer(A);
        CrdtDocument x = CrdtDocument.create("x", map(), TypeHints.NONE, a.ctx());
        CrdtDocument y = CrdtDocument.create("y", map(), TypeHints.NONE, a.ctx());
        assertEquals(ErrorCode.INVALID_ARGUMENTS, assertThrows(DittoException.class, () -> x.merge(y)).code());
    }

    @Test
    void keepsTheEncodingOfUnchangedDocuments() {
        // given the bytes of a stored document
        Peer a = new Peer(A);
        byte[] stored = CrdtDocument.create("x", map("f", new byte[] {1, 2}, "big", new BigInteger("123456789012345678901234567890"),
                "dec", new BigDecimal("1.50")), TypeHints.NONE, a.ctx()).encode();

        // when read back by the store and merged with something it already has
        CrdtDocument d = CrdtDocument.decodeTrusted(stored);
        CrdtDocument same = d.merge(CrdtDocument.decode(stored));

        // then no encoding is computed: the stored array itself is returned
        assertSame(d, same);
        assertSame(stored, d.encode());
        assertSame(d.encode(), d.encode());
        CrdtDocument changed = d.set(p("g"), 1, TypeHints.NONE, a.ctx());
        assertNotSame(stored, changed.encode());
        assertEquals(new BigDecimal("1.50"), value(d).get("dec"));
        assertEquals(new BigInteger("123456789012345678901234567890"), value(d).get("big"));
    }

    @Test
    void versionVectorRecordsEveryWriteForDeltaReplication() {
        // given a document and a later version of it
        Peer a = new Peer(A);
        Peer b = new Peer(B);
        CrdtDocument v1 = CrdtDocument.create("x", map("f", 1), TypeHints.NONE, a.ctx());
        CrdtDocument v2 = v1.unset(p("f"), a.ctx());
        CrdtDocument onB = b.receive(null, v1).set(p("g"), 1, TypeHints.NONE, b.ctx());

        // then even an unset advances the vector, and concurrent versions compare as such
        assertEquals(VersionVector.Order.AFTER, v2.versionVector().compare(v1.versionVector()));
        assertEquals(VersionVector.Order.CONCURRENT, v2.versionVector().compare(onB.versionVector()));
        assertEquals(VersionVector.Order.EQUAL, v2.merge(onB).versionVector().compare(onB.merge(v2).versionVector()));
    }
}
