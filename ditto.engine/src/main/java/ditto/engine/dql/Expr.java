package ditto.engine.dql;

import java.util.List;
import java.util.Objects;

/**
 * A DQL expression: an immutable syntax tree node. Equality is structural, so two trees parsed
 * from differently spelled but equivalent text ({@code a == 1} and {@code a = 1}) are equal, and
 * {@code Dql.parse(Dql.print(s)).equals(s)} holds for every statement the parser produces.
 *
 * <p>Literal values are held in the parser's canonical form: integers as {@link Long} (or
 * {@link java.math.BigInteger} beyond 64 bits), decimals as {@link Double} (or
 * {@link java.math.BigDecimal} beyond the double range), strings, booleans and {@code null}.
 * Arrays and objects are {@link ArrayExpr} and {@link ObjectExpr} nodes, never literal values.
 * Trees are at most {@link Dql#MAX_DEPTH} nodes deep when they come from the parser.
 */
public sealed interface Expr {

    /** A constant: null, Boolean, Long, BigInteger, Double, BigDecimal or String. */
    record Literal(Object value) implements Expr {
        /** Checks that {@code value} is one of the literal types. */
        public Literal {
            if (!(value == null || value instanceof Boolean || value instanceof Long || value instanceof Double
                    || value instanceof String || value instanceof java.math.BigInteger
                    || value instanceof java.math.BigDecimal)) {
                throw new IllegalArgumentException("not a DQL literal value: " + value.getClass().getName());
            }
        }
    }

    /** A named parameter {@code :name}, bound from the arguments map (key without the colon). */
    record Param(String name) implements Expr {
        /** Checks that the name is not null. */
        public Param {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A top-level document field, {@code name} (for example {@code _id} or {@code color}). */
    record Field(String name) implements Expr {
        /** Checks that the name is not null. */
        public Field {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Member access {@code target.name}. */
    record Member(Expr target, String name) implements Expr {
        /** Checks that no component is null. */
        public Member {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * Subscript {@code target[index]}: a string index selects an object key, an integer index
     * an array element (from 0); anything else gives MISSING.
     */
    record Index(Expr target, Expr index) implements Expr {
        /** Checks that no component is null. */
        public Index {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(index, "index");
        }
    }

    /** An array constructor {@code [e1, e2, …]}. */
    record ArrayExpr(List<Expr> elements) implements Expr {
        /** Copies the element list (immutable). */
        public ArrayExpr {
            elements = List.copyOf(elements);
        }
    }

    /** An object constructor {@code {'k1': e1, 'k2': e2, …}}; entries keep their order. */
    record ObjectExpr(List<Entry> entries) implements Expr {
        /** Copies the entry list (immutable). */
        public ObjectExpr {
            entries = List.copyOf(entries);
        }

        /** One {@code 'key': value} entry. */
        public record Entry(String key, Expr value) {
            /** Checks that no component is null. */
            public Entry {
                Objects.requireNonNull(key, "key");
                Objects.requireNonNull(value, "value");
            }
        }
    }

    /** The unary operators. */
    enum UnaryOp {
        /** Arithmetic negation {@code -x}. */
        NEG,
        /** Arithmetic identity {@code +x} (requires a number). */
        PLUS,
        /** Logical negation {@code NOT x} (three-valued). */
        NOT
    }

    /** A unary operation. */
    record Unary(UnaryOp op, Expr operand) implements Expr {
        /** Checks that no component is null. */
        public Unary {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(operand, "operand");
        }
    }

    /** The binary operators, with the text the printer uses. */
    enum BinaryOp {
        /** {@code *} */ MUL("*"),
        /** {@code /} */ DIV("/"),
        /** {@code %} */ MOD("%"),
        /** {@code +} */ ADD("+"),
        /** {@code -} */ SUB("-"),
        /** {@code ||} string concatenation */ CONCAT("||"),
        /** {@code =} (also spelled {@code ==}) */ EQ("="),
        /** {@code !=} (also spelled {@code <>}) */ NE("!="),
        /** {@code <} */ LT("<"),
        /** {@code <=} */ LE("<="),
        /** {@code >} */ GT(">"),
        /** {@code >=} */ GE(">="),
        /** {@code AND} */ AND("AND"),
        /** {@code XOR} */ XOR("XOR"),
        /** {@code OR} */ OR("OR");

        private final String symbol;

        BinaryOp(String symbol) {
            this.symbol = symbol;
        }

        /** Returns the operator as DQL text. */
        public String symbol() {
            return symbol;
        }
    }

    /** A binary operation {@code left op right}. */
    record Binary(BinaryOp op, Expr left, Expr right) implements Expr {
        /** Checks that no component is null. */
        public Binary {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code value [NOT] BETWEEN low AND high}, inclusive on both ends. */
    record Between(Expr value, Expr low, Expr high, boolean negated) implements Expr {
        /** Checks that no component is null. */
        public Between {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(low, "low");
            Objects.requireNonNull(high, "high");
        }
    }

    /**
     * {@code value [NOT] IN collection}; {@code IN (a, b)} is parsed with an {@link ArrayExpr}
     * collection, {@code IN :list} or {@code IN path} with an array-valued expression.
     */
    record In(Expr value, Expr collection, boolean negated) implements Expr {
        /** Checks that no component is null. */
        public In {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(collection, "collection");
        }
    }

    /** {@code value [NOT] LIKE pattern} or, if {@code ignoreCase}, {@code ILIKE}. */
    record Like(Expr value, Expr pattern, boolean ignoreCase, boolean negated) implements Expr {
        /** Checks that no component is null. */
        public Like {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    /** What an {@link Is} test checks for. */
    enum IsKind {
        /** A stored null (false for MISSING). */
        NULL,
        /** An absent field. */
        MISSING,
        /** Null or MISSING. */
        UNKNOWN
    }

    /** {@code operand IS [NOT] NULL|MISSING|UNKNOWN}; always TRUE or FALSE. */
    record Is(Expr operand, IsKind kind, boolean negated) implements Expr {
        /** Checks that no component is null. */
        public Is {
            Objects.requireNonNull(operand, "operand");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /**
     * A function or aggregate call. {@code name} is lower case; {@code star} marks
     * {@code count(*)} (then {@code args} is empty); {@code distinct} marks
     * {@code agg(DISTINCT e)} and is only set for aggregates.
     */
    record Call(String name, List<Expr> args, boolean distinct, boolean star) implements Expr {
        /** Copies the argument list (immutable) and checks the name. */
        public Call {
            Objects.requireNonNull(name, "name");
            args = List.copyOf(args);
        }

        /** Returns true if this is one of the aggregates count, sum, avg, min, max. */
        public boolean isAggregate() {
            return Functions.isAggregate(name);
        }
    }
}
