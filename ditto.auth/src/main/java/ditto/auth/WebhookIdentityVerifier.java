package ditto.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import ditto.api.spi.auth.AuthenticationRequest;
import ditto.api.spi.auth.AuthenticationResult;
import ditto.api.spi.auth.IdentityVerifier;
import ditto.api.spi.auth.Permissions;

/**
 * The verifier {@link WebhookIdentityProvider} creates; the wire contract is in the package
 * documentation.
 *
 * <p>Role and invariants: the URL, timeout and database id never change; the one
 * {@link HttpClient} is thread-safe, so is this verifier. Every failure (transport, timeout,
 * status, body) becomes a denial naming the cause; an interrupt during a call restores the
 * thread's interrupt flag and denies.
 */
final class WebhookIdentityVerifier implements IdentityVerifier {
    /** The largest answer body read, in bytes. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final URI uri;
    private final Duration timeout;
    private final String databaseId;
    private final Clock clock;
    private final HttpClient client;

    WebhookIdentityVerifier(URI uri, Duration timeout, String databaseId, Clock clock) {
        this.uri = uri;
        this.timeout = timeout;
        this.databaseId = databaseId;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        if (!WebhookIdentityProvider.ID.equals(request.provider())) {
            return deny("the request names provider '" + Claims.shorten(request.provider()) + "', not "
                    + WebhookIdentityProvider.ID);
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(request), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            return deny("the webhook " + uri + " did not answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return deny("the webhook " + uri + " could not be reached: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return deny("interrupted while calling the webhook " + uri);
        }
        if (response.statusCode() < 200 || response.statusCode() > 299) {
            return deny("the webhook " + uri + " answered HTTP status " + response.statusCode());
        }
        if (response.body().length > MAX_BODY_BYTES) {
            return deny("the webhook answer is larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            return verdict(Json.parse(new String(response.body(), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            return deny("the webhook " + uri + " answered a malformed body: " + e.getMessage());
        }
    }

    private AuthenticationResult verdict(Object answer) {
        Map<String, Object> body = Claims.object(answer, "the answer");
        Map<String, Object> clientInfo = Claims.optionalObject(body.get("clientInfo"), "clientInfo");
        Object authenticated = body.get("authenticated");
        if (!(authenticated instanceof Boolean)) {
            throw new IllegalArgumentException("authenticated must be true or false");
        }
        if (!(Boolean) authenticated) {
            Object reason = body.get("reason");
            return AuthenticationResult.denied("webhook authentication: the webhook denied the login"
                    + (reason instanceof String text && !text.isBlank() ? ": " + Claims.shorten(text) : ""), clientInfo);
        }
        if (!(body.get("userID") instanceof String userId) || userId.isEmpty()) {
            throw new IllegalArgumentException("userID must be a non-empty string");
        }
        long seconds = Claims.seconds(body.get("expirationSeconds"), "expirationSeconds");
        if (seconds < 1) {
            throw new IllegalArgumentException("expirationSeconds must be at least 1");
        }
        Permissions permissions = Claims.permissions(body.get("permissions"), "permissions");
        Map<String, Object> metadata = Claims.optionalObject(body.get("identityMetadata"), "identityMetadata");
        return AuthenticationResult.granted(userId, clock.instant().plusSeconds(seconds), permissions, clientInfo,
                metadata);
    }

    private String body(AuthenticationRequest request) {
        StringBuilder json = new StringBuilder("{");
        if (request.token().isPresent()) {
            json.append("\"token\":").append(Json.quote(request.token().get()));
        } else {
            json.append("\"username\":").append(Json.quote(request.username().orElse("")))
                    .append(",\"password\":").append(Json.quote(request.password().orElse("")));
        }
        json.append(",\"databaseId\":").append(Json.quote(databaseId))
                .append(",\"peerKey\":").append(Json.quote(request.peerKey()));
        return json.append('}').toString();
    }

    private static AuthenticationResult deny(String why) {
        return AuthenticationResult.denied("webhook authentication: " + why, Map.of());
    }
}
