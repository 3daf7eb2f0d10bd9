package ditto.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.DittoException;
import ditto.api.DittoLogger;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportProvider;
import ditto.api.spi.transport.TransportStatus;
import ditto.testkit.transport.RecordedLink;
import ditto.testkit.transport.TransportContract;

class WsTransportTest extends TransportContract {

    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());

    @Override
    protected TransportProvider provider() {
        return new WsTransportProvider();
    }

    @Override
    protected TransportConfig serverConfig(int port) {
        return TransportConfig.defaults().enableHttpListen("127.0.0.1", port, true);
    }

    @Override
    protected TransportConfig clientConfig(int serverPort, Duration retryInterval) {
        TransportConfig config = TransportConfig.defaults().addWebsocketUrl("ws://127.0.0.1:" + serverPort + "/sync");
        config.connect().setRetryInterval(retryInterval);
        return config;
    }

    @Override
    protected int listeningPort(Transport server) {
        return ((WsTransport) server).listeningPort();
    }

    @Override
    protected boolean keepsAcceptedLinksWhenTheListenerMoves() {
        return false;
    }

    @Override
    protected HostilePeer connectHostilePeer(int serverPort, String databaseId) throws Exception {
        RawClient client = new RawClient(serverPort, Map.of(WsTransport.DATABASE_HEADER, databaseId));
        assertTrue(client.connectBlocking(10, TimeUnit.SECONDS), "the hostile client could not connect");
        return client;
    }

    @AfterEach
    void removeLogCallback() {
        DittoLogger.setCustomLogCallback(null);
    }

    private void captureLog() {
        DittoLogger.setCustomLogCallback((level, message) -> {
            if (message.startsWith("ws ")) {
                logged.add(level.name() + " " + message);
            }
        });
    }

    /** A plain Java-WebSocket client that sends whatever a test tells it to. */
    private static class RawClient extends WebSocketClient implements HostilePeer {
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicInteger messages = new AtomicInteger();
        volatile int closeCode;

        RawClient(int port, Map<String, String> headers) {
            super(URI.create("ws://127.0.0.1:" + port + "/sync"), headers);
            setDaemon(true);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            messages.incrementAndGet();
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            messages.incrementAndGet();
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closeCode = code;
            closed.countDown();
        }

        @Override
        public void onError(Exception ex) {
        }

        @Override
        public void sendGarbage() {
            // a FIRST message declaring a frame of nearly 2 GiB: a transport that allocated the
            // declared length would run out of memory or wait for the rest
            send(ByteBuffer.allocate(8).put(MessageFraming.FIRST).putInt(0x7FFF_FFF0).put(new byte[] {1, 2, 3}).flip());
        }

        @Override
        public boolean awaitClosedByRemote(Duration timeout) throws InterruptedException {
            return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void refusesAnUpgradeWithoutTheDatabaseHeader() throws Exception {
        Peer server = newTransport(serverConfig(0));
        server.transport().start();
        captureLog();
        RawClient client = new RawClient(listeningPort(server.transport()), Map.of());
        assertFalse(client.connectBlocking(10, TimeUnit.SECONDS), "an upgrade without database id was accepted");
        assertNull(server.listener().awaitLink(QUIET));
        assertTrue(logged.stream().anyMatch(m -> m.startsWith("WARNING") && m.contains("no Ditto-Database-Id header")),
                logged.toString());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void closesALinkThatSendsAMessageAboveTheLimitBeforeDeliveringIt() throws Exception {
        Peer server = newTransport(serverConfig(0));
        server.transport().start();
        try (RawClient client = (RawClient) connectHostilePeer(listeningPort(server.transport()), databaseId())) {
            RecordedLink link = server.listener().awaitLink(TIMEOUT);
            assertNotNull(link);
            client.send(ByteBuffer.allocate(MessageFraming.MESSAGE_LIMIT + 1));
            assertTrue(client.awaitClosedByRemote(TIMEOUT));
            assertEquals(1009, client.closeCode);
            assertTrue(link.awaitClosed(TIMEOUT));
            assertNotNull(link.closeCause());
            assertEquals(0, link.frameCount());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void closesALinkThatSendsTextWithAProtocolError() throws Exception {
        Peer server = newTransport(serverConfig(0));
        server.transport().start();
        try (RawClient client = (RawClient) connectHostilePeer(listeningPort(server.transport()), databaseId())) {
            RecordedLink link = server.listener().awaitLink(TIMEOUT);
            client.send("hello");
            assertTrue(client.awaitClosedByRemote(TIMEOUT));
            assertEquals(1002, client.closeCode);
            assertTrue(link.awaitClosed(TIMEOUT));
            assertEquals(ErrorCode.PROTOCOL, ((DittoException) link.closeCause()).code());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void putsEachSmallFrameInOneMarkedBinaryMessageAndSplitsLargeOnes() throws Exception {
        Peer server = newTransport(serverConfig(0));
        server.transport().start();
        List<ByteBuffer> received = Collections.synchronizedList(new ArrayList<>());
        RawClient client = new RawClient(listeningPort(server.transport()),
                Map.of(WsTransport.DATABASE_HEADER, databaseId())) {
            @Override
            public void onMessage(ByteBuffer bytes) {
                received.add(bytes);
            }
        };
        try (client) {
            assertTrue(client.connectBlocking(10, TimeUnit.SECONDS));
            RecordedLink link = server.listener().awaitLink(TIMEOUT);
            link.link().send(ByteBuffer.wrap(new byte[] {4, 5}));
            link.link().send(ByteBuffer.allocate(MessageFraming.MESSAGE_LIMIT * 2));
            awaitTrue(() -> received.size() == 4, "expected 4 messages, got " + received.size());
            assertEquals(ByteBuffer.wrap(new byte[] {MessageFraming.WHOLE, 4, 5}), received.get(0));
            assertEquals(MessageFraming.FIRST, received.get(1).get(0));
            assertEquals(MessageFraming.MESSAGE_LIMIT * 2, received.get(1).getInt(1));
            assertEquals(MessageFraming.MESSAGE_LIMIT, received.get(1).remaining());
            assertEquals(MessageFraming.MORE, received.get(2).get(0));
            assertEquals(MessageFraming.MORE, received.get(3).get(0));
            int payload = received.get(1).remaining() - 5 + received.get(2).remaining() - 1 + received.get(3).remaining() - 1;
            assertEquals(MessageFraming.MESSAGE_LIMIT * 2, payload);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void keepsTheListenerOffWhenTheTlsFilesAreUnusableAndNamesTheFile(@TempDir Path dir) throws Exception {
        captureLog();
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate");
        TransportConfig config = serverConfig(0).setHttpTls(key.toString(), cert.toString());
        Peer server = newTransport(config);
        server.transport().start();
        TransportStatus status = server.transport().status();
        assertFalse(status.available());
        assertTrue(status.unavailableReason().orElseThrow().contains(cert.toString()), status.toString());
        assertEquals(-1, listeningPort(server.transport()));
        assertEquals(1, logged.stream().filter(m -> m.startsWith("WARNING") && m.contains("TLS")).count());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void carriesFramesBothWaysOverWssWithASelfSignedCertificate(@TempDir Path dir) throws Exception {
        Path[] pem = PemTlsTest.selfSignedPem(dir);
        Peer server = newTransport(serverConfig(0).setHttpTls(pem[0].toString(), pem[1].toString()));
        server.transport().start();
        int port = listeningPort(server.transport());
        assertTrue(port > 0, server.transport().status().toString());
        System.setProperty(Connector.TRUSTED_CERTIFICATES, pem[1].toString());
        try {
            TransportConfig clientConfig = TransportConfig.defaults().addWebsocketUrl("wss://127.0.0.1:" + port + "/sync");
            clientConfig.connect().setRetryInterval(SHORT_RETRY);
            Peer client = newTransport(clientConfig);
            client.transport().start();
            RecordedLink clientLink = client.listener().awaitLink(TIMEOUT);
            assertNotNull(clientLink, "no wss link: " + client.transport().status());
            RecordedLink serverLink = server.listener().awaitLink(TIMEOUT);
            assertNotNull(serverLink, "the wss server reported no link");
            clientLink.link().send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            serverLink.link().send(ByteBuffer.wrap(new byte[] {4, 5}));
            assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), serverLink.awaitFrame(TIMEOUT));
            assertEquals(ByteBuffer.wrap(new byte[] {4, 5}), clientLink.awaitFrame(TIMEOUT));
        } finally {
            System.clearProperty(Connector.TRUSTED_CERTIFICATES);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void wssClientRefusesAServerItDoesNotTrust(@TempDir Path dir) throws Exception {
        Path[] pem = PemTlsTest.selfSignedPem(dir);
        Peer server = newTransport(serverConfig(0).setHttpTls(pem[0].toString(), pem[1].toString()));
        server.transport().start();
        int port = listeningPort(server.transport());
        assertTrue(port > 0, server.transport().status().toString());
        TransportConfig clientConfig = TransportConfig.defaults().addWebsocketUrl("wss://127.0.0.1:" + port + "/sync");
        clientConfig.connect().setRetryInterval(SHORT_RETRY);
        Peer client = newTransport(clientConfig);
        client.transport().start();
        assertNull(client.listener().awaitLink(QUIET), "linked to an untrusted self-signed server");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void reportsItselfUnavailableWhenThePortIsTaken() throws Exception {
        Peer first = newTransport(serverConfig(0));
        first.transport().start();
        int port = listeningPort(first.transport());
        Peer second = newTransport(serverConfig(port));
        second.transport().start();
        TransportStatus status = second.transport().status();
        assertFalse(status.available());
        assertTrue(status.unavailableReason().orElseThrow().contains("port " + port), status.toString());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void statusListsAnUnreachableUrlAsAnAttempt() throws Exception {
        int nobody = freePort();
        Peer client = newTransport(clientConfig(nobody, Duration.ofMillis(100)));
        client.transport().start();
        String url = "ws://127.0.0.1:" + nobody + "/sync";
        awaitTrue(() -> client.transport().status().links().stream()
                .anyMatch(s -> s.linkId().equals("ws-connect-" + url) && s.remoteDescription().equals(url)),
                "no attempt entry: " + client.transport().status());
        assertNull(client.listener().awaitLink(Duration.ofMillis(300)));
    }

    @Test
    void refusesMalformedSettingsWithInvalidConfig() {
        TransportConfig badInterface = TransportConfig.defaults().enableHttpListen("localhost", 0, true);
        DittoException e = assertThrows(DittoException.class, () -> newTransport(badInterface));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains("interface_ip"), e.getMessage());
        DittoException header = assertThrows(DittoException.class,
                () -> newTransport(TransportConfig.defaults(), "db with spaces"));
        assertEquals(ErrorCode.INVALID_CONFIG, header.code());
    }

    @Test
    void providerIsRegisteredForServiceLoaderAndTheClassPath() throws Exception {
        assertEquals("ws", new WsTransportProvider().id());
        Module module = WsTransportProvider.class.getModule();
        if (module.isNamed()) {
            assertTrue(module.getDescriptor().provides().stream().anyMatch(p ->
                    p.service().equals(TransportProvider.class.getName())
                            && p.providers().contains(WsTransportProvider.class.getName())));
        }
        try (InputStream in = WsTransportProvider.class.getResourceAsStream(
                "/META-INF/services/" + TransportProvider.class.getName())) {
            assertEquals(WsTransportProvider.class.getName(), new String(in.readAllBytes()).trim());
        }
    }
}
