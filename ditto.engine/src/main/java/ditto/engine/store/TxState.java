package ditto.engine.store;

import ditto.engine.dql.EvalContext;
import ditto.engine.dql.Statement;

/**
 * The state of one transaction (explicit, or the implicit one of a single {@code execute}): its
 * {@link WorkingSet} and the index catalog it sees, which CREATE and DROP INDEX replace within
 * the transaction and the store publishes after commit. Confined to the transaction's thread.
 */
final class TxState implements AutoCloseable {

    private final StoreImpl store;
    private final WorkingSet workingSet;
    private final IndexCatalog initialCatalog;
    private IndexCatalog catalog;

    TxState(StoreImpl store, WorkingSet workingSet, IndexCatalog catalog) {
        this.store = store;
        this.workingSet = workingSet;
        this.initialCatalog = catalog;
        this.catalog = catalog;
    }

    StoreImpl store() {
        return store;
    }

    WorkingSet workingSet() {
        return workingSet;
    }

    IndexCatalog catalog() {
        return catalog;
    }

    void catalog(IndexCatalog catalog) {
        this.catalog = catalog;
    }

    /** Returns whether an index was created or dropped in this transaction. */
    boolean catalogChanged() {
        return catalog != initialCatalog;
    }

    /**
     * Runs one statement atomically within the transaction: if it throws, every write it made
     * (and any index catalog change) is undone before the exception propagates.
     */
    Statements.Outcome run(Statement statement, EvalContext ctx) {
        int mark = workingSet.mark();
        IndexCatalog before = catalog;
        try {
            return Statements.execute(this, statement, ctx);
        } catch (RuntimeException | Error e) {
            workingSet.rollbackTo(mark);
            catalog = before;
            throw e;
        } finally {
            workingSet.closeCursors();
        }
    }

    /** Releases the snapshot; idempotent. */
    @Override
    public void close() {
        workingSet.close();
    }
}
