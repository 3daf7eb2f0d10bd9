package ditto.engine.store;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import ditto.engine.crdt.CrdtDocument;

/**
 * Decoded documents by storage key, so that reading a document again costs a byte comparison
 * instead of a CRDT decode and a materialization (the hot path of point lookups and repeated
 * scans). An entry is used only if its document's encoding equals the bytes just read from the
 * snapshot, so the cache can never show a state the snapshot does not hold: a stale entry is
 * simply replaced. Commits put the documents they wrote (their encoding is exactly what was
 * stored).
 *
 * <p>Bounded by the sum of the cached documents' encoded sizes ({@link #budgetBytes}), split over
 * {@value #STRIPES} least-recently-used stripes; a document larger than a sixteenth of a stripe
 * is never cached. Thread-safe: each stripe is guarded by its own monitor. Cached documents are
 * immutable and shared between threads.
 *
 * <p>Keys are {@link Key}s with a well-mixed hash; the stripe is chosen from the hash's top bits,
 * so the bits each stripe's hash table indexes by stay spread (choosing both from the low bits
 * put a stripe's keys into a sixteenth of its buckets, which then degenerated into tree bins).
 */
final class DocumentCache {

    /** The default budget: 16 MiB of encoded documents. */
    static final long DEFAULT_BUDGET_BYTES = 16L << 20;
    private static final int STRIPE_BITS = 4;
    private static final int STRIPES = 1 << STRIPE_BITS;

    private final long budgetBytes;
    private final Stripe[] stripes = new Stripe[STRIPES];

    DocumentCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe(budgetBytes / STRIPES);
        }
    }

    /** Returns the budget in encoded bytes. */
    long budgetBytes() {
        return budgetBytes;
    }

    /**
     * Returns the document stored as {@code stored} under {@code key}: the cached instance if its
     * encoding equals {@code stored}, else a newly decoded one, cached if {@code admit} (point
     * reads admit; scans do not, so a scan larger than the cache does not flush it).
     */
    CrdtDocument get(byte[] key, byte[] stored, boolean admit) {
        Key k = new Key(key);
        Stripe stripe = stripe(k);
        CrdtDocument cached = stripe.get(k);
        if (cached != null) {
            byte[] encoded = cached.encode();
            if (encoded == stored || Arrays.equals(encoded, stored)) {
                return cached;
            }
        }
        CrdtDocument decoded = CrdtDocument.decodeTrusted(stored);
        if (admit) {
            stripe.put(k, decoded);
        }
        return decoded;
    }

    /** Caches a document just committed under {@code key}. */
    void put(byte[] key, CrdtDocument document) {
        Key k = new Key(key);
        stripe(k).put(k, document);
    }

    /** Forgets the document under {@code key} (evicted or reaped). */
    void remove(byte[] key) {
        Key k = new Key(key);
        stripe(k).remove(k);
    }

    /** Returns how many documents are cached. */
    int size() {
        int n = 0;
        for (Stripe s : stripes) {
            n += s.size();
        }
        return n;
    }

    private Stripe stripe(Key key) {
        return stripes[stripeIndex(key.hash)];
    }

    /** Returns the stripe of a key hash: its top bits (a HashMap indexes by the low bits). */
    static int stripeIndex(int hash) {
        return hash >>> (Integer.SIZE - STRIPE_BITS);
    }

    /**
     * A storage key compared by content, with its hash computed once: the polynomial hash of the
     * bytes passed through a 32-bit finalizer (MurmurHash3's {@code fmix32}) so that every bit
     * depends on every byte. Wraps the caller's array without copying; key arrays are never
     * modified after they are built.
     */
    static final class Key {
        final byte[] bytes;
        final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = mix(Arrays.hashCode(bytes));
        }

        static int mix(int h) {
            h ^= h >>> 16;
            h *= 0x85ebca6b;
            h ^= h >>> 13;
            h *= 0xc2b2ae35;
            h ^= h >>> 16;
            return h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** One LRU segment; every method holds the stripe's monitor. */
    private static final class Stripe {
        private final long budget;
        private final LinkedHashMap<Key, CrdtDocument> map = new LinkedHashMap<>(64, 0.75f, true);
        private long weight;

        Stripe(long budget) {
            this.budget = budget;
        }

        synchronized CrdtDocument get(Key key) {
            return map.get(key);
        }

        synchronized void put(Key key, CrdtDocument document) {
            int w = document.encode().length;
            if (w > budget / 16) {
                remove(key);
                return;
            }
            CrdtDocument previous = map.put(key, document);
            weight += w - (previous == null ? 0 : previous.encode().length);
            Iterator<Map.Entry<Key, CrdtDocument>> it = map.entrySet().iterator();
            while (weight > budget && it.hasNext()) {
                Map.Entry<Key, CrdtDocument> eldest = it.next();
                weight -= eldest.getValue().encode().length;
                it.remove();
            }
        }

        synchronized void remove(Key key) {
            CrdtDocument previous = map.remove(key);
            if (previous != null) {
                weight -= previous.encode().length;
            }
        }

        synchronized int size() {
            return map.size();
        }
    }
}
