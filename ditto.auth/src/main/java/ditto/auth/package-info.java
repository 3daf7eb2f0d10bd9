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
 * <p><b>Signed-token provider</b> ({@link ditto.auth.JwtIdentityProvider}, provider name
 * {@code jwt}): verifies JWTs signed with HS256 ({@code hs256Secret}) or EdDSA/Ed25519
 * ({@code ed25519PublicKey}); the claims it reads are documented on the class.
 *
 * <p><b>Webhook provider</b> ({@link ditto.auth.WebhookIdentityProvider}, provider name
 * {@code webhook}; settings {@code url} and {@code timeoutMillis}). For every login it sends one
 * HTTP {@code POST} to {@code url} with {@code Content-Type: application/json} and the body
 * <pre>{"token": "…", "databaseId": "…", "peerKey": "…"}</pre>
 * for a token login, or
 * <pre>{"username": "…", "password": "…", "databaseId": "…", "peerKey": "…"}</pre>
 * for a credential login. Redirects are not followed. The service answers with a 2xx status and
 * a JSON object:
 * <pre>{
 *   "authenticated": true,
 *   "userID": "jane",
 *   "expirationSeconds": 3600,
 *   "clientInfo": {…},
 *   "identityMetadata": {…},
 *   "permissions": {"read": {"cars": true, "orders": ["_id.owner == 'jane'"]},
 *                   "write": {"*": true}}
 * }</pre>
 * {@code authenticated} (boolean) is required. When false the login is denied (an optional
 * {@code reason} string is added to the denial, {@code clientInfo} is passed on). When true,
 * {@code userID} (non-empty string) and {@code expirationSeconds} (whole seconds ≥ 1, counted
 * from the moment the answer arrives) are required; {@code clientInfo} and
 * {@code identityMetadata} are optional objects; {@code permissions} is optional and defaults to
 * everything: per collection ({@code "*"} for all others) {@code true} allows every document,
 * {@code false} none, an array of query strings the documents matching any of them. The login
 * is denied, with a reason naming the cause, when the service cannot be reached, does not answer
 * within {@code timeoutMillis}, answers a non-2xx status, or answers a body that is not this
 * JSON shape (or is larger than 1 MiB).
 */
package ditto.auth;
