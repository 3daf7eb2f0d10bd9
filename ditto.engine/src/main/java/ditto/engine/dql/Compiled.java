package ditto.engine.dql;

import java.util.Map;

/**
 * An expression compiled to a closure tree by {@link ExprCompiler}; evaluating it reads the
 * current {@link Row}. Compiled trees hold no mutable state (caches inside are thread-safe), so
 * one compiled statement may be evaluated by many threads at once.
 */
@FunctionalInterface
interface Compiled {

    /** Returns the value: a JSON-model value or {@link Missing#INSTANCE}. */
    Object eval(Row row);

    /**
     * The evaluation cursor: the statement's context, the current document (for a group, its
     * first document), the group's aggregate values, and the projected output row (for ORDER BY
     * references to output names). Mutable and confined to one evaluating thread.
     */
    final class Row {
        final EvalContext ctx;
        Map<String, Object> doc;
        Object[] aggregates;
        Map<String, Object> output;

        Row(EvalContext ctx) {
            this.ctx = ctx;
        }

        Row(EvalContext ctx, Map<String, Object> doc) {
            this.ctx = ctx;
            this.doc = doc;
        }
    }
}
