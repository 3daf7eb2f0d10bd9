/**
 * The DQL language layer: lexer, parser, printer, evaluator, SELECT pipeline and system
 * settings. Pure functions over JSON-model values; storage, transactions, CRDT writes, index
 * selection and observers belong to the store, which calls in here.
 *
 * <h2>How the store uses it</h2>
 * <pre>
 *  text ─▶ DqlCache.parse ─▶ Statement (sealed records; Expr trees)
 *                               │ kind(), isReadOnly(), Dql.parameters(), Dql.requireSelect()
 *  arguments ─▶ EvalContext.of(args, clock[, converter]) ─▶ requireParameters(statement)
 *
 *  SELECT   store picks scan / index (Dql.conjuncts, Dql.fieldPath) ─▶ candidate docs
 *           ─▶ SelectExecutor.of(select).execute(docs, ctx) ─▶ rows
 *  INSERT   WriteEvaluator.insertDocuments(insert, ctx) ─▶ objects (store: ids, conflict policy, CRDT)
 *  UPDATE   DocumentSelector.of(update).select(docs, ctx) ─▶ for each: WriteEvaluator.of(update).mutations(doc, ctx)
 *  DELETE / EVICT   DocumentSelector.of(statement).select(docs, ctx)
 *  EXPLAIN  DqlExplain.plan(explain.statement(), accessPath) ─▶ one item
 *  ALTER SYSTEM / SHOW   DqlSettings.execute(statement, ctx) ─▶ items
 * </pre>
 *
 * <h2>Entry points</h2>
 * <ul>
 * <li>{@link ditto.engine.dql.Dql}: {@code parse}, {@code print} ({@code parse(print(s)).equals(s)}),
 *     {@code parameters}, {@code fieldPath} (constant path segments, for index matching and
 *     write targets), {@code conjuncts} (AND-ed parts of a condition), {@code evaluate},
 *     {@code matches}, {@code requireSelect}; limits {@code MAX_NESTING} (256) and
 *     {@code MAX_DEPTH} (256).</li>
 * <li>{@link ditto.engine.dql.DqlCache}: bounded LRU of parsed statements (1,024 by default).</li>
 * <li>{@link ditto.engine.dql.Statement} (sealed records: Select, Insert, Update, Delete, Evict,
 *     CreateIndex, DropIndex, Explain, AlterSystemSet, AlterSystemReset, Show; {@code kind()},
 *     {@code isReadOnly()}) and {@link ditto.engine.dql.Expr} (sealed records: Literal, Param,
 *     Field, Member, Index, ArrayExpr, ObjectExpr, Unary, Binary, Between, In, Like, Is, Call).</li>
 * <li>{@link ditto.engine.dql.EvalContext}: validated arguments (attachment tokens become their
 *     map form through an {@link ditto.engine.dql.EvalContext.ArgumentConverter}), the clock,
 *     {@code requireParameters}.</li>
 * <li>{@link ditto.engine.dql.SelectExecutor}, {@link ditto.engine.dql.SelectAnalysis},
 *     {@link ditto.engine.dql.DocumentSelector}, {@link ditto.engine.dql.WriteEvaluator},
 *     {@link ditto.engine.dql.DqlExplain}, {@link ditto.engine.dql.DqlSettings},
 *     {@link ditto.engine.dql.DqlValues}, {@link ditto.engine.dql.Missing}.</li>
 * </ul>
 *
 * <p>Values are the JSON model ({@code null}, Boolean, Long, Double, BigInteger, BigDecimal,
 * String, {@code byte[]}, List, Map) plus {@link ditto.engine.dql.Missing#INSTANCE} for absent
 * fields; {@link ditto.engine.dql.DqlValues} holds their equality and total order. Errors are
 * {@link ditto.api.DittoException}s: {@code QUERY_COMPILATION} (with line and column) and
 * {@code UNSUPPORTED} from parsing, {@code INVALID_ARGUMENTS} for arguments and settings,
 * {@code QUERY_EXECUTION} for computed malformed regular expressions, units and formats.
 * The user-facing language reference is {@code docs/dql.md}.
 */
package ditto.engine.dql;
