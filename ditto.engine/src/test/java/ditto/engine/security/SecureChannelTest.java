package ditto.engine.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLEngine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class SecureChannelTest {

    private static final byte[] SHARED_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

    private final List<LinkSecurity> securities = new ArrayList<>();
    private final List<MemoryLink> links = new ArrayList<>();

    /** Both ends of one secured in-memory link. */
    private record Connection(MemoryLink clientLink, MemoryLink serverLink, SecureChannel client,
            SecureChannel server, ChannelProbe clientProbe, ChannelProbe serverProbe) {
    }

    @AfterEach
    void closeEverything() throws InterruptedException {
        securities.forEach(LinkSecurity::close);
        links.forEach(MemoryLink::close);
        for (MemoryLink link : links) {
            link.shutdown();
        }
    }

    // ---- handshake and data ------------------------------------------------------------------

    @Test
    void establishesAndLearnsPeerKeysBothWays() throws Exception {
        // given
        LinkSecurity alice = security(null);
        LinkSecurity bob = security(null);

        // when
        Connection connection = connect(alice, bob);
        SecureChannel client = connection.clientProbe().channel();
        SecureChannel server = connection.serverProbe().channel();

        // then
        assertEquals(bob.identity().peerKeyString(), client.remotePeerKey());
        assertEquals(alice.identity().peerKeyString(), server.remotePeerKey());
        assertEquals(alice.identity().peerKeyString(), client.localPeerKey());
        assertTrue(client.isOpen() && server.isOpen());
        assertTrue(LinkSecurity.CIPHER_SUITES.contains(client.cipherSuite()), client.cipherSuite());
        assertFalse(client.isIncoming());
        assertTrue(server.isIncoming());
    }

    @Test
    void carriesSmallEmptyAndLargeFramesBothWays() throws Exception {
        // given
        Connection connection = connect(security(null), security(null));
        SecureChannel client = connection.clientProbe().channel();
        SecureChannel server = connection.serverProbe().channel();
        byte[] large = randomBytes(client.maxFrameSize(), 1);

        // when
        client.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
        client.send(ByteBuffer.allocate(0));
        client.send(ByteBuffer.wrap(large));
        server.send(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)));
        server.send(ByteBuffer.wrap(large));

        // then
        assertEquals("hello", text(connection.serverProbe().nextFrame()));
        assertEquals(0, connection.serverProbe().nextFrame().remaining());
        assertArrayEquals(large, bytes(connection.serverProbe().nextFrame()));
        assertEquals("hi", text(connection.clientProbe().nextFrame()));
        assertArrayEquals(large, bytes(connection.clientProbe().nextFrame()));
        assertEquals(1 << 20, client.maxFrameSize());
    }

    @Test
    void keepsOrderAndBoundariesOfManyFramesSentFromSeveralThreads() throws Exception {
        // given
        Connection connection = connect(security(null), security(null));
        SecureChannel client = connection.clientProbe().channel();
        int threads = 4;
        int perThread = 500;

        // when
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int sender = t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    ByteBuffer frame = ByteBuffer.allocate(8 + (i % 300));
                    frame.putInt(sender).putInt(i).position(0);
                    client.send(frame);
                }
            });
            senders.add(thread);
            thread.start();
        }
        for (Thread thread : senders) {
            thread.join();
        }

        // then
        int[] next = new int[threads];
        for (int n = 0; n < threads * perThread; n++) {
            ByteBuffer frame = connection.serverProbe().nextFrame();
            int sender = frame.getInt();
            int index = frame.getInt();
            assertEquals(next[sender]++, index, "frame order of sender " + sender);
            assertEquals(8 + (index % 300), frame.limit(), "frame boundary");
        }
    }

    @Test
    void cutsTlsRecordsIntoLinkFramesSmallerThanARecord() throws Exception {
        // given a transport whose frames are much smaller than a TLS record
        Connection connection = connect(security(SHARED_KEY), security(SHARED_KEY), 700, engine -> { });
        SecureChannel client = connection.clientProbe().channel();
        byte[] payload = randomBytes(client.maxFrameSize(), 2);

        int framesBefore = connection.clientLink().framesSent.get();

        // when
        client.send(ByteBuffer.wrap(payload));

        // then
        assertEquals(700, client.maxFrameSize());
        assertArrayEquals(payload, bytes(connection.serverProbe().nextFrame()));
        assertTrue(connection.clientLink().framesSent.get() - framesBefore >= 2, "the record was cut into link frames");
    }

    @Test
    void orderlyCloseReachesBothHandlersWithoutError() throws Exception {
        // given
        Connection connection = connect(security(null), security(null));
        SecureChannel client = connection.clientProbe().channel();
        connection.serverProbe().channel();

        // when
        client.close();
        client.close();

        // then
        assertEquals(Optional.empty(), connection.clientProbe().closeCause());
        assertEquals(Optional.empty(), connection.serverProbe().closeCause());
        assertFalse(client.isOpen());
        DittoException refused = assertThrows(DittoException.class, () -> client.send(ByteBuffer.allocate(1)));
        assertEquals(ErrorCode.TRANSPORT, refused.code());
    }

    @Test
    void refusesFramesAboveTheMaximumAndKeepsWorking() throws Exception {
        // given
        Connection connection = connect(security(null), security(null));
        SecureChannel client = connection.clientProbe().channel();

        // when
        DittoException tooLarge = assertThrows(DittoException.class,
                () -> client.send(ByteBuffer.allocate(client.maxFrameSize() + 1)));
        client.send(ByteBuffer.wrap(new byte[] {7}));

        // then
        assertEquals(ErrorCode.INVALID_ARGUMENTS, tooLarge.code());
        assertEquals(7, connection.serverProbe().nextFrame().get());
    }

    @Test
    void refusesToSendBeforeTheHandshakeCompletes() throws Exception {
        // given a server whose client never speaks
        MemoryLink[] pair = pair(1 << 20);
        ChannelProbe raw = new ChannelProbe();
        pair[0].attach(raw);
        SecureChannel server = security(null).secure(pair[1], new ChannelProbe());
        pair[1].attach(server);

        // when
        DittoException refused = assertThrows(DittoException.class, () -> server.send(ByteBuffer.allocate(1)));

        // then
        assertEquals(ErrorCode.TRANSPORT, refused.code());
        assertFalse(server.isEstablished());
        assertNull(server.remotePeerKey());
    }

    // ---- shared key ------------------------------------------------------------------------------

    @Test
    void sameSharedKeyAuthenticatesBothPeers() throws Exception {
        // given
        LinkSecurity alice = security(SHARED_KEY);
        LinkSecurity bob = security(SHARED_KEY);

        // when
        Connection connection = connect(alice, bob);
        connection.clientProbe().channel().send(ByteBuffer.wrap(new byte[] {1, 2, 3}));

        // then
        assertEquals(bob.identity().peerKeyString(), connection.clientProbe().channel().remotePeerKey());
        assertEquals(alice.identity().peerKeyString(), connection.serverProbe().channel().remotePeerKey());
        assertEquals(3, connection.serverProbe().nextFrame().remaining());
        assertEquals(alice.authorityKeyString(), bob.authorityKeyString());
    }

    @Test
    void differentSharedKeysFailWithAuthenticationOnBothSides() throws Exception {
        // when
        Connection connection = connect(security(SHARED_KEY), security(OTHER_KEY));

        // then
        assertRefusedOnBothSides(connection);
        assertTrue(connection.clientProbe().failure().getMessage().contains("does not chain"),
                connection.clientProbe().failure().getMessage());
    }

    @Test
    void clientWithSharedKeyRefusesServerWithout() throws Exception {
        assertRefusedOnBothSides(connect(security(SHARED_KEY), security(null)));
    }

    @Test
    void serverWithSharedKeyRefusesClientWithout() throws Exception {
        assertRefusedOnBothSides(connect(security(null), security(SHARED_KEY)));
    }

    // ---- certificates ----------------------------------------------------------------------------

    @Test
    void refusesAnExpiredPeerCertificate() throws Exception {
        // given a client whose certificate, issued by the right authority, expired yesterday
        PeerIdentity identity = PeerIdentity.ephemeral();
        SharedKeyAuthority authority = SharedKeyAuthority.derive(SHARED_KEY);
        Instant now = Instant.now();
        X509Certificate expired = Certificates.issued(identity, authority, now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)));
        LinkSecurity client = pinned(identity, authority, expired);

        // when
        Connection connection = connect(client, security(SHARED_KEY));

        // then
        assertRefusedOnBothSides(connection);
        assertTrue(connection.serverProbe().failure().getMessage().contains("expired"),
                connection.serverProbe().failure().getMessage());
    }

    @Test
    void refusesAnExpiredSelfSignedServerCertificate() throws Exception {
        // given a server without shared key whose certificate expired
        PeerIdentity identity = PeerIdentity.ephemeral();
        Instant now = Instant.now();
        X509Certificate expired = Certificates.selfSigned(identity, now.minus(Duration.ofDays(3)),
                now.minus(Duration.ofDays(2)));

        // when
        Connection connection = connect(security(null), pinned(identity, null, expired));

        // then
        assertRefusedOnBothSides(connection);
        assertTrue(connection.clientProbe().failure().getMessage().contains("expired"),
                connection.clientProbe().failure().getMessage());
    }

    @Test
    void refusesACertificateFromAnUnknownAuthority() throws Exception {
        // given a client that trusts the right authority but presents a certificate of another one
        PeerIdentity identity = PeerIdentity.ephemeral();
        Instant now = Instant.now();
        X509Certificate foreign = Certificates.issued(identity, SharedKeyAuthority.derive(OTHER_KEY),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
        LinkSecurity client = pinned(identity, SharedKeyAuthority.derive(SHARED_KEY), foreign);

        // when
        Connection connection = connect(client, security(SHARED_KEY));

        // then
        assertRefusedOnBothSides(connection);
    }

    @Test
    void refusesACertificateThatIsNotForThePresentersKey() throws Exception {
        // given a client presenting another peer's certificate (it cannot sign for that key)
        PeerIdentity identity = PeerIdentity.ephemeral();
        Instant now = Instant.now();
        X509Certificate stolen = Certificates.selfSigned(PeerIdentity.ephemeral(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(1)));

        // when
        Connection connection = connect(pinned(identity, null, stolen), security(null));

        // then
        assertRefusedOnBothSides(connection);
    }

    // ---- hostile bytes ---------------------------------------------------------------------------

    @Test
    void tamperedRecordClosesTheChannelWithProtocolError() throws Exception {
        // given
        Connection connection = connect(security(SHARED_KEY), security(SHARED_KEY));
        SecureChannel client = connection.clientProbe().channel();
        client.send(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(1, connection.serverProbe().nextFrame().remaining());

        // when a bit of the next record's authentication tag flips in transit
        connection.clientLink().tamper(frame -> {
            frame.put(frame.limit() - 1, (byte) (frame.get(frame.limit() - 1) ^ 0x01));
            return frame;
        });
        client.send(ByteBuffer.wrap(new byte[] {2}));

        // then
        Throwable serverCause = connection.serverProbe().closeCause().orElseThrow();
        assertEquals(ErrorCode.PROTOCOL, ((DittoException) serverCause).code(), serverCause.toString());
        assertTrue(connection.clientProbe().closeCause().isPresent(), "the client sees an error close");
        assertFalse(connection.serverLink().isOpen());
        assertTrue(connection.serverProbe().frames.isEmpty(), "the tampered frame was not delivered");
    }

    @Test
    void garbageInsteadOfClientHelloClosesWithProtocolError() throws Exception {
        // given a server and a plain client that does not speak TLS
        MemoryLink[] pair = pair(1 << 20);
        ChannelProbe plainClient = new ChannelProbe();
        pair[0].attach(plainClient);
        ChannelProbe serverProbe = new ChannelProbe();
        pair[1].attach(security(SHARED_KEY).secure(pair[1], serverProbe));

        // when
        pair[0].send(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: peer\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));

        // then
        DittoException error = serverProbe.failure();
        assertEquals(ErrorCode.PROTOCOL, error.code(), error.toString());
        assertTrue(plainClient.closeCause().isEmpty(), "the plain client's link was closed");
        assertFalse(serverProbe.established.isDone());
    }

    @Test
    void tls12OnlyClientIsRefusedWithAuthenticationError() throws Exception {
        // given a client that offers nothing newer than TLS 1.2 (a downgrade attempt)
        Consumer<SSLEngine> tls12 = engine -> {
            engine.setEnabledProtocols(new String[] {"TLSv1.2"});
            engine.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
        };

        // when
        Connection connection = connect(security(null), security(null), 1 << 20, tls12);

        // then
        assertRefusedOnBothSides(connection);
    }

    @Test
    void peerThatSkipsTheConfirmationFailsWithProtocolError() throws Exception {
        // given a client that completes TLS but does not speak the channel format
        MemoryLink[] pair = pair(1 << 20);
        ChannelProbe serverProbe = new ChannelProbe();
        pair[1].attach(security(null).secure(pair[1], serverProbe));
        RawTlsPeer hostile = hostileClient(pair[0]);

        // when
        hostile.sendPlain("HELLO".getBytes(StandardCharsets.US_ASCII));

        // then
        DittoException error = serverProbe.failure();
        assertEquals(ErrorCode.PROTOCOL, error.code(), error.toString());
        assertTrue(error.getMessage().contains("confirmation"), error.getMessage());
        assertFalse(serverProbe.established.isDone());
    }

    @Test
    void peerOfAnotherChannelVersionIsRefusedWithProtocolError() throws Exception {
        // given
        MemoryLink[] pair = pair(1 << 20);
        ChannelProbe serverProbe = new ChannelProbe();
        pair[1].attach(security(null).secure(pair[1], serverProbe));
        RawTlsPeer hostile = hostileClient(pair[0]);

        // when
        hostile.sendPlain(new byte[] {'D', 'S', 'E', 'C', 2});

        // then
        DittoException error = serverProbe.failure();
        assertEquals(ErrorCode.PROTOCOL, error.code(), error.toString());
        assertTrue(error.getMessage().contains("version 2"), error.getMessage());
    }

    @Test
    void frameLengthAboveTheMaximumClosesTheEstablishedChannelWithProtocolError() throws Exception {
        // given a client that confirms correctly, so the server is established
        MemoryLink[] pair = pair(1 << 20);
        ChannelProbe serverProbe = new ChannelProbe();
        pair[1].attach(security(null).secure(pair[1], serverProbe));
        RawTlsPeer hostile = hostileClient(pair[0]);
        hostile.sendPlain(SecureChannel.CONFIRMATION);
        serverProbe.channel();

        // when it announces a frame of 1 MiB + 1 bytes
        hostile.sendPlain(new byte[] {0x00, 0x10, 0x00, 0x01, 1, 2, 3});

        // then
        Throwable cause = serverProbe.closeCause().orElseThrow();
        assertEquals(ErrorCode.PROTOCOL, ((DittoException) cause).code(), cause.toString());
        assertTrue(serverProbe.frames.isEmpty());
        assertTrue(hostile.closed.get(10, TimeUnit.SECONDS).isEmpty(), "the hostile peer's link was closed");
    }

    @Test
    void silentPeerTimesOutTheHandshake() throws Exception {
        // given a server with a short timeout and a client that never sends its hello
        PeerIdentity identity = PeerIdentity.ephemeral();
        LinkSecurity server = track(new LinkSecurity(identity, null, Duration.ofMillis(300), Clock.systemUTC(), null));
        MemoryLink[] pair = pair(1 << 20);
        ChannelProbe silent = new ChannelProbe();
        pair[0].attach(silent);
        ChannelProbe serverProbe = new ChannelProbe();
        long start = System.nanoTime();

        // when
        pair[1].attach(server.secure(pair[1], serverProbe));

        // then
        DittoException error = serverProbe.failure();
        assertEquals(ErrorCode.TIMEOUT, error.code(), error.toString());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
        assertTrue(silent.closeCause().isEmpty(), "the link was closed");
    }

    @Test
    void linkClosingDuringTheHandshakeFailsWithTransportError() throws Exception {
        // given
        MemoryLink[] pair = pair(1 << 20);
        ChannelProbe raw = new ChannelProbe();
        pair[0].attach(raw);
        ChannelProbe serverProbe = new ChannelProbe();
        pair[1].attach(security(null).secure(pair[1], serverProbe));

        // when
        pair[0].close();

        // then
        assertEquals(ErrorCode.TRANSPORT, serverProbe.failure().code());
    }

    @Test
    void closingTheSecurityFailsHandshakesStillRunning() throws Exception {
        // given
        LinkSecurity security = security(null);
        MemoryLink[] pair = pair(1 << 20);
        pair[0].attach(new ChannelProbe());
        ChannelProbe serverProbe = new ChannelProbe();
        pair[1].attach(security.secure(pair[1], serverProbe));

        // when
        security.close();

        // then
        assertEquals(ErrorCode.TRANSPORT, serverProbe.failure().code());
        MemoryLink[] another = pair(1 << 20);
        assertEquals(ErrorCode.CLOSED, assertThrows(DittoException.class,
                () -> security.secure(another[1], new ChannelProbe())).code());
        assertFalse(another[1].isOpen());
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static void assertRefusedOnBothSides(Connection connection) throws Exception {
        DittoException client = connection.clientProbe().failure();
        DittoException server = connection.serverProbe().failure();
        assertEquals(ErrorCode.AUTHENTICATION, client.code(), client.toString());
        assertEquals(ErrorCode.AUTHENTICATION, server.code(), server.toString());
        assertFalse(connection.clientProbe().established.isDone(), "no application frames: client never established");
        assertFalse(connection.serverProbe().established.isDone(), "no application frames: server never established");
        assertThrows(DittoException.class, () -> connection.client().send(ByteBuffer.allocate(1)));
        assertFalse(connection.clientLink().isOpen());
        assertFalse(connection.serverLink().isOpen());
    }

    /** A client that completes a real TLS handshake over the link, then sends raw plaintext. */
    private RawTlsPeer hostileClient(MemoryLink link) throws Exception {
        RawTlsPeer hostile = new RawTlsPeer(security(null).newEngine(true), link);
        link.attach(hostile);
        hostile.start();
        hostile.awaitHandshake();
        return hostile;
    }

    private LinkSecurity security(byte[] sharedKey) {
        return track(LinkSecurity.create(PeerIdentity.ephemeral(), sharedKey));
    }

    private LinkSecurity pinned(PeerIdentity identity, SharedKeyAuthority authority, X509Certificate certificate) {
        return track(new LinkSecurity(identity, authority, LinkSecurity.DEFAULT_HANDSHAKE_TIMEOUT, Clock.systemUTC(),
                certificate));
    }

    private LinkSecurity track(LinkSecurity security) {
        securities.add(security);
        return security;
    }

    private MemoryLink[] pair(int maxFrameSize) {
        MemoryLink[] pair = MemoryLink.pair(maxFrameSize);
        links.add(pair[0]);
        links.add(pair[1]);
        return pair;
    }

    private Connection connect(LinkSecurity clientSecurity, LinkSecurity serverSecurity) {
        return connect(clientSecurity, serverSecurity, 1 << 20, engine -> { });
    }

    private Connection connect(LinkSecurity clientSecurity, LinkSecurity serverSecurity, int maxFrameSize,
            Consumer<SSLEngine> clientEngineHook) {
        MemoryLink[] pair = pair(maxFrameSize);
        ChannelProbe serverProbe = new ChannelProbe();
        SecureChannel server = serverSecurity.secure(pair[1], serverProbe);
        pair[1].attach(server);
        ChannelProbe clientProbe = new ChannelProbe();
        SecureChannel client = clientSecurity.secure(pair[0], clientProbe, clientEngineHook);
        pair[0].attach(client);
        assertNotNull(client);
        return new Connection(pair[0], pair[1], client, server, clientProbe, serverProbe);
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static String text(ByteBuffer buffer) {
        return new String(bytes(buffer), StandardCharsets.UTF_8);
    }
}
