package ditto.engine.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;
import ditto.api.spi.transport.DiscoveredPeer;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportListener;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportProvider;

/**
 * Secure channels over the real LAN transport on loopback TCP. The transport is a test-scope
 * dependency of the engine (for the replication tests), reached through ServiceLoader; the
 * tests are skipped if it is not on the test module path.
 */
class SecureChannelLanTest {

    private static final byte[] SHARED_KEY = "lan-test-shared-key-0123456789ab".getBytes(StandardCharsets.US_ASCII);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private TransportProvider lan;

    @BeforeEach
    void findTheLanTransport() {
        Optional<TransportProvider> found = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(provider -> provider.id().equals("lan")).findFirst();
        assumeTrue(found.isPresent(), "the LAN transport is not on the test module path");
        lan = found.get();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void sameSharedKeyCarriesFramesOverLoopbackTcp() throws Exception {
        // given
        LinkSecurity server = track(LinkSecurity.create(PeerIdentity.ephemeral(), SHARED_KEY));
        LinkSecurity client = track(LinkSecurity.create(PeerIdentity.ephemeral(), SHARED_KEY));
        ChannelProbe serverProbe = new ChannelProbe();
        ChannelProbe clientProbe = new ChannelProbe();
        byte[] large = new byte[SecureChannel.MAX_APPLICATION_FRAME_SIZE];
        new SplittableRandom(3).nextBytes(large);

        // when
        connectOverTcp(server, serverProbe, client, clientProbe);
        SecureChannel clientChannel = clientProbe.channel();
        SecureChannel serverChannel = serverProbe.channel();
        clientChannel.send(ByteBuffer.wrap(large));
        serverChannel.send(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));

        // then
        assertEquals(server.identity().peerKeyString(), clientChannel.remotePeerKey());
        assertEquals(client.identity().peerKeyString(), serverChannel.remotePeerKey());
        assertArrayEquals(large, bytes(serverProbe.nextFrame()));
        assertEquals("pong", new String(bytes(clientProbe.nextFrame()), StandardCharsets.US_ASCII));
    }

    @Test
    void differentSharedKeysAreRefusedOverLoopbackTcp() throws Exception {
        // given
        LinkSecurity server = track(LinkSecurity.create(PeerIdentity.ephemeral(), SHARED_KEY));
        LinkSecurity client = track(LinkSecurity.create(PeerIdentity.ephemeral(),
                "another key".getBytes(StandardCharsets.US_ASCII)));
        ChannelProbe serverProbe = new ChannelProbe();
        ChannelProbe clientProbe = new ChannelProbe();

        // when
        connectOverTcp(server, serverProbe, client, clientProbe);

        // then
        DittoException clientError = clientProbe.failure();
        DittoException serverError = serverProbe.failure();
        assertEquals(ErrorCode.AUTHENTICATION, clientError.code(), clientError.toString());
        assertEquals(ErrorCode.AUTHENTICATION, serverError.code(), serverError.toString());
        assertFalse(clientProbe.established.isDone());
        assertFalse(serverProbe.established.isDone());
    }

    private void connectOverTcp(LinkSecurity server, ChannelProbe serverProbe, LinkSecurity client,
            ChannelProbe clientProbe) throws IOException {
        String database = UUID.randomUUID().toString();
        int port = freePort();
        TransportConfig serverConfig = TransportConfig.defaults().enableTcpListen("127.0.0.1", port);
        Transport serverTransport = track(lan.create(new TransportParameters(database,
                server.identity().peerKeyString(), "server", serverConfig, listener(server, serverProbe))));
        serverTransport.start();
        TransportConfig clientConfig = TransportConfig.defaults().addTcpServer("127.0.0.1:" + port);
        clientConfig.connect().setRetryInterval(Duration.ofMillis(200));
        Transport clientTransport = track(lan.create(new TransportParameters(database,
                client.identity().peerKeyString(), "client", clientConfig, listener(client, clientProbe))));
        clientTransport.start();
    }

    private static TransportListener listener(LinkSecurity security, ChannelProbe probe) {
        return new TransportListener() {
            @Override
            public LinkHandler onLinkOpened(Link link) {
                return security.secure(link, probe);
            }

            @Override
            public void onPeerDiscovered(DiscoveredPeer peer) {
            }

            @Override
            public void onPeerLost(String endpoint) {
            }
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
