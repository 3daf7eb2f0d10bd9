package ditto.engine.dql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
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
 * Recursive-descent parser from tokens to {@link Statement}s, one instance per parse.
 *
 * <p>Invariants: recursion is bounded by {@link Dql#MAX_NESTING} (parentheses, brackets,
 * braces, calls, unary chains, nested hints) and every built tree by {@link Dql#MAX_DEPTH}, both
 * checked before the limit is exceeded, so no input can overflow the stack. The start offset
 * of every expression node is remembered (by identity) so that later semantic checks can name
 * line and column. Operator precedence, high to low: unary {@code - +}; {@code * / %};
 * {@code + - ||}; comparisons, BETWEEN, IN; LIKE, ILIKE; IS; NOT; AND; XOR; OR.
 */
final class Parser {

    private static final String STATEMENT_START =
            "a statement (SELECT, INSERT, UPDATE, DELETE, EVICT, CREATE INDEX, DROP INDEX, EXPLAIN, ALTER SYSTEM or SHOW)";

    private final String text;
    private final List<Token> tokens;
    private final Map<Expr, Integer> starts = new IdentityHashMap<>();
    private final Map<Expr, Integer> depths = new IdentityHashMap<>();
    private int pos;
    private int nesting;

    private Parser(String text) {
        this.text = text;
        this.tokens = Lexer.tokenize(text);
    }

    static Statement parseStatement(String text) {
        Parser p = new Parser(text);
        Statement s = p.statement(true);
        p.acceptSymbol(";");
        p.expectEnd();
        return s;
    }

    static Expr parseExpression(String text) {
        Parser p = new Parser(text);
        Expr e = p.expression();
        p.expectEnd();
        p.checkNoAggregates(e, "a standalone expression");
        return e;
    }

    // ---------------------------------------------------------------- statements

    private Statement statement(boolean explainAllowed) {
        Token t = peek();
        if (t.isKeyword("SELECT")) {
            return select();
        } else if (t.isKeyword("INSERT")) {
            return insert();
        } else if (t.isKeyword("UPDATE")) {
            return update();
        } else if (t.isKeyword("DELETE")) {
            advance();
            expectKeyword("FROM");
            String coll = collectionName(true);
            Tail tail = tail(true);
            return new Statement.Delete(coll, tail.where, tail.orderBy, tail.limit, tail.offset);
        } else if (t.isWord("EVICT")) {
            advance();
            expectKeyword("FROM");
            String coll = collectionName(true);
            Tail tail = tail(true);
            return new Statement.Evict(coll, tail.where, tail.orderBy, tail.limit, tail.offset);
        } else if (t.isKeyword("CREATE")) {
            return createIndex();
        } else if (t.isKeyword("DROP")) {
            return dropIndex();
        } else if (t.isWord("EXPLAIN")) {
            if (!explainAllowed) {
                throw unexpected("a statement to explain (EXPLAIN cannot be nested)");
            }
            advance();
            return new Statement.Explain(statement(false));
        } else if (t.isKeyword("ALTER")) {
            return alterSystem();
        } else if (t.isWord("SHOW")) {
            advance();
            if (peek().isWord("ALL")) {
                advance();
                return new Statement.Show(null);
            }
            return new Statement.Show(settingName());
        } else if (t.isWord("BEGIN") || t.isWord("START") || t.isWord("COMMIT") || t.isWord("ROLLBACK")
                || t.isWord("SAVEPOINT") || t.isWord("RELEASE") || t.isWord("END")) {
            throw new DittoException(ErrorCode.UNSUPPORTED, at(t) + ": transaction statements ("
                    + t.text().toUpperCase(Locale.ROOT) + ") are not supported in DQL text; use store.transaction(...)");
        }
        throw unexpected(STATEMENT_START);
    }

    private Statement select() {
        expectKeyword("SELECT");
        boolean distinct = acceptKeyword("DISTINCT");
        List<SelectItem> items = new ArrayList<>();
        List<Integer> itemStarts = new ArrayList<>();
        if (acceptSymbol("*")) {
            if (peek().isSymbol(",")) {
                throw unexpected("FROM (SELECT * cannot be combined with other projection items)");
            }
        } else {
            do {
                itemStarts.add(peek().start());
                Expr e = expression();
                String alias = null;
                if (acceptKeyword("AS")) {
                    alias = identifier("an alias");
                } else if (peek().type() == Token.Type.QUOTED
                        || peek().type() == Token.Type.WORD && !peek().isReservedWord()) {
                    alias = identifier("an alias");
                }
                items.add(new SelectItem(e, alias));
            } while (acceptSymbol(","));
        }
        expectKeyword("FROM");
        CollectionRef from = collectionRef();
        Token after = peek();
        if (after.isSymbol(",")) {
            throw new DittoException(ErrorCode.UNSUPPORTED,
                    at(after) + ": several FROM terms are not supported (DQL reads one collection per statement)");
        }
        if (after.isKeyword("JOIN") || (after.type() == Token.Type.WORD && isJoinModifier(after.text()))) {
            throw new DittoException(ErrorCode.UNSUPPORTED, at(after) + ": joins are not supported");
        }
        Expr where = null;
        if (acceptKeyword("WHERE")) {
            where = expression();
            checkNoAggregates(where, "WHERE");
        }
        List<Expr> groupBy = new ArrayList<>();
        if (acceptKeyword("GROUP")) {
            expectKeyword("BY");
            do {
                Expr g = expression();
                checkNoAggregates(g, "GROUP BY");
                groupBy.add(g);
            } while (acceptSymbol(","));
        }
        Expr having = null;
        if (acceptKeyword("HAVING")) {
            having = expression();
        }
        Tail tail = tail(false);
        if (peek().isKeyword("UNION")) {
            throw new DittoException(ErrorCode.UNSUPPORTED, at(peek()) + ": UNION is not supported");
        }
        Statement.Select s = new Statement.Select(distinct, items, from, where, groupBy, having,
                tail.orderBy, tail.limit, tail.offset);
        SelectAnalysis.validate(s, this::positionOf);
        return s;
    }

    private static boolean isJoinModifier(String word) {
        String w = word.toUpperCase(Locale.ROOT);
        return w.equals("LEFT") || w.equals("RIGHT") || w.equals("INNER") || w.equals("OUTER")
                || w.equals("CROSS") || w.equals("FULL") || w.equals("NATURAL");
    }

    /** The WHERE (if {@code withWhere}), ORDER BY, LIMIT and OFFSET clauses. */
    private Tail tail(boolean withWhere) {
        Tail tail = new Tail();
        if (withWhere && acceptKeyword("WHERE")) {
            tail.where = expression();
            checkNoAggregates(tail.where, "WHERE");
        }
        if (acceptKeyword("ORDER")) {
            expectKeyword("BY");
            do {
                Expr e = expression();
                if (withWhere) {
                    checkNoAggregates(e, "ORDER BY of a write");
                }
                boolean desc = false;
                if (acceptKeyword("DESC")) {
                    desc = true;
                } else {
                    acceptKeyword("ASC");
                }
                tail.orderBy.add(new OrderItem(e, desc));
            } while (acceptSymbol(","));
        }
        for (int i = 0; i < 2; i++) {
            if (tail.limit == null && acceptKeyword("LIMIT")) {
                tail.limit = count("LIMIT");
            } else if (tail.offset == null && acceptKeyword("OFFSET")) {
                tail.offset = count("OFFSET");
            }
        }
        return tail;
    }

    /** A LIMIT or OFFSET operand: a non-negative integer literal or a parameter. */
    private Expr count(String clause) {
        Token t = peek();
        if (t.type() == Token.Type.NUMBER && t.value() instanceof Long) {
            advance();
            return mark(new Literal(t.value()), t.start());
        }
        if (t.isSymbol(":")) {
            return primary();
        }
        throw unexpected("a non-negative integer or a parameter after " + clause);
    }

    private static final class Tail {
        Expr where;
        final List<OrderItem> orderBy = new ArrayList<>();
        Expr limit;
        Expr offset;
    }

    private Statement insert() {
        expectKeyword("INSERT");
        expectKeyword("INTO");
        CollectionRef into = collectionRef();
        boolean initial = false;
        if (peek().isWord("INITIAL")) {
            advance();
            initial = true;
        }
        expectWord("DOCUMENTS");
        List<Expr> docs = new ArrayList<>();
        do {
            expectSymbol("(");
            Expr d = expression();
            checkNoAggregates(d, "INSERT");
            docs.add(d);
            expectSymbol(")");
        } while (acceptSymbol(","));
        ConflictPolicy policy = initial ? ConflictPolicy.DO_NOTHING : ConflictPolicy.FAIL;
        if (!initial && acceptKeyword("ON")) {
            expectWord("ID");
            expectWord("CONFLICT");
            if (peek().isWord("FAIL")) {
                advance();
                policy = ConflictPolicy.FAIL;
            } else if (peek().isWord("DO")) {
                advance();
                if (peek().isWord("NOTHING")) {
                    policy = ConflictPolicy.DO_NOTHING;
                } else if (peek().isKeyword("UPDATE")) {
                    policy = ConflictPolicy.DO_UPDATE;
                } else if (peek().isWord("UPDATE_LOCAL_DIFF")) {
                    policy = ConflictPolicy.DO_UPDATE_LOCAL_DIFF;
                } else {
                    throw unexpected("NOTHING, UPDATE or UPDATE_LOCAL_DIFF");
                }
                advance();
            } else {
                throw unexpected("FAIL or DO");
            }
        }
        return new Statement.Insert(into, docs, policy, initial);
    }

    private Statement update() {
        expectKeyword("UPDATE");
        CollectionRef target = collectionRef();
        List<Apply> applies = new ArrayList<>();
        List<SetItem> sets = new ArrayList<>();
        List<Expr> unsets = new ArrayList<>();
        if (acceptKeyword("APPLY")) {
            do {
                Expr path = fieldPath("APPLY");
                Token op = peek();
                if (op.isWord("INCREMENT") || op.isWord("PN_INCREMENT")) {
                    advance();
                    expectKeyword("BY");
                    Expr amount = expression();
                    checkNoAggregates(amount, "APPLY");
                    applies.add(new Apply(path, op.isWord("INCREMENT") ? ApplyOp.INCREMENT : ApplyOp.PN_INCREMENT, amount));
                } else if (op.isWord("RESTART")) {
                    advance();
                    Expr amount = null;
                    if (peek().isWord("WITH")) {
                        advance();
                        amount = expression();
                        checkNoAggregates(amount, "APPLY");
                    }
                    applies.add(new Apply(path, ApplyOp.RESTART, amount));
                } else {
                    throw unexpected("INCREMENT BY, RESTART or PN_INCREMENT BY");
                }
            } while (acceptSymbol(","));
        }
        if (acceptKeyword("SET")) {
            do {
                Expr path = fieldPath("SET");
                expectEquals();
                Expr value = expression();
                checkNoAggregates(value, "SET");
                sets.add(new SetItem(path, value));
            } while (acceptSymbol(","));
        }
        if (acceptKeyword("UNSET")) {
            do {
                unsets.add(fieldPath("UNSET"));
            } while (acceptSymbol(","));
        }
        if (applies.isEmpty() && sets.isEmpty() && unsets.isEmpty()) {
            throw unexpected("APPLY, SET or UNSET");
        }
        Tail tail = tail(true);
        return new Statement.Update(target, applies, sets, unsets, tail.where, tail.orderBy, tail.limit, tail.offset);
    }

    private void expectEquals() {
        if (!acceptSymbol("=") && !acceptSymbol("==")) {
            throw unexpected("'='");
        }
    }

    /** A field path target of a write; {@code _id} is immutable. */
    private Expr fieldPath(String clause) {
        Token t = peek();
        Expr e = postfix();
        if (Dql.fieldPath(e).isEmpty()) {
            throw error(t.start(), "expected a field path (a.b, a['k'] or a[0]) in " + clause + " but found "
                    + Lexer.abbreviate(Dql.print(e)));
        }
        if (!clause.equals("CREATE INDEX") && Dql.fieldPath(e).get().get(0).equals("_id")) {
            throw error(t.start(), "_id is immutable and cannot be changed by " + clause);
        }
        return e;
    }

    private Statement createIndex() {
        expectKeyword("CREATE");
        expectWord("INDEX");
        boolean ifNotExists = false;
        if (peek().isWord("IF")) {
            advance();
            expectKeyword("NOT");
            expectWord("EXISTS");
            ifNotExists = true;
        }
        String name = identifier("an index name");
        expectKeyword("ON");
        String coll = collectionName(false);
        expectSymbol("(");
        Expr path = fieldPath("CREATE INDEX");
        if (peek().isSymbol(",")) {
            throw new DittoException(ErrorCode.UNSUPPORTED, at(peek()) + ": an index covers one field path");
        }
        expectSymbol(")");
        return new Statement.CreateIndex(name, ifNotExists, coll, path);
    }

    private Statement dropIndex() {
        expectKeyword("DROP");
        expectWord("INDEX");
        boolean ifExists = false;
        if (peek().isWord("IF")) {
            advance();
            expectWord("EXISTS");
            ifExists = true;
        }
        String name = identifier("an index name");
        String coll = null;
        if (acceptKeyword("ON")) {
            coll = collectionName(false);
        }
        return new Statement.DropIndex(name, ifExists, coll);
    }

    private Statement alterSystem() {
        expectKeyword("ALTER");
        expectWord("SYSTEM");
        if (acceptKeyword("SET")) {
            String name = settingName();
            if (!acceptSymbol("=") && !acceptSymbol("==")) {
                if (peek().isWord("TO")) {
                    advance();
                } else {
                    throw unexpected("'=' or TO");
                }
            }
            Expr value = expression();
            checkNoAggregates(value, "ALTER SYSTEM");
            checkNoFields(value);
            return new Statement.AlterSystemSet(name, value);
        }
        if (peek().isWord("RESET")) {
            advance();
            if (peek().isWord("ALL")) {
                advance();
                return new Statement.AlterSystemReset(null);
            }
            return new Statement.AlterSystemReset(settingName());
        }
        throw unexpected("SET or RESET");
    }

    private String settingName() {
        Token t = peek();
        if (t.type() == Token.Type.WORD && !t.isReservedWord() || t.type() == Token.Type.QUOTED) {
            advance();
            return t.text().toUpperCase(Locale.ROOT);
        }
        throw unexpected("a setting name");
    }

    /** {@code [COLLECTION] name [(hints)]}; hints require the COLLECTION keyword. */
    private CollectionRef collectionRef() {
        boolean keyword = acceptKeyword("COLLECTION");
        String name = collectionName(false);
        List<TypeHint> hints = List.of();
        if (keyword && peek().isSymbol("(")) {
            hints = hints(peek());
        }
        return new CollectionRef(name, hints);
    }

    private List<TypeHint> hints(Token open) {
        enter(open);
        expectSymbol("(");
        List<TypeHint> hints = new ArrayList<>();
        do {
            String field = identifier("a field name");
            Token t = peek();
            CrdtType type = null;
            if (t.type() == Token.Type.WORD) {
                for (CrdtType c : CrdtType.values()) {
                    if (t.isWord(c.name())) {
                        type = c;
                    }
                }
            }
            if (type == null) {
                throw unexpected("a type (REGISTER, MAP, COUNTER, PN_COUNTER or ATTACHMENT)");
            }
            advance();
            List<TypeHint> nested = List.of();
            if (type == CrdtType.MAP && peek().isSymbol("(")) {
                nested = hints(peek());
            }
            hints.add(new TypeHint(field, type, nested));
        } while (acceptSymbol(","));
        expectSymbol(")");
        nesting--;
        return hints;
    }

    /** A collection name: identifier, quoted identifier or {@code system:name}. */
    private String collectionName(boolean allowCollectionKeyword) {
        if (allowCollectionKeyword) {
            acceptKeyword("COLLECTION");
        }
        Token t = peek();
        if (t.isSymbol("(")) {
            Token next = tokens.get(pos + 1);
            if (next.isKeyword("SELECT")) {
                throw new DittoException(ErrorCode.UNSUPPORTED, at(t) + ": subqueries are not supported");
            }
        }
        Token colon = next();
        if (t.isWord("SYSTEM") && colon.isSymbol(":")) {
            Token word = tokens.get(pos + 2);
            if (colon.start() == t.end() && word.start() == colon.end() && word.type() == Token.Type.WORD) {
                pos += 3;
                return "system:" + word.text();
            }
            throw error(colon.start() == t.end() ? word.start() : t.end(),
                    "expected ':' and a virtual collection name right after system (as in system:indexes) but found "
                    + (colon.start() == t.end() && word.start() == colon.end() ? word.describe() : "a space"));
        }
        return identifier("a collection name");
    }

    private String identifier(String what) {
        Token t = peek();
        if (t.type() == Token.Type.QUOTED || t.type() == Token.Type.WORD && !t.isReservedWord()) {
            advance();
            return t.text();
        }
        if (t.type() == Token.Type.WORD) {
            throw error(t.start(), "expected " + what + " but found keyword " + Lexer.abbreviate(t.text())
                    + " (quote it with backticks to use it as a name)");
        }
        throw unexpected(what);
    }

    // ---------------------------------------------------------------- expressions

    // Operator levels, loosest to tightest (the same numbering as the printer's).
    private static final int OR = 1;
    private static final int XOR = 2;
    private static final int AND = 3;
    private static final int NOT = 4;
    private static final int IS = 5;
    private static final int LIKE = 6;
    private static final int CMP = 7;
    private static final int ADD = 8;
    private static final int MUL = 9;

    private Expr expression() {
        return level(OR);
    }

    /**
     * Parses an expression whose operators all bind at least as tightly as {@code min}
     * (precedence climbing: one method for every binary level keeps the recursion per nesting
     * level shallow, and so the stack a statement needs small).
     */
    private Expr level(int min) {
        Token t = peek();
        if (min <= NOT && t.isKeyword("NOT")) {
            enter(t);
            advance();
            Expr operand = level(NOT);
            nesting--;
            return climb(node(new Unary(UnaryOp.NOT, operand), t.start(), operand), min, NOT);
        }
        return climb(unary(), min, Integer.MAX_VALUE);
    }

    /**
     * Applies to {@code first} the infix and postfix operators of level {@code min} or tighter,
     * but none tighter than the operator last applied (starting from {@code ceiling}): what
     * binds tighter was consumed by the operands, so {@code a IS NULL = b} is an error, as it
     * would be in a grammar with one rule per level.
     */
    private Expr climb(Expr first, int min, int ceiling) {
        Expr left = first;
        int last = ceiling;
        while (true) {
            Token t = peek();
            boolean negated = t.isKeyword("NOT");
            Token op = negated ? next() : t;
            int lv = infixLevel(op, negated);
            if (lv == 0 || lv < min || lv > last) {
                return left;
            }
            last = lv;
            if (negated) {
                advance();
            }
            advance();
            if (op.isKeyword("IS")) {
                boolean not = acceptKeyword("NOT");
                IsKind kind;
                if (acceptKeyword("NULL")) {
                    kind = IsKind.NULL;
                } else if (acceptKeyword("MISSING")) {
                    kind = IsKind.MISSING;
                } else if (acceptKeyword("UNKNOWN")) {
                    kind = IsKind.UNKNOWN;
                } else {
                    throw unexpected("NULL, MISSING or UNKNOWN");
                }
                left = node(new Is(left, kind, not), startOf(left), left);
            } else if (op.isKeyword("LIKE") || op.isKeyword("ILIKE")) {
                Expr pattern = level(CMP);
                left = node(new Like(left, pattern, op.isKeyword("ILIKE"), negated), startOf(left), left, pattern);
            } else if (op.isKeyword("BETWEEN")) {
                Expr low = level(ADD);
                expectKeyword("AND");
                Expr high = level(ADD);
                left = node(new Between(left, low, high, negated), startOf(left), left, low, high);
            } else if (op.isKeyword("IN")) {
                Expr coll = inOperand();
                left = node(new In(left, coll, negated), startOf(left), left, coll);
            } else {
                left = binary(binaryOp(op), left, lv == MUL ? unary() : level(lv + 1));
            }
        }
    }

    /** Returns the level of an infix operator token, or 0 if {@code t} is none. */
    private static int infixLevel(Token t, boolean afterNot) {
        if (afterNot) {
            return t.isKeyword("LIKE") || t.isKeyword("ILIKE") ? LIKE : t.isKeyword("BETWEEN") || t.isKeyword("IN") ? CMP : 0;
        }
        if (t.type() == Token.Type.WORD) {
            if (t.isKeyword("OR")) {
                return OR;
            } else if (t.isKeyword("XOR")) {
                return XOR;
            } else if (t.isKeyword("AND")) {
                return AND;
            } else if (t.isKeyword("IS")) {
                return IS;
            } else if (t.isKeyword("LIKE") || t.isKeyword("ILIKE")) {
                return LIKE;
            } else if (t.isKeyword("BETWEEN") || t.isKeyword("IN")) {
                return CMP;
            }
            return 0;
        }
        BinaryOp op = binaryOp(t);
        if (op == null) {
            return 0;
        }
        switch (op) {
            case MUL:
            case DIV:
            case MOD:
                return MUL;
            case ADD:
            case SUB:
            case CONCAT:
                return ADD;
            default:
                return CMP;
        }
    }

    /** Returns the binary operator a token spells, or null. */
    private static BinaryOp binaryOp(Token t) {
        if (t.type() == Token.Type.WORD) {
            return t.isKeyword("OR") ? BinaryOp.OR : t.isKeyword("XOR") ? BinaryOp.XOR : t.isKeyword("AND") ? BinaryOp.AND : null;
        }
        if (t.type() != Token.Type.SYMBOL) {
            return null;
        }
        switch (t.text()) {
            case "=":
            case "==":
                return BinaryOp.EQ;
            case "!=":
            case "<>":
                return BinaryOp.NE;
            case "<":
                return BinaryOp.LT;
            case "<=":
                return BinaryOp.LE;
            case ">":
                return BinaryOp.GT;
            case ">=":
                return BinaryOp.GE;
            case "*":
                return BinaryOp.MUL;
            case "/":
                return BinaryOp.DIV;
            case "%":
                return BinaryOp.MOD;
            case "+":
                return BinaryOp.ADD;
            case "-":
                return BinaryOp.SUB;
            case "||":
                return BinaryOp.CONCAT;
            default:
                return null;
        }
    }

    /**
     * {@code IN (a, b, …)} gives an array constructor; otherwise an additive expression. A
     * single parenthesized item that an operator continues ({@code IN (a || b) || c},
     * {@code IN (x).list}) is a parenthesized expression, not a one-item list.
     */
    private Expr inOperand() {
        Token open = peek();
        if (!open.isSymbol("(")) {
            return level(ADD);
        }
        if (next().isKeyword("SELECT")) {
            throw new DittoException(ErrorCode.UNSUPPORTED, at(open) + ": subqueries are not supported");
        }
        enter(open);
        advance();
        List<Expr> items = new ArrayList<>();
        if (!peek().isSymbol(")")) {
            do {
                items.add(expression());
            } while (acceptSymbol(","));
        }
        expectSymbol(")");
        nesting--;
        if (items.size() == 1 && continuesOperand(peek())) {
            return climb(postfixFrom(items.get(0)), ADD, Integer.MAX_VALUE);
        }
        return node(new ArrayExpr(items), open.start(), items.toArray(new Expr[0]));
    }

    private static boolean continuesOperand(Token t) {
        return t.isSymbol(".") || t.isSymbol("[") || t.isSymbol("*") || t.isSymbol("/") || t.isSymbol("%")
                || t.isSymbol("+") || t.isSymbol("-") || t.isSymbol("||");
    }

    private Expr unary() {
        Token t = peek();
        if (t.isSymbol("-") || t.isSymbol("+")) {
            enter(t);
            advance();
            Token operandToken = peek();
            Expr operand = unary();
            nesting--;
            if (t.isSymbol("-") && operandToken.type() == Token.Type.NUMBER && operand instanceof Literal lit
                    && java.util.Objects.equals(starts.get(operand), operandToken.start())) {
                Expr folded = new Literal(negate(lit.value()));
                return mark(folded, t.start());
            }
            return node(new Unary(t.isSymbol("-") ? UnaryOp.NEG : UnaryOp.PLUS, operand), t.start(), operand);
        }
        return postfix();
    }

    private static Object negate(Object number) {
        if (number instanceof Long l) {
            return -l;
        } else if (number instanceof BigInteger b) {
            return Lexer.integerValue(b.negate());
        } else if (number instanceof Double d) {
            return -d;
        }
        return ((BigDecimal) number).negate();
    }

    private Expr postfix() {
        return postfixFrom(primary());
    }

    private Expr postfixFrom(Expr first) {
        Expr e = first;
        while (true) {
            Token t = peek();
            if (t.isSymbol(".")) {
                advance();
                Token nameToken = peek();
                String name;
                if (nameToken.type() == Token.Type.WORD || nameToken.type() == Token.Type.QUOTED) {
                    // after '.', a keyword spelling is unambiguous: a.order names the field "order"
                    advance();
                    name = nameToken.text();
                } else {
                    throw unexpected("a field name after '.'");
                }
                e = node(new Member(e, name), startOf(e), e);
            } else if (t.isSymbol("[")) {
                enter(t);
                advance();
                Expr index = expression();
                expectSymbol("]");
                nesting--;
                e = node(new Index(e, index), startOf(e), e, index);
            } else {
                return e;
            }
        }
    }

    private Expr primary() {
        Token t = peek();
        switch (t.type()) {
            case NUMBER:
                advance();
                return mark(new Literal(t.value()), t.start());
            case STRING:
                advance();
                return mark(new Literal(t.text()), t.start());
            case QUOTED:
                advance();
                return mark(new Field(t.text()), t.start());
            case WORD:
                return word(t);
            case SYMBOL:
                return symbolPrimary(t);
            default:
                throw unexpected("an expression");
        }
    }

    private Expr word(Token t) {
        if (t.isKeyword("TRUE") || t.isKeyword("FALSE")) {
            advance();
            return mark(new Literal(t.isKeyword("TRUE")), t.start());
        }
        if (t.isKeyword("NULL")) {
            advance();
            return mark(new Literal(null), t.start());
        }
        if (t.isWord("EXISTS") && next().isSymbol("(") && pos + 2 < tokens.size() && tokens.get(pos + 2).isKeyword("SELECT")) {
            throw new DittoException(ErrorCode.UNSUPPORTED, at(t) + ": subqueries (EXISTS) are not supported");
        }
        if (t.isReservedWord()) {
            throw error(t.start(), "expected an expression but found keyword " + Lexer.abbreviate(t.text())
                    + (t.isKeyword("MISSING") ? " (test for absence with IS MISSING)"
                            : " (quote it with backticks to use it as a field name)"));
        }
        if (next().isSymbol("(")) {
            return call(t);
        }
        advance();
        return mark(new Field(t.text()), t.start());
    }

    private Expr call(Token nameToken) {
        String name = nameToken.text().toLowerCase(Locale.ROOT);
        int[] arity = Functions.arity(name);
        if (arity == null) {
            throw error(nameToken.start(), "unknown function '" + Lexer.abbreviate(nameToken.text()) + "'");
        }
        advance();
        Token open = peek();
        enter(open);
        advance();
        boolean aggregate = Functions.isAggregate(name);
        boolean distinct = false;
        boolean star = false;
        List<Expr> args = new ArrayList<>();
        if (aggregate && acceptKeyword("DISTINCT")) {
            distinct = true;
        }
        if (name.equals("count") && !distinct && peek().isSymbol("*")) {
            advance();
            star = true;
        } else if (!peek().isSymbol(")")) {
            if (peek().isKeyword("DISTINCT")) {
                throw error(peek().start(), "DISTINCT is only allowed in aggregates, not in " + name + "()");
            }
            do {
                args.add(expression());
            } while (acceptSymbol(","));
        }
        expectSymbol(")");
        nesting--;
        if (!star && (args.size() < arity[0] || args.size() > arity[1])) {
            throw error(nameToken.start(), name + "() takes " + Functions.describeArity(arity)
                    + " but was given " + args.size());
        }
        Call call = new Call(name, args, distinct, star);
        String problem = aggregate ? null : Functions.checkConstants(call);
        if (problem != null) {
            throw error(nameToken.start(), problem);
        }
        return node(call, nameToken.start(), args.toArray(new Expr[0]));
    }

    private Expr symbolPrimary(Token t) {
        if (t.isSymbol(":")) {
            Token name = next();
            if (name.start() == t.end() && name.type() == Token.Type.WORD) {
                advance();
                advance();
                return mark(new Param(name.text()), t.start());
            }
            throw error(t.end(), "expected a parameter name right after ':' but found "
                    + (name.start() == t.end() ? name.describe() : "a space"));
        }
        if (t.isSymbol("(")) {
            if (next().isKeyword("SELECT")) {
                throw new DittoException(ErrorCode.UNSUPPORTED, at(t) + ": subqueries are not supported");
            }
            enter(t);
            advance();
            Expr e = expression();
            expectSymbol(")");
            nesting--;
            return e;
        }
        if (t.isSymbol("[")) {
            enter(t);
            advance();
            List<Expr> items = new ArrayList<>();
            if (!peek().isSymbol("]")) {
                do {
                    items.add(expression());
                } while (acceptSymbol(","));
            }
            expectSymbol("]");
            nesting--;
            return node(new ArrayExpr(items), t.start(), items.toArray(new Expr[0]));
        }
        if (t.isSymbol("{")) {
            enter(t);
            advance();
            List<ObjectExpr.Entry> entries = new ArrayList<>();
            List<Expr> values = new ArrayList<>();
            if (!peek().isSymbol("}")) {
                do {
                    Token k = peek();
                    String key;
                    if (k.type() == Token.Type.STRING || k.type() == Token.Type.QUOTED || k.type() == Token.Type.WORD) {
                        advance();
                        key = k.text();
                    } else {
                        throw unexpected("an object key (a string)");
                    }
                    for (ObjectExpr.Entry existing : entries) {
                        if (existing.key().equals(key)) {
                            throw error(k.start(), "object key '" + Lexer.abbreviate(key) + "' appears twice");
                        }
                    }
                    expectSymbol(":");
                    Expr v = expression();
                    entries.add(new ObjectExpr.Entry(key, v));
                    values.add(v);
                } while (acceptSymbol(","));
            }
            expectSymbol("}");
            nesting--;
            return node(new ObjectExpr(entries), t.start(), values.toArray(new Expr[0]));
        }
        throw unexpected("an expression");
    }

    // ---------------------------------------------------------------- tree bookkeeping

    private Expr binary(BinaryOp op, Expr left, Expr right) {
        return node(new Binary(op, left, right), startOf(left), left, right);
    }

    private Expr mark(Expr e, int start) {
        starts.put(e, start);
        return e;
    }

    /** Records a node's start and depth; fails when the tree would be deeper than the limit. */
    private Expr node(Expr e, int start, Expr... children) {
        int depth = 1;
        for (Expr c : children) {
            depth = Math.max(depth, depths.getOrDefault(c, 1) + 1);
        }
        if (depth > Dql.MAX_DEPTH) {
            throw error(start, "the expression is nested deeper than " + Dql.MAX_DEPTH
                    + " levels (for many alternatives use IN (...))");
        }
        depths.put(e, depth);
        starts.put(e, start);
        return e;
    }

    private void enter(Token t) {
        if (++nesting > Dql.MAX_NESTING) {
            throw error(t.start(), "the statement is nested deeper than " + Dql.MAX_NESTING
                    + " levels of parentheses, brackets, braces or operators");
        }
    }

    private int startOf(Expr e) {
        Integer s = starts.get(e);
        return s == null ? 0 : s;
    }

    /** Returns "line L, column C" for a node of this parse, or null for a foreign node. */
    private String positionOf(Expr e) {
        Integer s = starts.get(e);
        return s == null ? null : Lexer.position(text, s);
    }

    private void checkNoAggregates(Expr e, String clause) {
        Call agg = SelectAnalysis.firstAggregate(e);
        if (agg != null) {
            throw error(startOf(agg), "aggregate " + agg.name() + "() is not allowed in " + clause);
        }
    }

    private void checkNoFields(Expr e) {
        Expr field = SelectAnalysis.firstField(e);
        if (field != null) {
            throw error(startOf(field), "a setting value cannot refer to document fields");
        }
    }

    // ---------------------------------------------------------------- token helpers

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        return tokens.get(Math.min(pos + 1, tokens.size() - 1));
    }

    private void advance() {
        if (pos < tokens.size() - 1) {
            pos++;
        }
    }

    private boolean acceptKeyword(String upper) {
        if (peek().isKeyword(upper)) {
            advance();
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(String s) {
        if (peek().isSymbol(s)) {
            advance();
            return true;
        }
        return false;
    }

    private void expectKeyword(String upper) {
        if (!acceptKeyword(upper)) {
            throw unexpected(upper);
        }
    }

    private void expectWord(String upper) {
        if (!peek().isWord(upper)) {
            throw unexpected(upper);
        }
        advance();
    }

    private void expectSymbol(String s) {
        if (!acceptSymbol(s)) {
            throw unexpected("'" + s + "'");
        }
    }

    private void expectEnd() {
        if (peek().type() != Token.Type.EOF) {
            throw unexpected("end of statement");
        }
    }

    private DittoException unexpected(String expected) {
        Token t = peek();
        return error(t.start(), "expected " + expected + " but found " + t.describe());
    }

    private String at(Token t) {
        return Lexer.position(text, t.start());
    }

    private DittoException error(int offset, String message) {
        return new DittoException(ErrorCode.QUERY_COMPILATION, Lexer.position(text, offset) + ": " + message);
    }
}
