package ditto.api.spi.transport;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A plain HTTP request that a transport's HTTP listener received and hands to the engine
 * through {@link TransportListener#onHttpRequest}: a request under the engine's path prefix
 * {@link #ENGINE_PATH_PREFIX} that is not a WebSocket upgrade (for example a login
 * {@code POST /_ditto/auth/login}). Immutable and thread-safe; the body is copied in and out.
 *
 * @param method the request method in upper case, for example {@code "POST"}; never null
 * @param path the decoded request path without the query string, starting with {@code /}; never null
 * @param headers the request headers, names in lower case; an unmodifiable sorted copy; never null
 * @param body the request body (empty if none); never null
 * @param remoteAddress the client's address as the transport describes it, for logs; never null
 */
public record HttpRequest(String method, String path, Map<String, String> headers, byte[] body,
        String remoteAddress) {

    /** Requests whose path starts with this prefix go to the engine, never to static content. */
    public static final String ENGINE_PATH_PREFIX = "/_ditto/";

    /**
     * Copies the headers (lower-casing their names) and the body.
     *
     * @throws NullPointerException if a component is null
     */
    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        TreeMap<String, String> copy = new TreeMap<>();
        Objects.requireNonNull(headers, "headers").forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), v));
        headers = java.util.Collections.unmodifiableSortedMap(copy);
        body = Objects.requireNonNull(body, "body").clone();
    }

    /** Returns a copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /**
     * Returns one header's value.
     *
     * @param name the header name, any case
     * @return the value, or empty if the request has no such header
     */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Shows method, path, address and body size; never the body, which may hold secrets. */
    @Override
    public String toString() {
        return "HttpRequest[" + method + " " + path + " from " + remoteAddress + ", " + body.length + " bytes]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpRequest r && method.equals(r.method) && path.equals(r.path)
                && headers.equals(r.headers) && java.util.Arrays.equals(body, r.body)
                && remoteAddress.equals(r.remoteAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, headers, remoteAddress) * 31 + java.util.Arrays.hashCode(body);
    }
}
