package ditto.engine.crdt;

/**
 * Internal: the visible side of a {@link Field}: the materialized value, the timestamp of the
 * newest operation behind it (which decides between parts of different types written
 * concurrently to one field) and the kind of part that produced it.
 */
record Shown(Object value, long hlc, long site, Kind kind) {
    enum Kind { REGISTER, MAP, COUNTER }

    /**
     * Cached in place of null for "computed, nothing visible". A part caches its result in one
     * plain field: a racing reader sees either null (and recomputes the same result) or a fully
     * constructed record (final fields), never a half-published state.
     */
    static final Shown INVISIBLE = new Shown(null, 0, 0, null);

    boolean newerThan(long h, long s) {
        return Timestamp.compare(hlc, site, h, s) > 0;
    }
}
