package ditto.api;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The local document store of a Ditto instance: DQL statements, live observers, transactions
 * and attachments. Obtained from {@link Ditto#store()}.
 *
 * <p>All methods are thread-safe. {@link #execute} runs each statement in its own implicit
 * transaction. Callbacks (observers, attachment fetches) run on engine threads, never on the
 * caller's; an exception a callback throws is logged and does not stop the observer. After the
 * instance is closed every method throws {@link ErrorCode#CLOSED}.
 */
@ProviderType
public interface Store extends QueryExecutor {

    /**
     * Registers a live query whose callback receives the full result soon after this method
     * returns, and again each time the result changes.
     *
     * <p>Callbacks of one observer run one at a time, in order, on an engine thread. Results are
     * delivered as fast as changes happen; slow callbacks delay later deliveries. Each result is
     * handed over to the callback: the engine does not close it, so it may be kept past the
     * callback; close it when done. Use {@link Differ} to see what changed.
     *
     * @param dql a SELECT statement, never null; any other statement is rejected here
     * @param args the query arguments, or null for none; copied
     * @param onChange receives each result, never null
     * @return the active observer; cancel it to stop the callbacks
     * @throws DittoException {@link ErrorCode#QUERY_COMPILATION} if the DQL does not parse,
     *         {@link ErrorCode#UNSUPPORTED} if it is not a SELECT or uses an unsupported feature,
     *         {@link ErrorCode#INVALID_ARGUMENTS} if an argument is missing or unsupported,
     *         {@link ErrorCode#CLOSED} if the instance is closed
     * @throws NullPointerException if {@code dql} or {@code onChange} is null
     */
    StoreObserver registerObserver(String dql, Map<String, ?> args, Consumer<QueryResult> onChange);

    /**
     * Registers a live query with back-pressure: after each delivery the observer waits until
     * the application calls the {@link SignalNext} it received, and the next delivery then
     * carries the result as of that moment (intermediate changes are coalesced). Otherwise as
     * {@link #registerObserver(String, Map, Consumer)}.
     *
     * @param dql a SELECT statement, never null
     * @param args the query arguments, or null for none; copied
     * @param onChange receives each result and the signal to call when ready for the next one,
     *        never null
     * @return the active observer; cancel it to stop the callbacks
     * @throws DittoException as {@link #registerObserver(String, Map, Consumer)}
     * @throws NullPointerException if {@code dql} or {@code onChange} is null
     */
    StoreObserver registerObserver(String dql, Map<String, ?> args, BiConsumer<QueryResult, SignalNext> onChange);

    /**
     * Returns the live query's results as a {@link Flow.Publisher}, for reactive libraries.
     *
     * <p>Each subscriber gets its own observer, registered when it subscribes and cancelled when
     * it cancels. The publisher honours demand: a result is delivered only when requested, and
     * while the subscriber has no demand intermediate changes are coalesced, so a slow subscriber
     * sees the latest result rather than a backlog. A registration error (bad DQL, not a SELECT,
     * closed instance) is signalled with {@code onError} after {@code onSubscribe}. The
     * subscription ends with {@code onComplete} when the Ditto instance closes. Signals to one
     * subscriber are serialized and run on engine threads or on the thread calling
     * {@code request}.
     *
     * @param dql a SELECT statement, never null
     * @param args the query arguments, or null for none; copied at each subscription
     * @return a cold publisher, never null
     * @throws NullPointerException if {@code dql} is null
     */
    default Flow.Publisher<QueryResult> livePublisher(String dql, Map<String, ?> args) {
        return new LiveQueryPublisher(this, dql, args);
    }

    /**
     * Returns the observers registered on this store and not yet cancelled, in no defined
     * order.
     *
     * @return an unmodifiable snapshot, never null
     */
    List<StoreObserver> observers();

    /**
     * Runs a function in a transaction and commits or rolls back as it decides.
     *
     * <p>Only one read-write transaction runs at a time; another one started meanwhile waits
     * until it ends, so keep transactions short. Read-only transactions run concurrently. The
     * function runs on the calling thread and must not use {@link #execute} or start another
     * transaction (deadlock). If the function throws, or commit fails, the transaction is rolled
     * back and the failure is thrown from this method: a {@link RuntimeException} or
     * {@link Error} unchanged, a checked exception wrapped in a {@link DittoException} with code
     * {@link ErrorCode#INTERNAL} whose cause it is.
     *
     * @param options the options, or null for {@link TransactionOptions#DEFAULT}
     * @param function the transaction body, never null
     * @return the action applied, {@link TransactionCompletionAction#COMMIT} or
     *         {@link TransactionCompletionAction#ROLLBACK}
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the function returns null
     *         (rolled back), {@link ErrorCode#STORE} if commit fails, {@link ErrorCode#CLOSED} if
     *         the instance is closed; or whatever the function throws
     * @throws NullPointerException if {@code function} is null
     */
    TransactionCompletionAction transaction(TransactionOptions options, TransactionFunction function);

    /**
     * Runs a function in a transaction and returns its value: commits when the function
     * returns, rolls back when it throws (and rethrows what it threw). Otherwise as
     * {@link #transaction(TransactionOptions, TransactionFunction)}.
     *
     * @param <T> the result type
     * @param options the options, or null for {@link TransactionOptions#DEFAULT}
     * @param function the transaction body, never null; may return null
     * @return what the function returned
     * @throws DittoException {@link ErrorCode#STORE} if commit fails, {@link ErrorCode#CLOSED} if
     *         the instance is closed; or whatever the function throws
     * @throws NullPointerException if {@code function} is null
     */
    <T> T transactionWithResult(TransactionOptions options, Function<Transaction, T> function);

    /**
     * Creates an attachment from a file: copies the file into the store (the original may be
     * changed or deleted afterwards) and returns a handle whose {@link Attachment#token()} can
     * be stored in a document field. Peers that sync the document can then fetch the blob.
     * Blocks while the file is copied.
     *
     * @param file the file to copy, absolute or relative to the working directory; never null
     * @param metadata JSON-model metadata to attach (for example a content type), or null for none
     * @return the attachment; the caller closes it
     * @throws DittoException {@link ErrorCode#ATTACHMENT} if the file cannot be read or stored,
     *         {@link ErrorCode#INVALID_ARGUMENTS} if the metadata holds an unsupported value,
     *         {@link ErrorCode#CLOSED} if the instance is closed
     * @throws NullPointerException if {@code file} is null
     */
    Attachment newAttachment(Path file, Map<String, ?> metadata);

    /**
     * Creates an attachment from bytes; see {@link #newAttachment(Path, Map)}. The array is
     * copied.
     *
     * @param data the content, never null
     * @param metadata JSON-model metadata, or null for none
     * @return the attachment; the caller closes it
     * @throws DittoException {@link ErrorCode#ATTACHMENT} if it cannot be stored,
     *         {@link ErrorCode#INVALID_ARGUMENTS} for unsupported metadata,
     *         {@link ErrorCode#CLOSED} if the instance is closed
     * @throws NullPointerException if {@code data} is null
     */
    Attachment newAttachment(byte[] data, Map<String, ?> metadata);

    /**
     * Creates an attachment from a stream, read to its end on the calling thread; see
     * {@link #newAttachment(Path, Map)}. The stream is not closed.
     *
     * @param content the content, never null
     * @param metadata JSON-model metadata, or null for none
     * @return the attachment; the caller closes it
     * @throws DittoException {@link ErrorCode#ATTACHMENT} if reading or storing fails,
     *         {@link ErrorCode#INVALID_ARGUMENTS} for unsupported metadata,
     *         {@link ErrorCode#CLOSED} if the instance is closed
     * @throws NullPointerException if {@code content} is null
     */
    Attachment newAttachment(InputStream content, Map<String, ?> metadata);

    /**
     * Prepares to fetch the attachment a token refers to, from the local store if it is there
     * and otherwise from connected peers. Nothing happens until {@link AttachmentFetcher#start()}
     * is called; then {@code onEvent} receives progress events followed by exactly one terminal
     * event (completed, failed or canceled), on an engine thread, one at a time.
     *
     * @param token the token, typically read from a document; never null
     * @param onEvent receives the fetch events, never null
     * @return the fetcher, not yet started; keep it to follow or cancel the fetch
     * @throws DittoException {@link ErrorCode#CLOSED} if the instance is closed
     * @throws NullPointerException if an argument is null
     */
    AttachmentFetcher fetchAttachment(AttachmentToken token, Consumer<AttachmentFetchEvent> onEvent);

    /**
     * Same as {@link #fetchAttachment(AttachmentToken, Consumer)} for anything that yields a
     * token, such as an {@link Attachment}.
     *
     * @param token yields the token, never null
     * @param onEvent receives the fetch events, never null
     * @return the fetcher, not yet started
     */
    default AttachmentFetcher fetchAttachment(AttachmentTokenLike token, Consumer<AttachmentFetchEvent> onEvent) {
        return fetchAttachment(token.toToken(), onEvent);
    }
}
