package ditto.engine.store;

import java.util.Map;
import java.util.Objects;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.Store;
import ditto.api.Transaction;
import ditto.api.TransactionInfo;

/**
 * An explicit transaction handed to a transaction function: runs statements in its
 * {@link TxState} through {@link StoreImpl#executeIn}. Valid until the store completes it (commit
 * or rollback); afterwards {@link #execute} throws {@link ErrorCode#TRANSACTION_CLOSED}.
 *
 * <p>Used from the function's thread; {@link #completed} is volatile so that another thread
 * misusing the handle after completion still sees it closed.
 */
final class TransactionImpl implements Transaction {

    private final StoreImpl store;
    private final TxState state;
    private final TransactionInfo info;
    private volatile boolean completed;

    TransactionImpl(StoreImpl store, TxState state, TransactionInfo info) {
        this.store = store;
        this.state = state;
        this.info = info;
    }

    @Override
    public QueryResult execute(String dql, Map<String, ?> args) {
        Objects.requireNonNull(dql, "dql");
        Objects.requireNonNull(args, "args");
        store.checkNotClosed();
        checkActive();
        return store.executeIn(this, dql, args);
    }

    @Override
    public TransactionInfo info() {
        return info;
    }

    @Override
    public Store store() {
        return store;
    }

    TxState state() {
        return state;
    }

    /** Marks the transaction completed; later use throws TRANSACTION_CLOSED. */
    void complete() {
        completed = true;
    }

    boolean isCompleted() {
        return completed;
    }

    /** Throws {@link ErrorCode#TRANSACTION_CLOSED} once the transaction has completed. */
    void checkActive() {
        if (completed) {
            throw new DittoException(ErrorCode.TRANSACTION_CLOSED, "transaction " + info.id()
                    + info.hint().map(h -> " ('" + h + "')").orElse("")
                    + ": already completed; a transaction can only be used inside its transaction function");
        }
    }

    @Override
    public String toString() {
        return "Transaction[" + info.id() + (info.isReadOnly() ? ", read-only" : ", read-write")
                + (completed ? ", completed]" : "]");
    }
}
