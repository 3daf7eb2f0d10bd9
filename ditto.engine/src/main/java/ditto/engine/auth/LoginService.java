package ditto.engine.auth;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.tinylog.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ditto.api.AuthenticationProvider;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.auth.AuthenticationRequest;
import ditto.api.spi.auth.AuthenticationResult;
import ditto.api.spi.auth.IdentityParameters;
import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.auth.IdentityVerifier;
import ditto.api.spi.transport.HttpRequest;
import ditto.api.spi.transport.HttpResponse;
import ditto.engine.security.IssuedCredentials;
import ditto.engine.security.PeerGrant;
import ditto.engine.security.PeerIdentity;
import ditto.engine.security.ServerAuthority;

/**
 * The server peer's login endpoint: {@code POST /_ditto/auth/login}, answered on the HTTP
 * listener of the WebSocket transport.
 *
 * <p>Request (JSON, at most 64 KiB): {@code {"database_id", "provider", "token"} } or
 * {@code {"database_id", "provider", "username", "password"}}, plus {@code "public_key"}: the
 * client's EC P-256 key as base64 of its X.509 SubjectPublicKeyInfo. The provider name selects a
 * configured identity provider ({@link ServerConfig}); the development provider answers only in
 * development mode. Answers:
 * <ul>
 *   <li>200 {@code {"authenticated":true, "user_id", "expires_at" (epoch ms), "client_info",
 *       "identity_metadata", "permissions", "certificate" (PEM), "authority" (PEM)}}: the
 *       certificate certifies the client's key until {@code expires_at} and carries its
 *       {@link PeerGrant};</li>
 *   <li>401 {@code {"authenticated":false, "reason", "client_info"}}: refused by the provider,
 *       an unknown provider, another database;</li>
 *   <li>400 for a malformed request (the reason names the field), 405 for another method, 404
 *       for another path, 503 when the provider's plug-in is not deployed.</li>
 * </ul>
 * Thread-safe: requests are answered on the transport's worker threads, in parallel; verifiers
 * are created on first use and kept until {@link #close()}.
 */
public final class LoginService implements Function<HttpRequest, HttpResponse>, AutoCloseable {

    /** The login endpoint's path. */
    public static final String LOGIN_PATH = "/_ditto/auth/login";

    /** The largest certificate lifetime issued, whatever the provider says: 7 days. */
    static final Duration MAX_LIFETIME = Duration.ofDays(7);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String databaseId;
    private final ServerConfig config;
    private final ServerAuthority authority;
    private final Function<String, Optional<IdentityProvider>> providers;
    private final Clock clock;
    private final Map<String, Verifier> verifiers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record Verifier(String type, IdentityProvider provider, IdentityVerifier verifier) {
    }

    /**
     * @param databaseId the server's database id; logins for another are refused
     * @param config the server configuration (development mode, identity providers)
     * @param authority signs the client certificates
     * @param providers finds a deployed identity provider plug-in by its id
     * @param clock the clock certificates are dated with
     */
    public LoginService(String databaseId, ServerConfig config, ServerAuthority authority,
            Function<String, Optional<IdentityProvider>> providers, Clock clock) {
        this.databaseId = Objects.requireNonNull(databaseId, "databaseId");
        this.config = Objects.requireNonNull(config, "config");
        this.authority = Objects.requireNonNull(authority, "authority");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public HttpResponse apply(HttpRequest request) {
        if (!request.path().equals(LOGIN_PATH)) {
            return HttpResponse.notFound(request.path());
        }
        if (!request.method().equals("POST")) {
            return HttpResponse.text(405, LOGIN_PATH + " accepts POST only, not " + request.method());
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            return malformed("the body is not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (body == null || !body.isObject()) {
            return malformed("the body is not a JSON object");
        }
        String provider = text(body, "provider");
        String database = text(body, "database_id");
        String keyText = text(body, "public_key");
        if (provider == null || provider.isBlank()) {
            return malformed("'provider' is missing or not a string");
        }
        if (database == null) {
            return malformed("'database_id' is missing or not a string");
        }
        if (keyText == null) {
            return malformed("'public_key' is missing or not a string");
        }
        PublicKey key;
        String peerKey;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(keyText)));
            peerKey = PeerIdentity.peerKeyOf(key);
        } catch (GeneralSecurityException | IllegalArgumentException | DittoException e) {
            return malformed("'public_key' is not a base64 EC P-256 SubjectPublicKeyInfo");
        }
        if (!database.equals(databaseId)) {
            return refused("this server serves database '" + databaseId + "', not '" + database + "'", Map.of(),
                    request, peerKey);
        }
        String token = text(body, "token");
        String username = text(body, "username");
        String password = text(body, "password");
        if (token == null && (username == null || password == null)) {
            return malformed("neither 'token' nor 'username' and 'password' are given");
        }
        Verifier verifier;
        try {
            verifier = verifier(provider);
        } catch (DittoException e) {
            if (e.code() == ErrorCode.UNSUPPORTED) {
                Logger.warn("login from {}: {}", request.remoteAddress(), e.getMessage());
                return HttpResponse.json(503, error(e.getMessage(), Map.of()));
            }
            return refused(e.getMessage(), Map.of(), request, peerKey);
        }
        // the plug-in checks that the request names its own id: the configured name maps to it
        String type = verifier.type();
        AuthenticationRequest login = token != null ? AuthenticationRequest.ofToken(type, token, peerKey)
                : AuthenticationRequest.ofCredentials(type, username, password, peerKey);
        AuthenticationResult result;
        try {
            result = verifier.verifier().authenticate(login);
        } catch (RuntimeException e) {
            Logger.error(e, "login from {}: identity provider '{}' failed", request.remoteAddress(), provider);
            return HttpResponse.json(502, error("identity provider '" + provider + "' failed: " + e, Map.of()));
        }
        if (!result.authenticated()) {
            return refused(result.reason().orElse("refused by identity provider '" + provider + "'"),
                    result.clientInfo(), request, peerKey);
        }
        return granted(result, key, peerKey, provider, request);
    }

    private HttpResponse granted(AuthenticationResult result, PublicKey key, String peerKey, String provider,
            HttpRequest request) {
        Instant now = clock.instant();
        Instant expires = result.expiresAt().orElse(now.plus(Duration.ofHours(1)));
        if (expires.isAfter(now.plus(MAX_LIFETIME))) {
            expires = now.plus(MAX_LIFETIME);
        }
        if (!expires.isAfter(now)) {
            return refused("the identity provider's answer expired at " + expires, result.clientInfo(), request,
                    peerKey);
        }
        String user = result.userId().orElse("");
        PeerGrant grant = new PeerGrant(user, result.permissions());
        X509Certificate certificate = authority.issue(key, now.minus(Duration.ofMinutes(5)), expires, grant);
        ObjectNode out = JSON.createObjectNode();
        out.put("authenticated", true);
        out.put("user_id", user);
        out.put("expires_at", expires.toEpochMilli());
        out.set("client_info", JSON.valueToTree(result.clientInfo()));
        out.set("identity_metadata", JSON.valueToTree(result.identityMetadata()));
        out.set("permissions", PeerGrant.permissionsJson(result.permissions()));
        out.put("certificate", IssuedCredentials.pem(certificate));
        out.put("authority", IssuedCredentials.pem(authority.certificate()));
        Logger.info("login: user '{}' (peer {}, from {}) authenticated by '{}' until {}", user, peerKey,
                request.remoteAddress(), provider, expires);
        return HttpResponse.json(200, out.toString());
    }

    private Verifier verifier(String name) {
        if (closed) {
            throw new DittoException(ErrorCode.CLOSED, "the server peer is closed");
        }
        ServerConfig.Provider configured = config.provider(name).orElse(null);
        if (configured == null) {
            if (AuthenticationProvider.DEVELOPMENT_NAME.equals(name) && config.developmentMode()) {
                configured = new ServerConfig.Provider(name, name, Map.of());
            } else if (AuthenticationProvider.DEVELOPMENT_NAME.equals(name)) {
                throw new DittoException(ErrorCode.AUTHENTICATION, "the development provider '" + name
                        + "' is accepted only when the server's development mode is on");
            } else {
                throw new DittoException(ErrorCode.AUTHENTICATION, "no identity provider named '" + name
                        + "' is configured on this server");
            }
        }
        if (AuthenticationProvider.DEVELOPMENT_NAME.equals(configured.type()) && !config.developmentMode()) {
            throw new DittoException(ErrorCode.AUTHENTICATION, "the development provider '" + name
                    + "' is accepted only when the server's development mode is on");
        }
        String type = configured.type();
        IdentityProvider plugin = providers.apply(type).orElseThrow(() -> new DittoException(
                ErrorCode.UNSUPPORTED, "identity provider '" + name + "' needs the plug-in '" + type
                        + "', which is not deployed"));
        Verifier current = verifiers.get(name);
        if (current != null && current.provider() == plugin) {
            return current;
        }
        ServerConfig.Provider chosen = configured;
        return verifiers.compute(name, (n, old) -> {
            if (old != null && old.provider() == plugin) {
                return old;
            }
            if (old != null) {
                old.verifier().close();
            }
            IdentityVerifier created = plugin.create(new IdentityParameters(databaseId, config.developmentMode(),
                    chosen.settings()));
            return new Verifier(type, plugin, created);
        });
    }

    private HttpResponse refused(String reason, Map<String, Object> clientInfo, HttpRequest request, String peerKey) {
        Logger.info("login from {} (peer {}) refused: {}", request.remoteAddress(), peerKey, reason);
        return HttpResponse.json(401, error(reason, clientInfo));
    }

    private static HttpResponse malformed(String reason) {
        return HttpResponse.json(400, error("malformed login request: " + reason, Map.of()));
    }

    private static String error(String reason, Map<String, Object> clientInfo) {
        ObjectNode out = JSON.createObjectNode();
        out.put("authenticated", false);
        out.put("reason", reason);
        out.set("client_info", JSON.valueToTree(new LinkedHashMap<>(clientInfo)));
        return out.toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** Closes every verifier. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Verifier v : verifiers.values()) {
            try {
                v.verifier().close();
            } catch (RuntimeException e) {
                Logger.warn(e, "login: closing an identity verifier failed");
            }
        }
        verifiers.clear();
    }
}
