package ditto.testkit.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ditto.api.DittoException;
import ditto.api.DittoLogger;
import ditto.api.ErrorCode;
import ditto.api.LogLevel;
import ditto.api.TransportConfig;
import ditto.api.spi.transport.DiscoveredPeer;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportListener;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportProvider;
import ditto.api.spi.transport.TransportStatus;
import ditto.api.spi.transport.TransportStatus.LinkState;
import ditto.api.spi.transport.TransportStatus.LinkStatus;

/**
 * The behaviour every {@link Transport} that links over the network must show, as JUnit tests
 * run over loopback.
 *
 * <p>A transport's test class extends this class and tells it how to make one transport listen
 * ({@link #serverConfig(int)}), how to make another connect to it
 * ({@link #clientConfig(int, Duration)}), where a started listener is bound
 * ({@link #listeningPort(Transport)}) and how to play a hostile peer
 * ({@link #connectHostilePeer(int, String)}). The inherited tests then check the SPI contract:
 * links open on both sides with the right direction; frames of 0 bytes, 1 byte, 64 KiB and
 * {@link Link#maxFrameSize()} and thousands of small frames arrive whole and in order both ways;
 * oversized frames are refused with {@code INVALID_ARGUMENTS} and sends on closed links with
 * {@code TRANSPORT}; a close reaches the other side's {@code onClosed} exactly once; {@code stop()}
 * closes every link and frees the port, and {@code start()} works again; {@code status()} tracks
 * links; {@code reconfigure} moves the listener; a client reconnects after its server restarts;
 * links between different databases are refused; and a hostile peer's garbage closes only its own
 * link, with an error logged and without the transport allocating what the garbage claims.
 *
 * <p>Every test binds ephemeral ports only (port 0, or a port the operating system just handed
 * out), so suites may run in parallel builds. Transports made through {@link #newTransport} are
 * closed after each test.
 */
public abstract class TransportContract {

    /** How long a test waits for something that should happen. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** How long a test waits to be reasonably sure something does not happen. */
    protected static final Duration QUIET = Duration.ofMillis(1500);
    /** A retry interval short enough for reconnection tests. */
    protected static final Duration SHORT_RETRY = Duration.ofMillis(200);
    /** A retry interval long enough that no reconnection happens during a test. */
    protected static final Duration LONG_RETRY = Duration.ofMinutes(10);

    private static final AtomicInteger PEERS = new AtomicInteger();

    private final List<Transport> transports = new CopyOnWriteArrayList<>();

    /** Creates the contract; subclasses have a public no-argument constructor for JUnit. */
    protected TransportContract() {
    }

    /**
     * Returns a provider of the transport under test.
     *
     * @return the provider, never null
     */
    protected abstract TransportProvider provider();

    /**
     * Returns a configuration that makes the transport listen on the loopback interface and
     * connect nowhere.
     *
     * @param port the port to listen on; 0 for an ephemeral port chosen by the operating system
     * @return the configuration, never null
     */
    protected abstract TransportConfig serverConfig(int port);

    /**
     * Returns a configuration that makes the transport connect to a listener on the loopback
     * interface and listen nowhere.
     *
     * @param serverPort the port the listener is bound to
     * @param retryInterval how long to wait before reconnecting after a failed or lost connection
     * @return the configuration, never null
     */
    protected abstract TransportConfig clientConfig(int serverPort, Duration retryInterval);

    /**
     * Returns the port a started transport's listener is bound to.
     *
     * @param server a started transport made with {@link #serverConfig(int)}
     * @return the bound port
     */
    protected abstract int listeningPort(Transport server);

    /**
     * Connects a hostile peer to a listener. The peer completes whatever handshake the transport
     * needs for the listener to report a link, and only then misbehaves when told to.
     *
     * @param serverPort the listener's port on the loopback interface
     * @param databaseId the database id the listener serves
     * @return the connected hostile peer, never null
     * @throws Exception if the connection or handshake fails
     */
    protected abstract HostilePeer connectHostilePeer(int serverPort, String databaseId) throws Exception;

    /**
     * Returns the database id the transports of a test serve. Default: a fixed UUID.
     *
     * @return the id, never null
     */
    protected String databaseId() {
        return "2f4b3a0e-5d1c-4e8a-9b7f-0c6d1e2a3b4c";
    }

    /**
     * Tells whether links accepted on a listener survive a {@code reconfigure} that moves the
     * listener to another port. Default true; a transport whose listener cannot stop listening
     * without closing its connections returns false, and the contract then expects those links
     * to close in an orderly way instead.
     *
     * @return true if accepted links survive a listener move
     */
    protected boolean keepsAcceptedLinksWhenTheListenerMoves() {
        return true;
    }

    /**
     * A peer that speaks the transport's handshake, then sends garbage: for a length-prefixed
     * protocol, an absurd length prefix.
     */
    protected interface HostilePeer extends AutoCloseable {

        /**
         * Sends bytes that break the transport's framing, such as a length prefix near 2 GiB.
         *
         * @throws Exception if sending fails
         */
        void sendGarbage() throws Exception;

        /**
         * Waits until the transport has closed this peer's connection.
         *
         * @param timeout how long to wait at most
         * @return true if the transport closed the connection in time
         * @throws Exception if waiting fails for another reason
         */
        boolean awaitClosedByRemote(Duration timeout) throws Exception;

        /**
         * Closes this peer's connection; idempotent.
         *
         * @throws Exception if closing fails
         */
        @Override
        void close() throws Exception;
    }

    /**
     * A transport made by a test, with the listener that records what it reports.
     *
     * @param transport the transport
     * @param listener the listener it reports to
     */
    protected record Peer(Transport transport, RecordingTransportListener listener) {
    }

    /**
     * Creates a transport for this test's database with a recording listener; it is closed
     * after the test.
     *
     * @param config the transport configuration
     * @return the stopped transport and its listener
     */
    protected Peer newTransport(TransportConfig config) {
        return newTransport(config, databaseId());
    }

    /**
     * Creates a transport for a given database with a recording listener; it is closed after the
     * test.
     *
     * @param config the transport configuration
     * @param databaseId the database the transport serves
     * @return the stopped transport and its listener
     */
    protected Peer newTransport(TransportConfig config, String databaseId) {
        RecordingTransportListener listener = new RecordingTransportListener();
        return new Peer(newTransport(config, databaseId, listener), listener);
    }

    /**
     * Creates a transport for a given database that reports to a given listener; it is closed
     * after the test.
     *
     * @param config the transport configuration
     * @param databaseId the database the transport serves
     * @param listener where the transport reports links
     * @return the stopped transport
     */
    protected Transport newTransport(TransportConfig config, String databaseId, TransportListener listener) {
        int n = PEERS.incrementAndGet();
        Transport transport = provider().create(new TransportParameters(databaseId, "pkAtestkit" + n,
                "testkit-device-" + n, config, listener));
        assertNotNull(transport, "provider.create returned null");
        transports.add(transport);
        return transport;
    }

    /** Closes every transport the test created. */
    @AfterEach
    protected void closeTransports() {
        for (Transport transport : transports) {
            try {
                transport.close();
            } catch (RuntimeException e) {
                fail("closing a transport threw " + e);
            }
        }
        transports.clear();
    }

    /**
     * A started listener and a started client linked to it.
     *
     * @param server the listening transport
     * @param client the connecting transport
     * @param port the port the server listens on
     * @param serverLink the link as the server sees it (incoming)
     * @param clientLink the link as the client sees it (outgoing)
     */
    protected record Pair(Peer server, Peer client, int port, RecordedLink serverLink, RecordedLink clientLink) {
    }

    /**
     * Starts a listener on an ephemeral port and a client connecting to it, and waits for the
     * link on both sides.
     *
     * @param retryInterval the client's retry interval
     * @return the linked pair
     * @throws InterruptedException if interrupted while waiting
     */
    protected Pair linkedPair(Duration retryInterval) throws InterruptedException {
        Peer server = newTransport(serverConfig(0));
        server.transport().start();
        int port = listeningPort(server.transport());
        assertTrue(port > 0, "listening port " + port);
        Peer client = newTransport(clientConfig(port, retryInterval));
        client.transport().start();
        RecordedLink clientLink = client.listener().awaitLink(TIMEOUT);
        assertNotNull(clientLink, "the client reported no link within " + TIMEOUT);
        RecordedLink serverLink = server.listener().awaitLink(TIMEOUT);
        assertNotNull(serverLink, "the server reported no link within " + TIMEOUT);
        return new Pair(server, client, port, serverLink, clientLink);
    }

    // ---------------------------------------------------------------- links

    /** A link opens on both sides: incoming at the listener, outgoing at the client. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void linkOpensOnBothSidesWithTheRightDirection() throws Exception {
        Pair pair = linkedPair(LONG_RETRY);
        Link atServer = pair.serverLink().link();
        Link atClient = pair.clientLink().link();
        assertTrue(atServer.isIncoming(), "the listener's link must be incoming");
        assertFalse(atClient.isIncoming(), "the client's link must be outgoing");
        for (Link link : List.of(atServer, atClient)) {
            assertTrue(link.isOpen(), link.id() + " must be open");
            assertNotNull(link.id());
            assertFalse(link.remoteDescription().isBlank(), "remoteDescription of " + link.id());
            assertEquals(pair.server().transport().connectionType(), link.connectionType());
            assertTrue(link.maxFrameSize() >= 64 * 1024, "maxFrameSize below 64 KiB: " + link.maxFrameSize());
            assertTrue(link.maxQueuedBytes() >= link.maxFrameSize(), "maxQueuedBytes below maxFrameSize");
            assertTrue(link.queuedBytes() >= 0);
        }
    }

    /** Frames of edge sizes arrive whole and in order, in both directions. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void framesOfEdgeSizesArriveWholeAndInOrderBothWays() throws Exception {
        Pair pair = linkedPair(LONG_RETRY);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int max = Math.min(pair.clientLink().link().maxFrameSize(), pair.serverLink().link().maxFrameSize());
        int[] sizes = {1, 0, 64 * 1024, max, 1, max - 1, 3};
        for (RecordedLink[] direction : directions(pair)) {
            List<byte[]> sent = new ArrayList<>();
            for (int size : sizes) {
                byte[] frame = new byte[size];
                random.nextBytes(frame);
                sent.add(frame);
                sendWithBackpressure(direction[0].link(), ByteBuffer.wrap(frame.clone()));
            }
            for (int i = 0; i < sent.size(); i++) {
                ByteBuffer got = direction[1].awaitFrame(TIMEOUT);
                assertNotNull(got, "frame " + i + " (" + sent.get(i).length + " bytes) did not arrive; seed " + seed);
                assertArrayEquals(sent.get(i), bytes(got), "frame " + i + " differs; seed " + seed);
            }
        }
        assertNoViolations(pair);
    }

    /** Thousands of small frames sent from both sides at once arrive complete and in order. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void manySmallFramesArriveInOrderBothWaysAtOnce() throws Exception {
        Pair pair = linkedPair(LONG_RETRY);
        int count = 5000;
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (RecordedLink[] direction : directions(pair)) {
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        ByteBuffer frame = ByteBuffer.allocate(4 + (i % 97));
                        frame.putInt(i);
                        frame.rewind();
                        sendWithBackpressure(direction[0].link(), frame);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "testkit-sender");
            senders.add(sender);
            sender.start();
        }
        for (RecordedLink[] direction : directions(pair)) {
            for (int i = 0; i < count; i++) {
                ByteBuffer got = direction[1].awaitFrame(TIMEOUT);
                assertNotNull(got, "frame " + i + " of " + count + " did not arrive at " + direction[1]);
                assertEquals(4 + (i % 97), got.remaining(), "size of frame " + i);
                assertEquals(i, got.getInt(), "frame order");
            }
        }
        for (Thread sender : senders) {
            sender.join(TIMEOUT.toMillis());
        }
        assertTrue(failures.isEmpty(), "senders failed: " + failures);
        assertNoViolations(pair);
    }

    /** A frame above maxFrameSize is refused with INVALID_ARGUMENTS and the link keeps working. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void frameAboveMaxFrameSizeIsRefused() throws Exception {
        Pair pair = linkedPair(LONG_RETRY);
        Link link = pair.clientLink().link();
        DittoException e = assertThrows(DittoException.class,
                () -> link.send(ByteBuffer.allocate(link.maxFrameSize() + 1)));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code(), e.toString());
        assertTrue(link.isOpen(), "a refused frame must not close the link");
        link.send(ByteBuffer.wrap(new byte[] {42}));
        ByteBuffer got = pair.serverLink().awaitFrame(TIMEOUT);
        assertNotNull(got, "the frame after the refused one did not arrive");
        assertArrayEquals(new byte[] {42}, bytes(got));
    }

    /** Sending on a closed link fails with TRANSPORT. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void sendOnAClosedLinkFailsWithTransport() throws Exception {
        Pair pair = linkedPair(LONG_RETRY);
        Link link = pair.clientLink().link();
        link.close();
        assertFalse(link.isOpen(), "isOpen after close");
        DittoException e = assertThrows(DittoException.class, () -> link.send(ByteBuffer.wrap(new byte[] {1})));
        assertEquals(ErrorCode.TRANSPORT, e.code(), e.toString());
        assertDoesNotThrow(link::close, "close must be idempotent");
    }

    /** Closing at the client reaches both handlers' onClosed exactly once, without a cause. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void closeAtTheClientReachesBothSidesExactlyOnce() throws Exception {
        Pair pair = linkedPair(LONG_RETRY);
        pair.clientLink().link().close();
        assertClosedOnceWithoutCause(pair.serverLink());
        assertClosedOnceWithoutCause(pair.clientLink());
        assertFalse(pair.serverLink().link().isOpen(), "the remote side must see the link closed");
    }

    /** Closing at the listener reaches both handlers' onClosed exactly once, without a cause. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void closeAtTheServerReachesBothSidesExactlyOnce() throws Exception {
        Pair pair = linkedPair(LONG_RETRY);
        pair.serverLink().link().close();
        assertClosedOnceWithoutCause(pair.clientLink());
        assertClosedOnceWithoutCause(pair.serverLink());
        assertFalse(pair.clientLink().link().isOpen(), "the remote side must see the link closed");
    }

    /** Frames queued just before close are flushed to the remote before the link ends. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void framesSentBeforeCloseAreDelivered() throws Exception {
        Pair pair = linkedPair(LONG_RETRY);
        Link link = pair.clientLink().link();
        for (int i = 0; i < 100; i++) {
            sendWithBackpressure(link, ByteBuffer.allocate(4).putInt(0, i));
        }
        link.close();
        for (int i = 0; i < 100; i++) {
            ByteBuffer got = pair.serverLink().awaitFrame(TIMEOUT);
            assertNotNull(got, "frame " + i + " sent before close was lost");
            assertEquals(i, got.getInt());
        }
        assertTrue(pair.serverLink().awaitClosed(TIMEOUT));
    }

    /** stop() closes every link on both sides, frees the port, and start() works again. */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    public void stopClosesAllLinksFreesThePortAndStartWorksAgain() throws Exception {
        Pair pair = linkedPair(LONG_RETRY);
        Peer secondClient = newTransport(clientConfig(pair.port(), LONG_RETRY));
        secondClient.transport().start();
        RecordedLink second = secondClient.listener().awaitLink(TIMEOUT);
        assertNotNull(second, "the second client reported no link");
        RecordedLink secondAtServer = pair.server().listener().awaitLink(TIMEOUT);
        assertNotNull(secondAtServer, "the server reported no second link");

        pair.server().transport().stop();

        for (RecordedLink link : List.of(pair.serverLink(), secondAtServer, pair.clientLink(), second)) {
            assertTrue(link.awaitClosed(TIMEOUT), link + " not closed after stop()");
        }
        assertNoConnectedLinks(pair.server().transport().status());
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), pair.port()));
        } catch (IOException e) {
            fail("port " + pair.port() + " still bound after stop(): " + e);
        }

        pair.server().transport().start();
        int port = listeningPort(pair.server().transport());
        Peer thirdClient = newTransport(clientConfig(port, LONG_RETRY));
        thirdClient.transport().start();
        assertNotNull(thirdClient.listener().awaitLink(TIMEOUT), "no link after start() following stop()");
        assertNotNull(pair.server().listener().awaitLink(TIMEOUT), "the restarted server reported no link");
        for (RecordedLink link : List.of(pair.serverLink(), secondAtServer, pair.clientLink(), second)) {
            assertEquals(1, link.closedCount(), link + " onClosed count");
            assertTrue(link.violations().isEmpty(), link + ": " + link.violations());
        }
    }

    /** start() twice keeps one listener; close() is idempotent and start() after it fails with CLOSED. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void startIsIdempotentAndCloseIsFinal() {
        Peer server = newTransport(serverConfig(0));
        server.transport().start();
        int port = listeningPort(server.transport());
        server.transport().start();
        assertEquals(port, listeningPort(server.transport()), "a second start() must not rebind");
        server.transport().close();
        assertDoesNotThrow(server.transport()::close, "close must be idempotent");
        assertDoesNotThrow(server.transport()::stop, "stop after close must be harmless");
        DittoException e = assertThrows(DittoException.class, server.transport()::start);
        assertEquals(ErrorCode.CLOSED, e.code(), e.toString());
    }

    /** status() lists links as CONNECTED while open and not CONNECTED once closed. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void statusShowsConnectedLinksAndDisconnectedAfterClose() throws Exception {
        Pair pair = linkedPair(LONG_RETRY);
        TransportStatus serverStatus = pair.server().transport().status();
        TransportStatus clientStatus = pair.client().transport().status();
        for (TransportStatus status : List.of(serverStatus, clientStatus)) {
            assertEquals(provider().id(), status.transportId());
            assertEquals(pair.server().transport().connectionType(), status.connectionType());
            assertTrue(status.available(), "available: " + status.unavailableReason());
            assertTrue(status.unavailableReason().isEmpty());
        }
        assertEquals(LinkState.CONNECTED, stateOf(serverStatus, pair.serverLink().link().id()), serverStatus.toString());
        assertEquals(LinkState.CONNECTED, stateOf(clientStatus, pair.clientLink().link().id()), clientStatus.toString());

        pair.serverLink().link().close();
        assertTrue(pair.clientLink().awaitClosed(TIMEOUT));
        assertTrue(pair.serverLink().awaitClosed(TIMEOUT));

        awaitTrue(() -> stateOf(pair.server().transport().status(), pair.serverLink().link().id()) != LinkState.CONNECTED,
                "the server still lists the closed link as CONNECTED");
        awaitTrue(() -> pair.client().transport().status().links().stream()
                .anyMatch(s -> s.state() == LinkState.DISCONNECTED),
                "the client lists no DISCONNECTED entry after its link closed: " + pair.client().transport().status());
        assertNoConnectedLinks(pair.client().transport().status());
    }

    /**
     * reconfigure() with another port moves the listener; links accepted on the old port stay
     * open, or close in an orderly way if {@link #keepsAcceptedLinksWhenTheListenerMoves()} says
     * so.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void reconfigureMovesTheListenerToAnotherPort() throws Exception {
        Pair pair = linkedPair(LONG_RETRY);
        int newPort = freePort();
        assertNotEquals(pair.port(), newPort);

        pair.server().transport().reconfigure(serverConfig(newPort));

        assertEquals(newPort, listeningPort(pair.server().transport()), "listener not moved");
        Peer client = newTransport(clientConfig(newPort, LONG_RETRY));
        client.transport().start();
        assertNotNull(client.listener().awaitLink(TIMEOUT), "no link to the new port");
        RecordedLink onNewPort = pair.server().listener().awaitLink(TIMEOUT);
        assertNotNull(onNewPort, "the server reported no link on the new port");
        awaitTrue(() -> !acceptsConnections(pair.port()), "the old port " + pair.port() + " still accepts connections");
        if (keepsAcceptedLinksWhenTheListenerMoves()) {
            assertTrue(pair.clientLink().link().isOpen(), "the established link was dropped by the port change");
            pair.clientLink().link().send(ByteBuffer.wrap(new byte[] {7}));
            ByteBuffer got = pair.serverLink().awaitFrame(TIMEOUT);
            assertNotNull(got, "the established link stopped carrying frames");
            assertArrayEquals(new byte[] {7}, bytes(got));
        } else {
            assertClosedOnceWithoutCause(pair.serverLink());
            assertClosedOnceWithoutCause(pair.clientLink());
        }
        assertTrue(onNewPort.link().isOpen(), "the link on the new port must stay open");
    }

    /** reconfigure() with an unchanged configuration keeps the listener and every link. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void reconfigureWithTheSameSettingsKeepsEverything() throws Exception {
        Pair pair = linkedPair(LONG_RETRY);
        pair.server().transport().reconfigure(serverConfig(0));
        pair.client().transport().reconfigure(clientConfig(pair.port(), LONG_RETRY));

        assertEquals(pair.port(), listeningPort(pair.server().transport()), "the listener moved");
        assertNull(pair.client().listener().awaitLink(QUIET), "the client opened a second link");
        assertEquals(0, pair.clientLink().closedCount(), "the client's link closed");
        assertEquals(0, pair.serverLink().closedCount(), "the server's link closed");
        pair.clientLink().link().send(ByteBuffer.wrap(new byte[] {5}));
        ByteBuffer got = pair.serverLink().awaitFrame(TIMEOUT);
        assertNotNull(got, "the link stopped carrying frames");
        assertArrayEquals(new byte[] {5}, bytes(got));
    }

    /** A client reconnects by itself after its server goes away and comes back on the same port. */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    public void clientReconnectsAfterTheServerRestarts() throws Exception {
        Pair pair = linkedPair(SHORT_RETRY);
        pair.server().transport().close();
        assertTrue(pair.clientLink().awaitClosed(TIMEOUT), "the client's link did not close with its server");

        Peer restarted = newTransport(serverConfig(pair.port()));
        restarted.transport().start();
        assertEquals(pair.port(), listeningPort(restarted.transport()));

        RecordedLink again = pair.client().listener().awaitLink(TIMEOUT);
        assertNotNull(again, "the client did not reconnect within " + TIMEOUT);
        assertFalse(again.link().isIncoming());
        RecordedLink atServer = restarted.listener().awaitLink(TIMEOUT);
        assertNotNull(atServer, "the restarted server reported no link");
        again.link().send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        ByteBuffer got = atServer.awaitFrame(TIMEOUT);
        assertNotNull(got, "no frame over the new link");
        assertArrayEquals(new byte[] {1, 2, 3}, bytes(got));
    }

    /** Transports of different databases never report a link to each other. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void linksBetweenDifferentDatabasesAreRefused() throws Exception {
        Peer server = newTransport(serverConfig(0));
        server.transport().start();
        int port = listeningPort(server.transport());
        Peer stranger = newTransport(clientConfig(port, SHORT_RETRY), "7d1e0c4a-0000-4f00-8000-000000000001");
        stranger.transport().start();

        assertNull(stranger.listener().awaitLink(QUIET), "a client of another database got a link");
        assertNull(server.listener().awaitLink(Duration.ofMillis(100)), "the server accepted another database");

        Peer friend = newTransport(clientConfig(port, LONG_RETRY));
        friend.transport().start();
        assertNotNull(friend.listener().awaitLink(TIMEOUT), "a client of the same database got no link");
        assertNoConnectedLinks(stranger.transport().status());
    }

    /** Garbage from a hostile peer closes only its own link, logs an error and allocates nothing absurd. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void hostilePeerGarbageClosesOnlyItsLink() throws Exception {
        Pair pair = linkedPair(LONG_RETRY);
        List<String> errors = new CopyOnWriteArrayList<>();
        DittoLogger.setCustomLogCallback((level, message) -> {
            if (level == LogLevel.ERROR) {
                errors.add(message);
            }
        });
        try (HostilePeer hostile = connectHostilePeer(pair.port(), databaseId())) {
            RecordedLink hostileLink = pair.server().listener().awaitLink(TIMEOUT);
            assertNotNull(hostileLink, "the hostile peer's handshake produced no link");
            assertTrue(hostileLink.link().isIncoming());

            hostile.sendGarbage();

            assertTrue(hostile.awaitClosedByRemote(TIMEOUT),
                    "the transport did not close the hostile connection (did it wait for an absurd frame?)");
            assertTrue(hostileLink.awaitClosed(TIMEOUT), "the hostile link's handler saw no onClosed");
            assertNotNull(hostileLink.closeCause(), "a link closed for garbage must report a cause");
            assertEquals(0, hostileLink.frameCount(), "garbage was delivered as a frame");
            String id = hostileLink.link().id();
            awaitTrue(() -> errors.stream().anyMatch(m -> m.contains(id)),
                    "no error naming link " + id + " was logged; errors: " + errors);
        } finally {
            DittoLogger.setCustomLogCallback(null);
        }
        assertTrue(pair.serverLink().link().isOpen(), "the honest link was closed too");
        assertEquals(0, pair.serverLink().closedCount());
        pair.clientLink().link().send(ByteBuffer.wrap(new byte[] {9}));
        ByteBuffer got = pair.serverLink().awaitFrame(TIMEOUT);
        assertNotNull(got, "the honest link stopped carrying frames");
        pair.serverLink().link().send(ByteBuffer.wrap(new byte[] {8}));
        assertNotNull(pair.clientLink().awaitFrame(TIMEOUT), "the honest link stopped carrying frames back");
    }

    /**
     * stop() called by the engine from inside a link's handler returns in bounded time, and that
     * link's onClosed still comes, once, after the handler returned.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void stopCalledFromInsideAHandlerReturnsAndStillClosesTheLink() throws Exception {
        Peer server = newTransport(serverConfig(0));
        server.transport().start();
        int port = listeningPort(server.transport());
        AtomicReference<Transport> client = new AtomicReference<>();
        CountDownLatch stopReturned = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        AtomicInteger closedCalls = new AtomicInteger();
        AtomicInteger inHandler = new AtomicInteger();
        TransportListener stopper = new TransportListener() {
            @Override
            public LinkHandler onLinkOpened(Link link) {
                return new LinkHandler() {
                    @Override
                    public void onFrame(ByteBuffer frame) {
                        inHandler.incrementAndGet();
                        client.get().stop();
                        inHandler.decrementAndGet();
                        stopReturned.countDown();
                    }

                    @Override
                    public void onClosed(Throwable cause) {
                        if (inHandler.get() == 0) {
                            closedCalls.incrementAndGet();
                        }
                        closed.countDown();
                    }
                };
            }

            @Override
            public void onPeerDiscovered(DiscoveredPeer peer) {
            }

            @Override
            public void onPeerLost(String endpoint) {
            }
        };
        client.set(newTransport(clientConfig(port, LONG_RETRY), databaseId(), stopper));
        client.get().start();
        RecordedLink atServer = server.listener().awaitLink(TIMEOUT);
        assertNotNull(atServer, "no link");
        atServer.link().send(ByteBuffer.wrap(new byte[] {1}));

        assertTrue(stopReturned.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "stop() inside a handler did not return");
        assertTrue(closed.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "the link's onClosed never came");
        assertEquals(1, closedCalls.get(), "onClosed must come once, after the handler returned");
        assertTrue(atServer.awaitClosed(TIMEOUT), "the remote side did not see the close");
    }

    /** Every link of one transport has its own id. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void linkIdsAreUniqueWithinATransport() throws Exception {
        Pair pair = linkedPair(LONG_RETRY);
        Set<String> ids = new HashSet<>();
        ids.add(pair.serverLink().link().id());
        for (int i = 0; i < 3; i++) {
            Peer client = newTransport(clientConfig(pair.port(), LONG_RETRY));
            client.transport().start();
            assertNotNull(client.listener().awaitLink(TIMEOUT));
            RecordedLink atServer = pair.server().listener().awaitLink(TIMEOUT);
            assertNotNull(atServer);
            assertTrue(ids.add(atServer.link().id()), "duplicate link id " + atServer.link().id());
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Sends a frame, waiting while the link's send queue is full.
     *
     * @param link the link
     * @param frame the frame
     * @throws InterruptedException if interrupted while waiting
     */
    protected static void sendWithBackpressure(Link link, ByteBuffer frame) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                link.send(frame);
                return;
            } catch (DittoException e) {
                if (e.code() != ErrorCode.TRANSPORT || !link.isOpen() || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1);
            }
        }
    }

    /**
     * Returns the remaining bytes of a buffer as an array.
     *
     * @param buffer the buffer; its position is not changed
     * @return a copy of the bytes between position and limit
     */
    protected static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /**
     * Waits until a condition holds, polling every 20 ms.
     *
     * @param condition the condition
     * @param message the failure message if it does not hold within {@link #TIMEOUT}
     * @throws InterruptedException if interrupted while waiting
     */
    protected static void awaitTrue(BooleanSupplier condition, String message) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(message);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Returns a port the operating system just reported free on the loopback interface.
     *
     * @return the port
     * @throws IOException if no port can be bound
     */
    protected static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    private static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static LinkState stateOf(TransportStatus status, String linkId) {
        return status.links().stream().filter(s -> s.linkId().equals(linkId)).map(LinkStatus::state)
                .findFirst().orElse(null);
    }

    private static void assertNoConnectedLinks(TransportStatus status) {
        assertTrue(status.links().stream().noneMatch(s -> s.state() == LinkState.CONNECTED),
                "CONNECTED entries remain: " + status);
    }

    private static void assertClosedOnceWithoutCause(RecordedLink link) throws InterruptedException {
        assertTrue(link.awaitClosed(TIMEOUT), link + ": onClosed not called");
        Thread.sleep(200);
        assertEquals(1, link.closedCount(), link + ": onClosed count");
        assertNull(link.closeCause(), link + ": an orderly close must have no cause");
        assertTrue(link.violations().isEmpty(), link + ": " + link.violations());
    }

    private static void assertNoViolations(Pair pair) {
        assertTrue(pair.serverLink().violations().isEmpty(), pair.serverLink().violations().toString());
        assertTrue(pair.clientLink().violations().isEmpty(), pair.clientLink().violations().toString());
    }

    private static RecordedLink[][] directions(Pair pair) {
        return new RecordedLink[][] {
            {pair.clientLink(), pair.serverLink()},
            {pair.serverLink(), pair.clientLink()}
        };
    }
}
