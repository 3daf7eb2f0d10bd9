package ditto.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.java_websocket.drafts.Draft;
import org.java_websocket.enums.CloseHandshakeType;
import org.java_websocket.enums.HandshakeState;
import org.java_websocket.enums.Role;
import org.java_websocket.framing.PingFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.HandshakeImpl1Server;
import org.java_websocket.handshake.Handshakedata;
import org.junit.jupiter.api.Test;

/** Pins what {@link HttpDraft} relies on in Java-WebSocket's draft contract. */
class HttpDraftTest {

    private static HttpDraft serverCopy() {
        Draft copy = new HttpDraft(MessageFraming.MESSAGE_LIMIT).copyInstance();
        copy.setParseMode(Role.SERVER);
        return assertInstanceOf(HttpDraft.class, copy);
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void copiesAreHttpDraftsWithTheSameFrameLimit() {
        HttpDraft copy = serverCopy();
        assertEquals(MessageFraming.MESSAGE_LIMIT, copy.getMaxFrameSize());
        assertFalse(copy.isPlainHttp());
    }

    @Test
    void leavesAnUpgradeToRfc6455AndStopsAfterItsHead() throws Exception {
        HttpDraft draft = serverCopy();
        String head = "GET /sync HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        ByteBuffer input = bytes(head + "FRAME");
        Handshakedata handshake = draft.translateHandshake(input);
        assertFalse(handshake instanceof PlainRequest);
        assertEquals(head.length(), input.position(), "the bytes after the head are frames");
        assertEquals(HandshakeState.MATCHED, draft.acceptHandshakeAsServer((ClientHandshake) handshake));
        assertFalse(draft.isPlainHttp());
        assertEquals(CloseHandshakeType.TWOWAY, draft.getCloseHandshakeType());
        List<ByteBuffer> response = draft.createHandshake(draft.postProcessHandshakeResponseAsServer(
                (ClientHandshake) handshake, new HandshakeImpl1Server()));
        String text = StandardCharsets.US_ASCII.decode(response.get(0)).toString();
        assertTrue(text.startsWith("HTTP/1.1 101 "), text);
        assertTrue(text.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), text);
    }

    @Test
    void takesAPlainRequestWholeAndThenKeepsEverythingWebSocketOffTheWire() throws Exception {
        HttpDraft draft = serverCopy();
        ByteBuffer input = bytes("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\nGET /pipelined HTTP/1.1\r\n\r\n");
        Handshakedata handshake = draft.translateHandshake(input);
        PlainRequest request = assertInstanceOf(PlainRequest.class, handshake);
        assertEquals("/index.html", request.path());
        assertEquals(input.limit(), input.position(), "a pipelined request must not reach the frame decoder");
        assertTrue(draft.isPlainHttp());
        assertEquals(HandshakeState.MATCHED, draft.acceptHandshakeAsServer(request));
        HandshakeImpl1Server response = new HandshakeImpl1Server();
        assertSame(response, draft.postProcessHandshakeResponseAsServer(request, response));
        assertTrue(draft.createHandshake(response).isEmpty(), "the library must write nothing for a plain request");
        ByteBuffer more = bytes("\u0081\u0085garbage");
        assertTrue(draft.translateFrame(more).isEmpty());
        assertFalse(more.hasRemaining());
        assertEquals(0, draft.createBinaryFrame(new PingFrame()).remaining());
        assertEquals(CloseHandshakeType.NONE, draft.getCloseHandshakeType());
    }
}
