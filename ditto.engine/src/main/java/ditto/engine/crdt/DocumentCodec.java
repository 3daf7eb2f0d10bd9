package ditto.engine.crdt;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Internal: the canonical CBOR form of a {@link CrdtDocument} (format 1), written and read with
 * the Jackson streaming API. Every container has a definite length, map keys and dots are in
 * strictly increasing order and doubles are always 64-bit, so equal states give equal bytes.
 *
 * <pre>
 * document  = [1, id, context, existence, deletes, fields]
 * context   = [site, hlc, site, hlc, ...]                      by site (unsigned)
 * existence = deletes = [hlc, site, hlc, site, ...]             dot sets, by (hlc, site)
 * fields    = {key: field, ...}                                 by key (String.compareTo)
 * field     = [register, map | null, counter | null]
 * register  = [hlc, site, value, ...]                           value = JSON-model value
 * map       = [presence (dot set), fields]
 * counter   = [incs, floor, restarts]
 * incs = floor = [site, hlc, total (float64), ...]              by site (unsigned)
 * restarts  = [hlc, site, base (float64), ...]
 * </pre>
 *
 * The reader trusts nothing: it checks structure, order, nesting depth, that every dot other
 * than {@link Timestamp#ZERO} is a real dot covered by the document's context, that no part is
 * empty (an encoder never writes one) and that numbers are finite; it fails with {@code PROTOCOL}.
 */
final class DocumentCodec {
    static final int FORMAT = 1;

    private DocumentCodec() {
    }

    static byte[] encode(CrdtDocument d) {
        return Cbor.write("document", gen -> {
            gen.writeStartArray(d, 6);
            gen.writeNumber(FORMAT);
            Cbor.writeValue(gen, d.id);
            d.context.write(gen);
            writeDots(gen, d.alive, false);
            writeDots(gen, d.deleted, false);
            writeFields(gen, d.fields);
            gen.writeEndArray();
        });
    }

    private static void writeFields(CBORGenerator gen, SortedMap<String, Field> fields) throws IOException {
        gen.writeStartObject(fields, fields.size());
        for (Map.Entry<String, Field> e : fields.entrySet()) {
            gen.writeFieldName(e.getKey());
            Field f = e.getValue();
            gen.writeStartArray(f, 3);
            writeDots(gen, f.reg, true);
            if (f.map == null) {
                gen.writeNull();
            } else {
                gen.writeStartArray(f.map, 2);
                writeDots(gen, f.map.presence, false);
                writeFields(gen, f.map.children);
                gen.writeEndArray();
            }
            if (f.counter == null) {
                gen.writeNull();
            } else {
                gen.writeStartArray(f.counter, 3);
                writeSites(gen, f.counter.incs);
                writeSites(gen, f.counter.floor);
                writeDots(gen, f.counter.restarts, true);
                gen.writeEndArray();
            }
            gen.writeEndArray();
        }
        gen.writeEndObject();
    }

    private static void writeDots(CBORGenerator gen, Dots d, boolean withValues) throws IOException {
        gen.writeStartArray(d, d.size() * (withValues ? 3 : 2));
        for (int i = 0; i < d.size(); i++) {
            gen.writeNumber(d.hlc[i]);
            gen.writeNumber(d.site[i]);
            if (withValues) {
                Cbor.writeValue(gen, d.values[i]);
            }
        }
        gen.writeEndArray();
    }

    private static void writeSites(CBORGenerator gen, SiteTable t) throws IOException {
        gen.writeStartArray(t, t.size() * 3);
        for (int i = 0; i < t.size(); i++) {
            gen.writeNumber(t.site[i]);
            gen.writeNumber(t.hlc[i]);
            gen.writeNumber(t.total[i]);
        }
        gen.writeEndArray();
    }

    // ------------------------------------------------------------------ reading

    private enum Values { NONE, JSON, DOUBLE }

    static CrdtDocument decode(byte[] bytes) {
        if (bytes == null) {
            throw new DittoException(ErrorCode.PROTOCOL, "decode document: no bytes");
        }
        if (bytes.length > CrdtDocument.MAX_DECODE_BYTES) {
            throw new DittoException(ErrorCode.PROTOCOL, "decode document: " + bytes.length + " bytes exceeds the limit of "
                    + CrdtDocument.MAX_DECODE_BYTES);
        }
        try (Cbor.Reader r = new Cbor.Reader(bytes, "document")) {
            r.expect(JsonToken.START_ARRAY, "document");
            long format = r.readLong("format");
            if (format != FORMAT) {
                throw r.fail("unsupported format " + format + " (expected " + FORMAT + ")");
            }
            r.nextRequired();
            Object id = r.currentValue("_id", 1);
            if (id == null) {
                throw r.fail("_id is null");
            }
            r.expect(JsonToken.START_ARRAY, "context");
            VersionVector ctx = VersionVector.read(r);
            r.expect(JsonToken.START_ARRAY, "existence");
            Dots alive = readDots(r, ctx, Values.NONE, "existence", 1);
            r.expect(JsonToken.START_ARRAY, "deletes");
            Dots deleted = readDots(r, ctx, Values.NONE, "deletes", 1);
            r.expect(JsonToken.START_OBJECT, "fields");
            SortedMap<String, Field> fields = readFields(r, ctx, 1, "");
            r.expect(JsonToken.END_ARRAY, "document end");
            r.expectEnd();
            return new CrdtDocument(id, ctx, alive, deleted, fields, bytes);
        }
    }

    /** Reads fields after START_OBJECT through END_OBJECT; {@code level} is the level of the container holding them. */
    private static SortedMap<String, Field> readFields(Cbor.Reader r, VersionVector ctx, int level, String parent) {
        TreeMap<String, Field> out = new TreeMap<>();
        String previous = null;
        for (JsonToken t = r.nextRequired(); t != JsonToken.END_OBJECT; t = r.nextRequired()) {
            if (t != JsonToken.FIELD_NAME) {
                throw r.fail("fields: expected a key but found " + t);
            }
            String key = r.currentName();
            String where = parent.isEmpty() ? key : parent + "." + key;
            if (previous != null && previous.compareTo(key) >= 0) {
                throw r.fail("fields: keys not in strictly increasing order at '" + where + "'");
            }
            if (level == 1 && key.equals("_id")) {
                throw r.fail("fields: _id is not a field");
            }
            previous = key;
            out.put(key, readField(r, ctx, level, where));
        }
        return Collections.unmodifiableSortedMap(out);
    }

    private static Field readField(Cbor.Reader r, VersionVector ctx, int level, String where) {
        r.expect(JsonToken.START_ARRAY, where);
        r.expect(JsonToken.START_ARRAY, where + " register");
        Dots reg = readDots(r, ctx, Values.JSON, where + " register", level);
        MapPart map = null;
        JsonToken t = r.nextRequired();
        if (t == JsonToken.START_ARRAY) {
            r.checkDepth(where, level + 1);
            r.expect(JsonToken.START_ARRAY, where + " presence");
            Dots presence = readDots(r, ctx, Values.NONE, where + " presence", level);
            r.expect(JsonToken.START_OBJECT, where + " children");
            SortedMap<String, Field> kids = readFields(r, ctx, level + 1, where);
            r.expect(JsonToken.END_ARRAY, where + " map end");
            map = MapPart.of(presence, new TreeMap<>(kids));
            if (map == null) {
                throw r.fail(where + ": empty map part");
            }
        } else if (t != JsonToken.VALUE_NULL) {
            throw r.fail(where + ": expected a map part or null but found " + t);
        }
        CounterPart counter = null;
        t = r.nextRequired();
        if (t == JsonToken.START_ARRAY) {
            r.expect(JsonToken.START_ARRAY, where + " increments");
            SiteTable incs = readSites(r, ctx, where + " increments");
            r.expect(JsonToken.START_ARRAY, where + " floor");
            SiteTable floor = readSites(r, ctx, where + " floor");
            r.expect(JsonToken.START_ARRAY, where + " restarts");
            Dots restarts = readDots(r, ctx, Values.DOUBLE, where + " restarts", level);
            r.expect(JsonToken.END_ARRAY, where + " counter end");
            counter = CounterPart.of(incs, floor, restarts);
            if (counter == null) {
                throw r.fail(where + ": empty counter part");
            }
        } else if (t != JsonToken.VALUE_NULL) {
            throw r.fail(where + ": expected a counter part or null but found " + t);
        }
        r.expect(JsonToken.END_ARRAY, where + " end");
        Field f = Field.of(reg, map, counter);
        if (f.isEmpty()) {
            throw r.fail(where + ": empty field");
        }
        return f;
    }

    /** Reads dots (and values) after START_ARRAY through END_ARRAY. */
    private static Dots readDots(Cbor.Reader r, VersionVector ctx, Values values, String what, int level) {
        int n = 0;
        long[] h = new long[2];
        long[] s = new long[2];
        Object[] v = new Object[2];
        for (JsonToken t = r.nextRequired(); t != JsonToken.END_ARRAY; t = r.nextRequired()) {
            long hlc = r.currentLong(what + " clock");
            long site = r.readLong(what + " site");
            boolean zero = hlc == 0 && site == 0;
            if (!zero && (site == 0 || hlc <= 0 || !ctx.covers(hlc, site))) {
                throw r.fail(what + ": dot " + hlc + "@" + Long.toHexString(site) + " is invalid or outside the document's context");
            }
            if (n > 0 && Timestamp.compare(h[n - 1], s[n - 1], hlc, site) >= 0) {
                throw r.fail(what + ": dots not in strictly increasing order");
            }
            Object value = null;
            if (values == Values.JSON) {
                r.nextRequired();
                value = r.currentValue(what, level);
            } else if (values == Values.DOUBLE) {
                value = r.readDouble(what + " value");
            }
            if (n == h.length) {
                h = Arrays.copyOf(h, n * 2);
                s = Arrays.copyOf(s, n * 2);
                v = Arrays.copyOf(v, n * 2);
            }
            h[n] = hlc;
            s[n] = site;
            v[n++] = value;
        }
        return n == 0 ? Dots.EMPTY : new Dots(Arrays.copyOf(h, n), Arrays.copyOf(s, n), Arrays.copyOf(v, n));
    }

    private static SiteTable readSites(Cbor.Reader r, VersionVector ctx, String what) {
        int n = 0;
        long[] s = new long[2];
        long[] h = new long[2];
        double[] t = new double[2];
        for (JsonToken tok = r.nextRequired(); tok != JsonToken.END_ARRAY; tok = r.nextRequired()) {
            long site = r.currentLong(what + " site");
            long hlc = r.readLong(what + " clock");
            double total = r.readDouble(what + " total");
            if (site == 0 || hlc <= 0 || !ctx.covers(hlc, site)) {
                throw r.fail(what + ": entry " + hlc + "@" + Long.toHexString(site) + " is invalid or outside the document's context");
            }
            if (n > 0 && Long.compareUnsigned(s[n - 1], site) >= 0) {
                throw r.fail(what + ": sites not in strictly increasing order");
            }
            if (n == s.length) {
                s = Arrays.copyOf(s, n * 2);
                h = Arrays.copyOf(h, n * 2);
                t = Arrays.copyOf(t, n * 2);
            }
            s[n] = site;
            h[n] = hlc;
            t[n++] = total;
        }
        return n == 0 ? SiteTable.EMPTY : new SiteTable(Arrays.copyOf(s, n), Arrays.copyOf(h, n), Arrays.copyOf(t, n));
    }
}
