package ditto.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How a Ditto instance finds and authenticates the peers it syncs with.
 *
 * <p>There are exactly two kinds, so this interface is sealed:
 * <ul>
 *   <li>{@link Server}: sync with a server ("big peer") at a URL, in addition to nearby small
 *       peers. The instance then has an {@link Authenticator}, and {@link Sync#start()} refuses to
 *       run until an {@linkplain Authenticator#setExpirationHandler expiration handler} is set.</li>
 *   <li>{@link SmallPeersOnly}: sync with nearby small peers only, optionally restricted to peers
 *       that hold the same shared secret. The instance has no authenticator.</li>
 * </ul>
 * Both kinds are immutable values that are safe to share between threads.
 */
public sealed interface DittoConfigConnect {

    /**
     * Returns a server connection for the given URL.
     *
     * @param url the server URL with scheme {@code ws}, {@code wss}, {@code http} or {@code https}
     * @return the connection, never null
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if the text is not such a URL
     * @throws NullPointerException if {@code url} is null
     */
    static Server server(String url) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new DittoException(ErrorCode.INVALID_CONFIG,
                    "server connection: '" + url + "' is not a valid URL: " + e.getMessage(), e);
        }
        return new Server(uri);
    }

    /**
     * Returns a small-peers-only connection without a shared secret: any peer with the same
     * database id may sync, and links are not encrypted with a shared key.
     *
     * @return the connection, never null
     */
    static SmallPeersOnly smallPeersOnly() {
        return new SmallPeersOnly(null);
    }

    /**
     * Returns a small-peers-only connection that only syncs with peers holding the same key.
     *
     * @param privateKey the shared secret; copied; null means no shared secret
     * @return the connection, never null
     */
    static SmallPeersOnly smallPeersOnly(byte[] privateKey) {
        return new SmallPeersOnly(privateKey);
    }

    /**
     * Connect to a server ("big peer") at a URL, as well as to nearby small peers.
     *
     * <p>The URL is checked when the record is built: it must be absolute, use one of the schemes
     * {@code ws}, {@code wss}, {@code http} or {@code https} (any case), and name a host. For sync
     * to work, the application must set an {@link AuthenticationExpirationHandler} with
     * {@link Authenticator#setExpirationHandler} before {@link Sync#start()}, and that handler must
     * log in when asked.
     *
     * @param url the server endpoint, never null
     */
    record Server(URI url) implements DittoConfigConnect {
        private static final Set<String> SCHEMES = Set.of("ws", "wss", "http", "https");

        /**
         * Checks the URL.
         *
         * @param url the server endpoint
         * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if the URL is not absolute, has
         *         another scheme, or has no host
         * @throws NullPointerException if {@code url} is null
         */
        public Server {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme();
            if (scheme == null || !SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))) {
                throw new DittoException(ErrorCode.INVALID_CONFIG, "server connection: URL '" + url
                        + "' must use scheme ws, wss, http or https");
            }
            if (url.getHost() == null || url.getHost().isEmpty()) {
                throw new DittoException(ErrorCode.INVALID_CONFIG,
                        "server connection: URL '" + url + "' has no host");
            }
        }
    }

    /**
     * Connect to nearby small peers only, never to a server.
     *
     * <p>When {@link #privateKey()} is non-null it is a shared secret: only peers configured with
     * the same key can sync with this one, and it authenticates their links. When it is null
     * (the default) any peer with the same database id may sync and no shared key is used.
     *
     * <p>The key array is copied on the way in and on the way out, so the record stays
     * immutable. {@code equals} and {@code hashCode} compare the key's content; {@code toString}
     * prints the key's length only, never its bytes.
     *
     * @param privateKey the shared secret, or null for none
     */
    record SmallPeersOnly(byte[] privateKey) implements DittoConfigConnect {

        /**
         * Copies the key, if any.
         *
         * @param privateKey the shared secret, or null for none
         */
        public SmallPeersOnly {
            privateKey = privateKey == null ? null : privateKey.clone();
        }

        /**
         * Returns a copy of the shared secret.
         *
         * @return a fresh copy of the key, or null when there is no shared secret
         */
        @Override
        public byte[] privateKey() {
            return privateKey == null ? null : privateKey.clone();
        }

        /** Returns whether this connection has a shared secret. */
        public boolean hasPrivateKey() {
            return privateKey != null;
        }

        /**
         * Returns the same connection with the key, if any, replaced by the UTF-8 bytes of
         * {@code "[REDACTED]"}; a null key stays null.
         */
        SmallPeersOnly redacted() {
            return privateKey == null ? this
                    : new SmallPeersOnly(DittoConfig.REDACTED.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SmallPeersOnly other && Arrays.equals(privateKey, other.privateKey);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(privateKey);
        }

        /** Returns {@code SmallPeersOnly[privateKey=none]} or {@code SmallPeersOnly[privateKey=<n bytes>]}. */
        @Override
        public String toString() {
            return "SmallPeersOnly[privateKey="
                    + (privateKey == null ? "none" : "<" + privateKey.length + " bytes>") + "]";
        }
    }
}
