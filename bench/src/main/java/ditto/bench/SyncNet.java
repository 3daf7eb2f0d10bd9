package ditto.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import ditto.api.TransportConfig;

/**
 * Ditto peers in one JVM syncing over loopback TCP through the public API (W5–W7): each peer
 * listens on its own port, peer {@code i > 0} dials peer {@code i − 1} through a
 * {@link LoopbackProxy} (so the link's bytes are counted and the link can be cut), every peer
 * subscribes to {@code SELECT * FROM bench}. Two peers are W5/W6's A and B; more make W7's line.
 *
 * <p>Invariant: {@code proxies.get(i − 1)} carries the link between peer {@code i − 1} and peer
 * {@code i}. Driven from the harness's main thread.
 */
final class SyncNet implements AutoCloseable {

    static final String SUBSCRIPTION = "SELECT * FROM " + DittoSide.COLLECTION;
    private static final Duration RETRY = Duration.ofMillis(50);
    private static final ObjectMapper SORTED = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    final List<DittoSide> peers = new ArrayList<>();
    final List<LoopbackProxy> proxies = new ArrayList<>();

    private final String databaseId;

    private SyncNet(String databaseId) {
        this.databaseId = databaseId;
    }

    /**
     * Opens {@code count} fresh peers under {@code dir} sharing one database id, without starting sync.
     *
     * @param preload documents inserted on peer 0 (in transactions of 500) before anything syncs
     */
    static SyncNet open(Path dir, int count, List<Map<String, Object>> preload) throws IOException {
        SyncNet net = new SyncNet(UUID.randomUUID().toString());
        try {
            for (int i = 0; i < count; i++) {
                DittoSide side = net.addPeer(dir.resolve("peer-" + i));
                if (i == 0) {
                    for (int from = 0; from < preload.size(); from += 500) {
                        side.insertInTransaction(preload.subList(from, Math.min(preload.size(), from + 500)));
                    }
                }
            }
            return net;
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /**
     * Opens one more peer in {@code dir} (fresh), listening, subscribed, dialing the last peer
     * through a new proxy; sync not started.
     */
    DittoSide addPeer(Path dir) throws IOException {
        int port = freePort();
        DittoSide side = DittoSide.open(dir, databaseId);
        TransportConfig config = TransportConfig.defaults().disableAllPeerToPeer().enableTcpListen("127.0.0.1", port);
        config.connect().setRetryInterval(RETRY);
        if (!peers.isEmpty()) {
            LoopbackProxy proxy = new LoopbackProxy(listenPort(peers.size() - 1));
            proxies.add(proxy);
            config.addTcpServer("127.0.0.1:" + proxy.port());
        }
        peers.add(side);
        side.ditto().setTransportConfig(config);
        side.ditto().sync().registerSubscription(SUBSCRIPTION);
        return side;
    }

    /** Closes the last peer and its proxy (W5 opens a fresh B per repetition). */
    void closeLast() {
        DittoSide last = peers.remove(peers.size() - 1);
        if (!proxies.isEmpty() && proxies.size() == peers.size()) {
            proxies.remove(proxies.size() - 1).close();
        }
        last.close();
    }

    private int listenPort(int peer) {
        return peers.get(peer).ditto().transportConfig().listen().tcp().port();
    }

    /** Starts sync on every peer. */
    void startAll() {
        for (DittoSide p : peers) {
            p.ditto().sync().start();
        }
    }

    /** Returns the bytes forwarded on every link so far. */
    long wireBytes() {
        return proxies.stream().mapToLong(LoopbackProxy::bytes).sum();
    }

    /** Returns a SHA-256 of the peer's whole collection ({@code SELECT *} ordered by id, keys sorted). */
    static String digest(DittoSide peer) {
        List<Map<String, Object>> rows = peer.query(SUBSCRIPTION + " ORDER BY _id", Map.of());
        try {
            byte[] json = SORTED.writeValueAsString(rows).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("digest of a peer's documents failed: " + e.getMessage(), e);
        }
    }

    /** Whether every peer holds the same documents. */
    boolean converged() {
        String first = digest(peers.get(0));
        for (int i = 1; i < peers.size(); i++) {
            if (!first.equals(digest(peers.get(i)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Polls the condition every {@code pollMillis} until it holds.
     *
     * @throws IllegalStateException naming {@code what} after {@code timeoutSeconds}
     */
    static void await(String what, long timeoutSeconds, long pollMillis, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s waiting until " + what);
            }
            Thread.sleep(pollMillis);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (LoopbackProxy p : proxies) {
            p.close();
        }
        RuntimeException failure = null;
        for (DittoSide p : peers) {
            try {
                p.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
