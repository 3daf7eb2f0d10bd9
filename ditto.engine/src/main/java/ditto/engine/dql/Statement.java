package ditto.engine.dql;

import java.util.List;
import java.util.Objects;

/**
 * A parsed DQL statement: an immutable syntax tree with structural equality. Obtain one from
 * {@link Dql#parse(String)} or a {@link DqlCache}; print it back with {@link Dql#print(Statement)}.
 *
 * <p>Optional parts are {@code null} when absent (a missing WHERE, LIMIT, alias …); lists are
 * empty, never null. All records are thread-safe values.
 */
public sealed interface Statement {

    /** What kind of statement this is. */
    Kind kind();

    /**
     * Returns whether executing the statement leaves the store and the settings unchanged:
     * true for SELECT, EXPLAIN and SHOW; false for INSERT, UPDATE, DELETE, EVICT, index
     * statements and ALTER SYSTEM. A read-only transaction rejects the others.
     */
    default boolean isReadOnly() {
        return kind().readOnly;
    }

    /** The statement kinds. */
    enum Kind {
        /** {@link Select}. */ SELECT(true),
        /** {@link Insert}. */ INSERT(false),
        /** {@link Update}. */ UPDATE(false),
        /** {@link Delete}. */ DELETE(false),
        /** {@link Evict}. */ EVICT(false),
        /** {@link CreateIndex}. */ CREATE_INDEX(false),
        /** {@link DropIndex}. */ DROP_INDEX(false),
        /** {@link Explain}. */ EXPLAIN(true),
        /** {@link AlterSystemSet} and {@link AlterSystemReset}. */ ALTER_SYSTEM(false),
        /** {@link Show}. */ SHOW(true);

        private final boolean readOnly;

        Kind(boolean readOnly) {
            this.readOnly = readOnly;
        }
    }

    /** The CRDT types a type hint can declare. */
    enum CrdtType {
        /** Last-writer-wins register (scalars, arrays, objects replaced whole). */ REGISTER,
        /** Add-wins map (the default for objects unless strict mode is on). */ MAP,
        /** Counter with {@code INCREMENT BY} and {@code RESTART}. */ COUNTER,
        /** Legacy summed counter ({@code PN_INCREMENT}). */ PN_COUNTER,
        /** Attachment token holder. */ ATTACHMENT
    }

    /**
     * A type hint {@code field TYPE}; only a {@code MAP} hint may carry nested hints for the
     * map's own fields: {@code m MAP(x ATTACHMENT)}.
     */
    record TypeHint(String field, CrdtType type, List<TypeHint> nested) {
        /** Copies the nested list and checks that only MAP hints nest. */
        public TypeHint {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(type, "type");
            nested = List.copyOf(nested);
            if (!nested.isEmpty() && type != CrdtType.MAP) {
                throw new IllegalArgumentException("only MAP type hints can nest, not " + type);
            }
        }
    }

    /**
     * A collection operand: its name ({@code cars}, or {@code system:indexes} for a virtual
     * collection) and the type hints given with {@code COLLECTION name (…)}.
     */
    record CollectionRef(String name, List<TypeHint> hints) {
        /** Copies the hint list. */
        public CollectionRef {
            Objects.requireNonNull(name, "name");
            hints = List.copyOf(hints);
        }

        /** Returns whether the name is a virtual {@code system:…} collection. */
        public boolean isVirtual() {
            return name.startsWith("system:");
        }
    }

    /** One projection item: an expression and its optional alias ({@code AS name}). */
    record SelectItem(Expr expr, String alias) {
        /** Checks the expression. */
        public SelectItem {
            Objects.requireNonNull(expr, "expr");
        }
    }

    /** One ORDER BY key. */
    record OrderItem(Expr expr, boolean descending) {
        /** Checks the expression. */
        public OrderItem {
            Objects.requireNonNull(expr, "expr");
        }
    }

    /**
     * {@code SELECT [DISTINCT] projection FROM [COLLECTION] coll [(hints)] [WHERE c] [GROUP BY …]
     * [HAVING c] [ORDER BY …] [LIMIT n] [OFFSET m]}. An empty {@code projection} means
     * {@code SELECT *}. {@code limit} and {@code offset} are number literals or parameters.
     */
    record Select(boolean distinct, List<SelectItem> projection, CollectionRef from, Expr where,
                  List<Expr> groupBy, Expr having, List<OrderItem> orderBy, Expr limit, Expr offset)
            implements Statement {
        /** Copies the lists and checks the required parts. */
        public Select {
            projection = List.copyOf(projection);
            Objects.requireNonNull(from, "from");
            groupBy = List.copyOf(groupBy);
            orderBy = List.copyOf(orderBy);
        }

        /** Returns whether this is {@code SELECT *} (whole documents). */
        public boolean isStar() {
            return projection.isEmpty();
        }

        @Override
        public Kind kind() {
            return Kind.SELECT;
        }
    }

    /** INSERT's policy for a document whose {@code _id} exists locally and is not deleted. */
    enum ConflictPolicy {
        /** The default: the statement fails and writes nothing. */ FAIL,
        /** Keep the existing document. */ DO_NOTHING,
        /** Write every given field (equal values are still new writes). */ DO_UPDATE,
        /** Write only the fields whose values differ. */ DO_UPDATE_LOCAL_DIFF
    }

    /**
     * {@code INSERT INTO [COLLECTION] coll [(hints)] DOCUMENTS (d1), … [ON ID CONFLICT policy]},
     * or with {@code initial} set, {@code INSERT INTO coll INITIAL DOCUMENTS (d1), …} (whose
     * policy is always {@link ConflictPolicy#DO_NOTHING}: initial documents never overwrite).
     * Each document expression must evaluate to an object ({@link WriteEvaluator#insertDocuments}).
     */
    record Insert(CollectionRef into, List<Expr> documents, ConflictPolicy onConflict, boolean initial)
            implements Statement {
        /** Copies the list and checks the parts. */
        public Insert {
            Objects.requireNonNull(into, "into");
            documents = List.copyOf(documents);
            Objects.requireNonNull(onConflict, "onConflict");
            if (documents.isEmpty()) {
                throw new IllegalArgumentException("INSERT needs at least one document");
            }
            if (initial && onConflict != ConflictPolicy.DO_NOTHING) {
                throw new IllegalArgumentException("INITIAL DOCUMENTS always use DO_NOTHING, not " + onConflict);
            }
        }

        @Override
        public Kind kind() {
            return Kind.INSERT;
        }
    }

    /** The counter operations of UPDATE's APPLY clause. */
    enum ApplyOp {
        /** {@code f INCREMENT BY n} on a COUNTER. */ INCREMENT,
        /** {@code f RESTART [WITH n]} on a COUNTER (amount null means 0). */ RESTART,
        /** {@code f PN_INCREMENT BY n} on a legacy PN_COUNTER. */ PN_INCREMENT
    }

    /** One APPLY item; {@code path} is a field path, {@code amount} null only for a bare RESTART. */
    record Apply(Expr path, ApplyOp op, Expr amount) {
        /** Checks the parts. */
        public Apply {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(op, "op");
            if (amount == null && op != ApplyOp.RESTART) {
                throw new IllegalArgumentException(op + " needs an amount");
            }
        }
    }

    /** One SET item {@code path = value}; {@code path} is a field path. */
    record SetItem(Expr path, Expr value) {
        /** Checks the parts. */
        public SetItem {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * {@code UPDATE [COLLECTION] coll [(hints)] [APPLY …] [SET …] [UNSET …] [WHERE c] [ORDER BY …]
     * [LIMIT n] [OFFSET m]}; at least one of APPLY, SET and UNSET is present. Paths are field
     * paths ({@link Dql#fieldPath(Expr)} is present) and never touch {@code _id}.
     */
    record Update(CollectionRef target, List<Apply> applies, List<SetItem> sets, List<Expr> unsets, Expr where,
                  List<OrderItem> orderBy, Expr limit, Expr offset) implements Statement {
        /** Copies the lists and checks that something is changed. */
        public Update {
            Objects.requireNonNull(target, "target");
            applies = List.copyOf(applies);
            sets = List.copyOf(sets);
            unsets = List.copyOf(unsets);
            orderBy = List.copyOf(orderBy);
            if (applies.isEmpty() && sets.isEmpty() && unsets.isEmpty()) {
                throw new IllegalArgumentException("UPDATE needs APPLY, SET or UNSET");
            }
        }

        @Override
        public Kind kind() {
            return Kind.UPDATE;
        }
    }

    /** {@code DELETE FROM coll [WHERE c] [ORDER BY …] [LIMIT n] [OFFSET m]}: tombstones. */
    record Delete(String collection, Expr where, List<OrderItem> orderBy, Expr limit, Expr offset)
            implements Statement {
        /** Copies the list and checks the collection. */
        public Delete {
            Objects.requireNonNull(collection, "collection");
            orderBy = List.copyOf(orderBy);
        }

        @Override
        public Kind kind() {
            return Kind.DELETE;
        }
    }

    /** {@code EVICT FROM coll [WHERE c] [ORDER BY …] [LIMIT n] [OFFSET m]}: local removal, no tombstone. */
    record Evict(String collection, Expr where, List<OrderItem> orderBy, Expr limit, Expr offset)
            implements Statement {
        /** Copies the list and checks the collection. */
        public Evict {
            Objects.requireNonNull(collection, "collection");
            orderBy = List.copyOf(orderBy);
        }

        @Override
        public Kind kind() {
            return Kind.EVICT;
        }
    }

    /** {@code CREATE INDEX [IF NOT EXISTS] name ON coll (path)}; {@code path} is a field path. */
    record CreateIndex(String name, boolean ifNotExists, String collection, Expr path) implements Statement {
        /** Checks the parts. */
        public CreateIndex {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(collection, "collection");
            Objects.requireNonNull(path, "path");
        }

        @Override
        public Kind kind() {
            return Kind.CREATE_INDEX;
        }
    }

    /** {@code DROP INDEX [IF EXISTS] name [ON coll]}; {@code collection} may be null. */
    record DropIndex(String name, boolean ifExists, String collection) implements Statement {
        /** Checks the name. */
        public DropIndex {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public Kind kind() {
            return Kind.DROP_INDEX;
        }
    }

    /** {@code EXPLAIN statement}: describe the plan, do not execute; never nested. */
    record Explain(Statement statement) implements Statement {
        /** Checks the operand. */
        public Explain {
            Objects.requireNonNull(statement, "statement");
            if (statement instanceof Explain) {
                throw new IllegalArgumentException("EXPLAIN cannot be nested");
            }
        }

        @Override
        public Kind kind() {
            return Kind.EXPLAIN;
        }
    }

    /** {@code ALTER SYSTEM SET name = value}; {@code name} upper case, value a literal, object or parameter. */
    record AlterSystemSet(String name, Expr value) implements Statement {
        /** Checks the parts. */
        public AlterSystemSet {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Kind kind() {
            return Kind.ALTER_SYSTEM;
        }
    }

    /** {@code ALTER SYSTEM RESET name} ({@code name} upper case), or {@code RESET ALL} when {@code name} is null. */
    record AlterSystemReset(String name) implements Statement {
        /** Returns whether this is {@code RESET ALL}. */
        public boolean all() {
            return name == null;
        }

        @Override
        public Kind kind() {
            return Kind.ALTER_SYSTEM;
        }
    }

    /** {@code SHOW name} ({@code name} upper case), or {@code SHOW ALL} when {@code name} is null. */
    record Show(String name) implements Statement {
        /** Returns whether this is {@code SHOW ALL}. */
        public boolean all() {
            return name == null;
        }

        @Override
        public Kind kind() {
            return Kind.SHOW;
        }
    }
}
