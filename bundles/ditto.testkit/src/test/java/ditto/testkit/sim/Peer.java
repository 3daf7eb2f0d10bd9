package ditto.testkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ditto.api.TransportConfig;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportListener;
import ditto.api.spi.transport.TransportParameters;
import ditto.testkit.transport.RecordedLink;
import ditto.testkit.transport.RecordingTransportListener;

/**
 * Test support: one simulated node with a recording listener standing in for the engine.
 * Everything runs on the test thread, so the recorders are read without waiting.
 */
final class Peer {
    static final String DATABASE = "2f4b3a0e-5d1c-4e8a-9b7f-0c6d1e2a3b4c";

    final String id;
    final Transport transport;
    final RecordingTransportListener listener;

    private Peer(String id, Transport transport, RecordingTransportListener listener) {
        this.id = id;
        this.transport = transport;
        this.listener = listener;
    }

    /** Creates (not starts) a node's transport with the default configuration but the given retry interval. */
    static Peer create(SimNetwork network, String id, long retryMillis) {
        return create(network, id, config(retryMillis, 0), DATABASE);
    }

    static Peer create(SimNetwork network, String id, TransportConfig config, String database) {
        RecordingTransportListener listener = new RecordingTransportListener();
        Transport transport = network.transportProvider(id)
                .create(new TransportParameters(database, "pk-" + id, "device-" + id, config, listener));
        return new Peer(id, transport, listener);
    }

    static Peer start(SimNetwork network, String id) {
        return start(network, id, 5000);
    }

    static Peer start(SimNetwork network, String id, long retryMillis) {
        Peer peer = create(network, id, retryMillis);
        peer.transport.start();
        return peer;
    }

    /** Creates a new transport for the same node (after a close or crash), with a fresh recorder. */
    Peer restart(SimNetwork network, long retryMillis) {
        Peer again = create(network, id, retryMillis);
        again.transport.start();
        return again;
    }

    static TransportConfig config(long retryMillis, long syncGroup) {
        TransportConfig config = new TransportConfig();
        config.connect().setRetryInterval(Duration.ofMillis(retryMillis));
        config.setSyncGroup(syncGroup);
        return config;
    }

    /** Returns the one link this peer has seen opened. */
    RecordedLink onlyLink() {
        List<RecordedLink> links = listener.links();
        assertEquals(1, links.size(), id + " links: " + links);
        return links.get(0);
    }

    /** Returns the most recent link this peer has seen opened to or from a remote node. */
    RecordedLink linkTo(String remote) {
        List<RecordedLink> links = listener.links();
        for (int i = links.size() - 1; i >= 0; i--) {
            if (links.get(i).link().remoteDescription().equals(SimNetwork.ENDPOINT_PREFIX + remote)) {
                return links.get(i);
            }
        }
        throw new AssertionError(id + " has no link with " + remote + ": " + links);
    }

    /** Returns the links this peer has seen opened, oldest first. */
    List<RecordedLink> links() {
        return listener.links();
    }

    /** Takes every frame delivered so far on a link, as byte arrays. */
    static List<byte[]> drain(RecordedLink link) throws InterruptedException {
        List<byte[]> frames = new ArrayList<>();
        ByteBuffer frame;
        while ((frame = link.awaitFrame(Duration.ZERO)) != null) {
            frames.add(bytes(frame));
        }
        return frames;
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    static ByteBuffer intFrame(int value) {
        return ByteBuffer.allocate(4).putInt(0, value);
    }

    static void assertNoViolations(RecordedLink... links) {
        for (RecordedLink link : links) {
            assertTrue(link.violations().isEmpty(), link + ": " + link.violations());
        }
    }
}
