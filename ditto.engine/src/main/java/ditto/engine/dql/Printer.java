package ditto.engine.dql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

import ditto.engine.dql.Expr.ArrayExpr;
import ditto.engine.dql.Expr.Between;
import ditto.engine.dql.Expr.Binary;
import ditto.engine.dql.Expr.Call;
import ditto.engine.dql.Expr.Field;
import ditto.engine.dql.Expr.In;
import ditto.engine.dql.Expr.Index;
import ditto.engine.dql.Expr.Is;
import ditto.engine.dql.Expr.Like;
import ditto.engine.dql.Expr.Literal;
import ditto.engine.dql.Expr.Member;
import ditto.engine.dql.Expr.ObjectExpr;
import ditto.engine.dql.Expr.Param;
import ditto.engine.dql.Expr.Unary;
import ditto.engine.dql.Statement.Apply;
import ditto.engine.dql.Statement.CollectionRef;
import ditto.engine.dql.Statement.OrderItem;
import ditto.engine.dql.Statement.SelectItem;
import ditto.engine.dql.Statement.SetItem;
import ditto.engine.dql.Statement.TypeHint;

/**
 * Prints statements and expressions as canonical DQL text that the {@link Parser} reads back
 * to an equal tree. Parentheses are added only where precedence or associativity needs them;
 * names that are not plain identifiers (or are reserved words) are backtick-quoted. Stateless.
 */
final class Printer {

    // precedence levels, loosest to tightest; an operand printed at a looser level gets parentheses
    private static final int OR = 1;
    private static final int XOR = 2;
    private static final int AND = 3;
    private static final int NOT = 4;
    private static final int IS = 5;
    private static final int LIKE = 6;
    private static final int CMP = 7;
    private static final int ADD = 8;
    private static final int MUL = 9;
    private static final int UNARY = 10;
    private static final int POSTFIX = 11;
    private static final int PRIMARY = 12;

    private Printer() {
    }

    static String print(Statement s) {
        StringBuilder sb = new StringBuilder();
        statement(s, sb);
        return sb.toString();
    }

    static String print(Expr e) {
        StringBuilder sb = new StringBuilder();
        expr(e, sb);
        return sb.toString();
    }

    private static void statement(Statement s, StringBuilder sb) {
        if (s instanceof Statement.Select sel) {
            sb.append("SELECT ");
            if (sel.distinct()) {
                sb.append("DISTINCT ");
            }
            if (sel.isStar()) {
                sb.append('*');
            } else {
                for (int i = 0; i < sel.projection().size(); i++) {
                    SelectItem item = sel.projection().get(i);
                    if (i > 0) {
                        sb.append(", ");
                    }
                    expr(item.expr(), sb);
                    if (item.alias() != null) {
                        sb.append(" AS ").append(name(item.alias()));
                    }
                }
            }
            sb.append(" FROM ");
            collection(sel.from(), sb);
            where(sel.where(), sb);
            if (!sel.groupBy().isEmpty()) {
                sb.append(" GROUP BY ");
                list(sel.groupBy(), sb);
            }
            if (sel.having() != null) {
                sb.append(" HAVING ");
                expr(sel.having(), sb);
            }
            tail(sel.orderBy(), sel.limit(), sel.offset(), sb);
        } else if (s instanceof Statement.Insert ins) {
            sb.append("INSERT INTO ");
            collection(ins.into(), sb);
            sb.append(ins.initial() ? " INITIAL DOCUMENTS " : " DOCUMENTS ");
            for (int i = 0; i < ins.documents().size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append('(');
                expr(ins.documents().get(i), sb);
                sb.append(')');
            }
            if (!ins.initial() && ins.onConflict() != Statement.ConflictPolicy.FAIL) {
                sb.append(" ON ID CONFLICT ").append(ins.onConflict().name().replace("DO_", "DO "));
            }
        } else if (s instanceof Statement.Update up) {
            sb.append("UPDATE ");
            collection(up.target(), sb);
            if (!up.applies().isEmpty()) {
                sb.append(" APPLY ");
                for (int i = 0; i < up.applies().size(); i++) {
                    Apply a = up.applies().get(i);
                    if (i > 0) {
                        sb.append(", ");
                    }
                    expr(a.path(), sb);
                    switch (a.op()) {
                        case INCREMENT:
                            sb.append(" INCREMENT BY ");
                            expr(a.amount(), sb);
                            break;
                        case PN_INCREMENT:
                            sb.append(" PN_INCREMENT BY ");
                            expr(a.amount(), sb);
                            break;
                        default:
                            sb.append(" RESTART");
                            if (a.amount() != null) {
                                sb.append(" WITH ");
                                expr(a.amount(), sb);
                            }
                    }
                }
            }
            if (!up.sets().isEmpty()) {
                sb.append(" SET ");
                for (int i = 0; i < up.sets().size(); i++) {
                    SetItem item = up.sets().get(i);
                    if (i > 0) {
                        sb.append(", ");
                    }
                    expr(item.path(), sb);
                    sb.append(" = ");
                    expr(item.value(), sb);
                }
            }
            if (!up.unsets().isEmpty()) {
                sb.append(" UNSET ");
                list(up.unsets(), sb);
            }
            where(up.where(), sb);
            tail(up.orderBy(), up.limit(), up.offset(), sb);
        } else if (s instanceof Statement.Delete del) {
            sb.append("DELETE FROM ").append(collectionName(del.collection()));
            where(del.where(), sb);
            tail(del.orderBy(), del.limit(), del.offset(), sb);
        } else if (s instanceof Statement.Evict ev) {
            sb.append("EVICT FROM ").append(collectionName(ev.collection()));
            where(ev.where(), sb);
            tail(ev.orderBy(), ev.limit(), ev.offset(), sb);
        } else if (s instanceof Statement.CreateIndex ci) {
            sb.append("CREATE INDEX ");
            if (ci.ifNotExists()) {
                sb.append("IF NOT EXISTS ");
            }
            sb.append(indexName(ci.name())).append(" ON ").append(collectionName(ci.collection())).append(" (");
            expr(ci.path(), sb);
            sb.append(')');
        } else if (s instanceof Statement.DropIndex di) {
            sb.append("DROP INDEX ");
            if (di.ifExists()) {
                sb.append("IF EXISTS ");
            }
            sb.append(indexName(di.name()));
            if (di.collection() != null) {
                sb.append(" ON ").append(collectionName(di.collection()));
            }
        } else if (s instanceof Statement.Explain ex) {
            sb.append("EXPLAIN ");
            statement(ex.statement(), sb);
        } else if (s instanceof Statement.AlterSystemSet set) {
            sb.append("ALTER SYSTEM SET ").append(name(set.name())).append(" = ");
            expr(set.value(), sb);
        } else if (s instanceof Statement.AlterSystemReset reset) {
            sb.append("ALTER SYSTEM RESET ").append(reset.all() ? "ALL" : settingName(reset.name()));
        } else if (s instanceof Statement.Show show) {
            sb.append("SHOW ").append(show.all() ? "ALL" : settingName(show.name()));
        }
    }

    /** An index name; one spelled IF is quoted so that it is not read as IF [NOT] EXISTS. */
    private static String indexName(String name) {
        return name.equalsIgnoreCase("IF") ? "`" + name + "`" : name(name);
    }

    /** A setting name; one spelled ALL is quoted so that it is not read as RESET ALL / SHOW ALL. */
    private static String settingName(String name) {
        return name.equalsIgnoreCase("ALL") ? "`" + name + "`" : name(name);
    }

    private static void collection(CollectionRef c, StringBuilder sb) {
        if (c.hints().isEmpty()) {
            sb.append(collectionName(c.name()));
            return;
        }
        sb.append("COLLECTION ").append(collectionName(c.name())).append(' ');
        hints(c.hints(), sb);
    }

    private static void hints(List<TypeHint> hints, StringBuilder sb) {
        sb.append('(');
        for (int i = 0; i < hints.size(); i++) {
            TypeHint h = hints.get(i);
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(name(h.field())).append(' ').append(h.type().name());
            if (!h.nested().isEmpty()) {
                hints(h.nested(), sb);
            }
        }
        sb.append(')');
    }

    private static String collectionName(String name) {
        if (name.startsWith("system:") && Lexer.isPlainIdentifier(name.substring(7))) {
            return name;
        }
        return name(name);
    }

    private static void where(Expr where, StringBuilder sb) {
        if (where != null) {
            sb.append(" WHERE ");
            expr(where, sb);
        }
    }

    private static void tail(List<OrderItem> orderBy, Expr limit, Expr offset, StringBuilder sb) {
        if (!orderBy.isEmpty()) {
            sb.append(" ORDER BY ");
            for (int i = 0; i < orderBy.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                expr(orderBy.get(i).expr(), sb);
                if (orderBy.get(i).descending()) {
                    sb.append(" DESC");
                }
            }
        }
        if (limit != null) {
            sb.append(" LIMIT ");
            expr(limit, sb);
        }
        if (offset != null) {
            sb.append(" OFFSET ");
            expr(offset, sb);
        }
    }

    private static void list(List<Expr> exprs, StringBuilder sb) {
        for (int i = 0; i < exprs.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            expr(exprs.get(i), sb);
        }
    }

    /** Returns a name as a plain identifier when it reads back as one, else backtick-quoted. */
    static String name(String name) {
        if (Lexer.isPlainIdentifier(name)) {
            return name;
        }
        return "`" + name.replace("`", "``") + "`";
    }

    static String stringLiteral(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static int level(Expr e) {
        if (e instanceof Binary b) {
            switch (b.op()) {
                case OR:
                    return OR;
                case XOR:
                    return XOR;
                case AND:
                    return AND;
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
        } else if (e instanceof Unary u) {
            return u.op() == Expr.UnaryOp.NOT ? NOT : UNARY;
        } else if (e instanceof Between || e instanceof In) {
            return CMP;
        } else if (e instanceof Like) {
            return LIKE;
        } else if (e instanceof Is) {
            return IS;
        } else if (e instanceof Member || e instanceof Index) {
            return POSTFIX;
        } else if (e instanceof Literal l && isNegative(l.value())) {
            return UNARY;
        }
        return PRIMARY;
    }

    private static boolean isNegative(Object v) {
        if (v instanceof Long l) {
            return l < 0;
        } else if (v instanceof Double d) {
            return d < 0 || Double.doubleToRawLongBits(d) == Long.MIN_VALUE;
        } else if (v instanceof BigInteger b) {
            return b.signum() < 0;
        } else if (v instanceof BigDecimal b) {
            return b.signum() < 0;
        }
        return false;
    }

    /** Prints {@code e}, in parentheses if it binds looser than {@code min}. */
    private static void operand(Expr e, int min, StringBuilder sb) {
        if (level(e) < min) {
            sb.append('(');
            expr(e, sb);
            sb.append(')');
        } else {
            expr(e, sb);
        }
    }

    private static void expr(Expr e, StringBuilder sb) {
        if (e instanceof Literal l) {
            literal(l.value(), sb);
        } else if (e instanceof Field f) {
            sb.append(name(f.name()));
        } else if (e instanceof Param p) {
            sb.append(':').append(p.name());
        } else if (e instanceof Member m) {
            operand(m.target(), POSTFIX, sb);
            sb.append('.').append(name(m.name()));
        } else if (e instanceof Index i) {
            operand(i.target(), POSTFIX, sb);
            sb.append('[');
            expr(i.index(), sb);
            sb.append(']');
        } else if (e instanceof ArrayExpr a) {
            sb.append('[');
            list(a.elements(), sb);
            sb.append(']');
        } else if (e instanceof ObjectExpr o) {
            sb.append('{');
            for (int i = 0; i < o.entries().size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(stringLiteral(o.entries().get(i).key())).append(": ");
                expr(o.entries().get(i).value(), sb);
            }
            sb.append('}');
        } else if (e instanceof Unary u) {
            if (u.op() == Expr.UnaryOp.NOT) {
                sb.append("NOT ");
                operand(u.operand(), NOT, sb);
            } else {
                sb.append(u.op() == Expr.UnaryOp.NEG ? '-' : '+');
                int operandLevel = level(u.operand());
                if (operandLevel == UNARY) {
                    // another sign (or a negative number) needs no parentheses, only a space: "--" starts a comment
                    sb.append(' ');
                    expr(u.operand(), sb);
                } else if (operandLevel < UNARY || u.operand() instanceof Literal l && l.value() instanceof Number) {
                    // a number right after '-' would be read as one negative literal
                    sb.append('(');
                    expr(u.operand(), sb);
                    sb.append(')');
                } else {
                    expr(u.operand(), sb);
                }
            }
        } else if (e instanceof Binary b) {
            int lv = level(b);
            operand(b.left(), lv, sb);
            sb.append(' ').append(b.op().symbol()).append(' ');
            operand(b.right(), lv + 1, sb);
        } else if (e instanceof Between b) {
            operand(b.value(), CMP, sb);
            sb.append(b.negated() ? " NOT BETWEEN " : " BETWEEN ");
            operand(b.low(), ADD, sb);
            sb.append(" AND ");
            operand(b.high(), ADD, sb);
        } else if (e instanceof In in) {
            operand(in.value(), CMP, sb);
            sb.append(in.negated() ? " NOT IN " : " IN ");
            if (in.collection() instanceof ArrayExpr a) {
                sb.append('(');
                list(a.elements(), sb);
                sb.append(')');
            } else {
                operand(in.collection(), ADD, sb);
            }
        } else if (e instanceof Like l) {
            operand(l.value(), LIKE, sb);
            sb.append(l.negated() ? " NOT" : "").append(l.ignoreCase() ? " ILIKE " : " LIKE ");
            operand(l.pattern(), CMP, sb);
        } else if (e instanceof Is is) {
            operand(is.operand(), IS, sb);
            sb.append(is.negated() ? " IS NOT " : " IS ").append(is.kind().name());
        } else if (e instanceof Call c) {
            sb.append(c.name()).append('(');
            if (c.distinct()) {
                sb.append("DISTINCT ");
            }
            if (c.star()) {
                sb.append('*');
            } else {
                list(c.args(), sb);
            }
            sb.append(')');
        }
    }

    private static void literal(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append("NULL");
        } else if (v instanceof String s) {
            sb.append(stringLiteral(s));
        } else if (v instanceof Boolean b) {
            sb.append(b ? "TRUE" : "FALSE");
        } else if (v instanceof Double d) {
            sb.append(d.toString());
        } else {
            sb.append(v.toString());
        }
    }
}
