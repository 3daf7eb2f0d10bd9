package ditto.engine.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.crdt.CrdtDocument;
import ditto.engine.crdt.Path;
import ditto.engine.dql.Missing;

/**
 * One secondary index: a name, unique within its collection, over one constant field path.
 * Its entries ({@link Keys#INDEX}) map {@code (value at path, _id)} of every live document of
 * the collection to nothing; a document lacking the path is indexed under MISSING, so an index
 * scan in key order visits every live document in ORDER BY order. Deleted documents
 * (tombstones) are not indexed. Immutable.
 *
 * @param collection the collection
 * @param name the index name
 * @param path the path segments: String keys and Integer array indexes
 */
record IndexDef(String collection, String name, List<Object> path) {

    /** Copies the path and checks the parts. */
    IndexDef {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(name, "name");
        path = List.copyOf(path);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("index path is empty");
        }
    }

    /** Returns the key prefix of this index's entries (also its definition key). */
    byte[] prefix() {
        return Keys.indexPrefix(collection, name);
    }

    /** Returns the path as the CRDT layer addresses it. */
    Path crdtPath() {
        return Path.of(path.toArray());
    }

    /** Returns the path in DQL form, e.g. {@code a.b[0]}. */
    String pathText() {
        return crdtPath().toString();
    }

    /** Returns the encoded value this index holds for a live document. */
    byte[] encodedValueOf(CrdtDocument document, Path crdtPath) {
        Object v = document.valueAt(crdtPath);
        return KeyCodec.encode(v == CrdtDocument.MISSING ? Missing.INSTANCE : v);
    }

    /** Returns the stored form of the definition: the encoded path. */
    byte[] definitionValue() {
        List<Object> segments = new ArrayList<>(path.size());
        for (Object s : path) {
            segments.add(s instanceof Integer i ? (Object) (long) i : s);
        }
        return KeyCodec.encode(segments);
    }

    /**
     * Reads a stored definition.
     *
     * @throws DittoException {@link ErrorCode#STORE} if the stored bytes are malformed
     */
    static IndexDef fromStored(byte[] key, byte[] value) {
        int[] pos = {0};
        try {
            String collection = new String(KeyCodec.readEscaped(key, pos), java.nio.charset.StandardCharsets.UTF_8);
            String name = new String(KeyCodec.readEscaped(key, pos), java.nio.charset.StandardCharsets.UTF_8);
            if (!(KeyCodec.decode(value) instanceof List<?> segments) || segments.isEmpty()) {
                throw new DittoException(ErrorCode.STORE, "store: index definition '" + name + "' has no path");
            }
            List<Object> path = new ArrayList<>();
            for (Object s : segments) {
                if (s instanceof String str) {
                    path.add(str);
                } else if (s instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE) {
                    path.add((int) (long) l);
                } else {
                    throw new DittoException(ErrorCode.STORE, "store: index definition '" + name
                            + "' has a malformed path segment");
                }
            }
            return new IndexDef(collection, name, Collections.unmodifiableList(path));
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new DittoException(ErrorCode.STORE, "store: an index definition key is malformed", e);
        }
    }
}
