package ditto.transport.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.java_websocket.exceptions.IncompleteHandshakeException;
import org.junit.jupiter.api.Test;

class PlainRequestTest {

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static PlainRequest parse(String text) {
        return PlainRequest.parse(bytes(text));
    }

    private static void assertRefused(int status, String request) {
        PlainRequest parsed = parse(request);
        assertEquals(status, parsed.errorStatus(), request.replace("\r\n", "\\r\\n") + " -> " + parsed);
    }

    @Test
    void parsesAPostWithHeadersAndBodyWithoutMovingTheInput() {
        ByteBuffer input = bytes("POST /_ditto/auth/login?next=%2F HTTP/1.1\r\nHost: example\r\nContent-Type: application/json\r\n"
                + "X-Twice: a\r\nx-twice: b\r\nContent-Length: 7\r\n\r\n{\"a\":1}trailing");
        int position = input.position();
        PlainRequest request = PlainRequest.parse(input);
        assertEquals(position, input.position());
        assertEquals(0, request.errorStatus());
        assertEquals("POST", request.method());
        assertEquals("/_ditto/auth/login", request.rawPath());
        assertEquals("/_ditto/auth/login", request.path());
        assertEquals("/_ditto/auth/login?next=%2F", request.getResourceDescriptor());
        assertEquals(Map.of("host", "example", "content-type", "application/json", "x-twice", "a, b", "content-length", "7"),
                request.headers());
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.US_ASCII), request.body());
        assertFalse(request.unreadInput());
    }

    @Test
    void acceptsBareLineFeedsHttp10WithoutHostAndAbsoluteFormTargets() {
        PlainRequest lf = parse("GET /a%20b/c HTTP/1.1\nHost: x\n\n");
        assertEquals("/a b/c", lf.path());
        assertEquals("/a%20b/c", lf.rawPath());
        assertEquals(0, parse("HEAD / HTTP/1.0\r\n\r\n").errorStatus());
        assertEquals("/x/y", parse("GET https://host:8443/x/y?q HTTP/1.1\r\nHost: h\r\n\r\n").path());
        assertEquals("/", parse("GET http://host HTTP/1.1\r\nHost: h\r\n\r\n").path());
        assertEquals("/", parse("GET http://host?q=/x HTTP/1.1\r\nHost: h\r\n\r\n").path());
    }

    @Test
    void leavesWebSocketUpgradesToTheLibrary() {
        assertNull(parse("GET /sync HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"));
        assertNull(parse("GET /sync HTTP/1.1\r\nHost: x\r\nUpgrade: h2c, WebSocket\r\n\r\n"));
        assertEquals(0, parse("GET /sync HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\n\r\n").errorStatus());
        // only GET upgrades; anything else with an Upgrade header is a plain request
        assertEquals("POST", parse("POST /sync HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nContent-Length: 0\r\n\r\n").method());
    }

    @Test
    void asksForMoreBytesUntilTheHeadAndTheBodyAreComplete() {
        assertThrows(IncompleteHandshakeException.class, () -> parse("GET / HTTP/1.1\r\nHost: x\r\n"));
        assertThrows(IncompleteHandshakeException.class, () -> parse("GET"));
        assertThrows(IncompleteHandshakeException.class, () -> parse(""));
        String head = "POST /_ditto/x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n";
        IncompleteHandshakeException body = assertThrows(IncompleteHandshakeException.class, () -> parse(head + "12345"));
        assertEquals(head.length() + 10, body.getPreferredSize());
        assertEquals("1234567890", new String(parse(head + "1234567890").body(), StandardCharsets.US_ASCII));
    }

    @Test
    void refusesGarbageAsSoonAsTheFirstBytesShowIt() {
        assertRefused(400, "\u0016\u0003\u0001");
        assertRefused(400, "GET\r");
        assertRefused(400, "GET /\r\n");
        assertRefused(400, "A".repeat(40));
        assertTrue(parse("\u0016\u0003\u0001").unreadInput());
    }

    @Test
    void refusesMalformedRequestsWithTheRightStatus() {
        assertRefused(400, "GET / HTTP/1.1\r\n\r\n");
        assertRefused(400, "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n");
        assertRefused(400, "GET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n");
        assertRefused(400, "GET / HTTP/1.1\r\nHost: x\r\n: v\r\n\r\n");
        assertRefused(400, "GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n");
        assertRefused(400, "GET / HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n");
        assertRefused(400, "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertRefused(400, "GET /%2 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertRefused(400, "GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertRefused(400, "GET /%ff HTTP/1.1\r\nHost: x\r\n\r\n");
        assertRefused(400, "GET * HTTP/1.1\r\nHost: x\r\n\r\n");
        assertRefused(400, "CONNECT host:443 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertRefused(400, "GET / HTTP/1.1x\r\nHost: x\r\n\r\n");
        assertRefused(505, "GET / HTTP/3.0\r\nHost: x\r\n\r\n");
        assertRefused(400, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n");
        assertRefused(400, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
        assertEquals(0, parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na").errorStatus());
        assertRefused(411, "POST / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertRefused(411, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertRefused(411, "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n");
        assertRefused(413, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + (PlainRequest.MAX_BODY_BYTES + 1) + "\r\n\r\n");
        assertRefused(413, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999\r\n\r\n");
        assertRefused(431, "GET / HTTP/1.1\r\nHost: x\r\nX: " + "a".repeat(PlainRequest.MAX_HEAD_BYTES));
        assertRefused(431, "GET / HTTP/1.1\r\nHost: x\r\n" + "X: 1\r\n".repeat(PlainRequest.MAX_HEADERS + 1));
    }

    @Test
    void marksRefusalsWhoseRestMayStillArrive() {
        assertTrue(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n").unreadInput());
        assertTrue(parse("POST / HTTP/1.1\r\nHost: x\r\n\r\n").unreadInput());
        assertFalse(parse("GET / HTTP/1.1\r\n\r\n").unreadInput());
        assertTrue(parse("GET / HTTP/1.1\r\n\r\nmore").unreadInput());
    }

    @Test
    void decodesPercentEscapesOnceAsUtf8() {
        assertEquals("/caf\u00e9", PlainRequest.percentDecode("/caf%C3%A9"));
        assertEquals("/%2e%2e", PlainRequest.percentDecode("/%252e%252e"));
        assertEquals("/../x", PlainRequest.percentDecode("/%2e%2e/x"));
        assertEquals("/a+b", PlainRequest.percentDecode("/a+b"));
        assertNull(PlainRequest.percentDecode("/%c0%ae"));
        assertNull(PlainRequest.percentDecode("/%"));
        assertNull(PlainRequest.percentDecode("/a%00b"));
    }
}
