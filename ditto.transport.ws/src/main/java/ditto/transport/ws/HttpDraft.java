package ditto.transport.ws;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.CloseHandshakeType;
import org.java_websocket.enums.HandshakeState;
import org.java_websocket.enums.Role;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.HandshakeBuilder;
import org.java_websocket.handshake.Handshakedata;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.protocols.IProtocol;

/**
 * The listener's only draft: RFC 6455 for WebSocket upgrades, and a way for plain HTTP requests
 * through Java-WebSocket's handshake path, which otherwise answers every request without an
 * upgrade with its own fixed 404 and refuses every method but {@code GET}.
 *
 * <p>How a plain request travels (Java-WebSocket 1.6.0, {@code WebSocketImpl.decodeHandshake}):
 * <pre>
 *  decoder thread: translateHandshake --PlainRequest (all received bytes consumed)-->
 *    acceptHandshakeAsServer: MATCHED --> SyncServer.onWebsocketHandshakeReceivedAsServer
 *    --> postProcessHandshakeResponseAsServer, createHandshake: nothing to write
 *    --> connection OPEN --> SyncServer.onOpen --> HttpService (answers, then closes)
 * </pre>
 * Upgrade requests ({@code GET} with {@code Upgrade: websocket}) are parsed, checked and answered
 * by {@link Draft_6455} exactly as without this class. Once an instance has taken a plain
 * request it is that connection's draft and makes sure nothing WebSocket-shaped reaches the wire
 * or the application: further received bytes are discarded, frames the library builds (a ping of
 * its lost-connection timer) encode to nothing, and closing sends no close frame.
 *
 * <p>Invariants: the library copies the configured instance for every connection and handshake
 * attempt ({@link #copyInstance}), so {@link #plain} belongs to one connection; it is written once
 * on that connection's decoder thread and read from any thread.
 */
final class HttpDraft extends Draft_6455 {
    private volatile PlainRequest plain;

    /**
     * @param maxFrameSize the largest WebSocket frame payload accepted
     */
    HttpDraft(int maxFrameSize) {
        super(List.of(), maxFrameSize);
    }

    private HttpDraft(List<IExtension> extensions, List<IProtocol> protocols, int maxFrameSize) {
        super(extensions, protocols, maxFrameSize);
    }

    /** Tells whether this connection carries a plain HTTP request rather than a WebSocket. */
    boolean isPlainHttp() {
        return plain != null;
    }

    @Override
    public Draft copyInstance() {
        List<IExtension> extensions = new ArrayList<>();
        for (IExtension extension : getKnownExtensions()) {
            extensions.add(extension.copyInstance());
        }
        List<IProtocol> protocols = new ArrayList<>();
        for (IProtocol protocol : getKnownProtocols()) {
            protocols.add(protocol.copyInstance());
        }
        return new HttpDraft(extensions, protocols, getMaxFrameSize());
    }

    @Override
    public Handshakedata translateHandshake(ByteBuffer buf) throws InvalidHandshakeException {
        if (getRole() != Role.SERVER) {
            return super.translateHandshake(buf);
        }
        PlainRequest request = PlainRequest.parse(buf);
        if (request == null) {
            return super.translateHandshake(buf);
        }
        // one request per connection: whatever follows it (a pipelined request) is dropped
        buf.position(buf.limit());
        plain = request;
        return request;
    }

    @Override
    public HandshakeState acceptHandshakeAsServer(ClientHandshake handshakedata) throws InvalidHandshakeException {
        return handshakedata instanceof PlainRequest ? HandshakeState.MATCHED : super.acceptHandshakeAsServer(handshakedata);
    }

    @Override
    public HandshakeBuilder postProcessHandshakeResponseAsServer(ClientHandshake request, ServerHandshakeBuilder response)
            throws InvalidHandshakeException {
        return request instanceof PlainRequest ? response : super.postProcessHandshakeResponseAsServer(request, response);
    }

    @Override
    public List<ByteBuffer> createHandshake(Handshakedata handshakedata, boolean withcontent) {
        if (plain != null && handshakedata instanceof ServerHandshake) {
            // the HTTP response is written later, by HttpService
            return List.of();
        }
        return super.createHandshake(handshakedata, withcontent);
    }

    @Override
    public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
        if (plain != null) {
            buffer.position(buffer.limit());
            return List.of();
        }
        return super.translateFrame(buffer);
    }

    @Override
    public ByteBuffer createBinaryFrame(Framedata framedata) {
        return plain != null ? ByteBuffer.allocate(0) : super.createBinaryFrame(framedata);
    }

    @Override
    public CloseHandshakeType getCloseHandshakeType() {
        return plain != null ? CloseHandshakeType.NONE : super.getCloseHandshakeType();
    }
}
