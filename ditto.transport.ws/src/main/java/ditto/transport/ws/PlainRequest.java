package ditto.transport.ws;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.java_websocket.exceptions.IncompleteHandshakeException;
import org.java_websocket.handshake.HandshakeImpl1Client;

/**
 * A plain HTTP request (not a WebSocket upgrade) that the listener received, parsed by
 * {@link #parse}, or the HTTP error its bytes deserve.
 *
 * <p>Role and invariants: it is a Java-WebSocket {@code ClientHandshake} only so that
 * {@link HttpDraft} can hand it through the library's handshake path to
 * {@link SyncServer#onOpen}; the library reads nothing of it but the resource descriptor.
 * Immutable once parsed. Exactly one of {@link #errorStatus()} {@code != 0} (the request is
 * refused with that status) or a complete request (method, path and the whole body) holds.
 *
 * <p>Parsing rules, stricter than HTTP allows because this listener needs no more: a request
 * line {@code METHOD SP target SP HTTP/1.x}; lines end in CRLF or LF; header names are tokens
 * with the colon right after them; no obsolete line folding; header values without control
 * characters; a head of at most {@value #MAX_HEAD_BYTES} bytes and {@value #MAX_HEADERS}
 * headers; a body only with {@code Content-Length} (at most {@value #MAX_BODY_BYTES} bytes),
 * never with {@code Transfer-Encoding}; {@code POST} needs {@code Content-Length}; HTTP/1.1
 * needs {@code Host}. The target is origin-form ({@code /path?query}) or absolute-form
 * ({@code http://host/path}); its path is percent-decoded once, as UTF-8, and must not decode
 * to a NUL.
 */
final class PlainRequest extends HandshakeImpl1Client {
    /** The largest request head (request line and headers) accepted: 16 KiB. */
    static final int MAX_HEAD_BYTES = 16 * 1024;
    /** The most header lines accepted. */
    static final int MAX_HEADERS = 100;
    /** The largest request body accepted: 64 KiB. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_METHOD_LENGTH = 32;

    private final String method;
    private final String rawPath;
    private final String path;
    private final Map<String, String> headers;
    private final byte[] body;
    private final int errorStatus;
    private final String errorText;
    private final boolean unreadInput;

    private PlainRequest(String method, String target, String rawPath, String path, Map<String, String> headers,
            byte[] body, int errorStatus, String errorText, boolean unreadInput) {
        this.method = method;
        this.rawPath = rawPath;
        this.path = path;
        this.headers = headers;
        this.body = body;
        this.errorStatus = errorStatus;
        this.errorText = errorText;
        this.unreadInput = unreadInput;
        setResourceDescriptor(target);
    }

    private static PlainRequest error(int status, String text, boolean unreadInput) {
        return new PlainRequest("", "*", "", "", Map.of(), new byte[0], status, text, unreadInput);
    }

    /** Returns the method as sent (methods are case-sensitive), or "" for a refused request. */
    String method() {
        return method;
    }

    /** Returns the path as sent, without the query string, still percent-encoded. */
    String rawPath() {
        return rawPath;
    }

    /** Returns the percent-decoded path, starting with {@code /}. */
    String path() {
        return path;
    }

    /** Returns the headers, names in lower case, repeated headers joined with ", ". */
    Map<String, String> headers() {
        return headers;
    }

    /** Returns the body (the caller must not modify it). */
    byte[] body() {
        return body;
    }

    /** Returns the status to refuse the request with, or 0 for a well-formed request. */
    int errorStatus() {
        return errorStatus;
    }

    /** Returns why the request is refused, for the response body; "" for a well-formed one. */
    String errorText() {
        return errorText;
    }

    /**
     * Tells whether the client may still be sending bytes of this request that were not read
     * (a refused body, the rest of a head): closing at once could then reset the connection
     * before the client has read the answer.
     */
    boolean unreadInput() {
        return unreadInput;
    }

    /**
     * Parses the bytes received so far on a connection.
     *
     * @param input the received bytes from its position to its limit; not modified
     * @return null if they are a WebSocket upgrade request ({@code GET} with an {@code Upgrade}
     *         header naming {@code websocket}), which the library parses itself; otherwise the
     *         request or its refusal
     * @throws IncompleteHandshakeException if more bytes are needed
     */
    static PlainRequest parse(ByteBuffer input) {
        int start = input.position();
        int end = input.limit();
        int methodEnd = start;
        while (methodEnd < end && methodEnd - start <= MAX_METHOD_LENGTH && isTokenChar(input.get(methodEnd))) {
            methodEnd++;
        }
        if (methodEnd - start > MAX_METHOD_LENGTH || (methodEnd < end && (methodEnd == start || input.get(methodEnd) != ' '))) {
            return error(400, "malformed request line", true);
        }
        List<String> lines = new ArrayList<>();
        int headEnd = -1;
        int lineStart = start;
        int scanEnd = Math.min(end, start + MAX_HEAD_BYTES);
        for (int p = start; p < scanEnd; p++) {
            if (input.get(p) != '\n') {
                continue;
            }
            int lineEnd = p > lineStart && input.get(p - 1) == '\r' ? p - 1 : p;
            if (lineEnd == lineStart) {
                headEnd = p + 1;
                break;
            }
            lines.add(latin1(input, lineStart, lineEnd));
            lineStart = p + 1;
            if (lines.size() == 1 && !validRequestLine(lines.get(0))) {
                return error(400, "malformed request line", true);
            }
            if (lines.size() > MAX_HEADERS + 1) {
                return error(431, "more than " + MAX_HEADERS + " header lines", true);
            }
        }
        if (headEnd < 0) {
            if (end - start >= MAX_HEAD_BYTES) {
                return error(431, "the request head exceeds " + MAX_HEAD_BYTES + " bytes", true);
            }
            throw new IncompleteHandshakeException();
        }
        if (lines.isEmpty()) {
            return error(400, "empty request line", true);
        }
        String[] requestLine = lines.get(0).split(" ", -1);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String problem = addHeader(headers, line);
            if (problem != null) {
                return error(400, problem, true);
            }
        }
        // a refused request whose body may follow is answered without closing at once
        boolean more = end > headEnd || headers.containsKey("content-length") || headers.containsKey("transfer-encoding");
        String method = requestLine[0];
        if (method.equals("GET") && isWebSocketUpgrade(headers.get("upgrade"))) {
            return null;
        }
        String version = requestLine[2];
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            return version.matches("HTTP/[0-9]\\.[0-9]") ? error(505, "HTTP version " + version + " is not supported", more)
                    : error(400, "malformed HTTP version", more);
        }
        if (version.equals("HTTP/1.1") && !headers.containsKey("host")) {
            return error(400, "an HTTP/1.1 request needs a Host header", more);
        }
        String target = requestLine[1];
        String rawPath = originPath(target);
        if (rawPath == null) {
            return error(400, "the request target is neither /path nor http://host/path", more);
        }
        String path = percentDecode(rawPath);
        if (path == null) {
            return error(400, "the request path has a bad percent-escape, invalid UTF-8 or a NUL", more);
        }
        if (headers.containsKey("transfer-encoding")) {
            return error(411, "Transfer-Encoding is not supported: send the body with Content-Length", true);
        }
        long length = 0;
        String lengthHeader = headers.get("content-length");
        if (lengthHeader != null) {
            length = contentLength(lengthHeader);
            if (length < 0) {
                return error(400, "malformed Content-Length", true);
            }
            if (length > MAX_BODY_BYTES) {
                return error(413, "the request body exceeds " + MAX_BODY_BYTES + " bytes", true);
            }
        } else if (method.equals("POST")) {
            return error(411, "POST needs a Content-Length", true);
        }
        int headBytes = headEnd - start;
        if (end - headEnd < length) {
            // the library keeps the bytes so far and calls again with more; preferring the whole
            // request's size lets it allocate once
            throw new IncompleteHandshakeException(headBytes + (int) length);
        }
        byte[] body = new byte[(int) length];
        input.duplicate().position(headEnd).get(body);
        return new PlainRequest(method, target, rawPath, path, Collections.unmodifiableMap(headers), body, 0, "", false);
    }

    private static boolean validRequestLine(String line) {
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return false;
        }
        for (int i = 0; i < parts[0].length(); i++) {
            if (!isTokenChar((byte) parts[0].charAt(i))) {
                return false;
            }
        }
        return parts[1].chars().allMatch(c -> c > 0x20 && c < 0x7F) && parts[2].chars().allMatch(c -> c > 0x20 && c < 0x7F);
    }

    /** Adds one header line; returns what is wrong with it, or null. */
    private static String addHeader(Map<String, String> headers, String line) {
        if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
            return "obsolete header line folding";
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return "a header line without a name and colon";
        }
        for (int i = 0; i < colon; i++) {
            if (!isTokenChar((byte) line.charAt(i))) {
                return "a malformed header name";
            }
        }
        int from = colon + 1;
        int to = line.length();
        while (from < to && (line.charAt(from) == ' ' || line.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (line.charAt(to - 1) == ' ' || line.charAt(to - 1) == '\t')) {
            to--;
        }
        String value = line.substring(from, to);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return "a control character in a header value";
            }
        }
        headers.merge(line.substring(0, colon).toLowerCase(Locale.ROOT), value, (a, b) -> a + ", " + b);
        return null;
    }

    private static boolean isWebSocketUpgrade(String upgrade) {
        if (upgrade == null) {
            return false;
        }
        for (String protocol : upgrade.split(",")) {
            if (protocol.trim().equalsIgnoreCase("websocket")) {
                return true;
            }
        }
        return false;
    }

    /** Returns the path part (before any query) of an origin-form or absolute-form target, or null. */
    private static String originPath(String target) {
        String path = target;
        String lower = target.toLowerCase(Locale.ROOT);
        int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
        if (schemeEnd > 0) {
            int slash = target.indexOf('/', schemeEnd);
            int query = target.indexOf('?', schemeEnd);
            if (slash < 0 || (query >= 0 && query < slash)) {
                path = "/" + (query < 0 ? "" : target.substring(query));
            } else {
                path = target.substring(slash);
            }
        }
        if (!path.startsWith("/") || path.indexOf('#') >= 0) {
            return null;
        }
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /** Decodes %XX escapes once and the result as UTF-8; null if malformed or if it holds a NUL. */
    static String percentDecode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        String decoded;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()));
            decoded = chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        return decoded.indexOf('\0') >= 0 ? null : decoded;
    }

    /** Parses a Content-Length value (repeats must agree); -1 if malformed. */
    private static long contentLength(String value) {
        long length = -1;
        for (String part : value.split(",", -1)) {
            String digits = part.trim();
            if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return -1;
            }
            long parsed = Long.parseLong(digits);
            if (length >= 0 && parsed != length) {
                return -1;
            }
            length = parsed;
        }
        return length;
    }

    /** Tells whether a byte is an HTTP token character (RFC 9110 tchar). */
    private static boolean isTokenChar(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }

    private static String latin1(ByteBuffer buffer, int from, int to) {
        byte[] bytes = new byte[to - from];
        buffer.duplicate().position(from).get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return errorStatus != 0 ? "refused HTTP request (" + errorStatus + ": " + errorText + ")"
                : "HTTP " + method + " " + rawPath + " (" + body.length + " body bytes)";
    }
}
