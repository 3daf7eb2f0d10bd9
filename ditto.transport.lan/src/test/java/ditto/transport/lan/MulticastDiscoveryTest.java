package ditto.transport.lan;

import static ditto.transport.lan.DiscoveryFixture.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ditto.api.TransportConfig;
import ditto.api.spi.transport.DiscoveredPeer;
import ditto.api.spi.transport.TransportStatus.LinkState;
import ditto.api.spi.transport.TransportStatus.LinkStatus;
import ditto.testkit.transport.RecordedLink;

class MulticastDiscoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(1_000);

    private final DiscoveryFixture fixture = new DiscoveryFixture();
    private final RecordingSink sink = new RecordingSink();

    MulticastDiscoveryTest() throws IOException {
    }

    @AfterEach
    void closeTransports() {
        fixture.close();
    }

    /** Records what a mechanism reports. */
    private static final class RecordingSink implements DiscoverySink {
        final List<String> reports = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void seen(String mechanism, long session, String endpoint, Announcement announcement) {
            reports.add("seen " + mechanism + " " + endpoint + " " + announcement.peerKey());
        }

        @Override
        public void gone(String mechanism, long session, String endpoint) {
            reports.add("gone " + mechanism + " " + endpoint);
        }
    }

    // ------------------------------------------------------------ datagram handling (no sockets)

    private MulticastDiscovery unstarted() throws IOException {
        DiscoveryInterface lo = new DiscoveryInterface("lo", 1, (java.net.Inet4Address) InetAddress.getByName("127.0.0.1"), 8);
        DiscoveryScope scope = new DiscoveryScope(Announcement.databaseHash("db"), 5, "me");
        return new MulticastDiscovery(fixture.options, List.of(lo), scope, null, sink, 1, null);
    }

    private static byte[] datagram(String db, long group, String key, boolean goodbye) {
        return MulticastCodec.encode(new Announcement(Announcement.databaseHash(db), group, key, "dev", 4040), goodbye);
    }

    private static MulticastDiscovery.Outcome accept(MulticastDiscovery discovery, String source, byte[] data)
            throws IOException {
        return discovery.accept(InetAddress.getByName(source), data, 0, data.length);
    }

    @Test
    void reportsAnAnnouncementInScopeAtItsSourceAddressAndAnnouncedPort() throws Exception {
        MulticastDiscovery discovery = unstarted();
        assertEquals(MulticastDiscovery.Outcome.ANNOUNCED, accept(discovery, "127.0.0.5", datagram("db", 5, "you", false)));
        assertEquals(List.of("seen multicast 127.0.0.5:4040 you"), sink.reports);
    }

    @Test
    void ignoresOtherDatabasesOtherGroupsAndItsOwnAnnouncements() throws Exception {
        MulticastDiscovery discovery = unstarted();
        assertEquals(MulticastDiscovery.Outcome.FOREIGN, accept(discovery, "127.0.0.5", datagram("db2", 5, "you", false)));
        assertEquals(MulticastDiscovery.Outcome.FOREIGN, accept(discovery, "127.0.0.5", datagram("db", 6, "you", false)));
        assertEquals(MulticastDiscovery.Outcome.SELF, accept(discovery, "127.0.0.1", datagram("db", 5, "me", false)));
        assertTrue(sink.reports.isEmpty(), sink.reports.toString());
        assertEquals(2, discovery.ignoredCount());
        assertEquals(0, discovery.garbageCount());
    }

    @Test
    void ignoresDatagramsFromAddressesOffTheSelectedInterfaces() throws Exception {
        MulticastDiscovery discovery = unstarted();
        assertEquals(MulticastDiscovery.Outcome.OFF_LINK, accept(discovery, "192.0.2.9", datagram("db", 5, "you", false)));
        assertEquals(MulticastDiscovery.Outcome.OFF_LINK, accept(discovery, "::1", datagram("db", 5, "you", false)));
        assertTrue(sink.reports.isEmpty());
    }

    @Test
    void countsAndDropsGarbageWithoutThrowing() throws Exception {
        MulticastDiscovery discovery = unstarted();
        byte[] valid = datagram("db", 5, "you", false);
        Random random = new Random(42);
        int sent = 0;
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[random.nextInt(700)];
            random.nextBytes(junk);
            assertEquals(MulticastDiscovery.Outcome.GARBAGE, accept(discovery, "127.0.0.5", junk));
            sent++;
        }
        assertEquals(MulticastDiscovery.Outcome.GARBAGE, discovery.accept(InetAddress.getByName("127.0.0.5"), valid, 0, 10));
        byte[] oversized = java.util.Arrays.copyOf(valid, MulticastCodec.MAX_DATAGRAM_BYTES + 1);
        assertEquals(MulticastDiscovery.Outcome.GARBAGE, accept(discovery, "127.0.0.5", oversized));
        assertEquals(MulticastDiscovery.Outcome.GARBAGE, discovery.accept(null, valid, 0, 3));
        assertEquals(sent + 3, discovery.garbageCount());
        assertTrue(sink.reports.isEmpty());
        // and a valid datagram still counts afterwards
        assertEquals(MulticastDiscovery.Outcome.ANNOUNCED, accept(discovery, "127.0.0.5", valid));
    }

    @Test
    void aGoodbyeReportsThePeerGoneAtOnce() throws Exception {
        MulticastDiscovery discovery = unstarted();
        accept(discovery, "127.0.0.5", datagram("db", 5, "you", false));
        assertEquals(MulticastDiscovery.Outcome.GOODBYE, accept(discovery, "127.0.0.5", datagram("db", 5, "you", true)));
        // a second goodbye for an unknown endpoint reports nothing more
        accept(discovery, "127.0.0.5", datagram("db", 5, "you", true));
        assertEquals(List.of("seen multicast 127.0.0.5:4040 you", "gone multicast 127.0.0.5:4040"), sink.reports);
    }

    @Test
    void forgetsAPeerAfterAboutThreeMissedAnnouncements() throws Exception {
        MulticastDiscovery discovery = unstarted();
        accept(discovery, "127.0.0.5", datagram("db", 5, "you", false));
        discovery.expire();
        assertEquals(1, sink.reports.size());
        Thread.sleep(fixture.options.announceInterval().multipliedBy(3).toMillis());
        discovery.expire();
        assertEquals(1, sink.reports.size(), "lost after only 3 periods: " + sink.reports);
        Thread.sleep(fixture.options.announceInterval().toMillis());
        discovery.expire();
        assertEquals("gone multicast 127.0.0.5:4040", sink.reports.get(sink.reports.size() - 1));
    }

    // ------------------------------------------------------------ two transports on loopback

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void twoTransportsDiscoverEachOtherAndOnlyTheLowerKeyConnects() throws Exception {
        DiscoveryFixture.assumeLoopbackMulticast();
        // given two peers of one database and group, multicast only
        DiscoveryFixture.Node a = fixture.node("peer-a", DiscoveryFixture.config(false, true, 7));
        DiscoveryFixture.Node b = fixture.node("peer-b", DiscoveryFixture.config(false, true, 7));
        // when both start
        a.transport().start();
        b.transport().start();
        // then each reports the other with its key, device name and endpoint
        DiscoveredPeer expectedB = new DiscoveredPeer(b.endpoint(), Optional.of("peer-b"), Optional.of(b.deviceName()), "multicast");
        DiscoveredPeer expectedA = new DiscoveredPeer(a.endpoint(), Optional.of("peer-a"), Optional.of(a.deviceName()), "multicast");
        awaitTrue(() -> a.listener().discovered().contains(expectedB), TIMEOUT, "a did not discover b: " + a.listener().discovered());
        awaitTrue(() -> b.listener().discovered().contains(expectedA), TIMEOUT, "b did not discover a: " + b.listener().discovered());
        // and peer-a, whose key sorts first, opens the only link
        RecordedLink fromA = a.listener().awaitLink(TIMEOUT);
        RecordedLink atB = b.listener().awaitLink(TIMEOUT);
        assertNotNull(fromA);
        assertNotNull(atB);
        assertFalse(fromA.link().isIncoming());
        assertEquals(b.endpoint(), fromA.link().remoteDescription());
        assertTrue(atB.link().isIncoming());
        assertNull(a.listener().awaitLink(QUIET));
        assertNull(b.listener().awaitLink(Duration.ZERO));
        assertEquals(1, a.listener().discovered().size(), "reported more than once: " + a.listener().discovered());
        assertTrue(a.transport().status().links().stream()
                .anyMatch(s -> s.linkId().equals(fromA.link().id()) && s.state() == LinkState.CONNECTED));
        // frames flow over the discovered link
        fromA.link().send(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertNotNull(atB.awaitFrame(TIMEOUT));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aStoppingPeerIsLostAtOnceByItsGoodbyeButItsLinkIsClosedOnlyByTheStop() throws Exception {
        DiscoveryFixture.assumeLoopbackMulticast();
        DiscoveryFixture.Node a = fixture.node("peer-a", DiscoveryFixture.config(false, true, 0));
        DiscoveryFixture.Node b = fixture.node("peer-b", DiscoveryFixture.config(false, true, 0));
        a.transport().start();
        b.transport().start();
        awaitTrue(() -> a.transport().discoveredCount() == 1 && b.transport().discoveredCount() == 1, TIMEOUT,
                "a and b did not discover each other");
        String endpointB = b.endpoint();
        assertNotNull(a.listener().awaitLink(TIMEOUT));
        // when b stops
        long before = System.nanoTime();
        b.transport().stop();
        // then a loses it well before the 700 ms expiry would
        awaitTrue(() -> a.listener().lost().contains(endpointB), TIMEOUT, "a did not lose b");
        assertTrue(System.nanoTime() - before < fixture.options.expiry().toNanos() + TimeUnit.SECONDS.toNanos(3));
        // and b, stopped, reported a lost too
        assertTrue(b.listener().lost().contains(a.endpoint()), b.listener().lost().toString());
        // and a no longer tries to connect to b
        awaitTrue(() -> a.transport().status().links().isEmpty(), TIMEOUT, "entries remain: " + a.transport().status());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void peersOfOtherGroupsOrDatabasesNeverSeeOrConnectToEachOther() throws Exception {
        DiscoveryFixture.assumeLoopbackMulticast();
        // given a and d in group 1 of the database, b in group 2, c in group 1 of another database
        DiscoveryFixture.Node a = fixture.node("peer-a", DiscoveryFixture.config(false, true, 1));
        DiscoveryFixture.Node b = fixture.node("peer-b", DiscoveryFixture.config(false, true, 2));
        DiscoveryFixture.Node c = fixture.node("peer-c", DiscoveryFixture.config(false, true, 1), "db-other");
        DiscoveryFixture.Node d = fixture.node("peer-d", DiscoveryFixture.config(false, true, 1));
        for (DiscoveryFixture.Node node : List.of(a, b, c, d)) {
            node.transport().start();
        }
        // when a and d have found each other and several more periods passed
        awaitTrue(() -> a.transport().discoveredCount() == 1 && d.transport().discoveredCount() == 1, TIMEOUT,
                "a and d did not find each other");
        Thread.sleep(QUIET.toMillis());
        // then nobody else was reported or linked, though their datagrams did arrive and were ignored
        assertEquals(List.of("peer-d"), keys(a));
        assertEquals(List.of("peer-a"), keys(d));
        assertTrue(b.listener().discovered().isEmpty(), b.listener().discovered().toString());
        assertTrue(c.listener().discovered().isEmpty(), c.listener().discovered().toString());
        assertTrue(b.listener().links().isEmpty() && c.listener().links().isEmpty());
        assertEquals(1, a.listener().links().size());
        assertTrue(a.transport().multicastDiscovery().ignoredCount() > 0, "a heard no foreign announcement");
        assertTrue(b.transport().multicastDiscovery().ignoredCount() > 0, "b heard no foreign announcement");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void reconfigureAppliesGroupChangesAndTurnsMulticastOffAndOnLive() throws Exception {
        DiscoveryFixture.assumeLoopbackMulticast();
        DiscoveryFixture.Node a = fixture.node("peer-a", DiscoveryFixture.config(false, true, 1));
        DiscoveryFixture.Node b = fixture.node("peer-b", DiscoveryFixture.config(false, true, 1));
        a.transport().start();
        b.transport().start();
        awaitTrue(() -> a.transport().discoveredCount() == 1 && b.transport().discoveredCount() == 1, TIMEOUT, "no discovery");
        String endpointA = a.endpoint();
        String endpointB = b.endpoint();
        // when a moves to group 2: both lose each other and stay apart
        a.transport().reconfigure(DiscoveryFixture.config(false, true, 2));
        assertEquals(endpointA, a.endpoint(), "the listener must not move");
        awaitTrue(() -> a.listener().lost().contains(endpointB) && b.listener().lost().contains(endpointA), TIMEOUT,
                "not lost after the group change");
        Thread.sleep(QUIET.toMillis());
        assertEquals(0, a.transport().discoveredCount());
        assertEquals(0, b.transport().discoveredCount());
        // when a comes back to group 1: they find each other again
        a.transport().reconfigure(DiscoveryFixture.config(false, true, 1));
        awaitTrue(() -> a.transport().discoveredCount() == 1 && b.transport().discoveredCount() == 1, TIMEOUT,
                "not found again");
        assertEquals(2, a.listener().discovered().size());
        // when a turns multicast off: it loses b, stops announcing, and b loses a
        a.transport().reconfigure(DiscoveryFixture.config(false, false, 1));
        assertNull(a.transport().multicastDiscovery());
        awaitTrue(() -> a.transport().discoveredCount() == 0 && b.transport().discoveredCount() == 0, TIMEOUT,
                "still discovered after multicast was turned off");
        // and on again
        TransportConfig on = DiscoveryFixture.config(false, true, 1);
        a.transport().reconfigure(on);
        awaitTrue(() -> a.transport().discoveredCount() == 1, TIMEOUT, "not found after multicast was turned on");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void statusShowsTheAttemptToAnUnreachableDiscoveredPeerUntilItIsLost() throws Exception {
        DiscoveryFixture.assumeLoopbackMulticast();
        DiscoveryFixture.Node a = fixture.node("peer-a", DiscoveryFixture.config(false, true, 0));
        a.transport().start();
        int nobody = freeTcpPort();
        byte[] announce = MulticastCodec.encode(new Announcement(Announcement.databaseHash(fixture.databaseId), 0,
                "peer-z", "ghost", nobody), false);
        String endpoint = "127.0.0.1:" + nobody;
        // when a peer whose key sorts after a's announces a port where nothing listens
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < until) {
            sendToGroup(announce);
            Thread.sleep(100);
        }
        // then a reports it and shows its connection attempt
        assertTrue(a.listener().discovered().stream().anyMatch(p -> p.endpoint().equals(endpoint)),
                a.listener().discovered().toString());
        List<LinkStatus> links = a.transport().status().links();
        assertTrue(links.stream().anyMatch(s -> s.linkId().equals("lan-discovered-" + endpoint)
                && s.remoteDescription().equals(endpoint)
                && (s.state() == LinkState.CONNECTING || s.state() == LinkState.DISCONNECTED)), links.toString());
        // when it stops announcing, it expires and the attempt ends
        awaitTrue(() -> a.listener().lost().contains(endpoint), TIMEOUT, "never lost");
        awaitTrue(() -> a.transport().status().links().isEmpty(), TIMEOUT, "attempt remains: " + a.transport().status());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void garbageOnTheWireIsCountedAndDiscoveryGoesOn() throws Exception {
        DiscoveryFixture.assumeLoopbackMulticast();
        DiscoveryFixture.Node a = fixture.node("peer-a", DiscoveryFixture.config(false, true, 0));
        a.transport().start();
        MulticastDiscovery discovery = a.transport().multicastDiscovery();
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[1 + random.nextInt(1_500)];
            random.nextBytes(junk);
            sendToGroup(junk);
        }
        byte[] valid = MulticastCodec.encode(new Announcement(Announcement.databaseHash(fixture.databaseId), 0,
                "peer-b", "b", 4999), false);
        sendToGroup(java.util.Arrays.copyOf(valid, valid.length - 1));
        sendToGroup(valid);
        awaitTrue(() -> a.transport().discoveredCount() == 1, TIMEOUT, "valid announcement after garbage not taken");
        assertEquals(51, discovery.garbageCount());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void runsNoDiscoveryUnlessLanPeerToPeerIsEnabled() throws Exception {
        DiscoveryFixture.assumeLoopbackMulticast();
        // given a peer whose LAN peer-to-peer is off (its mDNS and multicast flags are on) and one with multicast
        TransportConfig off = DiscoveryFixture.config(true, true, 0);
        off.peerToPeer().lan().setEnabled(false);
        DiscoveryFixture.Node a = fixture.node("peer-a", off);
        DiscoveryFixture.Node b = fixture.node("peer-b", DiscoveryFixture.config(false, true, 0));
        // when both run for a while
        a.transport().start();
        b.transport().start();
        Thread.sleep(QUIET.toMillis());
        // then neither sees the other
        assertNull(a.transport().multicastDiscovery());
        assertTrue(a.listener().discovered().isEmpty());
        assertTrue(b.listener().discovered().isEmpty());
        assertTrue(a.listener().links().isEmpty() && b.listener().links().isEmpty());
    }

    private static List<String> keys(DiscoveryFixture.Node node) {
        return node.listener().discovered().stream().map(p -> p.peerKey().orElse("?")).distinct().toList();
    }

    private void sendToGroup(byte[] data) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (MulticastSocket socket = new MulticastSocket(new InetSocketAddress(loopback, 0))) {
            socket.setNetworkInterface(NetworkInterface.getByInetAddress(loopback));
            socket.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            socket.send(new DatagramPacket(data, data.length, fixture.options.multicastGroup(), fixture.options.multicastPort()));
        }
    }

    private static int freeTcpPort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
