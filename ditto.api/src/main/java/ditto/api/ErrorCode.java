package ditto.api;

/**
 * The stable kind of a {@link DittoException}.
 *
 * <p>Codes never change meaning between releases, so applications may switch on them. Each code
 * names one failure kind; the exception message says what failed and why. The wire names
 * ({@link #wireName()}) are lower-case snake case and are what logs and diagnostics print.
 */
public enum ErrorCode {
    /** The Ditto instance was closed; nothing can be done with it any more. */
    CLOSED,
    /** The transaction already completed (committed or rolled back); it cannot be used again. */
    TRANSACTION_CLOSED,
    /** Authentication was requested on an instance whose connection type has no authenticator (small peers only). */
    AUTHENTICATOR_NOT_AVAILABLE,
    /** Sync with a server connection was started before an authentication expiration handler was set. */
    EXPIRATION_HANDLER_NOT_SET,
    /** A DQL string could not be parsed or compiled; the message names line, column and what was expected. */
    QUERY_COMPILATION,
    /** A DQL statement failed while it was evaluated (for example a type error in a function call). */
    QUERY_EXECUTION,
    /** Query arguments, method arguments or documents are invalid (missing parameter, unsupported type, non-finite number, too deep, …). */
    INVALID_ARGUMENTS,
    /** The requested operation or DQL feature is not supported (joins, subqueries, a non-SELECT observer, …). */
    UNSUPPORTED,
    /** A mutation was attempted inside a read-only transaction. */
    READ_ONLY_TRANSACTION,
    /** An INSERT met an existing document id under the FAIL conflict policy. */
    DOCUMENT_ID_CONFLICT,
    /** A document exceeds the hard size limit. */
    DOCUMENT_TOO_LARGE,
    /** The configuration is invalid (database id not a UUID, bad transport setting, bad config file, …). */
    INVALID_CONFIG,
    /** The persistence directory cannot be used: locked by another open instance, not writable, or not a directory. */
    PERSISTENCE_DIRECTORY,
    /** The encryption key for data at rest is missing or wrong, or the stored data was tampered with. */
    ENCRYPTION,
    /** Reading from or writing to the storage backend failed. */
    STORE,
    /** Login failed or the credentials expired; the exception may carry the provider's clientInfo. */
    AUTHENTICATION,
    /** Sync was refused because this instance is not activated with a valid offline license token. */
    ACTIVATION,
    /** An attachment could not be found, created or read. */
    ATTACHMENT,
    /** A transport failed to start or a link failed. */
    TRANSPORT,
    /** A peer sent something that violates the wire protocol; the session is closed. */
    PROTOCOL,
    /** The operation did not complete in time. */
    TIMEOUT,
    /** No engine or plug-in able to do the job was found at run time. */
    NOT_AVAILABLE,
    /** An unexpected failure inside the engine; the message and cause say more. */
    INTERNAL;

    /** Returns the stable lower-case snake-case name of this code, as logs print it. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
