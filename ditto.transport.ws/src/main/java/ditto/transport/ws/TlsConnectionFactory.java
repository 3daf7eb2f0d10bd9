package ditto.transport.ws;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;

import org.java_websocket.SSLSocketChannel2;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;

/**
 * The listener's TLS channel factory: Java-WebSocket's default one, with each channel wrapped in
 * a {@link DrainingTlsChannel} and the TLS handshake tasks on a daemon thread.
 *
 * <p>Role and invariants: one per {@link SyncServer} start; {@code close()} (called when the
 * server stops) shuts the handshake thread down.
 */
final class TlsConnectionFactory extends DefaultSSLWebSocketServerFactory {

    TlsConnectionFactory(SSLContext context) {
        super(context, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ditto-ws-tls");
            t.setDaemon(true);
            return t;
        }));
    }

    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        return new DrainingTlsChannel((SSLSocketChannel2) super.wrapChannel(channel, key));
    }
}
