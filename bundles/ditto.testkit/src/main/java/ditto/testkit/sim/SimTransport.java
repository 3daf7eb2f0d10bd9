package ditto.testkit.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import ditto.api.ConnectionType;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportListener;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportStatus;
import ditto.api.spi.transport.TransportStatus.LinkState;
import ditto.api.spi.transport.TransportStatus.LinkStatus;

/**
 * The {@link Transport} of one simulated node. It owns the node's link ends, the set of nodes it
 * has discovered, and its "wants": remote nodes it keeps a link to (discovered nodes that sort
 * after it when automatic connection is on, and nodes named by {@link SimNetwork#connect}).
 *
 * <p>Invariants: while STARTED, each want has at most one of an open link, a pending attempt
 * event or a pending retry timer; while not STARTED, there are no wants, no open ends and no
 * discovered nodes. Every listener callback is made by the network inside {@code step()}; the
 * methods here only change state and queue events. Confined to the simulation thread.
 */
final class SimTransport implements Transport {

    enum State { STOPPED, STARTED, CLOSED, CRASHED }

    /** A remote node this transport keeps a link to, and why. */
    static final class Want {
        final String remote;
        boolean discovered;
        boolean explicit;
        SimLinkEnd link;
        SimNetwork.Event attempt;
        SimClock.Timer retry;

        Want(String remote) {
            this.remote = remote;
        }
    }

    final SimNetwork network;
    final String nodeId;
    final TransportParameters parameters;
    final TransportListener listener;
    final List<SimLinkEnd> ends = new ArrayList<>();
    final Set<String> discovered = new LinkedHashSet<>();
    private final Map<String, Want> wants = new LinkedHashMap<>();
    private State state = State.STOPPED;
    private long retryMillis;
    private long syncGroup;

    SimTransport(SimNetwork network, String nodeId, TransportParameters parameters) {
        this.network = network;
        this.nodeId = nodeId;
        this.parameters = parameters;
        this.listener = parameters.listener();
        this.retryMillis = parameters.config().connect().retryInterval().toMillis();
        this.syncGroup = parameters.config().global().syncGroup();
    }

    @Override
    public ConnectionType connectionType() {
        return ConnectionType.ACCESS_POINT;
    }

    @Override
    public void start() {
        network.checkThread("Transport.start");
        if (state == State.CLOSED || state == State.CRASHED) {
            throw new DittoException(ErrorCode.CLOSED, "simulated transport of node \"" + nodeId + "\": cannot start, it is "
                    + (state == State.CLOSED ? "closed" : "crashed"));
        }
        if (state == State.STARTED) {
            return;
        }
        state = State.STARTED;
        network.trace("start " + nodeId);
        network.transportStarted(this);
    }

    @Override
    public void stop() {
        network.checkThread("Transport.stop");
        if (state != State.STARTED) {
            return;
        }
        network.trace("stop " + nodeId);
        halt("stopped");
    }

    @Override
    public void reconfigure(TransportConfig config) {
        network.checkThread("Transport.reconfigure");
        Objects.requireNonNull(config, "config");
        if (state == State.CLOSED || state == State.CRASHED) {
            throw new DittoException(ErrorCode.CLOSED, "simulated transport of node \"" + nodeId
                    + "\": cannot reconfigure, it is closed");
        }
        config.validate();
        retryMillis = config.connect().retryInterval().toMillis();
        long group = config.global().syncGroup();
        if (group == syncGroup) {
            network.trace("reconfigure " + nodeId + " retry " + retryMillis + " ms");
            return;
        }
        network.trace("reconfigure " + nodeId + " sync group " + syncGroup + " -> " + group);
        boolean wasStarted = state == State.STARTED;
        if (wasStarted) {
            halt("sync group changed");
        }
        syncGroup = group;
        if (wasStarted) {
            state = State.STARTED;
            network.transportStarted(this);
        }
    }

    @Override
    public TransportStatus status() {
        List<LinkStatus> links = new ArrayList<>();
        for (SimLinkEnd end : ends) {
            links.add(new LinkStatus(end.id(), end.remoteDescription(), LinkState.CONNECTED));
        }
        for (Want want : wants.values()) {
            if (want.link == null) {
                links.add(new LinkStatus("sim-dial:" + nodeId + "->" + want.remote, SimNetwork.ENDPOINT_PREFIX + want.remote,
                        want.attempt != null ? LinkState.CONNECTING : LinkState.DISCONNECTED));
            }
        }
        return new TransportStatus(SimNetwork.TRANSPORT_ID, connectionType(), true, Optional.empty(), links);
    }

    @Override
    public void close() {
        network.checkThread("Transport.close");
        if (state == State.CLOSED || state == State.CRASHED) {
            return;
        }
        network.trace("close transport " + nodeId);
        if (state == State.STARTED) {
            halt("transport closed");
        }
        state = State.CLOSED;
        network.transportGone(this, false);
    }

    @Override
    public String toString() {
        return "SimTransport[" + nodeId + ", " + state + "]";
    }

    boolean isStarted() {
        return state == State.STARTED;
    }

    String group() {
        return parameters.databaseId() + "#" + syncGroup;
    }

    /** Stops: no more wants, every open end closed in an orderly way, discovery forgotten. */
    private void halt(String reason) {
        state = State.STOPPED;
        for (Want want : wants.values()) {
            cancelPending(want);
        }
        wants.clear();
        for (SimLinkEnd end : List.copyOf(ends)) {
            network.closeOrderly(end, reason);
        }
        discovered.clear();
        network.transportStopped(this);
    }

    /** The node crashed: no callbacks at all on this side from now on. */
    void crash() {
        boolean wasStarted = state == State.STARTED;
        state = State.CRASHED;
        for (Want want : wants.values()) {
            cancelPending(want);
        }
        wants.clear();
        network.transportGone(this, true);
        for (SimLinkEnd end : List.copyOf(ends)) {
            network.crashEnd(end);
        }
        ends.clear();
        discovered.clear();
        if (wasStarted) {
            network.transportStopped(this);
        }
    }

    void want(String remote, boolean viaDiscovery) {
        if (state != State.STARTED) {
            return;
        }
        Want want = wants.computeIfAbsent(remote, Want::new);
        if (viaDiscovery) {
            want.discovered = true;
        } else {
            want.explicit = true;
        }
        if (want.link == null && want.attempt == null && want.retry == null) {
            want.attempt = network.queueAttempt(this, want);
        }
    }

    void unwant(String remote, boolean viaDiscovery) {
        Want want = wants.get(remote);
        if (want == null) {
            return;
        }
        if (viaDiscovery) {
            want.discovered = false;
        } else {
            want.explicit = false;
        }
        if (want.discovered || want.explicit) {
            return;
        }
        wants.remove(remote);
        cancelPending(want);
        if (want.link != null) {
            network.closeOrderly(want.link, "link to " + remote + " no longer wanted");
        }
    }

    private void cancelPending(Want want) {
        if (want.attempt != null) {
            network.cancel(want.attempt);
            want.attempt = null;
        }
        if (want.retry != null) {
            want.retry.cancel();
            want.retry = null;
        }
    }

    /** A connection attempt's round trip is over: open the link or schedule a retry. */
    void attempt(Want want) {
        want.attempt = null;
        if (state != State.STARTED || wants.get(want.remote) != want || want.link != null) {
            return;
        }
        String reason = network.unreachable(this, want.remote);
        if (reason != null) {
            network.connectFailed(this, want.remote, reason);
            scheduleRetry(want);
            return;
        }
        network.openLink(this, network.transportOf(want.remote), want);
    }

    private void scheduleRetry(Want want) {
        want.retry = network.clock().schedule(retryMillis, () -> {
            want.retry = null;
            if (state == State.STARTED && wants.get(want.remote) == want && want.link == null && want.attempt == null) {
                network.trace("retry " + nodeId + " -> " + want.remote);
                want.attempt = network.queueAttempt(this, want);
            }
        });
    }

    /** One of this transport's ends closed (any way): forget it, and retry if it served a want. */
    void endClosed(SimLinkEnd end) {
        ends.remove(end);
        Want want = end.want;
        if (want != null && want.link == end) {
            want.link = null;
            if (state == State.STARTED && wants.get(want.remote) == want) {
                scheduleRetry(want);
            }
        }
    }
}
