package ditto.engine.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.tinylog.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ditto.api.AuthenticationExpirationHandler;
import ditto.api.AuthenticationProvider;
import ditto.api.AuthenticationStatus;
import ditto.api.AuthenticationStatusObserver;
import ditto.api.Authenticator;
import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.security.IssuedCredentials;
import ditto.engine.security.PeerIdentity;

/**
 * The {@link Authenticator} of an instance with a {@link ditto.api.DittoConfigConnect.Server}
 * connection.
 *
 * <p><b>Login.</b> {@link #login} and {@link #loginWithCredentials} POST the token or the
 * credentials, with this peer's public key, to {@code <server>/_ditto/auth/login} (the server
 * URL with {@code ws} → {@code http}, {@code wss} → {@code https}; see {@link LoginService}). A
 * {@code https} server must present a certificate the JDK trusts, or one in the PEM file named
 * by the system property {@value #TRUSTED_CERTIFICATES} (the same property the WebSocket
 * transport reads). On success the server's answer, a certificate for this peer's key carrying
 * its permissions and the server authority's certificate, is checked and kept in
 * {@code auth/}{@value #CREDENTIALS_FILE} (owner-only), so a restarted instance is still logged
 * in until the certificate expires. Sync links use it at once.
 *
 * <p><b>Expiry.</b> The expiration handler is called once when sync starts without valid
 * credentials, and again shortly before they expire ({@link #warningBefore}), with the time
 * left. At expiry the credentials are dropped, the status turns unauthenticated, links close
 * (the server ends them too), and the handler is called with zero.
 *
 * <p>Thread-safe. Handler and observer calls run on one daemon thread per instance
 * ({@code ditto-auth-<n>}), in order.
 */
public final class ClientAuthenticator implements Authenticator, AutoCloseable {

    /** The file, in {@code auth/}, that keeps the issued credentials. */
    public static final String CREDENTIALS_FILE = "credentials.json";

    /** The system property naming a PEM file of certificates a {@code https} server may present. */
    public static final String TRUSTED_CERTIFICATES = "ditto.ws.trustedCertificates";

    /** How long a login request may take. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the authenticator needs from its instance. */
    public interface Hooks {
        /** Called after the credentials changed (login, expiry, logout): secure links anew. */
        void credentialsChanged();

        /** Stops sync (logout). */
        void stopSync();
    }

    private final Ditto ditto;
    private final Runnable checkOpen;
    private final URI loginUri;
    private final String databaseId;
    private final Path credentialsFile;
    private final Supplier<PeerIdentity> identity;
    private final Hooks hooks;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final List<Observer> observers = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    private volatile IssuedCredentials credentials;
    private volatile AuthenticationStatus status = AuthenticationStatus.UNAUTHENTICATED;
    private volatile AuthenticationExpirationHandler handler;
    private volatile Map<String, Object> identityMetadata = Map.of();
    private ScheduledFuture<?> warning;
    private ScheduledFuture<?> expiry;
    private volatile boolean closed;
    private HttpClient client;

    /**
     * Creates the authenticator and loads credentials kept from an earlier login.
     *
     * @param ditto the instance, for the expiration handler and logout cleanup
     * @param checkOpen throws {@code CLOSED} once the instance is closed
     * @param server the server URL of the connection
     * @param databaseId the instance's database id
     * @param persistenceDirectory where {@code auth/} is
     * @param identity gives this instance's identity (loaded on first use)
     * @param hooks the instance's side
     * @param clock the clock expiry is measured with
     * @param threadName the name of the authenticator's thread
     */
    public ClientAuthenticator(Ditto ditto, Runnable checkOpen, URI server, String databaseId, Path persistenceDirectory,
            Supplier<PeerIdentity> identity, Hooks hooks, Clock clock, String threadName) {
        this.ditto = Objects.requireNonNull(ditto, "ditto");
        this.checkOpen = Objects.requireNonNull(checkOpen, "checkOpen");
        this.loginUri = loginUri(server);
        this.databaseId = Objects.requireNonNull(databaseId, "databaseId");
        this.credentialsFile = persistenceDirectory.resolve(PeerIdentity.AUTH_FOLDER).resolve(CREDENTIALS_FILE);
        this.identity = Objects.requireNonNull(identity, "identity");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        loadKept();
    }

    /**
     * Returns the login endpoint of a server URL.
     *
     * @param server the {@code DittoConfigConnect.Server} URL
     * @return {@code http(s)://host[:port]/_ditto/auth/login}
     */
    public static URI loginUri(URI server) {
        String scheme = server.getScheme().toLowerCase(Locale.ROOT);
        String http = scheme.equals("ws") ? "http" : scheme.equals("wss") ? "https" : scheme;
        String path = server.getRawPath() == null ? "" : server.getRawPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(http + "://" + server.getRawAuthority() + path + LoginService.LOGIN_PATH);
    }

    /**
     * Returns the WebSocket URL sync connects to for a server URL.
     *
     * @param server the {@code DittoConfigConnect.Server} URL
     * @return the URL with scheme {@code ws} or {@code wss}
     */
    public static String syncUrl(URI server) {
        String scheme = server.getScheme().toLowerCase(Locale.ROOT);
        String ws = scheme.equals("http") ? "ws" : scheme.equals("https") ? "wss" : scheme;
        return ws + "://" + server.getRawAuthority() + (server.getRawPath() == null ? "" : server.getRawPath());
    }

    // ---- the API ---------------------------------------------------------------------------------

    @Override
    public String login(String token, AuthenticationProvider provider) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(provider, "provider");
        checkOpen.run();
        ObjectNode body = JSON.createObjectNode();
        body.put("token", token);
        return send(body, provider);
    }

    @Override
    public void loginWithCredentials(String username, String password, AuthenticationProvider provider) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(provider, "provider");
        checkOpen.run();
        ObjectNode body = JSON.createObjectNode();
        body.put("username", username);
        body.put("password", password);
        send(body, provider);
    }

    @Override
    public void logout(Consumer<Ditto> cleanup) {
        checkOpen.run();
        hooks.stopSync();
        synchronized (lock) {
            cancelTimers();
            credentials = null;
            identityMetadata = Map.of();
            try {
                Files.deleteIfExists(credentialsFile);
            } catch (IOException e) {
                Logger.warn("auth: could not delete the kept credentials {}: {}", credentialsFile, e.getMessage());
            }
        }
        setStatus(AuthenticationStatus.UNAUTHENTICATED);
        hooks.credentialsChanged();
        Logger.info("auth: logged out of {}", loginUri);
        if (cleanup != null) {
            try {
                cleanup.accept(ditto);
            } catch (RuntimeException e) {
                Logger.warn(e, "auth: the logout cleanup threw; ignored");
            }
        }
    }

    @Override
    public AuthenticationStatusObserver observeStatus(Consumer<AuthenticationStatus> observer) {
        Objects.requireNonNull(observer, "observer");
        checkOpen.run();
        Observer o = new Observer(observer);
        observers.add(o);
        return o;
    }

    @Override
    public void setExpirationHandler(AuthenticationExpirationHandler handler) {
        checkOpen.run();
        this.handler = handler;
    }

    @Override
    public AuthenticationExpirationHandler expirationHandler() {
        return handler;
    }

    @Override
    public AuthenticationStatus status() {
        return closed ? AuthenticationStatus.UNAUTHENTICATED : status;
    }

    // ---- for the engine --------------------------------------------------------------------------

    /** Returns the current, unexpired credentials, or null when not logged in. */
    public IssuedCredentials credentials() {
        IssuedCredentials c = credentials;
        return c != null && c.expiresAt().isAfter(clock.instant()) ? c : null;
    }

    /** Returns the identity metadata the server returned at login (empty when none). */
    public Map<String, Object> identityMetadata() {
        return identityMetadata;
    }

    /**
     * Sync started: without valid credentials the expiration handler is asked to log in.
     *
     * @throws DittoException {@code EXPIRATION_HANDLER_NOT_SET} when no handler is set
     */
    public void checkStartable() {
        if (handler == null) {
            throw new DittoException(ErrorCode.EXPIRATION_HANDLER_NOT_SET, "sync.start: a server connection needs an"
                    + " authentication expiration handler; call ditto.auth().setExpirationHandler(...) before"
                    + " sync.start()");
        }
    }

    /** Sync started: asks the handler to log in if there are no valid credentials. */
    public void onSyncStarted() {
        if (credentials() == null) {
            callHandler(Duration.ZERO);
        }
    }

    /** Stops the timers and the thread; status reads unauthenticated afterwards. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            cancelTimers();
        }
        observers.clear();
        thread.shutdownNow();
    }

    // ---- internals -------------------------------------------------------------------------------

    private String send(ObjectNode body, AuthenticationProvider provider) {
        PeerIdentity me = identity.get();
        body.put("database_id", databaseId);
        body.put("provider", provider.name());
        body.put("public_key", Base64.getEncoder().encodeToString(me.publicKey().getEncoded()));
        HttpResponse<byte[]> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(loginUri).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            response = client().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new DittoException(ErrorCode.AUTHENTICATION, "auth.login: the server at " + loginUri
                    + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new DittoException(ErrorCode.AUTHENTICATION, "auth.login: cannot reach the server at " + loginUri
                    + " (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DittoException(ErrorCode.AUTHENTICATION, "auth.login: the request to " + loginUri + " failed: "
                    + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DittoException(ErrorCode.AUTHENTICATION, "auth.login: interrupted", e);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            throw new DittoException(ErrorCode.AUTHENTICATION, "auth.login: the server at " + loginUri + " answered "
                    + response.statusCode() + " without a login result (is it a Ditto server peer?)");
        }
        String clientInfo = answer.has("client_info") ? answer.get("client_info").toString() : "null";
        if (response.statusCode() != 200 || !answer.path("authenticated").asBoolean(false)) {
            String reason = answer.path("reason").asText("no reason given");
            throw new DittoException(ErrorCode.AUTHENTICATION, "auth.login with provider '" + provider.name()
                    + "' refused (HTTP " + response.statusCode() + "): " + reason + "; clientInfo: " + clientInfo);
        }
        IssuedCredentials issued = new IssuedCredentials(
                IssuedCredentials.parsePem(answer.path("certificate").asText(null), "auth.login: server certificate"),
                IssuedCredentials.parsePem(answer.path("authority").asText(null), "auth.login: server authority"));
        issued.checkFor(me);
        Map<String, Object> info = toMap(answer.get("client_info"));
        Map<String, Object> metadata = toMap(answer.get("identity_metadata"));
        String userId = answer.path("user_id").asText("");
        if (!issued.expiresAt().isAfter(clock.instant())) {
            throw new DittoException(ErrorCode.AUTHENTICATION, "auth.login: the server issued a certificate that"
                    + " expired at " + issued.expiresAt() + "; clientInfo: " + clientInfo);
        }
        accept(issued, userId, info, metadata, true);
        Logger.info("auth: logged in to {} as '{}' with provider '{}' until {}", loginUri, userId, provider.name(),
                issued.expiresAt());
        return clientInfo;
    }

    private void accept(IssuedCredentials issued, String userId, Map<String, Object> info, Map<String, Object> metadata,
            boolean keep) {
        synchronized (lock) {
            if (closed) {
                throw new DittoException(ErrorCode.CLOSED, "auth.login: the instance is closed");
            }
            credentials = issued;
            identityMetadata = metadata;
            if (keep) {
                keep(issued, userId, info, metadata);
            }
            schedule(issued.expiresAt());
        }
        setStatus(new AuthenticationStatus(true, userId, info));
        hooks.credentialsChanged();
    }

    private void schedule(Instant expiresAt) {
        cancelTimers();
        long left = Duration.between(clock.instant(), expiresAt).toMillis();
        long warnAt = left - warningBefore(Duration.ofMillis(Math.max(0, left))).toMillis();
        warning = thread.schedule(() -> {
            if (credentials != null && credentials.expiresAt().equals(expiresAt)) {
                callHandler(Duration.between(clock.instant(), expiresAt).isNegative() ? Duration.ZERO
                        : Duration.between(clock.instant(), expiresAt));
            }
        }, Math.max(0, warnAt), TimeUnit.MILLISECONDS);
        expiry = thread.schedule(() -> expired(expiresAt), Math.max(0, left), TimeUnit.MILLISECONDS);
    }

    /**
     * How long before expiry the handler is asked to log in again: a tenth of the credentials'
     * lifetime, at least 1 s and at most 5 minutes (never more than the lifetime).
     */
    static Duration warningBefore(Duration lifetime) {
        long tenth = lifetime.toMillis() / 10;
        long chosen = Math.max(1_000, Math.min(tenth, 300_000));
        return Duration.ofMillis(Math.min(chosen, lifetime.toMillis()));
    }

    private void expired(Instant expiresAt) {
        synchronized (lock) {
            IssuedCredentials c = credentials;
            if (c == null || !c.expiresAt().equals(expiresAt)) {
                return;
            }
            credentials = null;
        }
        Logger.info("auth: the credentials for {} expired at {}", loginUri, expiresAt);
        setStatus(AuthenticationStatus.UNAUTHENTICATED);
        hooks.credentialsChanged();
        callHandler(Duration.ZERO);
    }

    private void callHandler(Duration left) {
        try {
            thread.execute(() -> {
                AuthenticationExpirationHandler h = handler;
                if (h == null || closed) {
                    return;
                }
                try {
                    h.onExpiring(ditto, left);
                } catch (RuntimeException e) {
                    Logger.warn(e, "auth: the expiration handler threw; it is called again at the next expiry check");
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    private void cancelTimers() {
        if (warning != null) {
            warning.cancel(false);
            warning = null;
        }
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
    }

    private void setStatus(AuthenticationStatus next) {
        AuthenticationStatus previous = status;
        status = next;
        if (previous.equals(next)) {
            return;
        }
        try {
            thread.execute(() -> {
                for (Observer o : observers) {
                    o.deliver(next);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    private synchronized HttpClient client() {
        if (client == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER);
            String trusted = System.getProperty(TRUSTED_CERTIFICATES, "");
            if (!trusted.isEmpty()) {
                builder.sslContext(trusting(Path.of(trusted)));
            }
            client = builder.build();
        }
        return client;
    }

    /** An SSL context trusting exactly the certificates of a PEM file. */
    static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("trusted-" + n++, c);
            }
            if (n == 0) {
                throw new DittoException(ErrorCode.INVALID_CONFIG, "system property " + TRUSTED_CERTIFICATES + ": "
                        + pem + " holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "system property " + TRUSTED_CERTIFICATES + ": cannot"
                    + " read " + pem + ": " + e.getMessage(), e);
        }
    }

    private void keep(IssuedCredentials issued, String userId, Map<String, Object> info, Map<String, Object> metadata) {
        ObjectNode kept = JSON.createObjectNode();
        kept.put("v", 1);
        kept.put("login_uri", loginUri.toString());
        kept.put("user_id", userId);
        kept.set("client_info", JSON.valueToTree(info));
        kept.set("identity_metadata", JSON.valueToTree(metadata));
        kept.put("certificate", IssuedCredentials.pem(issued.certificate()));
        kept.put("authority", IssuedCredentials.pem(issued.authority()));
        Path tmp = credentialsFile.resolveSibling(CREDENTIALS_FILE + ".tmp");
        try {
            Files.createDirectories(credentialsFile.getParent());
            Files.write(tmp, JSON.writeValueAsBytes(kept));
            restrict(tmp);
            try {
                Files.move(tmp, credentialsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, credentialsFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Logger.warn("auth: could not keep the credentials in {} (the login holds until this instance closes): {}",
                    credentialsFile, e.getMessage());
        }
    }

    private static void restrict(Path file) {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system; the auth/ folder's own protection applies
        }
    }

    private void loadKept() {
        if (!Files.exists(credentialsFile)) {
            return;
        }
        try {
            JsonNode kept = JSON.readTree(Files.readAllBytes(credentialsFile));
            if (kept == null || !loginUri.toString().equals(kept.path("login_uri").asText())) {
                Logger.info("auth: the kept credentials in {} are for another server; ignored", credentialsFile);
                return;
            }
            IssuedCredentials issued = new IssuedCredentials(
                    IssuedCredentials.parsePem(kept.path("certificate").asText(null), "kept certificate"),
                    IssuedCredentials.parsePem(kept.path("authority").asText(null), "kept authority"));
            if (!issued.expiresAt().isAfter(clock.instant())) {
                Logger.info("auth: the kept credentials expired at {}; a new login is needed", issued.expiresAt());
                return;
            }
            issued.checkFor(identity.get());
            accept(issued, kept.path("user_id").asText(""), toMap(kept.get("client_info")),
                    toMap(kept.get("identity_metadata")), false);
        } catch (IOException | DittoException e) {
            Logger.warn("auth: ignoring the kept credentials in {}: {}", credentialsFile, e.getMessage());
        }
    }

    private static Map<String, Object> toMap(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Map.of();
        }
        Map<String, Object> map = JSON.convertValue(node, new TypeReference<LinkedHashMap<String, Object>>() { });
        return map == null ? Map.of() : map;
    }

    /** One status observer: delivers on the authenticator's thread until cancelled. */
    private final class Observer implements AuthenticationStatusObserver {
        private final Consumer<AuthenticationStatus> callback;
        private volatile boolean canceled;

        Observer(Consumer<AuthenticationStatus> callback) {
            this.callback = callback;
        }

        void deliver(AuthenticationStatus s) {
            if (canceled) {
                return;
            }
            try {
                callback.accept(s);
            } catch (RuntimeException e) {
                Logger.warn(e, "auth: a status observer threw; ignored");
            }
        }

        @Override
        public void cancel() {
            canceled = true;
            observers.remove(this);
        }

        @Override
        public boolean isCanceled() {
            return canceled;
        }
    }
}
