package ditto.engine.crdt;

/**
 * The stamp of one operation: a hybrid-logical-clock value and the site that issued it.
 *
 * <p>Timestamps are totally ordered: first by {@link #hlc()}, then by {@link #site()}, both compared
 * as unsigned numbers. Last-writer-wins picks the greatest timestamp. A timestamp also serves as
 * the operation's <em>dot</em>, its unique identity in causal contexts ({@link VersionVector}):
 * a clock never issues the same value twice, so (hlc, site) names one operation.
 *
 * <p>{@link #ZERO} stamps INITIAL documents; every real timestamp is greater than it.
 *
 * @param hlc the hybrid-logical-clock value (48 bits of epoch milliseconds, 16 logical bits; see {@link HybridClock})
 * @param site the issuing site's id ({@link SiteId#value()}), or 0 only in {@link #ZERO}
 */
public record Timestamp(long hlc, long site) implements Comparable<Timestamp> {

    /** The timestamp of INITIAL documents: smaller than every real timestamp. */
    public static final Timestamp ZERO = new Timestamp(0, 0);

    /** Returns the timestamp {@code (hlc, site)}. */
    public static Timestamp of(long hlc, SiteId site) {
        return new Timestamp(hlc, site.value());
    }

    /** Returns the physical part of {@link #hlc()}, in epoch milliseconds. */
    public long physicalMillis() {
        return HybridClock.physicalOf(hlc);
    }

    /** Returns the logical part of {@link #hlc()} (0 to 65535). */
    public int logical() {
        return HybridClock.logicalOf(hlc);
    }

    /** Returns whether this is {@link #ZERO}. */
    public boolean isZero() {
        return hlc == 0 && site == 0;
    }

    /** Orders by hlc, then site, both unsigned. */
    @Override
    public int compareTo(Timestamp o) {
        return compare(hlc, site, o.hlc, o.site);
    }

    static int compare(long hlcA, long siteA, long hlcB, long siteB) {
        int c = Long.compareUnsigned(hlcA, hlcB);
        return c != 0 ? c : Long.compareUnsigned(siteA, siteB);
    }

    /** Returns {@code hlc@site} with the site in hex, for logs. */
    @Override
    public String toString() {
        return physicalMillis() + "." + logical() + "@" + java.util.HexFormat.of().toHexDigits(site);
    }
}
