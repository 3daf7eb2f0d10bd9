package ditto.engine.dql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import ditto.engine.dql.Expr.ArrayExpr;
import ditto.engine.dql.Expr.Between;
import ditto.engine.dql.Expr.Binary;
import ditto.engine.dql.Expr.BinaryOp;
import ditto.engine.dql.Expr.Call;
import ditto.engine.dql.Expr.Field;
import ditto.engine.dql.Expr.In;
import ditto.engine.dql.Expr.Index;
import ditto.engine.dql.Expr.Is;
import ditto.engine.dql.Expr.IsKind;
import ditto.engine.dql.Expr.Like;
import ditto.engine.dql.Expr.Literal;
import ditto.engine.dql.Expr.Member;
import ditto.engine.dql.Expr.ObjectExpr;
import ditto.engine.dql.Expr.Param;
import ditto.engine.dql.Expr.Unary;
import ditto.engine.dql.Expr.UnaryOp;
import ditto.engine.dql.Statement.Apply;
import ditto.engine.dql.Statement.ApplyOp;
import ditto.engine.dql.Statement.CollectionRef;
import ditto.engine.dql.Statement.ConflictPolicy;
import ditto.engine.dql.Statement.CrdtType;
import ditto.engine.dql.Statement.OrderItem;
import ditto.engine.dql.Statement.SelectItem;
import ditto.engine.dql.Statement.SetItem;
import ditto.engine.dql.Statement.TypeHint;

/**
 * Generates random statement trees of the shape the parser produces (canonical literals, known
 * functions with valid arity and constants, aggregates only where allowed, unique output
 * names, field paths where paths are required), from a seed. Names and strings deliberately
 * include keywords, quotes, backticks, spaces and non-ASCII text. Test helper; one instance per
 * seed, not thread-safe.
 */
final class AstGenerator {

    private static final String[] NAMES = {
        "a", "b", "color", "_id", "x9", "café", "select", "Order", "count", "type", "id", "all", "initial",
        "we`ird", "with space", "", "日本", "1st", "if", "IF", "system", "null", "MISSING", "to"
    };
    private static final String[] STRINGS = {
        "", "a", "it's", "''", "line\nbreak", "tab\there", "😀", "\uffff", "back`tick", "\"dq\"", "-- not a comment",
        "/* nor this */", "%_\\", "SELECT", ":param"
    };
    private static final String[] PARAMS = {"p", "arg_1", "select", "Limit", "_x", "é"};
    private static final String[] SCALAR_FUNCTIONS = {
        "abs", "ceil", "floor", "concat", "contains", "starts_with", "ends_with", "byte_length", "char_length",
        "character_length", "lower", "upper", "trim", "regexp_like", "is_boolean", "is_number", "is_string", "is_null",
        "type", "array_contains", "array_contains_null", "array_length", "object_length", "object_keys", "object_values",
        "coalesce", "nvl", "decode", "deserialize_json", "clock", "date_add", "date_sub", "date_diff", "date_part",
        "date_trunc", "date_format", "date_cast"
    };
    private static final String[] UNITS = {"year", "Month", "DAY", "hours", "minute", "second", "millisecond"};
    private static final String[] SETTINGS = {"DQL_STRICT_MODE", "TOMBSTONE_TTL_HOURS", "ALL", "SELECT", "A B", "TO", "X"};

    private final Random random;

    AstGenerator(long seed) {
        this.random = new Random(seed);
    }

    Statement statement() {
        switch (random.nextInt(12)) {
            case 0:
            case 1:
            case 2:
                return select();
            case 3:
                return insert();
            case 4:
                return update();
            case 5:
                return new Statement.Delete(collectionName(), optional(this::condition), orderBy(false), count(), count());
            case 6:
                return new Statement.Evict(collectionName(), optional(this::condition), orderBy(false), count(), count());
            case 7:
                return new Statement.CreateIndex(name(), random.nextBoolean(), collectionName(), path(true));
            case 8:
                return new Statement.DropIndex(name(), random.nextBoolean(), random.nextBoolean() ? collectionName() : null);
            case 9: {
                Statement inner;
                do {
                    inner = statement();
                } while (inner instanceof Statement.Explain);
                return new Statement.Explain(inner);
            }
            case 10:
                return new Statement.AlterSystemSet(setting(), constant(2));
            default:
                return random.nextBoolean() ? new Statement.Show(random.nextBoolean() ? null : setting())
                        : new Statement.AlterSystemReset(random.nextBoolean() ? null : setting());
        }
    }

    private String setting() {
        return pick(SETTINGS).toUpperCase(Locale.ROOT);
    }

    private Statement select() {
        boolean aggregate = random.nextInt(3) == 0;
        if (!aggregate) {
            List<SelectItem> items = new ArrayList<>();
            if (random.nextInt(4) != 0) {
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    items.add(new SelectItem(expr(3, false), random.nextBoolean() ? name() : null));
                }
                items = uniqueNames(items);
            }
            return new Statement.Select(random.nextBoolean(), items, collection(), optional(this::condition), List.of(), null,
                    orderBy(false), count(), count());
        }
        List<Expr> groupBy = new ArrayList<>();
        int g = random.nextInt(3);
        for (int i = 0; i < g; i++) {
            groupBy.add(expr(2, false));
        }
        List<SelectItem> items = new ArrayList<>();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            items.add(new SelectItem(groupedExpr(groupBy), random.nextBoolean() ? name() : null));
        }
        items = uniqueNames(items);
        Expr having = random.nextBoolean() ? null : new Binary(BinaryOp.GT, aggregateCall(), literal());
        List<OrderItem> order = new ArrayList<>();
        int o = random.nextInt(3);
        for (int i = 0; i < o; i++) {
            order.add(new OrderItem(groupedExpr(groupBy), random.nextBoolean()));
        }
        return new Statement.Select(random.nextBoolean(), items, collection(), optional(this::condition), groupBy, having,
                order, count(), count());
    }

    /** Gives every item a distinct output name, aliasing where two would clash. */
    private static List<SelectItem> uniqueNames(List<SelectItem> items) {
        Statement.Select probe = new Statement.Select(false, items, new CollectionRef("c", List.of()), null, List.of(),
                null, List.of(), null, null);
        List<String> names = SelectAnalysis.outputNames(probe);
        if (new HashSet<>(names).size() == names.size()) {
            return items;
        }
        List<SelectItem> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(new SelectItem(items.get(i).expr(), "col" + i));
        }
        return out;
    }

    private Expr groupedExpr(List<Expr> groupBy) {
        switch (random.nextInt(4)) {
            case 0:
                return groupBy.isEmpty() ? literal() : pick(groupBy);
            case 1:
                return aggregateCall();
            case 2:
                return new Binary(pick(BinaryOp.values()), groupBy.isEmpty() ? literal() : pick(groupBy), aggregateCall());
            default:
                return new Call("coalesce", List.of(aggregateCall(), literal()), false, false);
        }
    }

    private Call aggregateCall() {
        String name = pick(new String[] {"count", "sum", "avg", "min", "max"});
        if (name.equals("count") && random.nextBoolean()) {
            return new Call("count", List.of(), false, true);
        }
        return new Call(name, List.of(expr(2, false)), random.nextInt(4) == 0, false);
    }

    private Statement insert() {
        List<Expr> docs = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            docs.add(random.nextBoolean() ? object(2) : new Param(pick(PARAMS)));
        }
        boolean initial = random.nextInt(4) == 0;
        ConflictPolicy policy = initial ? ConflictPolicy.DO_NOTHING : pick(ConflictPolicy.values());
        return new Statement.Insert(collection(), docs, policy, initial);
    }

    private Statement update() {
        List<Apply> applies = new ArrayList<>();
        List<SetItem> sets = new ArrayList<>();
        List<Expr> unsets = new ArrayList<>();
        do {
            for (int i = random.nextInt(3); i > 0; i--) {
                ApplyOp op = pick(ApplyOp.values());
                Expr amount = op == ApplyOp.RESTART && random.nextBoolean() ? null : expr(2, false);
                applies.add(new Apply(path(false), op, amount));
            }
            for (int i = random.nextInt(3); i > 0; i--) {
                sets.add(new SetItem(path(false), expr(3, false)));
            }
            for (int i = random.nextInt(2); i > 0; i--) {
                unsets.add(path(false));
            }
        } while (applies.isEmpty() && sets.isEmpty() && unsets.isEmpty());
        return new Statement.Update(collection(), applies, sets, unsets, optional(this::condition), orderBy(false),
                count(), count());
    }

    private CollectionRef collection() {
        List<TypeHint> hints = random.nextInt(3) == 0 ? hints(2) : List.of();
        return new CollectionRef(collectionName(), hints);
    }

    private List<TypeHint> hints(int depth) {
        List<TypeHint> hints = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            CrdtType type = pick(CrdtType.values());
            List<TypeHint> nested = type == CrdtType.MAP && depth > 0 && random.nextBoolean() ? hints(depth - 1) : List.of();
            hints.add(new TypeHint(name(), type, nested));
        }
        return hints;
    }

    private String collectionName() {
        switch (random.nextInt(5)) {
            case 0:
                return "system:" + pick(new String[] {"indexes", "data_sync_info", "select", "a b"});
            case 1:
                return "__small_peer_info";
            default:
                return name();
        }
    }

    private List<OrderItem> orderBy(boolean aggregates) {
        List<OrderItem> order = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            order.add(new OrderItem(expr(2, aggregates), random.nextBoolean()));
        }
        return order;
    }

    private Expr count() {
        switch (random.nextInt(4)) {
            case 0:
                return new Literal((long) random.nextInt(1000));
            case 1:
                return new Param(pick(PARAMS));
            default:
                return null;
        }
    }

    private Expr condition() {
        return expr(4, false);
    }

    /** A field path: a field and then members and literal subscripts. */
    private Expr path(boolean idAllowed) {
        String root;
        do {
            root = name();
        } while (!idAllowed && root.equals("_id"));
        Expr e = new Field(root);
        for (int i = random.nextInt(3); i > 0; i--) {
            switch (random.nextInt(3)) {
                case 0:
                    e = new Member(e, name());
                    break;
                case 1:
                    e = new Index(e, new Literal(pick(STRINGS)));
                    break;
                default:
                    e = new Index(e, new Literal((long) random.nextInt(5)));
            }
        }
        return e;
    }

    /** An expression without field references (setting values). */
    private Expr constant(int depth) {
        switch (random.nextInt(5)) {
            case 0:
                return new Param(pick(PARAMS));
            case 1:
                return depth > 0 ? new ArrayExpr(List.of(constant(depth - 1), constant(depth - 1))) : literal();
            case 2:
                return depth > 0 ? new ObjectExpr(List.of(new ObjectExpr.Entry(pick(STRINGS), constant(depth - 1)))) : literal();
            case 3:
                return depth > 0 ? new Binary(BinaryOp.ADD, constant(depth - 1), constant(depth - 1)) : literal();
            default:
                return literal();
        }
    }

    private Expr object(int depth) {
        List<ObjectExpr.Entry> entries = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            String key = random.nextBoolean() ? pick(NAMES) : pick(STRINGS);
            if (keys.add(key)) {
                entries.add(new ObjectExpr.Entry(key, depth > 0 ? expr(depth - 1, false) : literal()));
            }
        }
        return new ObjectExpr(entries);
    }

    Expr expr(int depth, boolean aggregates) {
        if (depth <= 0) {
            return leaf();
        }
        int d = depth - 1;
        switch (random.nextInt(16)) {
            case 0:
                return leaf();
            case 1:
                return new Member(expr(d, aggregates), name());
            case 2:
                return new Index(expr(d, aggregates), expr(d, aggregates));
            case 3:
                return new Unary(pick(UnaryOp.values()), expr(d, aggregates));
            case 4:
            case 5:
            case 6:
                return new Binary(pick(BinaryOp.values()), expr(d, aggregates), expr(d, aggregates));
            case 7:
                return new Between(expr(d, aggregates), expr(d, aggregates), expr(d, aggregates), random.nextBoolean());
            case 8: {
                Expr coll = random.nextBoolean() ? arrayOf(d) : additiveOrTighter(d);
                return new In(expr(d, aggregates), coll, random.nextBoolean());
            }
            case 9:
                return new Like(expr(d, aggregates), expr(d, aggregates), random.nextBoolean(), random.nextBoolean());
            case 10:
                return new Is(expr(d, aggregates), pick(IsKind.values()), random.nextBoolean());
            case 11:
                return arrayOf(d);
            case 12:
                return object(d);
            default:
                return call(d);
        }
    }

    private Expr arrayOf(int depth) {
        List<Expr> items = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            items.add(expr(depth, false));
        }
        return new ArrayExpr(items);
    }

    /** An IN operand that is not a list: the parser reads it at additive precedence. */
    private Expr additiveOrTighter(int depth) {
        Expr e;
        do {
            e = expr(depth, false);
        } while (!(e instanceof Field || e instanceof Param || e instanceof Member || e instanceof Index
                || e instanceof Call || e instanceof ObjectExpr || e instanceof Literal || e instanceof ArrayExpr
                || e instanceof Unary u && u.op() != UnaryOp.NOT
                || e instanceof Binary b && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB || b.op() == BinaryOp.CONCAT
                        || b.op() == BinaryOp.MUL || b.op() == BinaryOp.DIV || b.op() == BinaryOp.MOD)));
        return e;
    }

    private Expr call(int depth) {
        String name = pick(SCALAR_FUNCTIONS);
        int[] arity = Functions.arity(name);
        int n = arity[0] + (arity[1] > arity[0] ? random.nextInt(Math.min(arity[1] - arity[0], 3) + 1) : 0);
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            args.add(argument(name, i, depth));
        }
        return new Call(name, args, false, false);
    }

    /** An argument; constant-checked positions get valid literals or non-literals. */
    private Expr argument(String function, int position, int depth) {
        boolean unit = (function.equals("date_add") || function.equals("date_sub") || function.equals("date_diff")) && position == 2
                || (function.equals("date_part") || function.equals("date_trunc")) && position == 1;
        if (unit) {
            return random.nextBoolean() ? new Literal(pick(UNITS)) : new Param(pick(PARAMS));
        }
        if ((function.equals("date_format") || function.equals("date_cast")) && position == 1) {
            return random.nextBoolean() ? new Literal(pick(new String[] {"%Y-%m-%d", "%H:%M:%S %z", "%% %F %T"}))
                    : new Field(name());
        }
        if (function.equals("regexp_like") && position == 1) {
            return random.nextBoolean() ? new Literal(pick(new String[] {"^a.*", "[0-9]+", "x|y"})) : new Param(pick(PARAMS));
        }
        if (function.equals("regexp_like") && position == 2) {
            return random.nextBoolean() ? new Literal(pick(new String[] {"", "i", "imsxc"})) : new Field(name());
        }
        return expr(depth, false);
    }

    private Expr leaf() {
        switch (random.nextInt(4)) {
            case 0:
                return new Field(name());
            case 1:
                return new Param(pick(PARAMS));
            default:
                return literal();
        }
    }

    Literal literal() {
        switch (random.nextInt(12)) {
            case 0:
                return new Literal(null);
            case 1:
                return new Literal(random.nextBoolean());
            case 2:
                return new Literal(random.nextLong());
            case 3:
                return new Literal((long) random.nextInt(100));
            case 4:
                return new Literal(pick(new Long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L}));
            case 5:
                return new Literal(pick(new Double[] {0.0, -0.0, 1.5, -2.25, 1e-300, 1.7976931348623157E308, 123456.789, Double.MIN_VALUE}));
            case 6:
                return new Literal(Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL) * (random.nextBoolean() ? 1 : -1));
            case 7:
                return new Literal(Lexer.integerValue(BigInteger.ONE.shiftLeft(63 + random.nextInt(100))
                        .add(BigInteger.valueOf(random.nextInt(1000))).multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1))));
            case 8:
                return new Literal(new BigDecimal(BigInteger.valueOf(1 + random.nextInt(100000)), -(400 + random.nextInt(100)))
                        .multiply(BigDecimal.valueOf(random.nextBoolean() ? 1 : -1)));
            default:
                return new Literal(pick(STRINGS));
        }
    }

    private String name() {
        return pick(NAMES);
    }

    private <T> T optional(java.util.function.Supplier<T> supplier) {
        return random.nextBoolean() ? supplier.get() : null;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
