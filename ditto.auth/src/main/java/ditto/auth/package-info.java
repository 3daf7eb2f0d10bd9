/**
 * Identity providers that a server peer uses to verify who a client is.
 *
 * <p><b>Development provider</b> ({@link ditto.auth.DevelopmentIdentityProvider}, provider name
 * {@code __ditto_dev_provider}). Configuration keys, read from
 * {@link ditto.api.spi.auth.IdentityParameters#settings()}:
 * <ul>
 *   <li>{@code expirationSeconds}: how long a granted login lasts, a whole number of seconds
 *       from 1 to 315,360,000 (ten years), as a number or a decimal string; default 86,400
 *       (24 hours). Anything else is refused with {@code INVALID_CONFIG}.</li>
 * </ul>
 * {@link ditto.api.spi.auth.IdentityParameters#developmentMode()} decides everything else: on,
 * every non-blank token or username is granted with full permissions (user id = the token's
 * first 64 characters, or the username) and each verifier logs one warning; off, every login is
 * denied with a reason. Unknown settings are ignored.
 *
 * <p>Signed-token (JWT) and HTTP-webhook providers arrive with a later version.
 */
package ditto.auth;
