package ditto.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryExecutor;
import ditto.api.QueryResult;
import ditto.api.Store;
import ditto.api.StoreObserver;
import ditto.api.Transaction;
import ditto.api.TransactionCompletionAction;
import ditto.api.TransactionOptions;
import ditto.engine.dql.Dql;
import ditto.engine.dql.EvalContext;

/**
 * R10: random chains of inserts (every conflict policy), updates, unsets, deletes, evicts,
 * queries and transactions (committed, rolled back, failing) against an in-memory model: a map of
 * documents per collection filtered with the DQL evaluator. Every result, every set of mutated
 * ids and the final state must equal the model's; a live observer of each chain must end on the
 * model's state with increasing commit ids; completed transactions and the closed instance must
 * throw. 500 chains normally, 20,000 with {@code -Dditto.reliability=true}; the seed is printed
 * and {@code -Dditto.seed=N} replays it.
 */
class StoreImplModelTest {

    @TempDir
    Path temp;

    private static final String[] FIELDS = {"a", "b", "c"};

    @Test
    void randomChainsMatchTheModel() {
        long seed = Long.getLong("ditto.seed", System.nanoTime());
        int chains = Boolean.getBoolean("ditto.reliability") ? 20_000 : 500;
        System.out.println("StoreImplModelTest seed " + seed + " (" + chains + " chains; replay with -Dditto.seed=" + seed + ")");
        try (StoreFixture fixture = StoreFixture.memory()) {
            Ditto ditto = fixture.open(temp.resolve("db"));
            Store store = ditto.store();
            store.execute("CREATE INDEX by_a ON indexed (a)");
            store.execute("CREATE INDEX by_n ON indexed (n.x)");
            for (int i = 0; i < chains; i++) {
                String collection = (i % 3 == 0 ? "indexed" : "plain") + (i % 3 == 0 ? "" : Integer.toString(i));
                if (i % 3 == 0) {
                    store.execute("EVICT FROM indexed");
                }
                new Chain(store, collection, new SplittableRandom(seed + i), "seed " + seed + " chain " + i).run();
            }
            ditto.close();
            DittoException e = org.junit.jupiter.api.Assertions.assertThrows(DittoException.class,
                    () -> store.execute("SELECT * FROM indexed"));
            assertEquals(ErrorCode.CLOSED, e.code());
        }
    }

    /** One chain of random operations on one collection, checked against the model. */
    private static final class Chain {
        private final Store store;
        private final String collection;
        private final SplittableRandom r;
        private final String name;
        private final List<String> log = new ArrayList<>();
        private TreeMap<String, Map<String, Object>> model = new TreeMap<>();

        Chain(Store store, String collection, SplittableRandom r, String name) {
            this.store = store;
            this.collection = collection;
            this.r = r;
            this.name = name;
        }

        void run() {
            AtomicReference<List<Map<String, Object>>> observed = new AtomicReference<>(List.of());
            AtomicLong lastCommit = new AtomicLong(-1);
            AtomicReference<String> observerError = new AtomicReference<>();
            StoreObserver observer = r.nextInt(4) == 0 ? store.registerObserver("SELECT * FROM " + collection, Map.of(), result -> {
                long commit = result.commitId().orElse(-1);
                if (commit < lastCommit.get()) {
                    observerError.set("commit ids went back: " + commit + " after " + lastCommit.get());
                }
                lastCommit.set(commit);
                observed.set(result.values());
                result.close();
            }) : null;
            int steps = r.nextInt(3, 25);
            for (int step = 0; step < steps; step++) {
                if (r.nextInt(6) == 0) {
                    transaction();
                } else {
                    model = operation(store, model, true);
                }
            }
            check(store);
            if (observer != null) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!sameDocuments(observed.get()) && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    sleep();
                }
                assertTrue(sameDocuments(observed.get()), () -> context("observer ended on " + observed.get()));
                observer.cancel();
                assertEquals(null, observerError.get(), () -> context(observerError.get()));
            }
        }

        private static void sleep() {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private boolean sameDocuments(List<Map<String, Object>> rows) {
            return byId(rows).equals(new TreeMap<>(model));
        }

        private void transaction() {
            int kind = r.nextInt(4);
            log.add("BEGIN " + List.of("COMMIT", "ROLLBACK", "THROW", "READ-ONLY").get(kind));
            AtomicReference<TreeMap<String, Map<String, Object>>> inside = new AtomicReference<>();
            AtomicReference<Transaction> handle = new AtomicReference<>();
            RuntimeException boom = new IllegalStateException("boom");
            try {
                store.transaction(kind == 3 ? TransactionOptions.readOnly() : null, tx -> {
                    handle.set(tx);
                    TreeMap<String, Map<String, Object>> copy = copy(model);
                    int n = r.nextInt(1, 6);
                    for (int i = 0; i < n; i++) {
                        copy = operation(tx, copy, kind != 3);
                    }
                    inside.set(copy);
                    if (kind == 2) {
                        throw boom;
                    }
                    return kind == 1 ? TransactionCompletionAction.ROLLBACK : TransactionCompletionAction.COMMIT;
                });
            } catch (IllegalStateException e) {
                assertEquals(boom, e, () -> context("the exception thrown by the function"));
            }
            if (kind == 0) {
                model = inside.get();
            }
            log.add("END");
            DittoException closed = org.junit.jupiter.api.Assertions.assertThrows(DittoException.class,
                    () -> handle.get().execute("SELECT * FROM " + collection));
            assertEquals(ErrorCode.TRANSACTION_CLOSED, closed.code(), () -> context("completed transaction"));
            check(store);
        }

        /** Runs one random statement on {@code executor} and returns the model after it. */
        private TreeMap<String, Map<String, Object>> operation(QueryExecutor executor,
                TreeMap<String, Map<String, Object>> before, boolean writable) {
            int kind = writable ? r.nextInt(10) : 9;
            return switch (kind) {
                case 0, 1, 2 -> insert(executor, before);
                case 3, 4 -> update(executor, before);
                case 5 -> unset(executor, before);
                case 6 -> remove(executor, before, "DELETE");
                case 7 -> remove(executor, before, "EVICT");
                default -> {
                    query(executor, before);
                    yield before;
                }
            };
        }

        private TreeMap<String, Map<String, Object>> insert(QueryExecutor executor, TreeMap<String, Map<String, Object>> before) {
            String policy = List.of("", " ON ID CONFLICT FAIL", " ON ID CONFLICT DO NOTHING", " ON ID CONFLICT DO UPDATE",
                    " ON ID CONFLICT DO UPDATE_LOCAL_DIFF").get(r.nextInt(5));
            int n = r.nextInt(1, 4);
            List<Map<String, Object>> docs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                docs.add(randomDocument());
            }
            TreeMap<String, Map<String, Object>> after = copy(before);
            List<String> expected = new ArrayList<>();
            boolean conflict = false;
            for (Map<String, Object> d : docs) {
                String id = (String) d.get("_id");
                Map<String, Object> existing = after.get(id);
                if (existing == null) {
                    after.put(id, new LinkedHashMap<>(d));
                    expected.add(id);
                } else if (policy.isEmpty() || policy.endsWith("FAIL")) {
                    conflict = true;
                } else if (policy.endsWith("DO UPDATE") || policy.endsWith("LOCAL_DIFF")) {
                    boolean differs = false;
                    for (Map.Entry<String, Object> e : d.entrySet()) {
                        if (!existing.containsKey(e.getKey()) || !java.util.Objects.equals(existing.get(e.getKey()), e.getValue())) {
                            differs = true;
                        }
                    }
                    Map<String, Object> merged = new LinkedHashMap<>(existing);
                    merged.putAll(d);
                    after.put(id, merged);
                    if (policy.endsWith("DO UPDATE") || differs) {
                        expected.add(id);
                    }
                }
            }
            StringBuilder dql = new StringBuilder("INSERT INTO " + collection + " DOCUMENTS ");
            Map<String, Object> args = new LinkedHashMap<>();
            for (int i = 0; i < docs.size(); i++) {
                dql.append(i == 0 ? "" : ", ").append("(:d").append(i).append(')');
                args.put("d" + i, docs.get(i));
            }
            dql.append(policy);
            if (conflict) {
                expectError(executor, dql.toString(), args, ErrorCode.DOCUMENT_ID_CONFLICT);
                return before;
            }
            assertEquals(new TreeSet<>(expected), new TreeSet<>(mutated(executor, dql.toString(), args)),
                    () -> context(dql + " " + args));
            return after;
        }

        private TreeMap<String, Map<String, Object>> update(QueryExecutor executor, TreeMap<String, Map<String, Object>> before) {
            String where = randomCondition();
            String field = r.nextInt(4) == 0 ? "n.x" : FIELDS[r.nextInt(FIELDS.length)];
            Object value = randomValue();
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("v", value);
            String dql = "UPDATE " + collection + " SET " + field + " = :v WHERE " + where;
            TreeMap<String, Map<String, Object>> after = copy(before);
            List<String> expected = new ArrayList<>();
            for (Map.Entry<String, Map<String, Object>> e : before.entrySet()) {
                if (matches(where, e.getValue(), args)) {
                    Map<String, Object> doc = new LinkedHashMap<>(e.getValue());
                    if (field.equals("n.x")) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> n = doc.get("n") instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m)
                                : new LinkedHashMap<>();
                        n.put("x", value);
                        doc.put("n", n);
                    } else {
                        doc.put(field, value);
                    }
                    after.put(e.getKey(), doc);
                    expected.add(e.getKey());
                }
            }
            List<Object> actual = mutated(executor, dql, args);
            assertEquals(new TreeSet<>(expected), new TreeSet<>(actual), () -> context(dql + " " + args));
            return after;
        }

        private TreeMap<String, Map<String, Object>> unset(QueryExecutor executor, TreeMap<String, Map<String, Object>> before) {
            String field = FIELDS[r.nextInt(FIELDS.length)];
            String where = randomCondition();
            String dql = "UPDATE " + collection + " UNSET " + field + " WHERE " + where;
            TreeMap<String, Map<String, Object>> after = copy(before);
            List<String> expected = new ArrayList<>();
            for (Map.Entry<String, Map<String, Object>> e : before.entrySet()) {
                if (matches(where, e.getValue(), Map.of()) && e.getValue().containsKey(field)) {
                    Map<String, Object> doc = new LinkedHashMap<>(e.getValue());
                    doc.remove(field);
                    after.put(e.getKey(), doc);
                    expected.add(e.getKey());
                }
            }
            assertEquals(new TreeSet<>(expected), new TreeSet<>(mutated(executor, dql, Map.of())), () -> context(dql));
            return after;
        }

        private TreeMap<String, Map<String, Object>> remove(QueryExecutor executor, TreeMap<String, Map<String, Object>> before,
                String verb) {
            String where = randomCondition();
            String dql = verb + " FROM " + collection + " WHERE " + where;
            TreeMap<String, Map<String, Object>> after = copy(before);
            List<String> expected = new ArrayList<>();
            for (Map.Entry<String, Map<String, Object>> e : before.entrySet()) {
                if (matches(where, e.getValue(), Map.of())) {
                    after.remove(e.getKey());
                    expected.add(e.getKey());
                }
            }
            assertEquals(new TreeSet<>(expected), new TreeSet<>(mutated(executor, dql, Map.of())), () -> context(dql));
            return after;
        }

        private void query(QueryExecutor executor, TreeMap<String, Map<String, Object>> state) {
            String where = randomCondition();
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("p", randomValue());
            String dql = "SELECT * FROM " + collection + " WHERE " + where + " OR a = :p ORDER BY _id";
            List<Map<String, Object>> expected = new ArrayList<>();
            for (Map<String, Object> doc : state.values()) {
                if (matches(where + " OR a = :p", doc, args)) {
                    expected.add(doc);
                }
            }
            log.add(dql + " " + args);
            try (QueryResult result = executor.execute(dql, args)) {
                assertEquals(expected, result.values(), () -> context(dql + " " + args));
            }
        }

        private void check(Store store) {
            try (QueryResult result = store.execute("SELECT * FROM " + collection)) {
                assertEquals(new TreeMap<>(model), byId(result.values()), () -> context("final state"));
            }
        }

        private List<Object> mutated(QueryExecutor executor, String dql, Map<String, Object> args) {
            log.add(dql + " " + args);
            try (QueryResult result = executor.execute(dql, args)) {
                return result.mutatedDocumentIds();
            } catch (DittoException e) {
                fail(context(dql + " failed: " + e), e);
                return List.of();
            }
        }

        private void expectError(QueryExecutor executor, String dql, Map<String, Object> args, ErrorCode code) {
            log.add(dql + " " + args + " (expecting " + code + ")");
            DittoException e = org.junit.jupiter.api.Assertions.assertThrows(DittoException.class,
                    () -> executor.execute(dql, args), () -> context(dql));
            assertEquals(code, e.code(), () -> context(dql + ": " + e.getMessage()));
        }

        private static boolean matches(String where, Map<String, Object> doc, Map<String, Object> args) {
            Map<String, Object> withId = new LinkedHashMap<>(doc);
            return Dql.matches(Dql.parseExpression(where), withId, EvalContext.of(args));
        }

        private Map<String, Object> randomDocument() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("_id", "k" + r.nextInt(8));
            for (String f : FIELDS) {
                if (r.nextInt(3) != 0) {
                    d.put(f, randomValue());
                }
            }
            if (r.nextInt(3) == 0) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("x", randomValue());
                d.put("n", n);
            }
            return d;
        }

        private Object randomValue() {
            return switch (r.nextInt(6)) {
                case 0 -> null;
                case 1 -> "s" + r.nextInt(3);
                case 2 -> r.nextBoolean();
                default -> (long) r.nextInt(5);
            };
        }

        private String randomCondition() {
            String f = r.nextInt(5) == 0 ? "n.x" : FIELDS[r.nextInt(FIELDS.length)];
            String c = switch (r.nextInt(8)) {
                case 0 -> "_id = 'k" + r.nextInt(8) + "'";
                case 1 -> "_id IN ['k" + r.nextInt(8) + "', 'k" + r.nextInt(8) + "']";
                case 2 -> f + " = " + r.nextInt(5);
                case 3 -> f + " > " + r.nextInt(5);
                case 4 -> f + " IS MISSING";
                case 5 -> f + " BETWEEN 1 AND 3";
                case 6 -> "true";
                default -> f + " = 's" + r.nextInt(3) + "'";
            };
            return r.nextInt(4) == 0 ? "(" + c + ") " + (r.nextBoolean() ? "AND" : "OR") + " " + randomConditionLeaf() : c;
        }

        private String randomConditionLeaf() {
            return FIELDS[r.nextInt(FIELDS.length)] + " " + (r.nextBoolean() ? "<" : "=") + " " + r.nextInt(5);
        }

        private static TreeMap<String, Map<String, Object>> byId(List<Map<String, Object>> rows) {
            TreeMap<String, Map<String, Object>> out = new TreeMap<>();
            for (Map<String, Object> row : rows) {
                out.put((String) row.get("_id"), row);
            }
            return out;
        }

        private static TreeMap<String, Map<String, Object>> copy(TreeMap<String, Map<String, Object>> m) {
            TreeMap<String, Map<String, Object>> out = new TreeMap<>();
            m.forEach((k, v) -> out.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
            return out;
        }

        private String context(String what) {
            return name + ": " + what + "\n  operations so far:\n    " + String.join("\n    ", log);
        }
    }
}
