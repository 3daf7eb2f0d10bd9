package ditto.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * W10's floor peer: a plain TCP fan-out relay on loopback with its clients, in this JVM. Each
 * client holds one socket to the relay; a message it sends is forwarded by the relay to every
 * other client, unchanged. No TLS, no storage, no parsing beyond the 12-byte header: the least
 * work that moves the same bytes from one writer to every other client through one server.
 *
 * <p>Frame: {@code int length} (of what follows), {@code int writer}, {@code long seq}, then the
 * payload (the bytes of the document's JSON in W10, so messages have the documents' size). The
 * relay has a reader thread per client connection, which reports each frame's arrival at the
 * hub to the {@link FanOutTracker} and queues it for every other connection, and a writer thread
 * per connection, which writes its queue and flushes when the queue is empty (so bursts are
 * batched, as a real relay would). A client has a reader thread that reports each frame to the
 * tracker once it has read the whole frame; sending happens on the caller's thread.
 *
 * <p>Thread-safe as documented per method: {@link #send} for one client must be called from one
 * thread at a time.
 */
final class FanOutRelay implements AutoCloseable {

    private static final int HEADER = 4 + 8;

    private final ServerSocket server;
    private final byte[] payload;
    private final FanOutTracker tracker;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<BlockingQueue<byte[]>> outbound = new ArrayList<>();
    private final List<DataOutputStream> clientOut = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closed;

    /**
     * Opens the relay on a free loopback port, connects one socket per client of the tracker, and
     * starts every thread.
     *
     * @param payload the payload every frame carries (not copied; not modified here)
     * @param tracker receives each client's arrivals
     * @throws IOException if a socket cannot be opened
     */
    FanOutRelay(byte[] payload, FanOutTracker tracker) throws IOException {
        this.payload = payload;
        this.tracker = tracker;
        int clients = tracker.clients();
        this.server = new ServerSocket(0, clients, InetAddress.getLoopbackAddress());
        try {
            List<Socket> relaySide = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                client.setTcpNoDelay(true);
                sockets.add(client);
                Socket accepted = server.accept();
                accepted.setTcpNoDelay(true);
                sockets.add(accepted);
                relaySide.add(accepted);
                outbound.add(new LinkedBlockingQueue<>());
                clientOut.add(new DataOutputStream(new BufferedOutputStream(client.getOutputStream(), 64 * 1024)));
            }
            for (int i = 0; i < clients; i++) {
                int index = i;
                Socket relay = relaySide.get(i);
                Socket client = sockets.get(2 * i);
                start("w10-relay-in-" + i, () -> relayReader(index, relay));
                start("w10-relay-out-" + i, () -> relayWriter(index, relay));
                start("w10-client-in-" + i, () -> clientReader(index, client));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /**
     * Sends client {@code writer}'s message {@code seq} to the relay and flushes it.
     *
     * @throws IOException if the connection broke
     */
    void send(int writer, long seq) throws IOException {
        DataOutputStream out = clientOut.get(writer);
        out.writeInt(HEADER + payload.length);
        out.writeInt(writer);
        out.writeLong(seq);
        out.write(payload);
        out.flush();
    }

    /** Returns the first failure of a relay or client thread while the relay was open, or null. */
    Throwable failure() {
        return failure.get();
    }

    private void relayReader(int index, Socket socket) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024))) {
            while (true) {
                int length = in.readInt();
                if (length < HEADER) {
                    throw new IOException("relay: frame of " + length + " bytes from client " + index
                            + " is shorter than its " + HEADER + "-byte header");
                }
                byte[] frame = new byte[4 + length];
                frame[0] = (byte) (length >>> 24);
                frame[1] = (byte) (length >>> 16);
                frame[2] = (byte) (length >>> 8);
                frame[3] = (byte) length;
                in.readFully(frame, 4, length);
                tracker.observedAtHub(readInt(frame, 4), readLong(frame, 8), System.nanoTime());
                for (int j = 0; j < outbound.size(); j++) {
                    if (j != index) {
                        outbound.get(j).add(frame);
                    }
                }
            }
        } catch (EOFException e) {
            // the client closed its socket: the run is over
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static long readLong(byte[] b, int at) {
        return (long) readInt(b, at) << 32 | (readInt(b, at + 4) & 0xffff_ffffL);
    }

    private void relayWriter(int index, Socket socket) {
        BlockingQueue<byte[]> queue = outbound.get(index);
        try {
            BufferedOutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            while (true) {
                byte[] frame = queue.take();
                do {
                    out.write(frame);
                    frame = queue.poll();
                } while (frame != null);
                out.flush();
            }
        } catch (InterruptedException e) {
            // close() stops the writer
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void clientReader(int index, Socket socket) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024))) {
            byte[] body = new byte[payload.length];
            while (true) {
                int length = in.readInt();
                int writer = in.readInt();
                long seq = in.readLong();
                if (length != HEADER + body.length) {
                    throw new IOException("relay: client " + index + " got a frame of " + length + " bytes, expected "
                            + (HEADER + body.length));
                }
                in.readFully(body);
                tracker.observed(index, writer, seq, System.nanoTime());
            }
        } catch (EOFException e) {
            // the relay closed the connection: the run is over
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void fail(Throwable e) {
        if (!closed) {
            failure.compareAndSet(null, e);
        }
    }

    /** Closes every socket and stops every thread (waits up to 5 s for them). Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // a loopback socket that is already broken: nothing left to release
            }
        }
        try {
            server.close();
        } catch (IOException e) {
            // the server socket is gone either way
        }
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
