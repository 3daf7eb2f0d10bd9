package ditto.transport.lan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import ditto.api.spi.transport.DiscoveredPeer;

class PeerDirectoryTest {

    private final PeerDirectory directory = new PeerDirectory();
    private final List<PeerDirectory.Event> events = new ArrayList<>();

    @Test
    void connectsOnlyToKeysThatSortAfterItsOwnWhenAnnouncing() {
        assertTrue(PeerDirectory.shouldConnect("peer-a", "peer-b", true));
        assertFalse(PeerDirectory.shouldConnect("peer-b", "peer-a", true));
        assertFalse(PeerDirectory.shouldConnect("peer-a", "peer-a", true));
        // exactly one of two peers connects, whichever way round
        for (String[] pair : new String[][] {{"pkA1", "pkA10"}, {"pkA2", "pkA10"}, {"Z", "a"}, {"é", "e"}}) {
            assertTrue(PeerDirectory.shouldConnect(pair[0], pair[1], true) ^ PeerDirectory.shouldConnect(pair[1], pair[0], true));
        }
    }

    @Test
    void connectsToEveryOtherKeyWhenNotAnnouncing() {
        assertTrue(PeerDirectory.shouldConnect("peer-b", "peer-a", false));
        assertTrue(PeerDirectory.shouldConnect("peer-a", "peer-b", false));
        assertFalse(PeerDirectory.shouldConnect("peer-a", "peer-a", false));
    }

    @Test
    void reportsAPeerOnceAcrossMechanismsAndLosesItWithTheLast() {
        // given a peer seen by both mechanisms
        directory.seen("multicast", "10.0.0.2:4040", "peer-b", "Laptop", events);
        directory.seen("mdns", "10.0.0.2:4040", "peer-b", "Laptop", events);
        directory.seen("multicast", "10.0.0.2:4040", "peer-b", "Laptop", events);
        assertEquals(List.of(new PeerDirectory.Found(new DiscoveredPeer("10.0.0.2:4040", Optional.of("peer-b"),
                Optional.of("Laptop"), "multicast"))), events);
        events.clear();
        // when one mechanism loses it, then the other
        directory.gone("multicast", "10.0.0.2:4040", events);
        assertTrue(events.isEmpty());
        directory.gone("mdns", "10.0.0.2:4040", events);
        // then it is lost once
        assertEquals(List.of(new PeerDirectory.Lost("10.0.0.2:4040")), events);
        assertEquals(0, directory.size());
    }

    @Test
    void reportsAnotherPeerAtTheSameEndpointAsLostThenFound() {
        directory.seen("multicast", "10.0.0.2:4040", "peer-b", "", events);
        events.clear();
        directory.seen("multicast", "10.0.0.2:4040", "peer-c", "", events);
        assertEquals(List.of(new PeerDirectory.Lost("10.0.0.2:4040"), new PeerDirectory.Found(new DiscoveredPeer(
                "10.0.0.2:4040", Optional.of("peer-c"), Optional.empty(), "multicast"))), events);
    }

    @Test
    void reportsAChangedDeviceNameAgain() {
        directory.seen("mdns", "10.0.0.2:4040", "peer-b", "Old", events);
        directory.seen("mdns", "10.0.0.2:4040", "peer-b", "New", events);
        assertEquals(2, events.size());
        assertEquals(Optional.of("New"), ((PeerDirectory.Found) events.get(1)).peer().deviceName());
    }

    @Test
    void goneAllLosesOnlyWhatNoOtherMechanismSees() {
        directory.seen("multicast", "10.0.0.2:4040", "peer-b", "", events);
        directory.seen("multicast", "10.0.0.3:4040", "peer-c", "", events);
        directory.seen("mdns", "10.0.0.3:4040", "peer-c", "", events);
        events.clear();
        directory.goneAll("multicast", events);
        assertEquals(List.of(new PeerDirectory.Lost("10.0.0.2:4040")), events);
        assertEquals(1, directory.size());
    }

    @Test
    void listsConnectTargetsByKeyWithTheirEndpoints() {
        directory.seen("multicast", "10.0.0.2:4040", "peer-b", "", events);
        directory.seen("multicast", "10.0.1.2:4040", "peer-b", "", events);
        directory.seen("multicast", "10.0.0.9:4040", "peer-0", "", events);
        Map<String, List<String>> targets = directory.connectTargets("peer-a", true);
        assertEquals(Map.of("peer-b", List.of("10.0.0.2:4040", "10.0.1.2:4040")), targets);
        assertEquals(2, directory.connectTargets("peer-a", false).size());
    }

    @Test
    void holdsAtMostMaxPeersAndIgnoresTheRest() {
        for (int i = 0; i < PeerDirectory.MAX_PEERS; i++) {
            assertTrue(directory.seen("multicast", "10.0.0.1:" + (1000 + i), "peer-" + i, "", events));
        }
        assertFalse(directory.seen("multicast", "10.0.0.1:9999", "peer-x", "", events));
        assertEquals(PeerDirectory.MAX_PEERS, directory.size());
        // a known one is still refreshed
        assertTrue(directory.seen("mdns", "10.0.0.1:1000", "peer-0", "", events));
    }
}
