package ditto.api;

/**
 * How to run a transaction. Immutable.
 *
 * @param hint a short description shown in logs and in {@link TransactionInfo#hint()}, or null
 *        for none
 * @param isReadOnly whether the transaction only reads; read-only transactions run concurrently
 *        with each other and with the one read-write transaction, and reject mutations with
 *        {@link ErrorCode#READ_ONLY_TRANSACTION}
 */
public record TransactionOptions(String hint, boolean isReadOnly) {

    /** The defaults: no hint, read-write. Passing null options means the same. */
    public static final TransactionOptions DEFAULT = new TransactionOptions(null, false);

    /** Returns read-only options without a hint. */
    public static TransactionOptions readOnly() {
        return new TransactionOptions(null, true);
    }

    /**
     * Returns a copy with another hint.
     *
     * @param hint the hint, or null for none
     * @return new options, never null
     */
    public TransactionOptions withHint(String hint) {
        return new TransactionOptions(hint, isReadOnly);
    }

    /**
     * Returns a copy with another read-only flag.
     *
     * @param readOnly whether the transaction only reads
     * @return new options, never null
     */
    public TransactionOptions withReadOnly(boolean readOnly) {
        return new TransactionOptions(hint, readOnly);
    }
}
