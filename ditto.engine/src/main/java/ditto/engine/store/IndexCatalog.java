package ditto.engine.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ditto.api.spi.storage.Entry;

/**
 * The index definitions as of one commit, by collection, with the catalog version stored in
 * {@link Keys#META_CATALOG} at that commit (it changes with every CREATE or DROP INDEX). Immutable:
 * a transaction that creates or drops an index works on its own copy, which the store publishes
 * after the commit.
 *
 * @param version the catalog version (0 for a store that never had an index)
 * @param byCollection collection to its indexes in name order
 */
record IndexCatalog(long version, Map<String, List<IndexDef>> byCollection) {

    /** The catalog of a store without indexes. */
    static final IndexCatalog EMPTY = new IndexCatalog(0, Map.of());

    /** Freezes the map. */
    IndexCatalog {
        Map<String, List<IndexDef>> copy = new TreeMap<>();
        byCollection.forEach((c, l) -> {
            if (!l.isEmpty()) {
                copy.put(c, List.copyOf(l));
            }
        });
        byCollection = Collections.unmodifiableMap(copy);
    }

    /** Loads the catalog from the definitions in {@link Keys#INDEX_DEFS}. */
    static IndexCatalog load(long version, Iterator<Entry> definitions) {
        Map<String, List<IndexDef>> out = new LinkedHashMap<>();
        while (definitions.hasNext()) {
            Entry e = definitions.next();
            IndexDef def = IndexDef.fromStored(e.key(), e.value());
            out.computeIfAbsent(def.collection(), c -> new ArrayList<>()).add(def);
        }
        return new IndexCatalog(version, out);
    }

    /** Returns the indexes of a collection, possibly none. */
    List<IndexDef> of(String collection) {
        return byCollection.getOrDefault(collection, List.of());
    }

    /** Returns the named index of a collection, or null. */
    IndexDef find(String collection, String name) {
        for (IndexDef d : of(collection)) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** Returns every index, by collection then name. */
    List<IndexDef> all() {
        List<IndexDef> out = new ArrayList<>();
        byCollection.values().forEach(out::addAll);
        return out;
    }

    /** Returns a copy with one more index and a new version. */
    IndexCatalog with(IndexDef def, long newVersion) {
        Map<String, List<IndexDef>> copy = new LinkedHashMap<>(byCollection);
        List<IndexDef> list = new ArrayList<>(of(def.collection()));
        list.add(def);
        list.sort((a, b) -> a.name().compareTo(b.name()));
        copy.put(def.collection(), list);
        return new IndexCatalog(newVersion, copy);
    }

    /** Returns a copy without one index and with a new version. */
    IndexCatalog without(IndexDef def, long newVersion) {
        Map<String, List<IndexDef>> copy = new LinkedHashMap<>(byCollection);
        List<IndexDef> list = new ArrayList<>(of(def.collection()));
        list.removeIf(d -> d.name().equals(def.name()));
        copy.put(def.collection(), list);
        return new IndexCatalog(newVersion, copy);
    }
}
