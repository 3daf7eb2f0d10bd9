package ditto.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A counting TCP forwarder on loopback, put between two sync peers: it accepts on its own port,
 * dials the target port for each accepted connection and copies bytes both ways on two daemon
 * threads per connection, counting every byte (the wire bytes of W5/W6, TLS records and framing
 * included). {@link #block()} cuts every open connection and refuses new ones until
 * {@link #unblock()}: W7's partition of one link.
 *
 * <p>Thread-safe. Invariant: {@link #bytes()} only grows; while blocked no byte is forwarded.
 */
final class LoopbackProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final AtomicLong bytes = new AtomicLong();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean blocked;
    private volatile boolean closed;

    /** Starts a proxy on a free loopback port forwarding to {@code targetPort} on loopback. */
    LoopbackProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "bench-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Returns the proxy's own port (dial this instead of the target). */
    int port() {
        return server.getLocalPort();
    }

    /** Returns the bytes forwarded so far in both directions. */
    long bytes() {
        return bytes.get();
    }

    /** Cuts every open connection and refuses new ones. */
    void block() {
        blocked = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** Accepts and forwards connections again. */
    void unblock() {
        blocked = false;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket inbound;
            try {
                inbound = server.accept();
            } catch (IOException e) {
                return;
            }
            if (blocked) {
                closeQuietly(inbound);
                continue;
            }
            try {
                Socket outbound = new Socket();
                outbound.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
                inbound.setTcpNoDelay(true);
                outbound.setTcpNoDelay(true);
                open.add(inbound);
                open.add(outbound);
                pump(inbound, outbound);
                pump(outbound, inbound);
            } catch (IOException e) {
                closeQuietly(inbound);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (blocked) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    bytes.addAndGet(n);
                }
            } catch (IOException e) {
                // the connection ended (closed by a peer or cut by block()): close both ends below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "bench-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing a loopback socket that is already broken: nothing left to release
        }
    }

    @Override
    public void close() {
        closed = true;
        block();
        try {
            server.close();
        } catch (IOException e) {
            // the server socket is gone either way
        }
    }
}
