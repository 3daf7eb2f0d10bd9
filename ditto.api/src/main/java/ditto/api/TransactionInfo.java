package ditto.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Describes a running transaction, for logs and monitoring; from {@link Transaction#info()}.
 * Immutable.
 *
 * @param id the transaction's unique id, never null
 * @param hint the hint given in {@link TransactionOptions}, or empty; never null
 * @param isReadOnly whether the transaction is read-only
 */
public record TransactionInfo(String id, Optional<String> hint, boolean isReadOnly) {

    /**
     * Checks the arguments.
     *
     * @param id the transaction's unique id
     * @param hint the hint, or empty
     * @param isReadOnly whether the transaction is read-only
     * @throws NullPointerException if {@code id} or {@code hint} is null
     */
    public TransactionInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hint, "hint");
    }
}
