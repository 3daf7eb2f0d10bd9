package ditto.transport.lan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Assumptions;

import ditto.api.TransportConfig;
import ditto.api.spi.transport.TransportParameters;
import ditto.testkit.transport.RecordingTransportListener;

/**
 * Test support for discovery: LAN transports on the loopback interface with a private
 * multicast port and a short announcement period, and a check that this machine delivers IPv4
 * multicast on the loopback interface at all (tests that need it are skipped, not passed,
 * when it does not).
 */
final class DiscoveryFixture implements AutoCloseable {
    /** Announcement period in tests: peers are found within a few hundred milliseconds. */
    static final Duration ANNOUNCE = Duration.ofMillis(200);

    private static String loopbackProblem;
    private static boolean probed;

    /** A transport made by a test, its listener and its identity. */
    record Node(LanTransport transport, RecordingTransportListener listener, String peerKey, String databaseId) {

        /** The endpoint other peers see this one at. */
        String endpoint() {
            return "127.0.0.1:" + transport.listeningPort();
        }

        String deviceName() {
            return "device-" + peerKey;
        }
    }

    final DiscoveryOptions options;
    final String databaseId = "db-" + UUID.randomUUID();
    private final List<LanTransport> transports = new ArrayList<>();

    DiscoveryFixture() throws IOException {
        options = new DiscoveryOptions(DiscoveryOptions.group(DiscoveryOptions.DEFAULT_GROUP), freeUdpPort(), ANNOUNCE,
                DiscoveryOptions.DEFAULT_SERVICE_TYPE, Duration.ofMillis(500));
    }

    /** Skips the calling test, naming the reason, if loopback multicast does not work here. */
    static synchronized void assumeLoopbackMulticast() {
        if (!probed) {
            probed = true;
            loopbackProblem = probeLoopbackMulticast();
        }
        Assumptions.assumeTrue(loopbackProblem == null,
                "IPv4 multicast on the loopback interface does not work on this machine (" + loopbackProblem
                        + "), so discovery between two transports on 127.0.0.1 cannot be tested here");
    }

    /** A configuration listening on 127.0.0.1 with the given discovery mechanisms and group. */
    static TransportConfig config(boolean mdns, boolean multicast, long group) {
        TransportConfig config = TransportConfig.defaults().enableTcpListen("127.0.0.1", 0);
        config.peerToPeer().lan().setEnabled(true).setMdnsEnabled(mdns).setMulticastEnabled(multicast);
        config.setSyncGroup(group);
        config.connect().setRetryInterval(Duration.ofMillis(200));
        return config;
    }

    /** Creates a stopped transport for this fixture's database; closed with the fixture. */
    Node node(String peerKey, TransportConfig config) {
        return node(peerKey, config, databaseId);
    }

    /** Creates a stopped transport for a given database; closed with the fixture. */
    Node node(String peerKey, TransportConfig config, String database) {
        RecordingTransportListener listener = new RecordingTransportListener();
        LanTransport transport = new LanTransport(new TransportParameters(database, peerKey, "device-" + peerKey,
                config, listener), LanSettings.from(config), options);
        transports.add(transport);
        return new Node(transport, listener, peerKey, database);
    }

    /** Closes every transport, in parallel because each one with mDNS takes about 2 s. */
    @Override
    public void close() {
        List<Thread> closers = new ArrayList<>();
        for (LanTransport transport : transports) {
            Thread closer = new Thread(transport::close, "test-close");
            closer.start();
            closers.add(closer);
        }
        for (Thread closer : closers) {
            try {
                closer.join(LanTransport.MDNS_STOP_TIMEOUT_MS + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertTrue(!closer.isAlive(), "a transport did not close in time");
        }
        transports.clear();
    }

    static void awaitTrue(BooleanSupplier condition, Duration timeout, String message) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, message);
            Thread.sleep(20);
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String probeLoopbackMulticast() {
        try {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            NetworkInterface lo = NetworkInterface.getByInetAddress(loopback);
            if (lo == null) {
                return "no interface holds 127.0.0.1";
            }
            int port = freeUdpPort();
            InetAddress group = DiscoveryOptions.group(DiscoveryOptions.DEFAULT_GROUP);
            try (MulticastSocket receiver = new MulticastSocket(port);
                    MulticastSocket sender = new MulticastSocket(new InetSocketAddress(loopback, 0))) {
                receiver.joinGroup(new InetSocketAddress(group, port), lo);
                receiver.setSoTimeout(1_000);
                sender.setNetworkInterface(lo);
                sender.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
                byte[] probe = "ditto-probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                sender.send(new DatagramPacket(probe, probe.length, group, port));
                DatagramPacket got = new DatagramPacket(new byte[64], 64);
                receiver.receive(got);
                return got.getLength() == probe.length ? null : "a probe datagram arrived altered";
            }
        } catch (SocketTimeoutException e) {
            return "a datagram sent to " + DiscoveryOptions.DEFAULT_GROUP + " on " + "lo did not come back within 1 s";
        } catch (IOException | RuntimeException e) {
            return e.toString();
        }
    }
}
