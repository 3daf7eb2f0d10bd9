package ditto.api;

import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Logs a Ditto instance in to the server of a {@link DittoConfigConnect.Server server}
 * connection; obtained from {@link Ditto#auth()}, which is empty for small-peers-only instances.
 *
 * <p>A server connection cannot sync until it is authenticated. The engine asks the application
 * to log in through the {@link AuthenticationExpirationHandler}: once when sync starts without
 * valid credentials and again shortly before the credentials expire. {@link Sync#start()} fails
 * with {@link ErrorCode#EXPIRATION_HANDLER_NOT_SET} while no handler is set.
 *
 * <p>Threading: all methods are thread-safe. {@link #login} and {@link #loginWithCredentials}
 * block while the identity provider is asked (use a background thread, for example the
 * expiration handler's). Observer callbacks run on engine threads. After the instance is closed
 * every method except {@link #status()} and {@link #expirationHandler()} throws
 * {@link ErrorCode#CLOSED}.
 */
@ProviderType
public interface Authenticator {

    /**
     * Logs in with a token issued by a third party, checked by the given provider.
     *
     * <p>Returns the provider's "clientInfo" JSON value. The provider may also send clientInfo
     * when it refuses the login; the {@link DittoException} then carries it in its message.
     *
     * @param token the token, never null
     * @param provider the provider that checks the token, never null
     * @return the clientInfo JSON text, or {@code "null"} if the provider sent none; never null
     * @throws DittoException {@link ErrorCode#AUTHENTICATION} if the login is refused or the
     *         provider cannot be reached, {@link ErrorCode#CLOSED} if the instance is closed
     * @throws NullPointerException if an argument is null
     */
    String login(String token, AuthenticationProvider provider);

    /**
     * Logs in with a user name and password, checked by the given provider.
     *
     * @param username the user name, never null
     * @param password the password, never null; not kept after the call
     * @param provider the provider that checks the credentials, never null
     * @throws DittoException {@link ErrorCode#AUTHENTICATION} if the login is refused,
     *         {@link ErrorCode#CLOSED} if the instance is closed
     * @throws NullPointerException if an argument is null
     */
    void loginWithCredentials(String username, String password, AuthenticationProvider provider);

    /**
     * Logs out: stops sync, ends every replication session and forgets cached credentials. Data
     * in the store is kept. If {@code cleanup} is not null it is called once, on the calling
     * thread after sync has stopped, with the Ditto instance, so that the application can remove
     * data it no longer wants; an exception it throws is logged and otherwise ignored.
     *
     * @param cleanup called with the instance after logging out, or null for none
     * @throws DittoException {@link ErrorCode#CLOSED} if the instance is closed
     */
    void logout(Consumer<Ditto> cleanup);

    /**
     * Registers a callback for authentication status changes. The callback runs on an engine
     * thread each time the status changes, in order, never concurrently with itself; it is not
     * called with the current status at registration (read {@link #status()} for that).
     *
     * @param observer receives each new status, never null
     * @return the handle that stops the callbacks; keep it for as long as you want updates
     * @throws DittoException {@link ErrorCode#CLOSED} if the instance is closed
     * @throws NullPointerException if {@code observer} is null
     */
    AuthenticationStatusObserver observeStatus(Consumer<AuthenticationStatus> observer);

    /**
     * Sets the handler called when the instance needs to log in: when sync starts without valid
     * credentials and when the credentials are about to expire. The handler runs on an engine
     * thread and should call {@link #login} or {@link #loginWithCredentials}. A server
     * connection must set one before {@link Sync#start()}. Replaces any previous handler; null
     * removes it.
     *
     * @param handler the handler, or null to remove it
     * @throws DittoException {@link ErrorCode#CLOSED} if the instance is closed
     */
    void setExpirationHandler(AuthenticationExpirationHandler handler);

    /**
     * Returns the handler set with {@link #setExpirationHandler}.
     *
     * @return the handler, or null if none is set
     */
    AuthenticationExpirationHandler expirationHandler();

    /**
     * Returns the current authentication status. After close it reports not authenticated.
     *
     * @return the status, never null
     */
    AuthenticationStatus status();
}
