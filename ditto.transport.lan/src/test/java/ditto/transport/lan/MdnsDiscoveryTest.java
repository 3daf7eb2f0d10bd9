package ditto.transport.lan;

import static ditto.transport.lan.DiscoveryFixture.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ditto.api.spi.transport.DiscoveredPeer;
import ditto.testkit.transport.RecordedLink;

/**
 * mDNS discovery between transports on the loopback interface. jmdns probes its names for
 * about 4 s before it announces, so these tests allow 15 s for discovery.
 */
class MdnsDiscoveryTest {

    private static final Duration DISCOVERY = Duration.ofSeconds(15);

    private final DiscoveryFixture fixture = new DiscoveryFixture();

    MdnsDiscoveryTest() throws IOException {
    }

    @AfterEach
    void closeTransports() {
        fixture.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoTransportsDiscoverEachOtherByMdnsAndOnlyTheLowerKeyConnects() throws Exception {
        DiscoveryFixture.assumeLoopbackMulticast();
        // given two peers of one database and group, mDNS only
        DiscoveryFixture.Node a = fixture.node("peer-a", DiscoveryFixture.config(true, false, 3));
        DiscoveryFixture.Node b = fixture.node("peer-b", DiscoveryFixture.config(true, false, 3));
        // when both start
        a.transport().start();
        b.transport().start();
        // then each reports the other, found by mDNS, with key, device name and endpoint
        DiscoveredPeer expectedB = new DiscoveredPeer(b.endpoint(), Optional.of("peer-b"), Optional.of(b.deviceName()), "mdns");
        DiscoveredPeer expectedA = new DiscoveredPeer(a.endpoint(), Optional.of("peer-a"), Optional.of(a.deviceName()), "mdns");
        awaitTrue(() -> a.listener().discovered().contains(expectedB), DISCOVERY, "a did not discover b: " + a.listener().discovered());
        awaitTrue(() -> b.listener().discovered().contains(expectedA), DISCOVERY, "b did not discover a: " + b.listener().discovered());
        // and peer-a, whose key sorts first, opens the only link
        RecordedLink fromA = a.listener().awaitLink(Duration.ofSeconds(5));
        assertNotNull(fromA);
        assertFalse(fromA.link().isIncoming());
        assertEquals(b.endpoint(), fromA.link().remoteDescription());
        RecordedLink atB = b.listener().awaitLink(Duration.ofSeconds(5));
        assertNotNull(atB);
        assertTrue(atB.link().isIncoming());
        assertNull(a.listener().awaitLink(Duration.ofSeconds(1)));
        assertNull(b.listener().awaitLink(Duration.ZERO));
        // when b stops, a loses it by b's goodbye records, and b's stop released jmdns in bounded time
        String endpointB = b.endpoint();
        long before = System.nanoTime();
        b.transport().stop();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        assertTrue(stopMillis < LanTransport.MDNS_STOP_TIMEOUT_MS + 3_000, "stop took " + stopMillis + " ms");
        // jmdns names its threads after the host name it was given; its timers end just after close returns
        String hostB = "ditto-" + Announcement.hashHex(Announcement.peerHash("peer-b")).substring(0, 8) + "-127-0-0-1";
        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().contains(
                "ditto-" + Announcement.hashHex(Announcement.peerHash("peer-a")).substring(0, 8) + "-127-0-0-1")),
                "jmdns threads are not named as expected, so the check below would prove nothing");
        awaitTrue(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().contains(hostB)),
                Duration.ofSeconds(2), "b's jmdns threads outlived stop()");
        awaitTrue(() -> a.listener().lost().contains(endpointB), DISCOVERY, "a did not lose b");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void peersOfOtherGroupsOrDatabasesNeverSeeEachOtherByMdns() throws Exception {
        DiscoveryFixture.assumeLoopbackMulticast();
        // given a and c in group 1, b in group 2, d in group 1 of another database
        DiscoveryFixture.Node a = fixture.node("peer-a", DiscoveryFixture.config(true, false, 1));
        DiscoveryFixture.Node b = fixture.node("peer-b", DiscoveryFixture.config(true, false, 2));
        DiscoveryFixture.Node c = fixture.node("peer-c", DiscoveryFixture.config(true, false, 1));
        DiscoveryFixture.Node d = fixture.node("peer-d", DiscoveryFixture.config(true, false, 1), "db-other-mdns");
        for (DiscoveryFixture.Node node : List.of(a, b, c, d)) {
            node.transport().start();
        }
        // when a and c have found each other (so every service has been announced by then) and a bit more
        awaitTrue(() -> a.transport().discoveredCount() == 1 && c.transport().discoveredCount() == 1, DISCOVERY,
                "a and c did not find each other: " + a.listener().discovered() + " " + c.listener().discovered());
        Thread.sleep(2_000);
        // then only they are reported and linked
        assertEquals(List.of(c.endpoint()), a.listener().discovered().stream().map(DiscoveredPeer::endpoint).distinct().toList());
        assertEquals(List.of(a.endpoint()), c.listener().discovered().stream().map(DiscoveredPeer::endpoint).distinct().toList());
        assertTrue(b.listener().discovered().isEmpty(), b.listener().discovered().toString());
        assertTrue(d.listener().discovered().isEmpty(), d.listener().discovered().toString());
        assertTrue(b.listener().links().isEmpty() && d.listener().links().isEmpty());
        assertEquals(1, a.listener().links().size());
    }
}
