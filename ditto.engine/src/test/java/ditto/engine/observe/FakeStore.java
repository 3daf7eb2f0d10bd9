package ditto.engine.observe;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import ditto.api.Ditto;
import ditto.engine.dql.DqlValues;
import ditto.engine.dql.EvalContext;
import ditto.engine.dql.SelectExecutor;
import ditto.engine.dql.Statement;

/**
 * Test double of the store: collections of documents in memory (scanned in {@code _id} order,
 * as the real store does), a {@link QueryRunner} over them that counts its calls per collection,
 * and commits that publish {@link CommitEvent}s to a hub in commit order.
 */
final class FakeStore implements QueryRunner {
    private final Map<String, TreeMap<Object, Map<String, Object>>> collections = new HashMap<>();
    private long commitId;
    private ObserverHub hub;
    final Map<String, AtomicInteger> selectCalls = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> documentsCalls = new ConcurrentHashMap<>();

    void attach(ObserverHub hub) {
        this.hub = hub;
    }

    int selects(String collection) {
        return selectCalls.getOrDefault(collection, new AtomicInteger()).get();
    }

    int documentReads(String collection) {
        return documentsCalls.getOrDefault(collection, new AtomicInteger()).get();
    }

    /** One commit: upserts (document with _id) and deletes (bare id) in one collection. */
    synchronized long commit(String collection, List<Map<String, Object>> upserts, List<Object> deletes) {
        TreeMap<Object, Map<String, Object>> docs = collections.computeIfAbsent(collection, c -> new TreeMap<>(DqlValues.ORDER));
        Set<Object> changed = new java.util.HashSet<>();
        for (Map<String, Object> doc : upserts) {
            docs.put(doc.get("_id"), Collections.unmodifiableMap(new LinkedHashMap<>(doc)));
            changed.add(doc.get("_id"));
        }
        for (Object id : deletes) {
            docs.remove(id);
            changed.add(id);
        }
        commitId++;
        if (hub != null) {
            hub.onCommit(new CommitEvent(commitId, Map.of(collection, changed)));
        }
        return commitId;
    }

    long upsert(String collection, Map<String, Object> doc) {
        return commit(collection, List.of(doc), List.of());
    }

    long delete(String collection, Object id) {
        return commit(collection, List.of(), List.of(id));
    }

    synchronized Map<String, Object> document(String collection, Object id) {
        TreeMap<Object, Map<String, Object>> docs = collections.get(collection);
        return docs == null ? null : docs.get(id);
    }

    @Override
    public synchronized Snapshot select(Statement.Select select, Map<String, Object> args) {
        selectCalls.computeIfAbsent(select.from().name(), c -> new AtomicInteger()).incrementAndGet();
        TreeMap<Object, Map<String, Object>> docs = collections.getOrDefault(select.from().name(), new TreeMap<>(DqlValues.ORDER));
        List<Map<String, Object>> rows = SelectExecutor.of(select).executeAll(new ArrayList<>(docs.values()), EvalContext.of(args));
        return new Snapshot(commitId, rows);
    }

    @Override
    public synchronized Map<Object, Map<String, Object>> documents(String collection, Set<Object> ids) {
        documentsCalls.computeIfAbsent(collection, c -> new AtomicInteger()).incrementAndGet();
        TreeMap<Object, Map<String, Object>> docs = collections.get(collection);
        Map<Object, Map<String, Object>> found = new HashMap<>();
        if (docs != null) {
            for (Object id : ids) {
                Map<String, Object> doc = docs.get(id);
                if (doc != null) {
                    found.put(id, doc);
                }
            }
        }
        return found;
    }

    /** A Ditto whose methods other than identity ones are not used by the hub. */
    static Ditto ditto() {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "toString" -> "FakeDitto";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (Ditto) Proxy.newProxyInstance(Ditto.class.getClassLoader(), new Class<?>[] {Ditto.class}, handler);
    }
}
