/**
 * Authentication against a server peer, both sides.
 *
 * <ul>
 *   <li>{@link ditto.engine.auth.LoginService}: the server peer's login endpoint,
 *       {@code POST /_ditto/auth/login} on its HTTP listener. It asks the configured identity
 *       provider plug-in ({@link ditto.api.spi.auth.IdentityProvider}) about a token or
 *       credentials and, when it agrees, issues the client a certificate for the client's key
 *       that carries its user id and permissions, signed by the server's authority.</li>
 *   <li>{@link ditto.engine.auth.ClientAuthenticator}: the application's
 *       {@link ditto.api.Authenticator} for a {@link ditto.api.DittoConfigConnect.Server}
 *       connection: logs in over HTTP(S), keeps the issued credentials in
 *       {@code auth/credentials.json}, reports the status and calls the expiration handler.</li>
 * </ul>
 *
 * The wire format of the login exchange is specified in {@code docs/security.md}.
 */
package ditto.engine.auth;
