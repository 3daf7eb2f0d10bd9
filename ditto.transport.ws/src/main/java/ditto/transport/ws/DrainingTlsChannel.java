package ditto.transport.ws;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;

import org.java_websocket.WrappedByteChannel;
import org.java_websocket.interfaces.ISSLChannel;

/**
 * A pass-through wrapper of the library's TLS channel that, once {@link #holdUntilDrained} is
 * called, reports a buffer as written only when its encrypted bytes have left.
 *
 * <p>Why: Java-WebSocket closes a connection that is flushing-and-closing as soon as its out
 * queue is empty, and its TLS channel ({@code SSLSocketChannel2}) takes a buffer's last bytes
 * into a TLS record before the socket has accepted all of that record. Closing then would cut
 * the end of an HTTP response. So, for a connection carrying a plain HTTP response, this
 * wrapper keeps the last byte of a written buffer counted as unwritten while encrypted bytes
 * wait, and lets it go once they have been flushed; the library keeps calling {@link #write}
 * with the same buffer while it has bytes left. Flushing writes an empty buffer through the
 * inner channel (which sends pending bytes first); the inner {@code writeMore} is not used on
 * this path because 1.6.0 wraps its own output buffer as input there.
 *
 * <p>It also ends a connection whose peer has sent its TLS close_notify: reads then report the
 * end of the stream and writes fail, instead of entering the inner channel's handshake code,
 * which in 1.6.0 asserts on that state (with assertions enabled the selector thread dies).
 *
 * <p>Invariants: {@link #write} is called by the server's selector thread only; the hold flag is
 * set once, from another thread, before the response is queued. WebSocket links never set it,
 * so for them every call goes to the inner channel unless the peer has closed TLS.
 */
final class DrainingTlsChannel implements WrappedByteChannel, ISSLChannel {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final WrappedByteChannel inner;
    private final ISSLChannel tls;
    private volatile boolean holding;
    /** The buffer whose last byte was encrypted but is still reported as unwritten, or null. */
    private ByteBuffer held;

    /**
     * @param inner the library's TLS channel
     */
    <C extends WrappedByteChannel & ISSLChannel> DrainingTlsChannel(C inner) {
        this.inner = inner;
        this.tls = inner;
    }

    /** From now on, reports buffers written only once their encrypted bytes have left. */
    void holdUntilDrained() {
        holding = true;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        failIfPeerClosed();
        if (!holding) {
            return inner.write(src);
        }
        if (!flushed()) {
            return 0;
        }
        if (held != null) {
            ByteBuffer releasing = held;
            held = null;
            if (releasing == src && src.remaining() == 1) {
                src.position(src.limit());
                return 1;
            }
        }
        int before = src.remaining();
        int written = inner.write(src);
        if (before > 0 && !src.hasRemaining() && inner.isNeedWrite()) {
            src.position(src.position() - 1);
            held = src;
        }
        return written;
    }

    /** Sends encrypted bytes still waiting; returns whether none wait any more. */
    private boolean flushed() throws IOException {
        if (inner.isNeedWrite()) {
            inner.write(EMPTY);
        }
        return !inner.isNeedWrite();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (peerClosed()) {
            // hand out what was decrypted before the close_notify, then the end of the stream
            return inner.isNeedRead() ? inner.readMore(dst) : -1;
        }
        return inner.read(dst);
    }

    private boolean peerClosed() {
        return tls.getSSLEngine().isInboundDone();
    }

    private void failIfPeerClosed() throws IOException {
        if (peerClosed()) {
            throw new EOFException("the peer closed TLS (close_notify)");
        }
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public boolean isNeedWrite() {
        return inner.isNeedWrite();
    }

    @Override
    public void writeMore() throws IOException {
        failIfPeerClosed();
        if (holding) {
            flushed();
        } else {
            inner.writeMore();
        }
    }

    @Override
    public boolean isNeedRead() {
        return inner.isNeedRead();
    }

    @Override
    public int readMore(ByteBuffer dst) throws IOException {
        return inner.readMore(dst);
    }

    @Override
    public boolean isBlocking() {
        return inner.isBlocking();
    }

    @Override
    public SSLEngine getSSLEngine() {
        return tls.getSSLEngine();
    }
}
