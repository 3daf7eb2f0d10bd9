package ditto.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The body of a transaction run by {@link Store#transaction}: runs statements with the given
 * {@link Transaction} and decides how the transaction ends.
 *
 * <p>It runs on the thread that called {@code transaction}. It must not call
 * {@link Store#execute} or start another transaction on the same store: with the one
 * read-write transaction held, that would deadlock.
 */
@ConsumerType
@FunctionalInterface
public interface TransactionFunction {

    /**
     * Runs the transaction's statements.
     *
     * @param tx the transaction, valid only until this method returns
     * @return {@link TransactionCompletionAction#COMMIT} to apply the changes or
     *         {@link TransactionCompletionAction#ROLLBACK} to discard them; never null
     * @throws Exception any failure; the transaction is then rolled back and the failure passed on
     */
    TransactionCompletionAction apply(Transaction tx) throws Exception;
}
