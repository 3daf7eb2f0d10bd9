package ditto.testkit.sim;

import static ditto.testkit.sim.Peer.drain;
import static ditto.testkit.sim.Peer.intFrame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import ditto.api.ConnectionType;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.transport.DiscoveredPeer;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportListener;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportProvider;
import ditto.api.spi.transport.TransportStatus;
import ditto.api.spi.transport.TransportStatus.LinkState;
import ditto.testkit.transport.RecordedLink;

/**
 * The transport SPI contract, checked deterministically on the simulated transport: the cases of
 * {@link ditto.testkit.transport.TransportContract} that do not depend on sockets, rewritten so
 * that the test thread drives delivery instead of waiting for other threads.
 */
class SimTransportTest {

    private final SimNetwork network = new SimNetwork(2024);

    @Test
    void providerIsNamedSimAndCreatesStoppedTransports() {
        TransportProvider provider = network.transportProvider("a");

        Peer a = Peer.create(network, "a", 5000);
        Peer.start(network, "b");
        network.runFor(10_000);

        assertEquals(SimNetwork.TRANSPORT_ID, provider.id());
        assertEquals("sim", provider.id());
        assertEquals(ConnectionType.ACCESS_POINT, a.transport.connectionType());
        assertEquals(0, a.links().size(), "a stopped transport neither discovers nor links");
        assertEquals(List.of(), a.transport.status().links());
        assertTrue(a.transport.status().available());
    }

    @Test
    void aNodeHasOneLiveTransportAtATime() {
        Peer a = Peer.create(network, "a", 5000);

        DittoException e = assertThrows(DittoException.class, () -> Peer.create(network, "a", 5000));

        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        a.transport.close();
        assertDoesNotThrow(() -> Peer.create(network, "a", 5000));
    }

    @Test
    void linkOpensOnBothSidesWithTheRightDirection() {
        Peer b = Peer.start(network, "b");
        Peer a = Peer.start(network, "a");
        network.runUntilQuiet(100);

        Link atA = a.onlyLink().link();
        Link atB = b.onlyLink().link();
        assertFalse(atA.isIncoming(), "the node whose id sorts first dials");
        assertTrue(atB.isIncoming());
        assertEquals(atA.id(), atB.id());
        assertEquals("sim://b", atA.remoteDescription());
        assertEquals("sim://a", atB.remoteDescription());
        for (Link link : List.of(atA, atB)) {
            assertTrue(link.isOpen());
            assertEquals(ConnectionType.ACCESS_POINT, link.connectionType());
            assertTrue(link.maxFrameSize() >= 64 * 1024);
            assertTrue(link.maxQueuedBytes() >= link.maxFrameSize());
            assertEquals(0, link.queuedBytes());
        }
    }

    @Test
    void discoveryReportsStartedPeersAndLosesThemWhenTheyStop() {
        Peer a = Peer.start(network, "a");
        Peer b = Peer.start(network, "b");
        network.runUntilQuiet(100);

        assertEquals(List.of(new DiscoveredPeer("sim://b", Optional.of("pk-b"), Optional.of("device-b"), "sim")),
                a.listener.discovered());
        assertEquals(List.of(new DiscoveredPeer("sim://a", Optional.of("pk-a"), Optional.of("device-a"), "sim")),
                b.listener.discovered());
        b.transport.stop();
        network.runUntilQuiet(100);

        assertEquals(List.of("sim://b"), a.listener.lost());
        assertEquals(List.of(), b.listener.lost(), "a stopped transport reports nothing");
    }

    @Test
    void framesOfEdgeSizesArriveWholeAndInOrderBothWays() throws Exception {
        Peer a = Peer.start(network, "a");
        Peer b = Peer.start(network, "b");
        network.runUntilQuiet(100);
        SplittableRandom random = new SplittableRandom(1);
        int max = a.onlyLink().link().maxFrameSize();
        int[] sizes = {1, 0, 64 * 1024, max, 1, max - 1, 3};

        for (RecordedLink[] direction : List.of(new RecordedLink[] {a.onlyLink(), b.onlyLink()},
                new RecordedLink[] {b.onlyLink(), a.onlyLink()})) {
            List<byte[]> sent = new ArrayList<>();
            for (int size : sizes) {
                byte[] frame = new byte[size];
                random.nextBytes(frame);
                sent.add(frame);
                direction[0].link().send(ByteBuffer.wrap(frame.clone()));
            }
            network.deliverAll();
            List<byte[]> received = drain(direction[1]);
            assertEquals(sent.size(), received.size());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), received.get(i), "frame " + i);
            }
        }
        Peer.assertNoViolations(a.onlyLink(), b.onlyLink());
    }

    @Test
    void manySmallFramesSentFromBothSidesArriveInOrder() throws Exception {
        Peer a = Peer.start(network, "a");
        Peer b = Peer.start(network, "b");
        network.runUntilQuiet(100);
        int count = 5000;

        for (int i = 0; i < count; i++) {
            ByteBuffer frame = ByteBuffer.allocate(4 + (i % 97)).putInt(0, i);
            a.onlyLink().link().send(frame);
            b.onlyLink().link().send(frame.duplicate().rewind());
            if (i % 10 == 0) {
                network.step();
            }
        }
        network.deliverAll();

        for (RecordedLink receiver : List.of(a.onlyLink(), b.onlyLink())) {
            List<byte[]> frames = drain(receiver);
            assertEquals(count, frames.size());
            for (int i = 0; i < count; i++) {
                assertEquals(4 + (i % 97), frames.get(i).length);
                assertEquals(i, ByteBuffer.wrap(frames.get(i)).getInt());
            }
        }
        Peer.assertNoViolations(a.onlyLink(), b.onlyLink());
    }

    @Test
    void frameAboveMaxFrameSizeIsRefusedAndTheLinkKeepsWorking() throws Exception {
        Peer a = Peer.start(network, "a");
        Peer b = Peer.start(network, "b");
        network.runUntilQuiet(100);
        Link link = a.onlyLink().link();

        DittoException e = assertThrows(DittoException.class, () -> link.send(ByteBuffer.allocate(link.maxFrameSize() + 1)));

        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(link.isOpen());
        link.send(ByteBuffer.wrap(new byte[] {42}));
        network.deliverAll();
        assertArrayEquals(new byte[] {42}, drain(b.onlyLink()).get(0));
    }

    @Test
    void sendOnAClosedLinkFailsWithTransportAndCloseIsIdempotent() {
        Peer a = Peer.start(network, "a");
        Peer.start(network, "b");
        network.runUntilQuiet(100);
        Link link = a.onlyLink().link();

        link.close();

        assertFalse(link.isOpen());
        DittoException e = assertThrows(DittoException.class, () -> link.send(ByteBuffer.wrap(new byte[] {1})));
        assertEquals(ErrorCode.TRANSPORT, e.code());
        assertDoesNotThrow(link::close);
    }

    @Test
    void closeAtTheDialerReachesBothSidesExactlyOnceWithoutCause() {
        Peer a = Peer.start(network, "a");
        Peer b = Peer.start(network, "b");
        network.runUntilQuiet(100);

        a.onlyLink().link().close();
        assertTrue(b.onlyLink().link().isOpen(), "the remote learns of the close only when it is delivered");
        network.runUntilQuiet(100);

        assertClosedOnceWithoutCause(a.onlyLink());
        assertClosedOnceWithoutCause(b.onlyLink());
        assertFalse(b.onlyLink().link().isOpen());
    }

    @Test
    void closeAtTheAcceptorReachesBothSidesExactlyOnceWithoutCause() {
        Peer a = Peer.start(network, "a", 3_600_000);
        Peer b = Peer.start(network, "b");
        network.runUntilQuiet(100);

        b.onlyLink().link().close();
        network.runUntilQuiet(100);

        assertClosedOnceWithoutCause(a.onlyLink());
        assertClosedOnceWithoutCause(b.onlyLink());
        assertFalse(a.onlyLink().link().isOpen());
    }

    @Test
    void bothSidesClosingAtOnceStillSeeOneCloseEach() {
        Peer a = Peer.start(network, "a");
        Peer b = Peer.start(network, "b");
        network.runUntilQuiet(100);

        a.onlyLink().link().close();
        b.onlyLink().link().close();
        network.runUntilQuiet(100);

        assertClosedOnceWithoutCause(a.onlyLink());
        assertClosedOnceWithoutCause(b.onlyLink());
    }

    @Test
    void framesSentBeforeCloseAreDeliveredBeforeTheClose() throws Exception {
        Peer a = Peer.start(network, "a");
        Peer b = Peer.start(network, "b");
        network.runUntilQuiet(100);
        network.setFaults(Faults.NONE.withDelay(Delay.uniform(1, 30)));
        Link link = a.onlyLink().link();

        for (int i = 0; i < 100; i++) {
            link.send(intFrame(i));
        }
        link.close();
        network.deliverAll();

        List<byte[]> frames = drain(b.onlyLink());
        assertEquals(100, frames.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, ByteBuffer.wrap(frames.get(i)).getInt());
        }
        assertClosedOnceWithoutCause(b.onlyLink());
    }

    @Test
    void stopClosesAllLinksOnBothSidesAndStartWorksAgain() {
        Peer a = Peer.start(network, "a");
        Peer b = Peer.start(network, "b");
        Peer c = Peer.start(network, "c");
        network.runUntilQuiet(100);
        List<RecordedLink> before = new ArrayList<>();
        before.addAll(a.links());
        before.addAll(b.links());
        before.addAll(c.links());
        assertEquals(2, a.links().size());

        a.transport.stop();
        network.runUntilQuiet(100);

        for (RecordedLink link : List.of(a.linkTo("b"), a.linkTo("c"), b.linkTo("a"), c.linkTo("a"))) {
            assertClosedOnceWithoutCause(link);
        }
        assertEquals(List.of(), a.transport.status().links());
        assertFalse(network.isStarted("a"));
        assertTrue(b.linkTo("c").link().isOpen(), "links not involving a stay open");

        a.transport.start();
        network.runUntilQuiet(100);
        assertEquals(4, a.links().size(), "a linked again to b and c");
        assertTrue(a.linkTo("b").link().isOpen() && a.linkTo("c").link().isOpen());
        for (RecordedLink link : before) {
            Peer.assertNoViolations(link);
        }
    }

    @Test
    void startIsIdempotentAndCloseIsFinal() {
        Peer a = Peer.start(network, "a");
        Peer.start(network, "b");
        a.transport.start();
        network.runUntilQuiet(100);

        assertEquals(1, a.links().size(), "a second start() changes nothing");
        a.transport.close();
        assertDoesNotThrow(a.transport::close);
        assertDoesNotThrow(a.transport::stop);
        DittoException e = assertThrows(DittoException.class, a.transport::start);
        assertEquals(ErrorCode.CLOSED, e.code());
        network.runUntilQuiet(100);
        assertClosedOnceWithoutCause(a.onlyLink());
    }

    @Test
    void statusShowsConnectedLinksAndDisconnectedAfterClose() {
        Peer a = Peer.start(network, "a");
        Peer b = Peer.start(network, "b");
        TransportStatus connecting = null;
        while (a.links().isEmpty()) {
            TransportStatus status = a.transport.status();
            if (!status.links().isEmpty()) {
                connecting = status;
            }
            assertTrue(network.step(), "the link never opened");
        }
        assertEquals(LinkState.CONNECTING, connecting.links().get(0).state(), connecting.toString());
        String id = a.onlyLink().link().id();

        for (Transport transport : List.of(a.transport, b.transport)) {
            TransportStatus status = transport.status();
            assertEquals("sim", status.transportId());
            assertEquals(ConnectionType.ACCESS_POINT, status.connectionType());
            assertTrue(status.available());
            assertTrue(status.unavailableReason().isEmpty());
            assertEquals(1, status.links().size(), status.toString());
            assertEquals(id, status.links().get(0).linkId());
            assertEquals(LinkState.CONNECTED, status.links().get(0).state());
        }

        b.onlyLink().link().close();
        network.runUntilQuiet(100);

        assertEquals(List.of(), b.transport.status().links());
        TransportStatus afterClose = a.transport.status();
        assertEquals(1, afterClose.links().size(), afterClose.toString());
        assertEquals(LinkState.DISCONNECTED, afterClose.links().get(0).state());
        assertEquals("sim://b", afterClose.links().get(0).remoteDescription());
    }

    @Test
    void reconfigureWithTheSameSyncGroupKeepsEverything() throws Exception {
        Peer a = Peer.start(network, "a");
        Peer b = Peer.start(network, "b");
        network.runUntilQuiet(100);

        a.transport.reconfigure(Peer.config(1000, 0));
        b.transport.reconfigure(Peer.config(7000, 0));
        network.runFor(20_000);

        assertEquals(1, a.links().size());
        assertEquals(0, a.onlyLink().closedCount());
        a.onlyLink().link().send(ByteBuffer.wrap(new byte[] {5}));
        network.deliverAll();
        assertArrayEquals(new byte[] {5}, drain(b.onlyLink()).get(0));
    }

    @Test
    void reconfigureToAnotherSyncGroupClosesLinksAndLosesPeers() {
        Peer a = Peer.start(network, "a");
        Peer b = Peer.start(network, "b");
        network.runUntilQuiet(100);

        b.transport.reconfigure(Peer.config(5000, 9));
        network.runFor(20_000);

        assertClosedOnceWithoutCause(a.onlyLink());
        assertClosedOnceWithoutCause(b.onlyLink());
        assertEquals(List.of("sim://b"), a.listener.lost());
        assertEquals(1, a.links().size(), "no link across sync groups");

        a.transport.reconfigure(Peer.config(5000, 9));
        network.runFor(100);
        assertEquals(2, a.links().size(), "same group again, linked again");
    }

    @Test
    void dialerReconnectsWhenTheRestartedPeerIsDiscoveredAgain() throws Exception {
        Peer a = Peer.start(network, "a", 200);
        Peer b = Peer.start(network, "b");
        network.runUntilQuiet(100);

        b.transport.close();
        network.runFor(1000);
        assertEquals(1, a.onlyLink().closedCount());
        assertEquals(0, network.stats().connectFailures(), "a lost b from discovery, so it stopped trying");

        Peer restarted = b.restart(network, 5000);
        network.runFor(100);

        RecordedLink again = a.links().get(1);
        assertFalse(again.link().isIncoming());
        again.link().send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        network.deliverAll();
        assertArrayEquals(new byte[] {1, 2, 3}, drain(restarted.onlyLink()).get(0));
    }

    @Test
    void configuredDialerKeepsRetryingUntilThePeerComesBack() throws Exception {
        network.setAutoConnect(false);
        Peer a = Peer.start(network, "a", 200);
        Peer b = Peer.start(network, "b");
        network.connect("a", "b");
        network.runUntilQuiet(100);

        b.transport.close();
        network.runFor(1000);
        assertEquals(1, a.onlyLink().closedCount());
        assertEquals(5, network.stats().connectFailures(), "one failed attempt per retry interval");
        assertEquals(LinkState.DISCONNECTED, a.transport.status().links().get(0).state());

        Peer restarted = b.restart(network, 5000);
        network.runFor(200);

        RecordedLink again = a.links().get(1);
        assertFalse(again.link().isIncoming());
        again.link().send(ByteBuffer.wrap(new byte[] {4}));
        network.deliverAll();
        assertArrayEquals(new byte[] {4}, drain(restarted.onlyLink()).get(0));
    }

    @Test
    void linksBetweenDifferentDatabasesAreRefused() {
        network.setAutoConnect(false);
        Peer server = Peer.start(network, "server");
        Peer stranger = Peer.create(network, "stranger", Peer.config(200, 0), "7d1e0c4a-0000-4f00-8000-000000000001");
        stranger.transport.start();
        network.connect("stranger", "server");

        network.runFor(2000);

        assertEquals(0, stranger.links().size());
        assertEquals(0, server.links().size());
        assertTrue(network.stats().connectFailures() >= 5);
        assertEquals(List.of(), stranger.listener.discovered(), "other databases are not discovered either");
        assertTrue(stranger.transport.status().links().stream().noneMatch(s -> s.state() == LinkState.CONNECTED));

        Peer friend = Peer.start(network, "friend");
        network.connect("friend", "server");
        network.runFor(100);
        assertEquals(1, friend.links().size());
    }

    @Test
    void stopCalledFromInsideAHandlerReturnsAndStillClosesTheLinkOnceAfterwards() {
        AtomicInteger inHandler = new AtomicInteger();
        AtomicInteger closedOutsideHandler = new AtomicInteger();
        AtomicInteger closedCalls = new AtomicInteger();
        Transport[] self = new Transport[1];
        TransportListener stopper = new TransportListener() {
            @Override
            public LinkHandler onLinkOpened(Link link) {
                return new LinkHandler() {
                    @Override
                    public void onFrame(ByteBuffer frame) {
                        inHandler.incrementAndGet();
                        self[0].stop();
                        inHandler.decrementAndGet();
                    }

                    @Override
                    public void onClosed(Throwable cause) {
                        closedCalls.incrementAndGet();
                        if (inHandler.get() == 0) {
                            closedOutsideHandler.incrementAndGet();
                        }
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
        self[0] = network.transportProvider("a").create(new TransportParameters(Peer.DATABASE, "pk-a", "device-a",
                Peer.config(5000, 0), stopper));
        self[0].start();
        Peer b = Peer.start(network, "b");
        network.runUntilQuiet(100);

        b.onlyLink().link().send(ByteBuffer.wrap(new byte[] {1}));
        network.runUntilQuiet(100);

        assertEquals(1, closedCalls.get());
        assertEquals(1, closedOutsideHandler.get(), "onClosed comes after the handler returned");
        assertClosedOnceWithoutCause(b.onlyLink());
    }

    @Test
    void linkIdsAreUniqueWithinATransport() {
        Peer hub = Peer.start(network, "a");
        for (String id : List.of("b", "c", "d", "e")) {
            Peer.start(network, id);
        }
        network.runUntilQuiet(1000);
        network.flapLinks("a", "b");
        network.runFor(10_000);

        Set<String> ids = new HashSet<>();
        for (RecordedLink link : hub.links()) {
            assertTrue(ids.add(link.link().id()), "duplicate link id " + link.link().id());
        }
        assertEquals(5, ids.size());
    }

    private static void assertClosedOnceWithoutCause(RecordedLink link) {
        assertEquals(1, link.closedCount(), link + ": onClosed count");
        assertNull(link.closeCause(), link + ": an orderly close has no cause");
        assertFalse(link.link().isOpen(), link + " still open");
        Peer.assertNoViolations(link);
    }
}
