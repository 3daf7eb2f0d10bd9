package ditto.testkit.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import ditto.api.spi.transport.DiscoveredPeer;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.TransportListener;

/**
 * A {@link TransportListener} for tests: it accepts every link, records it as a
 * {@link RecordedLink} (which is also the link's handler) and records discovery events.
 *
 * <p>Thread-safe: transports call the listener methods from their threads, tests read from
 * theirs.
 */
public final class RecordingTransportListener implements TransportListener {
    private final BlockingQueue<RecordedLink> newLinks = new LinkedBlockingQueue<>();
    private final List<RecordedLink> links = new CopyOnWriteArrayList<>();
    private final List<DiscoveredPeer> discovered = new CopyOnWriteArrayList<>();
    private final List<String> lost = new CopyOnWriteArrayList<>();

    /** Creates a listener with nothing recorded. */
    public RecordingTransportListener() {
    }

    /**
     * Records a new link and returns its recorder as the handler.
     *
     * @param link the link, never null
     * @return the {@link RecordedLink} for it, never null
     */
    @Override
    public LinkHandler onLinkOpened(Link link) {
        RecordedLink recorded = new RecordedLink(link);
        links.add(recorded);
        newLinks.add(recorded);
        return recorded;
    }

    /**
     * Records a discovered peer.
     *
     * @param peer the peer, never null
     */
    @Override
    public void onPeerDiscovered(DiscoveredPeer peer) {
        discovered.add(peer);
    }

    /**
     * Records a lost peer.
     *
     * @param endpoint the lost peer's endpoint, never null
     */
    @Override
    public void onPeerLost(String endpoint) {
        lost.add(endpoint);
    }

    /**
     * Waits for the next link opened after the ones already taken by this method.
     *
     * @param timeout how long to wait at most
     * @return the link, or null if none opened in time
     * @throws InterruptedException if interrupted while waiting
     */
    public RecordedLink awaitLink(Duration timeout) throws InterruptedException {
        return newLinks.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Returns every link opened so far, in opening order, as a copy. */
    public List<RecordedLink> links() {
        return new ArrayList<>(links);
    }

    /** Returns every discovered peer reported so far, as a copy. */
    public List<DiscoveredPeer> discovered() {
        return new ArrayList<>(discovered);
    }

    /** Returns every lost endpoint reported so far, as a copy. */
    public List<String> lost() {
        return new ArrayList<>(lost);
    }
}
