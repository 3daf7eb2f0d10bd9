package ditto.api.spi.transport;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The engine's answer to an {@link HttpRequest}, which the transport writes back as an HTTP/1.1
 * response with {@code Content-Type}, {@code Content-Length} and {@code Connection: close}.
 * Immutable and thread-safe; the body is copied in and out.
 *
 * @param status the HTTP status code, 100 to 599
 * @param contentType the body's media type, for example {@code "application/json"}; never null
 * @param body the body, never null (empty for none)
 */
public record HttpResponse(int status, String contentType, byte[] body) {

    /**
     * Validates and copies.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the status is outside 100 to 599
     */
    public HttpResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status " + status + " is outside 100-599");
        }
        Objects.requireNonNull(contentType, "contentType");
        body = Objects.requireNonNull(body, "body").clone();
    }

    /**
     * Returns a JSON response.
     *
     * @param status the status code
     * @param json the JSON text
     * @return the response
     */
    public static HttpResponse json(int status, String json) {
        return new HttpResponse(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns a plain-text response.
     *
     * @param status the status code
     * @param text the text
     * @return the response
     */
    public static HttpResponse text(int status, String text) {
        return new HttpResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns the 404 answer for a path no one serves.
     *
     * @param path the requested path, named in the body
     * @return the response
     */
    public static HttpResponse notFound(String path) {
        return text(404, "not found: " + path);
    }

    /** Returns a copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpResponse r && status == r.status && contentType.equals(r.contentType)
                && java.util.Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, contentType) * 31 + java.util.Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + ", " + contentType + ", " + body.length + " bytes]";
    }
}
