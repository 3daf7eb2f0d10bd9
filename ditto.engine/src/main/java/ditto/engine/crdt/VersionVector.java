package ditto.engine.crdt;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The causal context of one document: for each site, the greatest clock value of that site's
 * operations the document has seen.
 *
 * <p>A document's operations are stamped by their {@link Timestamp}, which doubles as the
 * operation's <em>dot</em>. Because a peer applies its own operations to a document in clock
 * order and documents always travel whole, a replica that has seen a site's operation with clock
 * value {@code h} has seen all of that site's earlier operations on the document, so the vector
 * {@code site -> h} describes the seen set exactly ({@link #covers(Timestamp)}). Every mutation
 * raises the writer's entry, so two replicas with equal vectors hold the same state and a peer
 * whose vector {@linkplain #dominates dominates} another's has nothing to receive from it:
 * that is what delta replication compares.
 *
 * <p>Site 0 is special: the entry {@code 0 -> 0} records that a real (non-INITIAL) operation
 * has been seen, which makes INITIAL data ({@link Timestamp#ZERO}) covered and lets any real
 * write supersede it. Immutable and thread-safe; entries are kept sorted by site as an unsigned
 * number, which is also their canonical encoding order.
 */
public final class VersionVector {
    /** The vector of a document that has seen nothing (fresh INITIAL data). */
    public static final VersionVector EMPTY = new VersionVector(new long[0], new long[0]);

    /** The result of {@link #compare(VersionVector)}. */
    public enum Order {
        /** Both vectors are equal. */
        EQUAL,
        /** This vector is strictly dominated by the other: the other has seen more. */
        BEFORE,
        /** This vector strictly dominates the other. */
        AFTER,
        /** Each has seen something the other has not. */
        CONCURRENT
    }

    private final long[] sites;
    private final long[] hlcs;

    private VersionVector(long[] sites, long[] hlcs) {
        this.sites = sites;
        this.hlcs = hlcs;
    }

    private int find(long site) {
        int lo = 0;
        int hi = sites.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(sites[mid], site);
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

    /** Returns the greatest clock value seen from {@code site}, or -1 when none. */
    public long get(long site) {
        int i = find(site);
        return i >= 0 ? hlcs[i] : -1;
    }

    /** Returns whether the operation with this dot has been seen. */
    public boolean covers(Timestamp dot) {
        return covers(dot.hlc(), dot.site());
    }

    boolean covers(long hlc, long site) {
        int i = find(site);
        return i >= 0 && hlc <= hlcs[i];
    }

    /** Returns this vector with {@code dot} recorded as seen (unchanged if it already was). */
    public VersionVector with(Timestamp dot) {
        return with(dot.site(), dot.hlc());
    }

    VersionVector with(long site, long hlc) {
        int i = find(site);
        if (i >= 0) {
            if (hlcs[i] >= hlc) {
                return this;
            }
            long[] h = hlcs.clone();
            h[i] = hlc;
            return new VersionVector(sites, h);
        }
        int at = -i - 1;
        long[] s = new long[sites.length + 1];
        long[] h = new long[sites.length + 1];
        System.arraycopy(sites, 0, s, 0, at);
        System.arraycopy(hlcs, 0, h, 0, at);
        s[at] = site;
        h[at] = hlc;
        System.arraycopy(sites, at, s, at + 1, sites.length - at);
        System.arraycopy(hlcs, at, h, at + 1, sites.length - at);
        return new VersionVector(s, h);
    }

    /** Returns the pointwise maximum of both vectors (returns this when it already dominates). */
    public VersionVector merge(VersionVector other) {
        if (dominates(other)) {
            return this;
        }
        if (other.dominates(this)) {
            return other;
        }
        long[] s = new long[sites.length + other.sites.length];
        long[] h = new long[s.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < sites.length || j < other.sites.length) {
            int c = i == sites.length ? 1 : j == other.sites.length ? -1 : Long.compareUnsigned(sites[i], other.sites[j]);
            if (c < 0) {
                s[n] = sites[i];
                h[n++] = hlcs[i++];
            } else if (c > 0) {
                s[n] = other.sites[j];
                h[n++] = other.hlcs[j++];
            } else {
                s[n] = sites[i];
                h[n++] = Math.max(hlcs[i++], other.hlcs[j++]);
            }
        }
        return new VersionVector(Arrays.copyOf(s, n), Arrays.copyOf(h, n));
    }

    /** Returns whether this vector has seen everything {@code other} has (pointwise &ge;). */
    public boolean dominates(VersionVector other) {
        for (int j = 0; j < other.sites.length; j++) {
            if (!covers(other.hlcs[j], other.sites[j])) {
                return false;
            }
        }
        return true;
    }

    /** Compares the seen sets of both vectors. */
    public Order compare(VersionVector other) {
        boolean ge = dominates(other);
        boolean le = other.dominates(this);
        if (ge && le) {
            return Order.EQUAL;
        }
        if (ge) {
            return Order.AFTER;
        }
        return le ? Order.BEFORE : Order.CONCURRENT;
    }

    /** Returns the greatest clock value in the vector (0 when empty); observe it before merging a received document. */
    public long maxHlc() {
        long max = 0;
        for (long h : hlcs) {
            max = Math.max(max, h);
        }
        return max;
    }

    /** Returns the number of sites. */
    public int size() {
        return sites.length;
    }

    /** Returns whether no site is recorded. */
    public boolean isEmpty() {
        return sites.length == 0;
    }

    /** Returns the entries, site to clock value, ordered by site as an unsigned number. */
    public Map<Long, Long> asMap() {
        Map<Long, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < sites.length; i++) {
            m.put(sites[i], hlcs[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Returns the canonical CBOR encoding: a flat array {@code [site, hlc, site, hlc, ...]} sorted by site. */
    public byte[] encode() {
        return Cbor.write("version vector", this::write);
    }

    void write(CBORGenerator gen) throws IOException {
        gen.writeStartArray(this, sites.length * 2);
        for (int i = 0; i < sites.length; i++) {
            gen.writeNumber(sites[i]);
            gen.writeNumber(hlcs[i]);
        }
        gen.writeEndArray();
    }

    /**
     * Decodes {@link #encode()} output from an untrusted source.
     *
     * @throws DittoException {@code PROTOCOL} if the bytes are not a well-formed, canonically ordered vector
     */
    public static VersionVector decode(byte[] bytes) {
        if (bytes.length > CrdtDocument.MAX_DECODE_BYTES) {
            throw new DittoException(ErrorCode.PROTOCOL, "decode version vector: " + bytes.length + " bytes is too large");
        }
        try (Cbor.Reader r = new Cbor.Reader(bytes, "version vector")) {
            r.expect(JsonToken.START_ARRAY, "version vector");
            VersionVector v = read(r);
            r.expectEnd();
            return v;
        }
    }

    /** Reads the entries after the array's start token, through its end token. */
    static VersionVector read(Cbor.Reader r) {
        long[] s = new long[4];
        long[] h = new long[4];
        int n = 0;
        for (JsonToken t = r.nextRequired(); t != JsonToken.END_ARRAY; t = r.nextRequired()) {
            long site = r.currentLong("version vector site");
            long hlc = r.readLong("version vector clock");
            if (hlc < 0 || (site == 0) != (hlc == 0)) {
                throw r.fail("version vector: invalid entry " + Long.toHexString(site) + " -> " + hlc);
            }
            if (n > 0 && Long.compareUnsigned(s[n - 1], site) >= 0) {
                throw r.fail("version vector: sites not in strictly increasing order");
            }
            if (n == s.length) {
                s = Arrays.copyOf(s, n * 2);
                h = Arrays.copyOf(h, n * 2);
            }
            s[n] = site;
            h[n++] = hlc;
        }
        return n == 0 ? EMPTY : new VersionVector(Arrays.copyOf(s, n), Arrays.copyOf(h, n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionVector v && Arrays.equals(sites, v.sites) && Arrays.equals(hlcs, v.hlcs);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sites) + Arrays.hashCode(hlcs);
    }

    /** Returns {@code {site-hex: physical.logical, ...}}, for logs. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < sites.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(java.util.HexFormat.of().toHexDigits(sites[i])).append(": ")
                    .append(HybridClock.physicalOf(hlcs[i])).append('.').append(HybridClock.logicalOf(hlcs[i]));
        }
        return sb.append('}').toString();
    }
}
