package ditto.testkit.sim;

import java.nio.ByteBuffer;

import ditto.api.ConnectionType;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;

/**
 * One end of a simulated link, as the engine of one node sees it.
 *
 * <pre>
 *   node a (dialer)                        node b (acceptor)
 *   SimLinkEnd out ── out.out: a→b frames ──▶ SimLinkEnd in
 *                 ◀── in.out:  b→a frames ──
 * </pre>
 *
 * <p>Both ends share the link id. {@code open} turns false when this side closes, when the
 * remote's close (FIN) arrives, or on a reset or crash; {@code closeNotified} makes sure the
 * handler sees {@code onClosed} at most once. All state is changed by {@link SimNetwork} on the
 * simulation thread.
 */
final class SimLinkEnd implements Link {
    final SimNetwork network;
    final String id;
    final SimTransport transport;
    final boolean incoming;
    final String remoteNode;
    final int maxFrameSize;
    final long maxQueuedBytes;
    SimLinkEnd peer;
    SimNetwork.Direction out;
    LinkHandler handler;
    SimTransport.Want want;
    boolean open = true;
    boolean closeNotified;

    SimLinkEnd(SimNetwork network, String id, SimTransport transport, boolean incoming, String remoteNode,
            int maxFrameSize, long maxQueuedBytes) {
        this.network = network;
        this.id = id;
        this.transport = transport;
        this.incoming = incoming;
        this.remoteNode = remoteNode;
        this.maxFrameSize = maxFrameSize;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ConnectionType connectionType() {
        return transport.connectionType();
    }

    @Override
    public boolean isIncoming() {
        return incoming;
    }

    @Override
    public String remoteDescription() {
        return SimNetwork.ENDPOINT_PREFIX + remoteNode;
    }

    @Override
    public int maxFrameSize() {
        return maxFrameSize;
    }

    @Override
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    @Override
    public long queuedBytes() {
        return out.queuedBytes;
    }

    @Override
    public void send(ByteBuffer frame) {
        network.send(this, frame);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        network.checkThread("Link.close");
        network.closeOrderly(this, "closed by " + transport.nodeId);
    }

    @Override
    public String toString() {
        return "SimLink[" + id + " " + transport.nodeId + (incoming ? " <- " : " -> ") + remoteNode
                + (open ? "" : ", closed") + "]";
    }
}
