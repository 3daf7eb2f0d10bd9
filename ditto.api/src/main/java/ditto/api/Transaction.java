package ditto.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An open transaction, handed to a {@link TransactionFunction} or to the function of
 * {@link Store#transactionWithResult}. Statements run with {@link #execute} see the changes of
 * earlier statements in the same transaction; other readers see them only after commit.
 *
 * <p>The transaction is valid only while the function runs; once it has completed every method
 * except {@link #info()} and {@link #store()} throws {@link ErrorCode#TRANSACTION_CLOSED}. A
 * failed {@code execute} whose exception the function catches does not end the transaction.
 * Use it from the function's thread only.
 */
@ProviderType
public interface Transaction extends QueryExecutor {

    /** Returns the transaction's id, hint and read-only flag, never null. */
    TransactionInfo info();

    /** Returns the store this transaction belongs to, never null. */
    Store store();
}
