package ditto.transport.lan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ditto.api.DittoException;
import ditto.api.DittoLogger;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportProvider;
import ditto.api.spi.transport.TransportStatus;
import ditto.testkit.transport.RecordedLink;
import ditto.testkit.transport.TransportContract;

class LanTransportTest extends TransportContract {

    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());

    @Override
    protected TransportProvider provider() {
        return new LanTransportProvider();
    }

    @Override
    protected TransportConfig serverConfig(int port) {
        return TransportConfig.defaults().enableTcpListen("127.0.0.1", port);
    }

    @Override
    protected TransportConfig clientConfig(int serverPort, Duration retryInterval) {
        TransportConfig config = TransportConfig.defaults().addTcpServer("127.0.0.1:" + serverPort);
        config.connect().setRetryInterval(retryInterval);
        return config;
    }

    @Override
    protected int listeningPort(Transport server) {
        return ((LanTransport) server).listeningPort();
    }

    @Override
    protected HostilePeer connectHostilePeer(int serverPort, String databaseId) throws IOException {
        RawPeer peer = new RawPeer(serverPort);
        peer.out.write(Hello.encode(databaseId));
        peer.out.flush();
        assertEquals(databaseId, Hello.read(peer.in));
        return peer;
    }

    @AfterEach
    void removeLogCallback() {
        DittoLogger.setCustomLogCallback(null);
    }

    /** A raw TCP peer that sends whatever a test tells it to. */
    private static final class RawPeer implements HostilePeer {
        final Socket socket;
        final OutputStream out;
        final InputStream in;

        RawPeer(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        @Override
        public void sendGarbage() throws IOException {
            // a length prefix of nearly 2 GiB followed by a few bytes: a transport that allocated
            // the claimed length would wait for the rest instead of closing the connection
            new DataOutputStream(out).writeInt(0x7FFF_FFF0);
            out.write(new byte[] {1, 2, 3});
            out.flush();
        }

        @Override
        public boolean awaitClosedByRemote(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                while (in.read() >= 0) {
                    // drain until the transport closes
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private void captureLog() {
        DittoLogger.setCustomLogCallback((level, message) -> {
            if (message.startsWith("lan ")) {
                logged.add(level.name() + " " + message);
            }
        });
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void refusesAConnectionWhoseHelloIsGarbageWithoutOpeningALink() throws Exception {
        // given
        Peer server = newTransport(serverConfig(0));
        server.transport().start();
        captureLog();
        // when a raw peer sends a plausible-looking but wrong hello
        try (RawPeer peer = new RawPeer(listeningPort(server.transport()))) {
            peer.out.write("GET / HTTP/1.1\r\n\r\n".getBytes());
            peer.out.flush();
            // then
            assertTrue(peer.awaitClosedByRemote(TIMEOUT));
        }
        assertNull(server.listener().awaitLink(QUIET));
        assertTrue(logged.stream().anyMatch(m -> m.startsWith("WARNING") && m.contains("bad magic")), logged.toString());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void refusesAHelloDeclaringAnOverlongDatabaseId() throws Exception {
        Peer server = newTransport(serverConfig(0));
        server.transport().start();
        try (RawPeer peer = new RawPeer(listeningPort(server.transport()))) {
            DataOutputStream out = new DataOutputStream(peer.out);
            out.writeInt(Hello.MAGIC);
            out.writeByte(Hello.VERSION);
            out.writeShort(0xFFFF);
            out.flush();
            assertTrue(peer.awaitClosedByRemote(TIMEOUT));
        }
        assertNull(server.listener().awaitLink(QUIET));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void closesALinkWhosePeerStopsInsideAFrameWithACause() throws Exception {
        // given
        Peer server = newTransport(serverConfig(0));
        server.transport().start();
        HostilePeer peer = connectHostilePeer(listeningPort(server.transport()), databaseId());
        RecordedLink link = server.listener().awaitLink(TIMEOUT);
        assertNotNull(link);
        // when the peer announces 10 bytes, sends 2 and closes
        RawPeer raw = (RawPeer) peer;
        new DataOutputStream(raw.out).writeInt(10);
        raw.out.write(new byte[] {1, 2});
        raw.out.flush();
        peer.close();
        // then
        assertTrue(link.awaitClosed(TIMEOUT));
        assertNotNull(link.closeCause());
        assertEquals(ErrorCode.TRANSPORT, ((DittoException) link.closeCause()).code());
        assertEquals(0, link.frameCount());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void acceptsAFrameOfExactlyTheMaximumFromARawPeer() throws Exception {
        Peer server = newTransport(serverConfig(0));
        server.transport().start();
        try (RawPeer peer = (RawPeer) connectHostilePeer(listeningPort(server.transport()), databaseId())) {
            RecordedLink link = server.listener().awaitLink(TIMEOUT);
            DataOutputStream out = new DataOutputStream(peer.out);
            out.writeInt(LanLink.MAX_FRAME_SIZE);
            out.write(new byte[LanLink.MAX_FRAME_SIZE]);
            out.writeInt(LanLink.MAX_FRAME_SIZE + 1);
            out.flush();
            ByteBuffer frame = link.awaitFrame(TIMEOUT);
            assertNotNull(frame);
            assertEquals(LanLink.MAX_FRAME_SIZE, frame.remaining());
            assertTrue(link.awaitClosed(TIMEOUT));
            assertEquals(ErrorCode.PROTOCOL, ((DittoException) link.closeCause()).code());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void writesTheDocumentedFraming() throws Exception {
        // given a raw peer linked to the transport
        Peer server = newTransport(serverConfig(0));
        server.transport().start();
        try (RawPeer peer = (RawPeer) connectHostilePeer(listeningPort(server.transport()), databaseId())) {
            RecordedLink link = server.listener().awaitLink(TIMEOUT);
            // when the transport sends two frames
            link.link().send(ByteBuffer.wrap(new byte[] {5, 6, 7}));
            link.link().send(ByteBuffer.allocate(0));
            // then the bytes on the wire are length-prefixed, big-endian
            byte[] expected = {0, 0, 0, 3, 5, 6, 7, 0, 0, 0, 0};
            byte[] got = peer.in.readNBytes(expected.length);
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(got));
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void reportsItselfUnavailableWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            captureLog();
            Peer server = newTransport(serverConfig(taken.getLocalPort()));
            server.transport().start();
            TransportStatus status = server.transport().status();
            assertFalse(status.available());
            assertTrue(status.unavailableReason().orElseThrow().contains("port " + taken.getLocalPort()),
                    status.unavailableReason().toString());
            assertEquals(-1, listeningPort(server.transport()));
            assertEquals(1, logged.stream().filter(m -> m.startsWith("WARNING") && m.contains("cannot listen")).count());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void reconfigureRemovingAServerClosesItsLink() throws Exception {
        // given
        Pair pair = linkedPair(LONG_RETRY);
        // when
        pair.client().transport().reconfigure(TransportConfig.defaults());
        // then
        assertTrue(pair.clientLink().awaitClosed(TIMEOUT));
        assertTrue(pair.serverLink().awaitClosed(TIMEOUT));
        awaitTrue(() -> pair.client().transport().status().links().isEmpty(),
                "entries remain: " + pair.client().transport().status());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void statusListsAnUnreachableServerAsAnAttempt() throws Exception {
        int nobody = freePort();
        Peer client = newTransport(clientConfig(nobody, Duration.ofMillis(100)));
        client.transport().start();
        awaitTrue(() -> client.transport().status().links().stream()
                .anyMatch(s -> s.linkId().equals("lan-connect-127.0.0.1:" + nobody)
                        && s.remoteDescription().equals("127.0.0.1:" + nobody)),
                "no attempt entry: " + client.transport().status());
        assertNull(client.listener().awaitLink(Duration.ofMillis(300)));
    }

    @Test
    void refusesMalformedSettingsWithInvalidConfig() {
        TransportConfig badInterface = TransportConfig.defaults().enableTcpListen("eth0", 0);
        DittoException e = assertThrows(DittoException.class, () -> newTransport(badInterface));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains("interface_ip"), e.getMessage());

        TransportConfig badPort = TransportConfig.defaults().enableTcpListen("127.0.0.1", 70_000);
        assertEquals(ErrorCode.INVALID_CONFIG,
                assertThrows(DittoException.class, () -> newTransport(badPort)).code());

        DittoException longId = assertThrows(DittoException.class,
                () -> newTransport(TransportConfig.defaults(), "x".repeat(256)));
        assertEquals(ErrorCode.INVALID_CONFIG, longId.code());
    }

    @Test
    void parsesIpv6ServersAndInterfaces() {
        TransportConfig config = TransportConfig.defaults().enableTcpListen("[::1]", 0).addTcpServer("[fe80::1]:4040");
        LanSettings settings = LanSettings.from(config);
        assertEquals("fe80::1", settings.servers().get(0).host());
        assertEquals(4040, settings.servers().get(0).port());
        assertTrue(settings.listenAddress().isLoopbackAddress());
        assertNull(LanSettings.from(TransportConfig.defaults().enableTcpListen("[::]", 0)).listenAddress());
    }

    @Test
    void helloRoundTripsAndRejectsAWrongVersion() throws Exception {
        byte[] hello = Hello.encode("db-1");
        assertEquals("db-1", Hello.read(new java.io.ByteArrayInputStream(hello)));
        hello[4] = 2;
        DittoException e = assertThrows(DittoException.class, () -> Hello.read(new java.io.ByteArrayInputStream(hello)));
        assertEquals(ErrorCode.PROTOCOL, e.code());
        assertTrue(e.getMessage().contains("version 2"));
    }

    @Test
    void providerIsRegisteredForServiceLoaderAndTheClassPath() throws Exception {
        assertEquals("lan", new LanTransportProvider().id());
        Module module = LanTransportProvider.class.getModule();
        if (module.isNamed()) {
            assertTrue(module.getDescriptor().provides().stream().anyMatch(p ->
                    p.service().equals(TransportProvider.class.getName())
                            && p.providers().contains(LanTransportProvider.class.getName())));
        }
        try (InputStream in = LanTransportProvider.class.getResourceAsStream(
                "/META-INF/services/" + TransportProvider.class.getName())) {
            assertEquals(LanTransportProvider.class.getName(), new String(in.readAllBytes()).trim());
        }
    }
}
