package ditto.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs DQL statements; implemented by {@link Store} (each statement in its own implicit
 * transaction) and by {@link Transaction} (inside that transaction).
 *
 * <p>Results come from the local store only: {@code execute} does not wait for sync
 * subscriptions to catch up. Use a {@link StoreObserver} to see changes as they arrive. The
 * statement language is described in the project's DQL documentation.
 */
@ProviderType
public interface QueryExecutor {

    /**
     * Runs one DQL statement.
     *
     * <p>Placeholders ({@code :name}) in the statement are bound to the argument of that name
     * (without the colon). Arguments must be JSON-model values: null, Boolean, Long, Integer,
     * Double, BigInteger, BigDecimal, String, {@code byte[]}, List, Map with String keys, or an
     * {@link AttachmentToken}. The map is read during the call only.
     *
     * @param dql the statement, never null
     * @param args the arguments, never null (an empty map for none)
     * @return the result; the caller owns it and should close it when done
     * @throws DittoException {@link ErrorCode#QUERY_COMPILATION} if the statement does not parse,
     *         {@link ErrorCode#INVALID_ARGUMENTS} if an argument is missing or unsupported,
     *         {@link ErrorCode#QUERY_EXECUTION} if evaluation fails,
     *         {@link ErrorCode#READ_ONLY_TRANSACTION} for a mutation in a read-only transaction,
     *         {@link ErrorCode#DOCUMENT_ID_CONFLICT}, {@link ErrorCode#DOCUMENT_TOO_LARGE},
     *         {@link ErrorCode#STORE} if storage fails, {@link ErrorCode#TRANSACTION_CLOSED} on a
     *         completed transaction, {@link ErrorCode#CLOSED} on a closed instance
     * @throws NullPointerException if {@code dql} or {@code args} is null
     */
    QueryResult execute(String dql, Map<String, ?> args);

    /**
     * Runs one DQL statement without arguments; see {@link #execute(String, Map)}.
     *
     * @param dql the statement, never null
     * @return the result; the caller owns it and should close it when done
     */
    default QueryResult execute(String dql) {
        return execute(dql, Map.of());
    }

    /**
     * Runs one DQL statement with several argument maps, merged in order (a later map's key
     * replaces an earlier one's); see {@link #execute(String, Map)}.
     *
     * @param dql the statement, never null
     * @param args the argument maps, none of them null
     * @return the result; the caller owns it and should close it when done
     * @throws NullPointerException if {@code dql}, {@code args} or one of its maps is null
     */
    @SuppressWarnings("unchecked")
    default QueryResult execute(String dql, Map<String, ?>... args) {
        return execute(dql, JsonModelValues.mergeArguments(args));
    }
}
