package ditto.transport.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP/1.1 response of the listener, encoded by {@link #encode} with {@code Content-Type},
 * {@code Content-Length} (not for 204 and 304, which have no body), {@code Connection: close}
 * and {@code X-Content-Type-Options: nosniff}.
 *
 * <p>Role and invariants: immutable in use (the body array is shared, never modified); header
 * names and values are ASCII without CR or LF, which {@link #withHeader} and
 * {@link #safeContentType} ensure for values that come from elsewhere.
 *
 * @param status the status code
 * @param contentType the body's media type
 * @param body the body
 * @param headers further headers, in order
 */
record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {
    /** The media type of the listener's own messages. */
    static final String TEXT = "text/plain; charset=utf-8";

    /** Returns a reply whose body is a line of text. */
    static HttpReply text(int status, String text) {
        return new HttpReply(status, TEXT, (text + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** Returns this reply with one more header; a value with characters outside printable ASCII is refused. */
    HttpReply withHeader(String name, String value) {
        if (!value.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("HTTP header " + name + " value is not printable ASCII");
        }
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpReply(status, contentType, body, more);
    }

    /** Returns the media type if it can travel in a header, else {@code application/octet-stream}. */
    static String safeContentType(String contentType) {
        return !contentType.isEmpty() && contentType.chars().allMatch(c -> c >= 0x20 && c < 0x7F) ? contentType
                : "application/octet-stream";
    }

    /**
     * Encodes the reply.
     *
     * @param headOnly true to leave out the body (an answer to {@code HEAD}); the headers still
     *        give the body's length
     * @return the head and, unless left out or empty, the body as a second buffer
     */
    List<ByteBuffer> encode(boolean headOnly) {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        head.append("Content-Type: ").append(contentType).append("\r\n");
        // 204 and 304 carry neither a body nor its length (RFC 9110 8.6)
        boolean bodiless = status == 204 || status == 304;
        if (!bodiless) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n");
        head.append("X-Content-Type-Options: nosniff\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        ByteBuffer headBytes = ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.US_ASCII));
        return headOnly || bodiless || body.length == 0 ? List.of(headBytes) : List.of(headBytes, ByteBuffer.wrap(body));
    }

    /** Returns the reason phrase of a status code. */
    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> status < 200 ? "Informational" : status < 300 ? "Success" : status < 400 ? "Redirection"
                    : status < 500 ? "Client Error" : "Server Error";
        };
    }
}
