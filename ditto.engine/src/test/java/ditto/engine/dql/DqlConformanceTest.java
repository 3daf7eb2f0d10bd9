package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.dql.WriteEvaluator.Counter;
import ditto.engine.dql.WriteEvaluator.FieldMutation;
import ditto.engine.dql.WriteEvaluator.SetValue;

/**
 * The DQL conformance suite: runs every case of {@code conformance.jsonl} (one JSON object per
 * line; {@code //} lines are comments) and checks that every row and bullet of DQL.md that the
 * language layer implements has at least one case.
 *
 * <p>Case fields: {@code spec} (the DQL.md row), then one of {@code query} (a statement),
 * {@code queries} (statements run in order against one {@link DqlSettings}; the last one's
 * items are checked) or {@code expr} (an expression evaluated against {@code doc}). Optional:
 * {@code docs} (documents or the name of a {@code dataset} line), {@code args},
 * {@code clock} (epoch ms for {@code clock()}), {@code print} (the canonical text),
 * {@code rows} (expected items, in order; with {@code subset} each expected entry must be
 * present), {@code value} or {@code missing} (expected expression result), {@code error} and
 * {@code message} (expected error code and message fragment). What a statement's rows are:
 * SELECT its result; EXPLAIN its plan item; INSERT its evaluated documents; UPDATE one
 * {@code {_id, mutations}} per selected document; DELETE and EVICT the selected {@code _id}s;
 * ALTER SYSTEM and SHOW their items.
 */
class DqlConformanceTest {

    /**
     * The DQL.md rows and bullets whose behaviour is the language layer's. (Rows that are the
     * store's — conflict-policy effects, commit ids, CRDT merges, transactions, sync — have their
     * own suites there; their DQL syntax is covered here under the statement rows.)
     */
    private static final Set<String> REQUIRED = Set.of(
            "statements.select", "statements.insert", "statements.update", "statements.delete", "statements.evict",
            "statements.indexes", "statements.explain", "statements.settings", "statements.unsupported.joins",
            "statements.unsupported.from_terms", "statements.unsupported.subqueries",
            "statements.unsupported.transactions",
            "lexical.identifiers_case_sensitive", "lexical.identifiers_unquoted", "lexical.backticks",
            "lexical.keywords_case_insensitive", "lexical.keywords_reserved", "lexical.strings",
            "lexical.double_quoted_identifier", "lexical.literals", "lexical.parameters", "lexical.comments",
            "lexical.trailing_semicolon", "lexical.syntax_error_position",
            "values.types", "values.numbers_compare_numerically", "values.missing", "values.paths",
            "values.paths_missing", "values.id_objects", "values.id_immutable", "values.system_collections",
            "operators.precedence", "operators.comparisons", "operators.between", "operators.in", "operators.like",
            "operators.ilike", "operators.is", "operators.not", "operators.and_or_xor", "operators.concat",
            "operators.arithmetic", "operators.three_valued", "operators.missing_like_null",
            "operators.decision_is_null", "operators.decision_false_missing",
            "functions.math", "functions.string", "functions.case_insensitive_names", "functions.regexp_like",
            "functions.type_predicates", "functions.type", "functions.array", "functions.object",
            "functions.coalesce_nvl_decode", "functions.deserialize_json", "functions.dates", "functions.clock",
            "aggregates.functions", "aggregates.group_by", "aggregates.having", "aggregates.not_grouped_error",
            "results.star", "results.naming", "results.never_written_collection", "results.show", "results.explain",
            "results.order_across_types", "results.order_desc_reverse", "results.order_code_points",
            "results.limit_offset_after_order",
            "writes.insert_documents", "writes.update_set_path", "writes.unset", "writes.update_never_inserts",
            "writes.counter_amount", "writes.document_size_limits",
            "types.hints", "types.strict_mode_default", "types.tombstone_ttl",
            "settings.dql_strict_mode", "settings.tombstone_ttl_enabled", "settings.tombstone_ttl_hours",
            "settings.document_size_soft_limit_bytes", "settings.document_size_hard_limit_bytes",
            "settings.user_collection_sync_scopes", "settings.dql_restrict_subscriptions",
            "settings.attachments_auto_fetch", "settings.small_peer_info_publish_interval_secs",
            "settings.transaction_duration_before_logging_ms");

    private static final long DEFAULT_CLOCK = 1_700_000_000_000L;

    private record Case(int line, Map<String, Object> fields) {
        Object get(String key) {
            return fields.get(key);
        }

        String name() {
            Object what = fields.containsKey("query") ? fields.get("query")
                    : fields.containsKey("expr") ? fields.get("expr") : fields.get("queries");
            String text = String.valueOf(what).replace('\n', ' ');
            return fields.get("spec") + " (line " + line + "): " + (text.length() > 90 ? text.substring(0, 87) + "..." : text);
        }
    }

    private static final List<Case> CASES = new ArrayList<>();
    private static final Map<String, List<Map<String, Object>>> DATASETS = new HashMap<>();

    static {
        load();
    }

    @SuppressWarnings("unchecked")
    private static void load() {
        String text;
        try (InputStream in = DqlConformanceTest.class.getResourceAsStream("conformance.jsonl")) {
            assertNotNull(in, "conformance.jsonl is on the test class path");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isBlank() || line.startsWith("//")) {
                continue;
            }
            Object parsed = JsonText.parseOrNull(line);
            if (!(parsed instanceof Map)) {
                throw new IllegalStateException("conformance.jsonl line " + lineNo + " is not a JSON object");
            }
            Map<String, Object> fields = (Map<String, Object>) parsed;
            if (fields.containsKey("dataset")) {
                DATASETS.put((String) fields.get("dataset"), (List<Map<String, Object>>) fields.get("docs"));
            } else {
                CASES.add(new Case(lineNo, fields));
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> conformance() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
    }

    @Test
    void everyLanguageRowOfDqlMdHasACase() {
        Set<String> covered = new TreeSet<>();
        for (Case c : CASES) {
            covered.add((String) c.get("spec"));
        }
        Set<String> missing = new TreeSet<>(REQUIRED);
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "DQL.md rows without a conformance case: " + missing);
        assertTrue(CASES.size() >= REQUIRED.size());
    }

    @SuppressWarnings("unchecked")
    private static void run(Case c) {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(c.get("clock") == null ? DEFAULT_CLOCK : ((Number) c.get("clock")).longValue()),
                ZoneOffset.UTC);
        Map<String, Object> args = (Map<String, Object>) c.get("args");
        String error = (String) c.get("error");
        if (error != null) {
            DittoException e = assertThrows(DittoException.class, () -> execute(c, clock, args), "expected an error");
            assertEquals(ErrorCode.valueOf(error), e.code(), e.getMessage());
            String fragment = (String) c.get("message");
            assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
            return;
        }
        Object result = execute(c, clock, args);
        if (c.fields().containsKey("rows")) {
            List<Object> expected = (List<Object>) c.get("rows");
            List<Map<String, Object>> actual = (List<Map<String, Object>>) result;
            if (Boolean.TRUE.equals(c.get("subset"))) {
                assertEquals(expected.size(), actual.size(), () -> "rows: " + actual);
                for (int i = 0; i < expected.size(); i++) {
                    for (Map.Entry<String, Object> e : ((Map<String, Object>) expected.get(i)).entrySet()) {
                        assertEquals(e.getValue(), normalize(actual.get(i).get(e.getKey())), "row " + i + " entry " + e.getKey());
                    }
                }
            } else {
                assertEquals(expected, normalize(actual));
            }
        }
        if (c.fields().containsKey("value")) {
            assertEquals(c.get("value"), normalize(result));
        }
        if (Boolean.TRUE.equals(c.get("missing"))) {
            assertSame(Missing.INSTANCE, result);
        }
    }

    /** Runs the case and returns its rows (statements) or value (expressions). */
    @SuppressWarnings("unchecked")
    private static Object execute(Case c, Clock clock, Map<String, Object> args) {
        EvalContext ctx = EvalContext.of(args, clock);
        if (c.get("queries") != null) {
            DqlSettings settings = new DqlSettings();
            List<Map<String, Object>> rows = List.of();
            for (Object q : (List<Object>) c.get("queries")) {
                rows = settings.execute(Dql.parse((String) q), ctx);
            }
            return rows;
        }
        if (c.get("expr") != null) {
            Expr e = Dql.parseExpression((String) c.get("expr"));
            if (c.get("print") != null) {
                assertEquals(c.get("print"), Dql.print(e));
            }
            assertEquals(e, Dql.parseExpression(Dql.print(e)), "expression round trip");
            return Dql.evaluate(e, (Map<String, Object>) c.get("doc"), ctx);
        }
        Statement s = Dql.parse((String) c.get("query"));
        if (c.get("print") != null) {
            assertEquals(c.get("print"), Dql.print(s));
        }
        assertEquals(s, Dql.parse(Dql.print(s)), "statement round trip");
        if (!c.fields().containsKey("rows") && !c.fields().containsKey("error")) {
            return null;
        }
        return rows(s, documents(c), ctx);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(Case c) {
        Object docs = c.get("docs");
        if (docs == null) {
            return List.of();
        }
        if (docs instanceof String name) {
            return DATASETS.get(name);
        }
        return (List<Map<String, Object>>) docs;
    }

    private static List<Map<String, Object>> rows(Statement s, List<Map<String, Object>> docs, EvalContext ctx) {
        if (s instanceof Statement.Select select) {
            return SelectExecutor.of(select).executeAll(docs, ctx);
        } else if (s instanceof Statement.Explain explain) {
            return List.of(DqlExplain.plan(explain.statement(), null));
        } else if (s instanceof Statement.Insert insert) {
            return WriteEvaluator.insertDocuments(insert, ctx);
        } else if (s instanceof Statement.Update update) {
            ctx.requireParameters(update);
            WriteEvaluator writes = WriteEvaluator.of(update);
            List<Map<String, Object>> out = new ArrayList<>();
            Iterator<Map<String, Object>> it = DocumentSelector.of(update).select(docs.iterator(), ctx);
            while (it.hasNext()) {
                Map<String, Object> doc = it.next();
                List<Object> mutations = new ArrayList<>();
                for (FieldMutation m : writes.mutations(doc, ctx)) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    if (m instanceof SetValue set) {
                        item.put("set", set.path());
                        item.put("value", set.value());
                    } else if (m instanceof Counter counter) {
                        item.put("counter", counter.path());
                        item.put("op", counter.op().name());
                        item.put("amount", counter.amount());
                    } else {
                        item.put("unset", m.path());
                    }
                    mutations.add(item);
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("_id", doc.get("_id"));
                row.put("mutations", mutations);
                out.add(row);
            }
            return out;
        } else if (s instanceof Statement.Delete || s instanceof Statement.Evict) {
            DocumentSelector selector = s instanceof Statement.Delete d ? DocumentSelector.of(d) : DocumentSelector.of((Statement.Evict) s);
            List<Map<String, Object>> out = new ArrayList<>();
            selector.select(docs.iterator(), ctx).forEachRemaining(d -> out.add(Map.of("_id", d.get("_id"))));
            return out;
        } else if (s.kind() == Statement.Kind.ALTER_SYSTEM || s.kind() == Statement.Kind.SHOW) {
            return new DqlSettings().execute(s, ctx);
        }
        fail("no rows for a " + s.kind() + " statement");
        return List.of();
    }

    /** Widens Integer (path indexes) to Long so results compare with parsed JSON. */
    private static Object normalize(Object v) {
        if (v instanceof Integer i) {
            return (long) i;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(normalize(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, val) -> out.put(k, normalize(val)));
            return out;
        }
        return v;
    }
}
