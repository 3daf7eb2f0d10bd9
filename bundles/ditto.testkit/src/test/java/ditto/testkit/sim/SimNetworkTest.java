package ditto.testkit.sim;

import static ditto.testkit.sim.Peer.drain;
import static ditto.testkit.sim.Peer.intFrame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.transport.DiscoveredPeer;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.TransportListener;
import ditto.api.spi.transport.TransportParameters;
import ditto.testkit.transport.RecordedLink;

/**
 * The simulated network: delivery order, determinism, fault statistics, partitions, flaps,
 * crashes, latency and its own guard rails. Statistical checks use fixed seeds and bounds of
 * about five standard deviations, so they are exact regressions, not flaky samples.
 */
class SimNetworkTest {

    // ---------------------------------------------------------------- ordering and determinism

    @Test
    void keepsFramesOfOneDirectionInSendOrderDespiteRandomLatency() throws Exception {
        SimNetwork network = new SimNetwork(1);
        Peer a = Peer.start(network, "a");
        Peer b = Peer.start(network, "b");
        network.runUntilQuiet(100);
        network.setFaults(Faults.NONE.withDelay(Delay.uniform(0, 50)));
        Link ab = a.onlyLink().link();
        Link ba = b.onlyLink().link();

        for (int i = 0; i < 300; i++) {
            ab.send(intFrame(i));
            ba.send(intFrame(1000 + i));
            if (i % 7 == 0) {
                network.clock().advance(3);
            }
        }
        network.deliverAll();

        assertEquals(range(0, 300), ints(drain(b.onlyLink())));
        assertEquals(range(1000, 300), ints(drain(a.onlyLink())));
        assertEquals(0, network.stats().reordered());
        Peer.assertNoViolations(a.onlyLink(), b.onlyLink());
    }

    @Test
    void interleavesDifferentLinksRandomlyAndTheSameWayForTheSameSeed() {
        List<String> first = starDeliveries(5);
        List<String> again = starDeliveries(5);
        List<String> other = starDeliveries(6);

        assertEquals(first, again, "same seed, same interleaving");
        assertNotEquals(first, other, "another seed interleaves differently");
        int switches = 0;
        for (int i = 1; i < first.size(); i++) {
            if (!first.get(i).equals(first.get(i - 1))) {
                switches++;
            }
        }
        assertTrue(switches > 20, "deliveries of the two links should interleave, switched only " + switches + " times");
    }

    /** Hub "a" dials "b" and "c"; 100 frames go on each link; returns the link label of each delivery in order. */
    private static List<String> starDeliveries(long seed) {
        SimNetwork network = new SimNetwork(seed);
        Peer a = Peer.start(network, "a");
        Peer.start(network, "b");
        Peer.start(network, "c");
        network.runUntilQuiet(100);
        network.setTraceCapacity(10_000);
        for (int i = 0; i < 100; i++) {
            for (RecordedLink link : a.links()) {
                link.link().send(intFrame(i));
            }
        }
        network.deliverAll();
        List<String> labels = new ArrayList<>();
        for (String line : network.trace()) {
            if (line.contains(" deliver frame ")) {
                labels.add(line.substring(line.indexOf("sim-"), line.indexOf(' ', line.indexOf("sim-"))));
            }
        }
        assertEquals(200, labels.size());
        return labels;
    }

    @Test
    void theSameSeedGivesByteIdenticalTracesAndEngineHistories() {
        Outcome first = chaos(42);
        Outcome second = chaos(42);
        Outcome other = chaos(43);

        assertTrue(first.trace.size() > 1000, "the scenario should be busy, traced " + first.trace.size());
        assertEquals(first.trace, second.trace);
        assertEquals(first.digest, second.digest);
        assertEquals(first.stats, second.stats);
        assertEquals(first.engine, second.engine);
        assertNotEquals(first.digest, other.digest);
        assertTrue(first.stats.dropped() > 0 && first.stats.duplicated() > 0 && first.stats.corrupted() > 0
                && first.stats.reordered() > 0 && first.stats.linksClosed() > 0, first.stats.toString());
    }

    private record Outcome(List<String> trace, long digest, SimNetwork.Stats stats, List<String> engine) {
    }

    /** Five echoing peers under every kind of fault, a partition with a bridge, link flaps and a crash. */
    private static Outcome chaos(long seed) {
        SimNetwork network = new SimNetwork(seed);
        network.setTraceCapacity(1_000_000);
        List<String> engine = new ArrayList<>();
        for (String id : List.of("a", "b", "c", "d", "e")) {
            startEcho(network, id, engine);
        }
        network.setFaults(Faults.NONE.withLoss(0.05).withDuplication(0.05).withReorder(0.1).withTruncation(0.02)
                .withBitFlip(0.02).withDelay(Delay.uniform(1, 40).withSpikes(0.01, 500)));
        network.runFor(2000);
        Partition partition = network.partition(Cut.bridge("e", Set.of("a", "b"), Set.of("c", "d")));
        network.scheduleLinkFlaps("a", "e", 700, 3);
        network.runFor(3000);
        partition.heal();
        network.crash("c");
        network.runFor(2000);
        startEcho(network, "c", engine);
        network.runFor(5000);
        return new Outcome(network.trace(), network.traceDigest(), network.stats(), engine);
    }

    /** A stand-in engine: on each link it sends 20, and answers every n in 1..50 with n - 1. */
    private static void startEcho(SimNetwork network, String id, List<String> log) {
        TransportListener listener = new TransportListener() {
            @Override
            public LinkHandler onLinkOpened(Link link) {
                log.add(id + " opened " + link.id() + (link.isIncoming() ? " from " : " to ") + link.remoteDescription());
                link.send(intFrame(20));
                return new LinkHandler() {
                    @Override
                    public void onFrame(ByteBuffer frame) {
                        int n = frame.remaining() >= 4 ? frame.getInt() : -1;
                        log.add(id + " got " + n + " on " + link.id());
                        if (n >= 1 && n <= 50 && link.isOpen()) {
                            link.send(intFrame(n - 1));
                        }
                    }

                    @Override
                    public void onClosed(Throwable cause) {
                        log.add(id + " closed " + link.id() + " " + (cause == null ? "orderly" : cause.getMessage()));
                    }
                };
            }

            @Override
            public void onPeerDiscovered(DiscoveredPeer peer) {
                log.add(id + " discovered " + peer.endpoint());
            }

            @Override
            public void onPeerLost(String endpoint) {
                log.add(id + " lost " + endpoint);
            }
        };
        network.transportProvider(id).create(new TransportParameters(Peer.DATABASE, "pk-" + id, "device-" + id,
                Peer.config(1000, 0), listener)).start();
    }

    // ---------------------------------------------------------------- fault statistics

    @Test
    void lossRateMatchesItsProbabilityAndKeepsOrder() throws Exception {
        Pair pair = pair(11);
        pair.network.setFaults(Faults.NONE.withLoss(0.1));
        int n = 20_000;

        for (int i = 0; i < n; i++) {
            pair.ab().send(intFrame(i));
        }
        pair.network.deliverAll();

        SimNetwork.Stats stats = pair.network.stats();
        List<Integer> received = ints(drain(pair.atB()));
        assertEquals(n, stats.sent());
        assertBetween(0.1, 0.01, stats.dropped() / (double) n, "loss rate");
        assertEquals(n - stats.dropped(), received.size());
        assertEquals(received.size(), stats.delivered());
        for (int i = 1; i < received.size(); i++) {
            assertTrue(received.get(i) > received.get(i - 1), "order broken at " + i);
        }
    }

    @Test
    void duplicationRateMatchesItsProbabilityAndCopiesFollowTheirOriginal() throws Exception {
        Pair pair = pair(12);
        pair.network.setFaults(Faults.NONE.withDuplication(0.2));
        int n = 20_000;

        for (int i = 0; i < n; i++) {
            pair.ab().send(intFrame(i));
        }
        pair.network.deliverAll();

        SimNetwork.Stats stats = pair.network.stats();
        List<Integer> received = ints(drain(pair.atB()));
        assertBetween(0.2, 0.015, stats.duplicated() / (double) n, "duplication rate");
        assertEquals(n + stats.duplicated(), received.size());
        assertEquals(received.size(), stats.delivered());
        int twice = 0;
        for (int i = 1; i < received.size(); i++) {
            assertTrue(received.get(i) >= received.get(i - 1), "order broken at " + i);
            if (received.get(i).equals(received.get(i - 1))) {
                twice++;
            }
        }
        assertEquals(stats.duplicated(), twice);
    }

    @Test
    void reorderRateMatchesItsProbabilityAndNothingIsLost() throws Exception {
        Pair pair = pair(13);
        pair.network.setFaults(Faults.NONE.withReorder(0.3));
        int n = 5000;

        for (int i = 0; i < n; i++) {
            pair.ab().send(intFrame(i));
        }
        pair.network.deliverAll();

        SimNetwork.Stats stats = pair.network.stats();
        List<Integer> received = ints(drain(pair.atB()));
        assertBetween(0.3, 0.03, stats.reordered() / (double) (n - 1), "reorder rate");
        assertNotEquals(range(0, n), received, "frames should arrive out of order");
        List<Integer> sorted = new ArrayList<>(received);
        sorted.sort(null);
        assertEquals(range(0, n), sorted, "every frame arrives exactly once");
    }

    @Test
    void truncationAndBitFlipsDamageTheRightShareOfFramesAndAreCountedExactly() throws Exception {
        Pair pair = pair(14);
        pair.network.setFaults(Faults.NONE.withTruncation(0.1).withBitFlip(0.1));
        SplittableRandom content = new SplittableRandom(99);
        int n = 10_000;
        List<byte[]> sent = new ArrayList<>();

        for (int i = 0; i < n; i++) {
            byte[] frame = new byte[16];
            content.nextBytes(frame);
            sent.add(frame);
            pair.ab().send(ByteBuffer.wrap(frame.clone()));
        }
        pair.network.deliverAll();

        List<byte[]> received = drain(pair.atB());
        assertEquals(n, received.size());
        int shorter = 0;
        int damaged = 0;
        for (int i = 0; i < n; i++) {
            byte[] original = sent.get(i);
            byte[] got = received.get(i);
            if (got.length < original.length) {
                shorter++;
            } else if (!Arrays.equals(original, got)) {
                assertEquals(1, differingBits(original, got), "an untruncated damaged frame has exactly one flipped bit");
            }
            if (!Arrays.equals(original, got)) {
                damaged++;
            }
        }
        SimNetwork.Stats stats = pair.network.stats();
        assertEquals(stats.truncated(), shorter);
        assertEquals(stats.corrupted(), damaged);
        assertBetween(0.1, 0.015, stats.truncated() / (double) n, "truncation rate");
        assertBetween(0.1, 0.015, stats.bitFlips() / (double) n, "bit flip rate");
    }

    @Test
    void perDirectionFaultsOverrideTheGlobalOnesOnlyForTheirDirection() throws Exception {
        Pair pair = pair(15);
        pair.network.setFaults("a", "b", Faults.NONE.withLoss(1.0));

        for (int i = 0; i < 50; i++) {
            pair.ab().send(intFrame(i));
            pair.ba().send(intFrame(i));
        }
        pair.network.deliverAll();

        assertEquals(0, drain(pair.atB()).size(), "a -> b loses everything");
        assertEquals(50, drain(pair.atA()).size(), "b -> a is unaffected");
        pair.network.clearFaults("a", "b");
        pair.ab().send(intFrame(7));
        pair.network.deliverAll();
        assertEquals(List.of(7), ints(drain(pair.atB())));
    }

    @Test
    void framesBecomeDeliverableOnlyAfterTheirLatency() throws Exception {
        Pair pair = pair(16);
        pair.network.setFaults(Faults.NONE.withDelay(Delay.fixed(100)));

        pair.ab().send(intFrame(1));

        assertFalse(pair.network.step(), "nothing is ready before the latency");
        pair.network.clock().advance(99);
        assertFalse(pair.network.step());
        assertEquals(1, pair.network.inFlightFrames());
        pair.network.clock().advance(1);
        assertTrue(pair.network.step());
        assertEquals(List.of(1), ints(drain(pair.atB())));
    }

    @Test
    void deliverAllMovesTimeToTheLastLatency() {
        Pair pair = pair(17);
        long start = pair.network.clock().millis();
        pair.network.setFaults(Faults.NONE.withDelay(Delay.uniform(10, 500)));

        for (int i = 0; i < 20; i++) {
            pair.ab().send(intFrame(i));
        }
        pair.network.deliverAll();

        assertEquals(20, pair.atB().frameCount());
        long elapsed = pair.network.clock().millis() - start;
        assertTrue(elapsed >= 10 && elapsed <= 500, "elapsed " + elapsed);
        assertEquals(0, pair.network.inFlightFrames());
    }

    // ---------------------------------------------------------------- partitions

    @Test
    void symmetricPartitionHoldsBothDirectionsAndHealingDeliversInOrder() throws Exception {
        Pair pair = pair(21);
        Partition partition = pair.network.partition(Cut.between(Set.of("a"), Set.of("b")));

        for (int i = 0; i < 10; i++) {
            pair.ab().send(intFrame(i));
            pair.ba().send(intFrame(100 + i));
        }
        pair.network.runUntilQuiet(1000);

        assertTrue(pair.network.isBlocked("a", "b") && pair.network.isBlocked("b", "a"));
        assertEquals(0, pair.atA().frameCount() + pair.atB().frameCount(), "nothing crosses the partition");
        assertEquals(20, pair.network.inFlightFrames(), "held, not dropped");
        assertTrue(pair.ab().isOpen(), "a holding partition leaves links open");
        partition.heal();
        assertFalse(partition.isActive());
        pair.network.deliverAll();
        assertEquals(range(0, 10), ints(drain(pair.atB())));
        assertEquals(range(100, 10), ints(drain(pair.atA())));
    }

    @Test
    void oneWayPartitionBlocksExactlyItsDirection() throws Exception {
        Pair pair = pair(22);
        Partition partition = pair.network.partition(Cut.oneWay("a", "b"));

        pair.ab().send(intFrame(1));
        pair.ba().send(intFrame(2));
        pair.network.runUntilQuiet(100);

        assertTrue(pair.network.isBlocked("a", "b"));
        assertFalse(pair.network.isBlocked("b", "a"));
        assertEquals(List.of(), drain(pair.atB()));
        assertEquals(List.of(2), ints(drain(pair.atA())));
        partition.heal();
        pair.network.runUntilQuiet(100);
        assertEquals(List.of(1), ints(drain(pair.atB())));
    }

    @Test
    void droppingPartitionDropsFramesInFlightAndWhileActiveButKeepsTheClose() throws Exception {
        Pair pair = pair(23);
        pair.ab().send(intFrame(1));
        pair.ab().send(intFrame(2));
        Partition partition = pair.network.partition(Cut.between(Set.of("a"), Set.of("b")).dropping());
        pair.ab().send(intFrame(3));
        pair.ab().close();
        pair.network.runUntilQuiet(100);

        assertEquals(3, pair.network.stats().dropped());
        assertEquals(0, pair.atB().closedCount(), "the close is held, not dropped");
        partition.heal();
        pair.network.runUntilQuiet(100);
        assertEquals(List.of(), drain(pair.atB()));
        assertEquals(1, pair.atB().closedCount());
        assertNull(pair.atB().closeCause());
    }

    @Test
    void bridgeNodeStillReachesBothSides() throws Exception {
        SimNetwork network = new SimNetwork(24);
        Peer a = Peer.start(network, "a");
        Peer b = Peer.start(network, "b");
        Peer c = Peer.start(network, "c");
        network.runUntilQuiet(100);
        network.partition(Cut.bridge("b", Set.of("a"), Set.of("c")));

        for (RecordedLink link : a.links()) {
            link.link().send(intFrame(1));
        }
        for (RecordedLink link : b.links()) {
            link.link().send(intFrame(2));
        }
        network.runUntilQuiet(100);

        assertTrue(network.isBlocked("a", "c") && network.isBlocked("c", "a"));
        assertFalse(network.isBlocked("a", "b") || network.isBlocked("b", "c") || network.isBlocked("c", "b"));
        RecordedLink cFromA = c.linkTo("a");
        RecordedLink cFromB = c.linkTo("b");
        assertEquals(0, cFromA.frameCount(), "a does not reach c");
        assertEquals(1, cFromB.frameCount(), "the bridge reaches c");
        assertEquals(1, b.linkTo("a").frameCount(), "a reaches the bridge");
    }

    @Test
    void isolatedNodesAreCutFromEveryoneIncludingLaterNodes() {
        Cut cut = Cut.isolate("a", "b");

        assertTrue(cut.blocks("a", "z") && cut.blocks("z", "b"));
        assertFalse(cut.blocks("a", "b"), "isolated nodes still reach each other");
        assertFalse(cut.blocks("y", "z"));
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> Cut.between(Set.of("a"), Set.of("a", "b"))).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> Cut.bridge("a", Set.of("a"), Set.of("b"))).code());
    }

    @Test
    void noLinkOpensAcrossAPartitionUntilItHeals() {
        SimNetwork network = new SimNetwork(25);
        Peer a = Peer.create(network, "a", 2000);
        Peer b = Peer.create(network, "b", 2000);
        Partition partition = network.partition(Cut.between(Set.of("a"), Set.of("b")));
        a.transport.start();
        b.transport.start();

        network.runFor(10_000);

        assertEquals(0, a.links().size());
        assertTrue(network.stats().connectFailures() >= 5, network.stats().toString());
        assertEquals(1, a.listener.discovered().size(), "discovery is not blocked, connections are");
        partition.heal();
        network.runFor(2000);
        assertEquals(1, a.links().size());
        assertEquals(1, b.links().size());
    }

    @Test
    void flappingPartitionFollowsItsScheduleAndEndsHealed() {
        SimNetwork network = new SimNetwork(26);
        network.transportProvider("a");
        network.transportProvider("b");
        SimClock clock = network.clock();
        long t0 = clock.millis();

        Partition partition = network.flap(Cut.oneWay("a", "b"), 1000, 500, 3);

        long[] times = {0, 999, 1000, 1499, 1500, 2499, 2500, 3000, 3999, 4000, 60_000};
        boolean[] active = {true, true, false, false, true, true, false, true, true, false, false};
        for (int i = 0; i < times.length; i++) {
            clock.advanceTo(t0 + times[i]);
            assertEquals(active[i], partition.isActive(), "at +" + times[i] + " ms");
            assertEquals(active[i], network.isBlocked("a", "b"), "at +" + times[i] + " ms");
        }
        assertEquals(0, clock.pendingTimers());
    }

    @Test
    void healingAFlappingPartitionCancelsItsSchedule() {
        SimNetwork network = new SimNetwork(27);
        network.transportProvider("a");
        network.transportProvider("b");
        Partition partition = network.flap(Cut.between(Set.of("a"), Set.of("b")), 100, 100, 10);

        network.healAll();
        network.clock().advance(10_000);

        assertFalse(partition.isActive());
        assertEquals(List.of(), network.partitions());
        assertEquals(0, network.clock().pendingTimers());
    }

    // ---------------------------------------------------------------- flaps and crashes

    @Test
    void flappedLinkClosesBothEndsWithACauseAndTheDialerReconnectsAfterItsRetryInterval() throws Exception {
        SimNetwork network = new SimNetwork(31);
        Peer a = Peer.start(network, "a", 2000);
        Peer b = Peer.start(network, "b", 2000);
        network.runUntilQuiet(100);
        RecordedLink first = a.onlyLink();
        first.link().send(intFrame(1));

        assertEquals(1, network.flapLinks("a", "b"));
        network.runUntilQuiet(100);

        for (RecordedLink end : List.of(first, b.onlyLink())) {
            assertEquals(1, end.closedCount(), end.toString());
            DittoException cause = assertInstanceOf(DittoException.class, end.closeCause());
            assertEquals(ErrorCode.TRANSPORT, cause.code());
            assertFalse(end.link().isOpen());
        }
        assertEquals(0, b.onlyLink().frameCount(), "frames in flight on a reset link are lost");
        network.runFor(1999);
        assertEquals(1, a.links().size(), "no reconnection before the retry interval");
        network.runFor(1);
        assertEquals(2, a.links().size(), "reconnected after the retry interval");
        assertFalse(a.links().get(1).link().isIncoming());
        assertEquals(2, b.links().size());
        Peer.assertNoViolations(first, b.links().get(0));
    }

    @Test
    void scheduledLinkFlapsResetTheLinkEachPeriod() {
        SimNetwork network = new SimNetwork(32);
        Peer a = Peer.start(network, "a", 1000);
        Peer.start(network, "b", 1000);
        network.runUntilQuiet(100);

        network.scheduleLinkFlaps("a", "b", 10_000, 3);
        network.runFor(40_000);

        assertEquals(4, a.links().size());
        assertEquals(3, network.stats().linksClosed());
        assertTrue(a.links().get(3).link().isOpen());
        assertEquals(1, network.links().size());
    }

    @Test
    void aCrashedNodeGetsNoCallbacksItsPeersSeeAResetAndItCanComeBack() throws Exception {
        SimNetwork network = new SimNetwork(33);
        Peer a = Peer.start(network, "a", 1000);
        Peer b = Peer.start(network, "b", 1000);
        network.runUntilQuiet(100);
        a.onlyLink().link().send(intFrame(1));
        b.onlyLink().link().send(intFrame(2));

        network.crash("a");
        network.runUntilQuiet(100);

        assertEquals(0, a.onlyLink().closedCount(), "a crashed process hears nothing");
        assertEquals(0, a.onlyLink().frameCount());
        assertEquals(0, b.onlyLink().frameCount(), "what the crashed node sent is gone");
        assertEquals(1, b.onlyLink().closedCount());
        assertEquals(ErrorCode.TRANSPORT, ((DittoException) b.onlyLink().closeCause()).code());
        assertEquals(List.of(SimNetwork.ENDPOINT_PREFIX + "a"), b.listener.lost());
        assertFalse(network.isStarted("a"));
        assertEquals(ErrorCode.CLOSED, assertThrows(DittoException.class, a.transport::start).code());

        Peer restarted = a.restart(network, 1000);
        network.runFor(100);
        RecordedLink again = restarted.onlyLink();
        again.link().send(intFrame(3));
        network.runUntilQuiet(100);
        assertEquals(List.of(3), ints(drain(b.links().get(1))));
    }

    // ---------------------------------------------------------------- connections

    @Test
    void explicitConnectionsWorkWithoutAutoConnectAndDisconnectEndsThem() {
        SimNetwork network = new SimNetwork(41);
        network.setAutoConnect(false);
        Peer a = Peer.start(network, "a", 1000);
        Peer b = Peer.start(network, "b", 1000);
        network.runFor(5000);
        assertEquals(0, a.links().size(), "no automatic link");
        assertEquals(1, a.listener.discovered().size(), "discovery still happens");

        network.connect("b", "a");
        network.runUntilQuiet(100);

        assertFalse(b.onlyLink().link().isIncoming(), "b dials although its id sorts after a's");
        assertTrue(a.onlyLink().link().isIncoming());
        network.disconnect("b", "a");
        network.runFor(10_000);
        assertEquals(1, b.onlyLink().closedCount());
        assertEquals(1, a.onlyLink().closedCount());
        assertEquals(1, b.links().size(), "no reconnection after disconnect");
        assertEquals(List.of(), network.links());
    }

    @Test
    void nodesOfDifferentSyncGroupsNeitherDiscoverNorLink() {
        SimNetwork network = new SimNetwork(42);
        Peer a = Peer.create(network, "a", Peer.config(1000, 1), Peer.DATABASE);
        Peer b = Peer.create(network, "b", Peer.config(1000, 2), Peer.DATABASE);
        a.transport.start();
        b.transport.start();

        network.runFor(5000);

        assertEquals(List.of(), a.listener.discovered());
        assertEquals(List.of(), b.listener.discovered());
        assertEquals(0, a.links().size() + b.links().size());
    }

    // ---------------------------------------------------------------- guard rails

    @Test
    void aFullSendQueueRefusesFramesUntilDeliveryDrainsIt() throws Exception {
        SimNetwork network = new SimNetwork(51);
        network.setMaxQueuedBytes(100);
        Peer a = Peer.start(network, "a");
        Peer.start(network, "b");
        network.runUntilQuiet(100);
        Link link = a.onlyLink().link();

        link.send(ByteBuffer.allocate(60));
        assertEquals(60, link.queuedBytes());
        DittoException full = assertThrows(DittoException.class, () -> link.send(ByteBuffer.allocate(60)));

        assertEquals(ErrorCode.TRANSPORT, full.code());
        assertTrue(link.isOpen());
        network.runUntilQuiet(100);
        assertEquals(0, link.queuedBytes());
        link.send(ByteBuffer.allocate(60));
    }

    @Test
    void refusesUseFromAnotherThread() throws Exception {
        Pair pair = pair(52);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                pair.ab().send(intFrame(1));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        other.start();
        other.join();

        DittoException e = assertInstanceOf(DittoException.class, failure.get());
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("confined"), e.getMessage());
        assertEquals(0, pair.network.stats().sent());
    }

    @Test
    void refusesToStepFromInsideACallback() {
        SimNetwork network = new SimNetwork(53);
        List<Throwable> failures = new ArrayList<>();
        onFrame(network, "b", frame -> {
            try {
                network.step();
            } catch (DittoException e) {
                failures.add(e);
            }
        });
        Peer a = Peer.start(network, "a");
        network.runUntilQuiet(100);

        a.onlyLink().link().send(intFrame(1));
        network.runUntilQuiet(100);

        assertEquals(1, failures.size());
        assertEquals(ErrorCode.INTERNAL, ((DittoException) failures.get(0)).code());
    }

    @Test
    void anEngineExceptionPropagatesOutOfStepAndTheNetworkStaysUsable() {
        SimNetwork network = new SimNetwork(54);
        onFrame(network, "b", frame -> {
            if (frame.getInt(0) == 1) {
                throw new IllegalStateException("engine bug");
            }
        });
        Peer a = Peer.start(network, "a");
        network.runUntilQuiet(100);
        Link link = a.onlyLink().link();

        link.send(intFrame(1));
        link.send(intFrame(2));

        assertThrows(IllegalStateException.class, () -> network.runUntilQuiet(100));
        assertEquals(1, network.runUntilQuiet(100), "the next frame is still delivered");
        assertEquals(2, network.stats().delivered());
    }

    @Test
    void runUntilQuietGivesUpOnALivelock() {
        SimNetwork network = new SimNetwork(55);
        pingPong(network, "b");
        pingPong(network, "a");

        DittoException e = assertThrows(DittoException.class, () -> network.runUntilQuiet(100), "the ping-pong never ends");

        assertEquals(ErrorCode.TIMEOUT, e.code());
        assertTrue(e.getMessage().contains("seed=55"), e.getMessage());
        assertTrue(network.stats().delivered() >= 90, network.stats().toString());
    }

    @Test
    void reportNamesTheSeedAndHowToReplayIt() {
        Pair pair = pair(56);
        pair.ab().send(intFrame(1));
        pair.network.deliverAll();

        String report = pair.network.report();

        assertTrue(report.startsWith("seed=56 (replay with -Dditto.seed=56)\n"), report);
        assertTrue(report.contains("delivered=1"), report);
        assertTrue(report.contains(" deliver frame 1 sim-1 a->b 4B"), report);
    }

    @Test
    void theTraceKeepsOnlyTheLastEventsButTheDigestCoversAll() {
        Pair pair = pair(57);
        pair.network.setTraceCapacity(10);
        for (int i = 0; i < 100; i++) {
            pair.ab().send(intFrame(i));
        }
        pair.network.deliverAll();

        List<String> trace = pair.network.trace();
        assertEquals(10, trace.size());
        assertTrue(pair.network.traceEvents() > 200);
        assertTrue(trace.get(9).startsWith("#" + pair.network.traceEvents() + " "), trace.get(9));
        assertTrue(trace.get(9).contains("deliver frame 100 "), trace.get(9));
    }

    @Test
    void rejectsBadArguments() {
        SimNetwork network = new SimNetwork(58);
        network.transportProvider("a");

        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> network.transportProvider("has space")).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS, assertThrows(DittoException.class, () -> network.connect("a", "zz")).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS, assertThrows(DittoException.class, () -> network.connect("a", "a")).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS, assertThrows(DittoException.class, () -> network.crash("a")).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> Faults.NONE.withLoss(1.5)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> Faults.NONE.withReorder(Double.NaN)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS, assertThrows(DittoException.class, () -> Delay.uniform(5, 4)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> network.flap(Cut.isolate("a"), 0, 1, 1)).code());
    }

    @Test
    void delaysSampleWithinTheirBounds() {
        SplittableRandom random = new SplittableRandom(3);
        Delay uniform = Delay.uniform(5, 9);
        Delay spiky = Delay.fixed(10).withSpikes(0.5, 1000);
        int spikes = 0;
        for (int i = 0; i < 1000; i++) {
            long u = uniform.sampleMillis(random);
            assertTrue(u >= 5 && u <= 9, "uniform sample " + u);
            long s = spiky.sampleMillis(random);
            assertTrue(s == 10 || s == 1010, "spiky sample " + s);
            spikes += s == 1010 ? 1 : 0;
            assertTrue(Delay.exponential(20).sampleMillis(random) >= 0);
        }
        assertBetween(0.5, 0.08, spikes / 1000.0, "spike rate");
        assertEquals(0, Delay.none().sampleMillis(random));
        assertEquals(0, Delay.of("negative", r -> -5).sampleMillis(random), "negative samples count as 0");
    }

    // ---------------------------------------------------------------- helpers

    /** Two started nodes "a" (dialer) and "b" with their link open. */
    private record Pair(SimNetwork network, Peer a, Peer b) {
        Link ab() {
            return a.onlyLink().link();
        }

        Link ba() {
            return b.onlyLink().link();
        }

        RecordedLink atA() {
            return a.onlyLink();
        }

        RecordedLink atB() {
            return b.onlyLink();
        }
    }

    private static Pair pair(long seed) {
        SimNetwork network = new SimNetwork(seed);
        Peer a = Peer.start(network, "a");
        Peer b = Peer.start(network, "b");
        network.runUntilQuiet(100);
        assertNotNull(a.onlyLink());
        assertNotNull(b.onlyLink());
        return new Pair(network, a, b);
    }

    /** Starts node {@code id} with an engine that runs {@code onFrame} for every frame it receives. */
    private static void onFrame(SimNetwork network, String id, Consumer<ByteBuffer> onFrame) {
        startEngine(network, id, link -> new LinkHandler() {
            @Override
            public void onFrame(ByteBuffer frame) {
                onFrame.accept(frame);
            }

            @Override
            public void onClosed(Throwable cause) {
            }
        });
    }

    /** Starts node {@code id} with an engine that sends a frame when a link opens and answers every frame. */
    private static void pingPong(SimNetwork network, String id) {
        startEngine(network, id, link -> {
            link.send(intFrame(0));
            return new LinkHandler() {
                @Override
                public void onFrame(ByteBuffer frame) {
                    link.send(intFrame(0));
                }

                @Override
                public void onClosed(Throwable cause) {
                }
            };
        });
    }

    private static void startEngine(SimNetwork network, String id, java.util.function.Function<Link, LinkHandler> engine) {
        TransportListener listener = new TransportListener() {
            @Override
            public LinkHandler onLinkOpened(Link link) {
                return engine.apply(link);
            }

            @Override
            public void onPeerDiscovered(DiscoveredPeer peer) {
            }

            @Override
            public void onPeerLost(String endpoint) {
            }
        };
        network.transportProvider(id).create(new TransportParameters(Peer.DATABASE, "pk-" + id, "device-" + id,
                Peer.config(5000, 0), listener)).start();
    }


    private static List<Integer> ints(List<byte[]> frames) {
        List<Integer> out = new ArrayList<>();
        for (byte[] frame : frames) {
            out.add(ByteBuffer.wrap(frame).getInt());
        }
        return out;
    }

    private static List<Integer> range(int from, int count) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(from + i);
        }
        return out;
    }

    private static int differingBits(byte[] a, byte[] b) {
        int bits = 0;
        for (int i = 0; i < a.length; i++) {
            bits += Integer.bitCount((a[i] ^ b[i]) & 0xff);
        }
        return bits;
    }

    private static void assertBetween(double expected, double tolerance, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= tolerance, what + " " + actual + " is not within " + tolerance + " of "
                + expected);
    }
}
