package ditto.engine.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * The key layout of the store on the storage SPI (see {@code docs/store.md}):
 *
 * <pre>
 *  space "docs"      name(collection) ‖ value(_id)                          → CrdtDocument.encode()
 *  space "index"     name(collection) ‖ name(index) ‖ value(v) ‖ value(_id) → (empty)
 *  space "indexdefs" name(collection) ‖ name(index)                         → value([path segments])
 *  space "meta"      "site" → 8 bytes, "hlc" → 8 bytes, "catalog" → 8 bytes (index catalog version)
 *  space "changes"   commit id (8 bytes) ‖ document key                      → origin site (8 bytes) or empty
 *  space "changeseq" document key                                           → commit id (8 bytes)
 *  space "evictgen"  name(collection)                                       → 8 bytes: EVICT generation
 *  space "syncpeers" remote site id (8 bytes)                               → the sync layer's peer record
 * </pre>
 *
 * where {@code name(s)} is the escaped, terminated UTF-8 of {@code s} and {@code value(v)} the
 * {@link KeyCodec} encoding. Because every part is self-delimiting, the documents of one
 * collection are exactly the key range {@code [name(c), successor(name(c)))}, and the entries of
 * one index for one value exactly {@code [prefix ‖ value(v), successor(prefix ‖ value(v)))}.
 * Stateless.
 */
final class Keys {

    /** The documents of every collection. */
    static final String DOCS = "docs";
    /** The entries of every index. */
    static final String INDEX = "index";
    /** The index definitions. */
    static final String INDEX_DEFS = "indexdefs";
    /** Site id, clock high-water mark and catalog version. */
    static final String META = "meta";

    /** The change log: which document each commit changed, in commit order (see {@link WorkingSet#recordChanges}). */
    static final String CHANGES = "changes";
    /** The commit id of each document's entry in {@link #CHANGES}, so a new change replaces the old entry. */
    static final String CHANGE_SEQ = "changeseq";
    /** Per collection, how many commits evicted documents from it. */
    static final String EVICT_GENERATION = "evictgen";
    /** Per remote store (site id), the replication state the sync layer keeps about it. */
    static final String SYNC_PEERS = "syncpeers";

    static final byte[] META_SITE = ascii("site");
    static final byte[] META_HLC = ascii("hlc");
    static final byte[] META_CATALOG = ascii("catalog");

    private Keys() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns {@code name(collection)}: the prefix of the collection's document keys. */
    static byte[] collectionPrefix(String collection) {
        KeyCodec.Buffer b = new KeyCodec.Buffer(collection.length() + 4);
        KeyCodec.writeName(b, collection);
        return b.toArray();
    }

    /** Returns the key of a document: the collection prefix followed by the encoded id. */
    static byte[] documentKey(byte[] collectionPrefix, Object id) {
        KeyCodec.Buffer b = new KeyCodec.Buffer(collectionPrefix, 24);
        KeyCodec.write(b, id, 0);
        return b.toArray();
    }

    /** Returns {@code name(collection) ‖ name(index)}: the prefix of an index's entries and its definition key. */
    static byte[] indexPrefix(String collection, String index) {
        KeyCodec.Buffer b = new KeyCodec.Buffer(collection.length() + index.length() + 8);
        KeyCodec.writeName(b, collection);
        KeyCodec.writeName(b, index);
        return b.toArray();
    }

    /** Returns an index entry's key: prefix, encoded value, and the document key's id part. */
    static byte[] indexKey(byte[] indexPrefix, byte[] encodedValue, byte[] documentKey, int collectionPrefixLength) {
        int idLength = documentKey.length - collectionPrefixLength;
        byte[] out = Arrays.copyOf(indexPrefix, indexPrefix.length + encodedValue.length + idLength);
        System.arraycopy(encodedValue, 0, out, indexPrefix.length, encodedValue.length);
        System.arraycopy(documentKey, collectionPrefixLength, out, indexPrefix.length + encodedValue.length, idLength);
        return out;
    }

    /** Returns the document key an index entry points to. */
    static byte[] documentKeyOfIndexEntry(byte[] indexKey, int indexPrefixLength, byte[] collectionPrefix) {
        int idStart = KeyCodec.skip(indexKey, indexPrefixLength);
        byte[] out = Arrays.copyOf(collectionPrefix, collectionPrefix.length + indexKey.length - idStart);
        System.arraycopy(indexKey, idStart, out, collectionPrefix.length, indexKey.length - idStart);
        return out;
    }

    /** Concatenates two arrays. */
    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Returns {@code prefix} followed by one byte. */
    static byte[] withByte(byte[] prefix, int b) {
        byte[] out = Arrays.copyOf(prefix, prefix.length + 1);
        out[prefix.length] = (byte) b;
        return out;
    }

    /** Returns the smallest key after every key starting with {@code prefix}. */
    static byte[] end(byte[] prefix) {
        byte[] s = KeyCodec.successor(prefix);
        if (s == null) {
            throw new DittoException(ErrorCode.INTERNAL, "store: key prefix has no successor");
        }
        return s;
    }

    /** Encodes a long as 8 big-endian bytes. */
    static byte[] longValue(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    /**
     * Decodes 8 big-endian bytes.
     *
     * @throws DittoException {@link ErrorCode#STORE} naming {@code what} if the value is not 8 bytes
     */
    static long longOf(byte[] bytes, String what) {
        if (bytes.length != 8) {
            throw new DittoException(ErrorCode.STORE, "store: the stored " + what + " is " + bytes.length
                    + " bytes, expected 8; the store may be damaged");
        }
        return ByteBuffer.wrap(bytes).getLong();
    }
}
