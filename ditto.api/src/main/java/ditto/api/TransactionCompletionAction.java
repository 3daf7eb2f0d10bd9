package ditto.api;

/** How a transaction ends: returned by a {@link TransactionFunction} and by {@link Store#transaction}. */
public enum TransactionCompletionAction {
    /** Apply every change the transaction made, atomically. */
    COMMIT,
    /** Discard every change the transaction made. */
    ROLLBACK
}
