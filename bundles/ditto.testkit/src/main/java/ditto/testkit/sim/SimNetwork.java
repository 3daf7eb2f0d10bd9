package ditto.testkit.sim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.transport.DiscoveredPeer;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportListener;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportProvider;

/**
 * A deterministic in-memory network of simulated nodes, for tests that run many peers in one
 * thread and replay any run from its seed.
 *
 * <p><b>Nodes and transports.</b> {@link #transportProvider(String)} adds a node and returns a
 * real {@link TransportProvider} (id {@value #TRANSPORT_ID}) for it; hand it to the engine like
 * any transport plug-in. Its {@link Transport} follows the SPI: {@code start()} makes the node
 * reachable and discovers the other started nodes of the same database and sync group (each side
 * gets {@link TransportListener#onPeerDiscovered}, endpoint {@code sim://<node>}, mechanism
 * {@value #DISCOVERY_MECHANISM}); {@code stop()} closes its links and makes peers report
 * {@link TransportListener#onPeerLost}. Links open in two ways, which may be combined:
 * <ul>
 * <li>automatically (the default, {@link #setAutoConnect(boolean)}): a node connects to each
 * discovered node whose id sorts after its own, as the SPI recommends, so a pair gets one link;</li>
 * <li>explicitly: {@link #connect(String, String)} makes the first node connect to the second as
 * if it were a configured server, whether or not they discovered each other.</li>
 * </ul>
 * A wanted link that fails (peer not started, other database, partitioned) or closes is retried
 * after the transport's {@link ditto.api.TransportConfig.Connect#retryInterval()} of virtual time.
 *
 * <p><b>Delivery is driven by the test.</b> {@code Link.send} puts a frame in flight and returns;
 * nothing is delivered until the test calls {@link #step()} (one delivery),
 * {@link #runUntilQuiet(long)}, {@link #deliverAll()}, {@link #runFor(long)} or
 * {@link #runUntil(BooleanSupplier, long)}. Each step picks, with the seeded generator, one of
 * the things that are ready: a frame at the head of some link direction whose latency has
 * passed (any ready frame of that direction when reordering is on), or a control event
 * (connection attempt, discovery, close notification). So frames of different links interleave
 * randomly while frames of one direction stay in order. All engine callbacks
 * ({@code onLinkOpened}, {@code onFrame}, {@code onClosed}, discovery) run inside these calls,
 * on the calling thread, never inside {@code send}, {@code close}, {@code start} or {@code stop}.
 *
 * <p><b>Faults</b> ({@link Faults}) apply globally ({@link #setFaults(Faults)}) or per direction
 * between two nodes ({@link #setFaults(String, String, Faults)}): loss, duplication, reordering,
 * latency, truncation and bit flips. <b>Partitions</b> ({@link #partition(Cut)},
 * {@link #flap(Cut, long, long, int)}) block directions symmetrically or one way, hold or drop
 * the frames crossing them, and prevent new links across them. <b>Link flaps</b>
 * ({@link #flapLinks(String, String)}) reset links abruptly; the dialing side reconnects after its
 * retry interval. {@link #crash(String)} kills a node without any callback on its side.
 *
 * <p><b>Determinism.</b> Given the same seed, the same clock start and the same calls from the
 * test and the engine, every choice and every callback is the same, and so are the
 * {@linkplain #trace() trace} and its {@linkplain #traceDigest() digest}. The network keeps
 * every collection in insertion order and draws randomness only from its own generator. To keep
 * that promise, the simulation is confined to the thread that created the network: calls that
 * change it from another thread fail with {@link ErrorCode#INTERNAL}. {@link #report()} gives
 * the seed, the counters and the recent trace, to print when a test fails.
 */
public final class SimNetwork {

    /** The provider id of simulated transports: {@value}. */
    public static final String TRANSPORT_ID = "sim";
    /** The prefix of simulated endpoints and remote descriptions: {@value}{@code <node id>}. */
    public static final String ENDPOINT_PREFIX = "sim://";
    /** The {@link DiscoveredPeer#mechanism()} of simulated discovery: {@value}. */
    public static final String DISCOVERY_MECHANISM = "sim";
    /** The default largest frame of a simulated link: 1 MiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 1 << 20;
    /** The default send-queue limit of a simulated link: 16 MiB in flight per direction. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 16L << 20;
    /** The default number of trace events kept: {@value}. */
    public static final int DEFAULT_TRACE_CAPACITY = 1000;
    /** The most steps {@link #deliverAll()}, {@link #runFor(long)} and {@link #runUntil} take before giving up: {@value}. */
    public static final long DEFAULT_MAX_STEPS = 5_000_000L;

    private final long seed;
    private final SimClock clock;
    private final SplittableRandom random;
    private final Thread owner;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Direction> busy = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final List<Partition> partitions = new ArrayList<>();
    private final List<SimLinkEnd> dialerEnds = new ArrayList<>();
    private final Map<String, Faults> directedFaults = new HashMap<>();
    private final Set<List<String>> explicitLinks = new LinkedHashSet<>();
    private final Trace trace = new Trace(DEFAULT_TRACE_CAPACITY);
    private Faults faults = Faults.NONE;
    private boolean autoConnect = true;
    private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
    private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
    private long linkCounter;
    private long frameCounter;
    private long eventCounter;
    private boolean inCallback;

    private long sent;
    private long delivered;
    private long dropped;
    private long duplicated;
    private long corrupted;
    private long truncated;
    private long bitFlips;
    private long reordered;
    private long discarded;
    private long linksOpened;
    private long linksClosed;
    private long connectFailures;

    /**
     * Creates a network with its own {@link SimClock} starting at
     * {@link SimClock#DEFAULT_START_MILLIS}. The calling thread becomes the simulation thread.
     *
     * @param seed the seed of every random choice the network makes
     */
    public SimNetwork(long seed) {
        this(seed, new SimClock());
    }

    /**
     * Creates a network on a given clock, so that engine timers and network latency share one
     * virtual time. The calling thread becomes the simulation thread.
     *
     * @param seed the seed of every random choice the network makes
     * @param clock the virtual time, never null
     * @throws NullPointerException if {@code clock} is null
     */
    public SimNetwork(long seed, SimClock clock) {
        this.seed = seed;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = new SplittableRandom(seed);
        this.owner = Thread.currentThread();
    }

    /** Returns the seed this network was created with. */
    public long seed() {
        return seed;
    }

    /** Returns the virtual time of this network, never null. */
    public SimClock clock() {
        return clock;
    }

    // ------------------------------------------------------------------ nodes

    /**
     * Adds a node (if it is new) and returns the transport provider for it. The provider's
     * {@code create} makes the node's transport; a node has at most one transport that is not
     * closed or crashed, so a restarted peer creates a new one after {@code close()} or
     * {@link #crash(String)}. Calling this again with the same id returns the same provider.
     *
     * @param nodeId the node's id, not empty; it orders nodes for automatic connections and
     *        appears in endpoints ({@code sim://<id>}) and traces
     * @return the provider, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the id is empty or contains
     *         white space
     * @throws NullPointerException if {@code nodeId} is null
     */
    public TransportProvider transportProvider(String nodeId) {
        checkThread("transportProvider");
        Objects.requireNonNull(nodeId, "nodeId");
        if (nodeId.isEmpty() || nodeId.chars().anyMatch(Character::isWhitespace)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated network: node id \"" + nodeId
                    + "\" must be non-empty and without white space");
        }
        Node node = nodes.get(nodeId);
        if (node == null) {
            node = new Node(nodeId);
            nodes.put(nodeId, node);
            trace("join " + nodeId);
        }
        return node.provider;
    }

    /** Returns the ids of all nodes, in the order they joined; a copy. */
    public List<String> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /**
     * Tells whether a node's transport is started (reachable).
     *
     * @param nodeId the node id, never null
     * @return true if the node has a started transport
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the node is unknown
     */
    public boolean isStarted(String nodeId) {
        SimTransport transport = node(nodeId).transport;
        return transport != null && transport.isStarted();
    }

    /**
     * Chooses whether started nodes connect by themselves to the nodes they discover (the node
     * whose id sorts first dials). Default true. Turning it off affects only future discoveries.
     *
     * @param autoConnect false to open links only through {@link #connect(String, String)}
     */
    public void setAutoConnect(boolean autoConnect) {
        checkThread("setAutoConnect");
        this.autoConnect = autoConnect;
    }

    /** Returns whether discovered nodes are connected automatically; default true. */
    public boolean isAutoConnect() {
        return autoConnect;
    }

    /**
     * Sets the largest frame of links opened from now on.
     *
     * @param bytes a positive number of bytes; default {@link #DEFAULT_MAX_FRAME_SIZE}
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if not positive
     */
    public void setMaxFrameSize(int bytes) {
        if (bytes <= 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated network: max frame size " + bytes
                    + " is not positive");
        }
        this.maxFrameSize = bytes;
    }

    /**
     * Sets how many bytes may be in flight per link direction, for links opened from now on;
     * {@code send} beyond it fails with {@link ErrorCode#TRANSPORT}, as a full send queue does.
     * Frames held by a partition count, so a long partition fills the queue.
     *
     * @param bytes a positive number of bytes; default {@link #DEFAULT_MAX_QUEUED_BYTES}
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if not positive
     */
    public void setMaxQueuedBytes(long bytes) {
        if (bytes <= 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated network: max queued bytes " + bytes
                    + " is not positive");
        }
        this.maxQueuedBytes = bytes;
    }

    /**
     * Makes one node connect to another as if the second were a configured server: whenever the
     * first node's transport is started it keeps a link to the second, retrying at its retry
     * interval. Idempotent. Works whether or not automatic connection is on; with both, a pair
     * that automatic connection already links in the same direction still gets one link.
     *
     * @param dialer the node that opens the link
     * @param acceptor the node that accepts it
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a node is unknown or both are
     *         the same
     */
    public void connect(String dialer, String acceptor) {
        checkThread("connect");
        checkPair(dialer, acceptor);
        if (explicitLinks.add(List.of(dialer, acceptor))) {
            trace("want " + dialer + " -> " + acceptor);
            SimTransport transport = nodes.get(dialer).transport;
            if (transport != null && transport.isStarted()) {
                transport.want(acceptor, false);
            }
        }
    }

    /**
     * Undoes {@link #connect(String, String)}: the first node stops reconnecting and closes, in
     * an orderly way, a link it opened only because of that call. Idempotent.
     *
     * @param dialer the node that opened the link
     * @param acceptor the node that accepted it
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a node is unknown or both are
     *         the same
     */
    public void disconnect(String dialer, String acceptor) {
        checkThread("disconnect");
        checkPair(dialer, acceptor);
        if (explicitLinks.remove(List.of(dialer, acceptor))) {
            trace("unwant " + dialer + " -> " + acceptor);
            SimTransport transport = nodes.get(dialer).transport;
            if (transport != null) {
                transport.unwant(acceptor, false);
            }
        }
    }

    /**
     * Kills a node: its transport ends at once without any callback on its side (its process is
     * gone), every frame to or from it is discarded, and each remote end of its links sees
     * {@code onClosed} with a {@link ErrorCode#TRANSPORT} cause after one latency sample. The
     * node can come back with a new transport from its provider, as a restarted peer would.
     *
     * @param nodeId the node to crash
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the node is unknown or has no
     *         live transport
     */
    public void crash(String nodeId) {
        checkThread("crash");
        SimTransport transport = node(nodeId).transport;
        if (transport == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated network: cannot crash node \"" + nodeId
                    + "\": it has no live transport");
        }
        trace("crash " + nodeId);
        transport.crash();
    }

    // ------------------------------------------------------------------ faults

    /**
     * Sets the faults of every direction that has no faults of its own.
     *
     * @param faults the faults; {@link Faults#NONE} (the default) for a perfect network
     * @throws NullPointerException if {@code faults} is null
     */
    public void setFaults(Faults faults) {
        checkThread("setFaults");
        this.faults = Objects.requireNonNull(faults, "faults");
        trace("faults * -> * " + describe(faults));
    }

    /** Returns the faults of directions without faults of their own, never null. */
    public Faults faults() {
        return faults;
    }

    /**
     * Sets the faults of frames sent from one node to another, overriding the global faults.
     *
     * @param from the sending node
     * @param to the receiving node
     * @param faults the faults of that direction, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a node is unknown or both are
     *         the same
     * @throws NullPointerException if {@code faults} is null
     */
    public void setFaults(String from, String to, Faults faults) {
        checkThread("setFaults");
        checkPair(from, to);
        directedFaults.put(key(from, to), Objects.requireNonNull(faults, "faults"));
        trace("faults " + from + " -> " + to + " " + describe(faults));
    }

    /**
     * Sets the faults of both directions between two nodes.
     *
     * @param a one node
     * @param b the other node
     * @param faults the faults of both directions, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a node is unknown or both are
     *         the same
     * @throws NullPointerException if {@code faults} is null
     */
    public void setLinkFaults(String a, String b, Faults faults) {
        setFaults(a, b, faults);
        setFaults(b, a, faults);
    }

    /**
     * Removes the faults of one direction, which then follows the global faults again.
     *
     * @param from the sending node
     * @param to the receiving node
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a node is unknown or both are
     *         the same
     */
    public void clearFaults(String from, String to) {
        checkThread("clearFaults");
        checkPair(from, to);
        if (directedFaults.remove(key(from, to)) != null) {
            trace("faults " + from + " -> " + to + " cleared");
        }
    }

    /**
     * Returns the faults that apply to frames from one node to another.
     *
     * @param from the sending node id, never null
     * @param to the receiving node id, never null
     * @return the direction's own faults, or the global ones; never null
     */
    public Faults faults(String from, String to) {
        return directedFaults.getOrDefault(key(from, to), faults);
    }

    // ------------------------------------------------------------------ partitions

    /**
     * Applies a partition now.
     *
     * @param cut the directions to block, never null
     * @return the active partition, which the test heals with {@link Partition#heal()}; never null
     * @throws NullPointerException if {@code cut} is null
     */
    public Partition partition(Cut cut) {
        checkThread("partition");
        Partition partition = new Partition(this, Objects.requireNonNull(cut, "cut"));
        applyPartition(partition);
        return partition;
    }

    /**
     * Applies a partition that flaps on a schedule of virtual time: active now for
     * {@code activeMillis}, healed for {@code healedMillis}, active again, and so on for
     * {@code cycles} active periods, ending healed. {@link Partition#heal()} stops it early.
     *
     * @param cut the directions to block, never null
     * @param activeMillis how long each active period lasts, positive
     * @param healedMillis how long each healed period between two active ones lasts, positive
     * @param cycles how many active periods, at least 1
     * @return the partition, active now; never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a duration or the cycle count
     *         is not positive
     * @throws NullPointerException if {@code cut} is null
     */
    public Partition flap(Cut cut, long activeMillis, long healedMillis, int cycles) {
        checkThread("flap");
        if (activeMillis <= 0 || healedMillis <= 0 || cycles <= 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated network: a flapping partition needs "
                    + "positive durations and cycles, got active " + activeMillis + " ms, healed " + healedMillis
                    + " ms, " + cycles + " cycles");
        }
        Partition partition = partition(cut);
        long at = 0;
        for (int i = 0; i < cycles; i++) {
            at += activeMillis;
            partition.addScheduled(clock.schedule(at, () -> healPartition(partition)));
            if (i < cycles - 1) {
                at += healedMillis;
                partition.addScheduled(clock.schedule(at, () -> applyPartition(partition)));
            }
        }
        return partition;
    }

    /** Heals every active partition and cancels flapping schedules. */
    public void healAll() {
        checkThread("healAll");
        for (Partition partition : List.copyOf(partitions)) {
            partition.heal();
        }
    }

    /** Returns the active partitions, in the order they were applied; a copy. */
    public List<Partition> partitions() {
        return List.copyOf(partitions);
    }

    /**
     * Tells whether an active partition blocks frames and connections from one node to another.
     *
     * @param from the sending node id, never null
     * @param to the receiving node id, never null
     * @return true if blocked
     */
    public boolean isBlocked(String from, String to) {
        return blockMode(from, to) != Block.NONE;
    }

    // ------------------------------------------------------------------ link flaps

    /**
     * Resets every open link between two nodes, in either direction, as a dropped connection
     * would: frames in flight on them are discarded and both ends see {@code onClosed} with a
     * {@link ErrorCode#TRANSPORT} cause at the next steps. The dialing transports reconnect after
     * their retry interval if they still want the link.
     *
     * @param a one node
     * @param b the other node
     * @return how many links were reset
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a node is unknown or both are
     *         the same
     */
    public int flapLinks(String a, String b) {
        checkThread("flapLinks");
        checkPair(a, b);
        int count = 0;
        for (SimLinkEnd end : List.copyOf(dialerEnds)) {
            boolean between = end.transport.nodeId.equals(a) && end.remoteNode.equals(b)
                    || end.transport.nodeId.equals(b) && end.remoteNode.equals(a);
            if (between && (end.open || end.peer.open)) {
                DittoException cause = new DittoException(ErrorCode.TRANSPORT, "simulated link " + end.id + " between "
                        + end.transport.nodeId + " and " + end.remoteNode + ": connection reset (link flap)");
                trace("flap " + end.id + " " + end.transport.nodeId + " <-> " + end.remoteNode);
                reset(end, cause);
                reset(end.peer, cause);
                count++;
            }
        }
        return count;
    }

    /**
     * Schedules link flaps between two nodes every {@code periodMillis} of virtual time, the
     * first one period from now.
     *
     * @param a one node
     * @param b the other node
     * @param periodMillis time between flaps, positive
     * @param times how many flaps, zero or more
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a node is unknown, both are
     *         the same, the period is not positive or {@code times} is negative
     */
    public void scheduleLinkFlaps(String a, String b, long periodMillis, int times) {
        checkThread("scheduleLinkFlaps");
        checkPair(a, b);
        if (periodMillis <= 0 || times < 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated network: link flaps need a positive period "
                    + "and a count of zero or more, got " + periodMillis + " ms and " + times);
        }
        for (int i = 1; i <= times; i++) {
            clock.schedule(periodMillis * i, () -> flapLinks(a, b));
        }
    }

    /**
     * Returns the links that are not closed at both ends, in the order they opened.
     *
     * @return a snapshot, never null
     */
    public List<LinkInfo> links() {
        List<LinkInfo> out = new ArrayList<>();
        for (SimLinkEnd end : dialerEnds) {
            out.add(new LinkInfo(end.id, end.transport.nodeId, end.remoteNode, end.open, end.peer.open));
        }
        return out;
    }

    /**
     * A link as the network sees it.
     *
     * @param id the link id, the same at both ends
     * @param dialer the node that opened it
     * @param acceptor the node that accepted it
     * @param dialerOpen whether the dialer's end is open
     * @param acceptorOpen whether the acceptor's end is open
     */
    public record LinkInfo(String id, String dialer, String acceptor, boolean dialerOpen, boolean acceptorOpen) {
    }

    // ------------------------------------------------------------------ driving

    /**
     * Delivers one thing that is ready now, chosen at random: a frame, a close, a connection
     * attempt or a discovery. Does not move time.
     *
     * @return true if something was delivered, false if nothing is ready at this time
     * @throws DittoException {@link ErrorCode#INTERNAL} if called from inside a callback of this
     *         network or from another thread; any exception thrown by the engine's callback
     *         propagates (the network stays consistent)
     */
    public boolean step() {
        checkThread("step");
        if (inCallback) {
            throw new DittoException(ErrorCode.INTERNAL, "simulated network: step() called from inside a callback; "
                    + "callbacks must return and let the test drive the next step");
        }
        long now = clock.millis();
        List<Object> ready = readyNow(now);
        if (ready.isEmpty()) {
            return false;
        }
        Object chosen = ready.get(ready.size() == 1 ? 0 : random.nextInt(ready.size()));
        if (chosen instanceof Event) {
            Event event = (Event) chosen;
            events.remove(event);
            trace(event.description);
            callback(event.action);
        } else {
            deliverFrom((Direction) chosen, now);
        }
        return true;
    }

    /**
     * Steps until nothing is ready at the current time. Does not move time, so frames still in
     * their latency and held frames stay in flight.
     *
     * @param maxSteps the most steps to take, positive
     * @return how many steps were taken
     * @throws DittoException {@link ErrorCode#TIMEOUT} if something is still ready after
     *         {@code maxSteps} steps (a livelock); {@link ErrorCode#INVALID_ARGUMENTS} if
     *         {@code maxSteps} is not positive
     */
    public long runUntilQuiet(long maxSteps) {
        if (maxSteps <= 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated network: maxSteps " + maxSteps
                    + " is not positive");
        }
        long steps = 0;
        while (step()) {
            steps++;
            if (steps >= maxSteps && !readyNow(clock.millis()).isEmpty()) {
                throw busy(steps);
            }
        }
        return steps;
    }

    /**
     * Delivers everything in flight, moving time forward to each latency as needed (and so
     * firing clock timers on the way), until nothing is in flight except frames held by
     * partitions. Timers due later stay pending.
     *
     * @return how many steps were taken
     * @throws DittoException {@link ErrorCode#TIMEOUT} after {@link #DEFAULT_MAX_STEPS} steps
     */
    public long deliverAll() {
        long steps = 0;
        while (true) {
            if (step()) {
                if (++steps >= DEFAULT_MAX_STEPS) {
                    throw busy(steps);
                }
                continue;
            }
            long next = nextDue();
            if (next == Long.MAX_VALUE) {
                return steps;
            }
            clock.advanceTo(Math.max(next, clock.millis()));
        }
    }

    /**
     * Runs the simulation for a span of virtual time: delivers what is ready, then moves time to
     * the next latency expiry or clock timer, and so on, until the end of the span.
     *
     * @param millis the span, zero or more
     * @return how many steps were taken
     * @throws DittoException {@link ErrorCode#TIMEOUT} after {@link #DEFAULT_MAX_STEPS} steps
     */
    public long runFor(long millis) {
        if (millis < 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated network: cannot run for " + millis + " ms");
        }
        long end = clock.millis() + millis;
        long[] steps = {0};
        advanceUntil(end, () -> false, steps);
        return steps[0];
    }

    /**
     * Runs the simulation, as {@link #runFor(long)} does, until a condition holds or a span of
     * virtual time has passed. The condition is checked before the first step and after every
     * step and every move of time.
     *
     * @param condition what to wait for, evaluated on this thread; never null
     * @param maxMillis the most virtual time to run, zero or more
     * @return true if the condition held, false if time ran out first
     * @throws DittoException {@link ErrorCode#TIMEOUT} after {@link #DEFAULT_MAX_STEPS} steps
     * @throws NullPointerException if {@code condition} is null
     */
    public boolean runUntil(BooleanSupplier condition, long maxMillis) {
        Objects.requireNonNull(condition, "condition");
        if (maxMillis < 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated network: cannot run for " + maxMillis + " ms");
        }
        return advanceUntil(clock.millis() + maxMillis, condition, new long[1]);
    }

    private boolean advanceUntil(long end, BooleanSupplier condition, long[] steps) {
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (step()) {
                if (++steps[0] >= DEFAULT_MAX_STEPS) {
                    throw busy(steps[0]);
                }
                continue;
            }
            long next = Math.min(nextDue(), clock.nextTimerMillis().orElse(Long.MAX_VALUE));
            if (next > end) {
                clock.advanceTo(Math.max(end, clock.millis()));
                return condition.getAsBoolean();
            }
            clock.advanceTo(Math.max(next, clock.millis()));
        }
    }

    /** Returns how many frame copies are in flight (including held ones), not counting closes. */
    public int inFlightFrames() {
        int count = 0;
        for (Direction direction : busy) {
            for (Item item : direction.items) {
                if (!item.isFin()) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Returns how many control events (connection attempts, discoveries, close notifications) are pending. */
    public int pendingEvents() {
        return events.size();
    }

    // ------------------------------------------------------------------ reporting

    /**
     * Returns the counters so far.
     *
     * @return a snapshot, never null
     */
    public Stats stats() {
        return new Stats(sent, delivered, dropped, duplicated, corrupted, truncated, bitFlips, reordered, discarded,
                linksOpened, linksClosed, connectFailures);
    }

    /**
     * The network's counters.
     *
     * @param sent frames accepted by {@code Link.send}
     * @param delivered frame copies handed to a {@code LinkHandler.onFrame}
     * @param dropped frames lost to the loss probability or to a dropping partition
     * @param duplicated frames sent twice by the duplication probability
     * @param corrupted frame copies truncated, bit-flipped or both
     * @param truncated frame copies truncated
     * @param bitFlips frame copies with a flipped bit
     * @param reordered deliveries that overtook an older frame of the same direction
     * @param discarded frame copies thrown away because their receiving end closed, crashed or was reset
     * @param linksOpened links opened
     * @param linksClosed links closed or reset (counted once per link)
     * @param connectFailures connection attempts that failed (peer not started, other database or
     *        sync group, partitioned)
     */
    public record Stats(long sent, long delivered, long dropped, long duplicated, long corrupted, long truncated,
            long bitFlips, long reordered, long discarded, long linksOpened, long linksClosed, long connectFailures) {
    }

    /**
     * Sets how many trace events are kept; the oldest are forgotten first. The digest still
     * covers every event.
     *
     * @param capacity a positive number of events; default {@link #DEFAULT_TRACE_CAPACITY}
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if not positive
     */
    public void setTraceCapacity(int capacity) {
        if (capacity <= 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated network: trace capacity " + capacity
                    + " is not positive");
        }
        trace.setCapacity(capacity);
    }

    /**
     * Returns the most recent trace events, oldest first. Each line starts with the event number
     * and the virtual time since the clock started, such as {@code #12 t=+35 deliver ...}; lines
     * contain nothing that varies between runs of the same seed.
     *
     * @return a copy, never null
     */
    public List<String> trace() {
        return trace.lines();
    }

    /** Returns how many trace events happened in total, kept or not. */
    public long traceEvents() {
        return trace.total;
    }

    /**
     * Returns a 64-bit FNV-1a digest of every trace event since the network was created,
     * including those no longer kept: two runs with equal digests made the same choices.
     *
     * @return the digest
     */
    public long traceDigest() {
        return trace.digest;
    }

    /**
     * Returns a multi-line report for a failing test: the seed and how to replay it, virtual
     * time, what is in flight, active partitions and faults, the counters and the kept trace.
     *
     * @return the report, never null
     */
    public String report() {
        StringBuilder out = new StringBuilder();
        out.append(Seeds.replayHint(seed)).append('\n');
        out.append("virtual time +").append(clock.elapsedMillis()).append(" ms; in flight ").append(inFlightFrames())
                .append(" frames, ").append(events.size()).append(" events; timers ").append(clock.pendingTimers())
                .append('\n');
        out.append("faults ").append(describe(faults));
        for (Map.Entry<String, Faults> entry : new TreeMap<>(directedFaults).entrySet()) {
            out.append("; ").append(entry.getKey().replace('\u0000', '>')).append(' ').append(describe(entry.getValue()));
        }
        out.append('\n');
        out.append("partitions ").append(partitions).append('\n');
        out.append(stats()).append('\n');
        List<String> lines = trace.lines();
        out.append("last ").append(lines.size()).append(" of ").append(trace.total).append(" trace events (digest ")
                .append(Long.toHexString(trace.digest)).append("):\n");
        for (String line : lines) {
            out.append("  ").append(line).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "SimNetwork[seed=" + seed + ", nodes=" + nodes.keySet() + ", t=+" + clock.elapsedMillis() + " ms]";
    }

    // ================================================================== internals

    private enum Block { NONE, HOLD, DROP }

    /** A node: its id, its provider and its live transport (null when none or after close/crash). */
    private final class Node {
        final String id;
        final TransportProvider provider;
        SimTransport transport;

        Node(String id) {
            this.id = id;
            this.provider = new Provider(this);
        }
    }

    /** The provider of one node; creating a transport registers it as the node's live transport. */
    private final class Provider implements TransportProvider {
        private final Node node;

        Provider(Node node) {
            this.node = node;
        }

        @Override
        public String id() {
            return TRANSPORT_ID;
        }

        @Override
        public Transport create(TransportParameters parameters) {
            checkThread("TransportProvider.create");
            Objects.requireNonNull(parameters, "parameters");
            if (node.transport != null) {
                throw new DittoException(ErrorCode.INVALID_CONFIG, "simulated node \"" + node.id
                        + "\" already has a transport that is not closed; close or crash it before creating another");
            }
            parameters.config().validate();
            SimTransport transport = new SimTransport(SimNetwork.this, node.id, parameters);
            node.transport = transport;
            trace("create " + node.id + " database " + parameters.databaseId() + " group "
                    + parameters.config().global().syncGroup());
            return transport;
        }

        @Override
        public String toString() {
            return "SimTransportProvider[" + node.id + "]";
        }
    }

    /**
     * One direction of one link: the frames in flight from {@code from} to {@code to}, in send
     * order. Invariant: listed in {@code busy} exactly while {@code items} is not empty;
     * {@code queuedBytes} is the sum of the lengths of its frame items.
     */
    static final class Direction {
        final SimLinkEnd from;
        final SimLinkEnd to;
        final List<Item> items = new ArrayList<>();
        long lastDue = Long.MIN_VALUE;
        long queuedBytes;

        Direction(SimLinkEnd from, SimLinkEnd to) {
            this.from = from;
            this.to = to;
        }

        String fromNode() {
            return from.transport.nodeId;
        }

        String toNode() {
            return to.transport.nodeId;
        }

        String label() {
            return from.id + " " + fromNode() + "->" + toNode();
        }
    }

    /** A frame copy or a close marker (FIN, {@code data == null}) in flight. Immutable. */
    static final class Item {
        final long number;
        final byte[] data;
        final long due;

        Item(long number, byte[] data, long due) {
            this.number = number;
            this.data = data;
            this.due = due;
        }

        boolean isFin() {
            return data == null;
        }
    }

    /** A control event: runs {@code action} when chosen at or after {@code due}; owned by a transport or null. */
    static final class Event {
        final long number;
        final long due;
        final SimTransport owner;
        final String description;
        final Runnable action;

        Event(long number, long due, SimTransport owner, String description, Runnable action) {
            this.number = number;
            this.due = due;
            this.owner = owner;
            this.description = description;
            this.action = action;
        }
    }

    /** The bounded ring of recent trace lines plus a running digest of all of them. */
    private static final class Trace {
        private final ArrayDeque<String> lines = new ArrayDeque<>();
        private int capacity;
        private long total;
        private long digest = 0xcbf29ce484222325L;

        Trace(int capacity) {
            this.capacity = capacity;
        }

        void add(String line) {
            total++;
            for (byte b : line.getBytes(StandardCharsets.UTF_8)) {
                digest = (digest ^ (b & 0xff)) * 0x100000001b3L;
            }
            digest = (digest ^ '\n') * 0x100000001b3L;
            lines.addLast(line);
            while (lines.size() > capacity) {
                lines.removeFirst();
            }
        }

        void setCapacity(int capacity) {
            this.capacity = capacity;
            while (lines.size() > capacity) {
                lines.removeFirst();
            }
        }

        List<String> lines() {
            return new ArrayList<>(lines);
        }
    }

    void checkThread(String what) {
        if (Thread.currentThread() != owner) {
            throw new DittoException(ErrorCode.INTERNAL, "simulated network: " + what + " called on thread \""
                    + Thread.currentThread().getName() + "\", but the simulation is confined to thread \"" + owner.getName()
                    + "\" that created it (so that every run replays from its seed)");
        }
    }

    void trace(String text) {
        trace.add("#" + (trace.total + 1) + " t=+" + clock.elapsedMillis() + " " + text);
    }

    private Node node(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        Node node = nodes.get(nodeId);
        if (node == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated network: unknown node \"" + nodeId
                    + "\"; known nodes: " + nodes.keySet());
        }
        return node;
    }

    private void checkPair(String a, String b) {
        node(a);
        node(b);
        if (a.equals(b)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated network: \"" + a
                    + "\" is given as both ends; a link joins two different nodes");
        }
    }

    private static String key(String from, String to) {
        return from + '\u0000' + to;
    }

    private static String describe(Faults f) {
        if (f.equals(Faults.NONE)) {
            return "none";
        }
        return "loss=" + f.loss() + " dup=" + f.duplication() + " reorder=" + f.reorder() + " trunc=" + f.truncation()
                + " flip=" + f.bitFlip() + " delay=" + f.delay();
    }

    private static String summary(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return data.length + "B crc=" + Long.toHexString(crc.getValue());
    }

    private boolean chance(double probability) {
        return probability > 0 && random.nextDouble() < probability;
    }

    /** Runs engine code, marking that the network is inside a callback so that step() is not re-entered. */
    private void callback(Runnable action) {
        boolean outer = inCallback;
        inCallback = true;
        try {
            action.run();
        } finally {
            inCallback = outer;
        }
    }

    private DittoException busy(long steps) {
        return new DittoException(ErrorCode.TIMEOUT, "simulated network: still busy after " + steps + " steps at t=+"
                + clock.elapsedMillis() + " ms (livelock?); " + Seeds.replayHint(seed));
    }

    // ------------------------------------------------------------------ events

    Event schedule(SimTransport owner, long delayMillis, String description, Runnable action) {
        Event event = new Event(++eventCounter, clock.millis() + delayMillis, owner, description, action);
        events.add(event);
        return event;
    }

    void cancel(Event event) {
        events.remove(event);
    }

    private void dropEventsOf(SimTransport owner) {
        events.removeIf(e -> e.owner == owner);
    }

    private List<Object> readyNow(long now) {
        List<Object> ready = new ArrayList<>();
        for (Event event : events) {
            if (event.due <= now) {
                ready.add(event);
            }
        }
        for (Direction direction : busy) {
            if (readyIndexes(direction, now, false) != null) {
                ready.add(direction);
            }
        }
        return ready;
    }

    /**
     * Returns the indexes of the items of a direction that may be delivered now (just the head
     * when the direction keeps order), or null when none may. A FIN may go only when it is alone.
     */
    private List<Integer> readyIndexes(Direction direction, long now, boolean all) {
        List<Item> items = direction.items;
        if (items.isEmpty() || blockMode(direction.fromNode(), direction.toNode()) != Block.NONE) {
            return null;
        }
        if (faults(direction.fromNode(), direction.toNode()).reorder() == 0) {
            return items.get(0).due <= now ? List.of(0) : null;
        }
        List<Integer> ready = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item.due <= now && (!item.isFin() || items.size() == 1)) {
                ready.add(i);
                if (!all) {
                    return ready;
                }
            }
        }
        return ready.isEmpty() ? null : ready;
    }

    /** Returns the earliest time something not held becomes ready, or Long.MAX_VALUE. */
    private long nextDue() {
        long next = Long.MAX_VALUE;
        for (Event event : events) {
            next = Math.min(next, event.due);
        }
        for (Direction direction : busy) {
            if (blockMode(direction.fromNode(), direction.toNode()) != Block.NONE) {
                continue;
            }
            List<Item> items = direction.items;
            if (faults(direction.fromNode(), direction.toNode()).reorder() == 0) {
                next = Math.min(next, items.get(0).due);
            } else {
                for (Item item : items) {
                    if (!item.isFin() || items.size() == 1) {
                        next = Math.min(next, item.due);
                    }
                }
            }
        }
        return next;
    }

    // ------------------------------------------------------------------ frames

    void send(SimLinkEnd end, ByteBuffer frame) {
        checkThread("Link.send");
        Objects.requireNonNull(frame, "frame");
        if (!end.open) {
            throw new DittoException(ErrorCode.TRANSPORT, "simulated link " + end.id + " (" + end.transport.nodeId + " to "
                    + end.remoteDescription() + "): cannot send, the link is closed");
        }
        int length = frame.remaining();
        if (length > end.maxFrameSize) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "simulated link " + end.id + ": frame of " + length
                    + " bytes exceeds the maximum of " + end.maxFrameSize + " bytes");
        }
        Direction direction = end.out;
        if (direction.queuedBytes + length > end.maxQueuedBytes) {
            throw new DittoException(ErrorCode.TRANSPORT, "simulated link " + end.id + ": send queue full ("
                    + direction.queuedBytes + " bytes in flight, limit " + end.maxQueuedBytes + ")");
        }
        byte[] data = new byte[length];
        frame.get(data);
        long number = ++frameCounter;
        sent++;
        String what = "frame " + number + " " + direction.label() + " " + summary(data);
        if (!end.peer.open) {
            discarded++;
            trace("discard " + what + ": remote end closed");
            return;
        }
        if (blockMode(direction.fromNode(), direction.toNode()) == Block.DROP) {
            dropped++;
            trace("drop " + what + ": partition");
            return;
        }
        Faults f = faults(direction.fromNode(), direction.toNode());
        if (chance(f.loss())) {
            dropped++;
            trace("lose " + what);
            return;
        }
        boolean twice = chance(f.duplication());
        if (twice) {
            duplicated++;
        }
        byte[][] copies = twice ? new byte[][] {data, data.clone()} : new byte[][] {data};
        for (int c = 0; c < copies.length; c++) {
            byte[] copy = copies[c];
            StringBuilder note = new StringBuilder(c == 1 ? " duplicate" : "");
            boolean damaged = false;
            if (copy.length > 0 && chance(f.truncation())) {
                copy = Arrays.copyOf(copy, random.nextInt(copy.length));
                truncated++;
                damaged = true;
                note.append(" truncated to ").append(copy.length);
            }
            if (copy.length > 0 && chance(f.bitFlip())) {
                long bit = random.nextLong(copy.length * 8L);
                copy[(int) (bit >>> 3)] ^= (byte) (1 << (bit & 7));
                bitFlips++;
                damaged = true;
                note.append(" bit ").append(bit).append(" flipped");
            }
            if (damaged) {
                corrupted++;
            }
            long due = clock.millis() + f.delay().sampleMillis(random);
            if (f.reorder() == 0) {
                due = Math.max(due, direction.lastDue);
            }
            enqueue(direction, new Item(number, copy, due));
            trace("send " + what + note + " due +" + (due - clock.startMillis()));
        }
    }

    private void enqueue(Direction direction, Item item) {
        if (direction.items.isEmpty()) {
            busy.add(direction);
        }
        direction.items.add(item);
        direction.lastDue = Math.max(direction.lastDue, item.due);
        if (!item.isFin()) {
            direction.queuedBytes += item.data.length;
        }
    }

    private Item removeItem(Direction direction, int index) {
        Item item = direction.items.remove(index);
        if (!item.isFin()) {
            direction.queuedBytes -= item.data.length;
        }
        if (direction.items.isEmpty()) {
            busy.remove(direction);
        }
        return item;
    }

    private void deliverFrom(Direction direction, long now) {
        List<Integer> ready = readyIndexes(direction, now, true);
        int index = ready.get(0);
        if (ready.size() > 1) {
            boolean headReady = ready.get(0) == 0;
            double reorder = faults(direction.fromNode(), direction.toNode()).reorder();
            if (!headReady || chance(reorder)) {
                int skip = headReady ? 1 : 0;
                index = ready.get(skip + random.nextInt(ready.size() - skip));
            }
        }
        Item item = removeItem(direction, index);
        String overtook = "";
        if (index != 0) {
            reordered++;
            overtook = " (overtook " + index + ")";
        }
        if (item.isFin()) {
            receiveFin(direction);
            return;
        }
        SimLinkEnd to = direction.to;
        if (!to.open || to.handler == null) {
            discarded++;
            trace("discard frame " + item.number + " " + direction.label() + ": receiver has no open handler");
            return;
        }
        delivered++;
        trace("deliver frame " + item.number + " " + direction.label() + " " + summary(item.data) + overtook);
        LinkHandler handler = to.handler;
        callback(() -> handler.onFrame(ByteBuffer.wrap(item.data)));
    }

    /** Discards a direction's frames (and its FIN unless {@code keepFin}); returns how many frames went. */
    private int purge(Direction direction, boolean keepFin) {
        int count = 0;
        for (int i = direction.items.size() - 1; i >= 0; i--) {
            if (direction.items.get(i).isFin()) {
                if (keepFin) {
                    continue;
                }
            } else {
                count++;
            }
            removeItem(direction, i);
        }
        return count;
    }

    // ------------------------------------------------------------------ links

    void openLink(SimTransport dialer, SimTransport acceptor, SimTransport.Want want) {
        String id = "sim-" + (++linkCounter);
        SimLinkEnd out = new SimLinkEnd(this, id, dialer, false, acceptor.nodeId, maxFrameSize, maxQueuedBytes);
        SimLinkEnd in = new SimLinkEnd(this, id, acceptor, true, dialer.nodeId, maxFrameSize, maxQueuedBytes);
        out.peer = in;
        in.peer = out;
        out.out = new Direction(out, in);
        in.out = new Direction(in, out);
        out.want = want;
        want.link = out;
        dialer.ends.add(out);
        acceptor.ends.add(in);
        dialerEnds.add(out);
        linksOpened++;
        trace("open " + id + " " + dialer.nodeId + " -> " + acceptor.nodeId);
        out.handler = handlerFor(dialer, out);
        in.handler = handlerFor(acceptor, in);
    }

    private static LinkHandler handlerFor(SimTransport transport, SimLinkEnd end) {
        LinkHandler handler = transport.listener.onLinkOpened(end);
        if (handler == null) {
            throw new DittoException(ErrorCode.INTERNAL, "simulated node \"" + transport.nodeId
                    + "\": TransportListener.onLinkOpened returned no LinkHandler for link " + end.id);
        }
        return handler;
    }

    /** Marks an end closed (first time only), updates its transport and the link bookkeeping. */
    private void markClosed(SimLinkEnd end) {
        end.open = false;
        if (end.peer.open) {
            linksClosed++;
        } else if (!end.incoming) {
            dialerEnds.remove(end);
        } else {
            dialerEnds.remove(end.peer);
        }
        end.transport.endClosed(end);
    }

    /** An orderly close by the end's own side: flush, then FIN; onClosed(null) at a later step. */
    void closeOrderly(SimLinkEnd end, String reason) {
        if (!end.open) {
            return;
        }
        markClosed(end);
        int gone = purge(end.peer.out, false);
        discarded += gone;
        Direction out = end.out;
        trace("close " + end.id + " at " + end.transport.nodeId + " (" + reason + ")"
                + (gone > 0 ? ", " + gone + " incoming frames discarded" : ""));
        if (end.peer.open) {
            Faults f = faults(out.fromNode(), out.toNode());
            enqueue(out, new Item(0, null, Math.max(clock.millis() + f.delay().sampleMillis(random), out.lastDue)));
        } else {
            discarded += purge(out, false);
        }
        schedule(end.transport, 0, "closed " + end.id + " at " + end.transport.nodeId, () -> notifyClosed(end, null));
    }

    private void receiveFin(Direction direction) {
        SimLinkEnd end = direction.to;
        if (!end.open) {
            return;
        }
        markClosed(end);
        discarded += purge(end.out, false);
        trace("fin " + end.id + " reaches " + end.transport.nodeId);
        notifyClosed(end, null);
    }

    /** An abrupt close of one end: everything in flight on the link is discarded; onClosed(cause) at a later step. */
    private void reset(SimLinkEnd end, Throwable cause) {
        if (!end.open) {
            return;
        }
        markClosed(end);
        discarded += purge(end.out, false) + purge(end.peer.out, false);
        schedule(end.transport, 0, "reset " + end.id + " at " + end.transport.nodeId, () -> notifyClosed(end, cause));
    }

    private void notifyClosed(SimLinkEnd end, Throwable cause) {
        if (end.closeNotified) {
            return;
        }
        end.closeNotified = true;
        if (end.handler != null) {
            LinkHandler handler = end.handler;
            callback(() -> handler.onClosed(cause));
        }
    }

    /** The end's node crashed: no callback for it; the remote end is reset after one latency sample. */
    void crashEnd(SimLinkEnd end) {
        end.closeNotified = true;
        if (!end.open) {
            return;
        }
        markClosed(end);
        discarded += purge(end.out, false) + purge(end.peer.out, false);
        SimLinkEnd remote = end.peer;
        if (remote.open) {
            long delay = faults(end.transport.nodeId, remote.transport.nodeId).delay().sampleMillis(random);
            DittoException cause = new DittoException(ErrorCode.TRANSPORT, "simulated link " + end.id + ": connection reset, "
                    + "node \"" + end.transport.nodeId + "\" crashed");
            schedule(remote.transport, delay, "rst " + end.id + " reaches " + remote.transport.nodeId, () -> {
                if (remote.open) {
                    markClosed(remote);
                    discarded += purge(remote.out, false);
                    notifyClosed(remote, cause);
                }
            });
        }
    }

    // ------------------------------------------------------------------ transports

    /** A transport started: it and the other started transports of its group discover each other. */
    void transportStarted(SimTransport started) {
        for (Node node : nodes.values()) {
            SimTransport other = node.transport;
            if (other == null || other == started || !other.isStarted() || !other.group().equals(started.group())) {
                continue;
            }
            queueDiscovery(started, other);
            queueDiscovery(other, started);
        }
        for (List<String> pair : explicitLinks) {
            if (pair.get(0).equals(started.nodeId)) {
                started.want(pair.get(1), false);
            }
        }
    }

    private void queueDiscovery(SimTransport observer, SimTransport seen) {
        schedule(observer, 0, "discover " + observer.nodeId + " sees " + seen.nodeId, () -> {
            if (!observer.isStarted() || !seen.isStarted() || !observer.group().equals(seen.group())
                    || !observer.discovered.add(seen.nodeId)) {
                return;
            }
            observer.listener.onPeerDiscovered(new DiscoveredPeer(ENDPOINT_PREFIX + seen.nodeId,
                    Optional.of(seen.parameters.localPeerKey()), Optional.of(seen.parameters.deviceName()),
                    DISCOVERY_MECHANISM));
            if (autoConnect && observer.nodeId.compareTo(seen.nodeId) < 0) {
                observer.want(seen.nodeId, true);
            }
        });
    }

    /** A transport stopped, closed or crashed: the nodes that discovered it lose it. */
    void transportStopped(SimTransport stopped) {
        for (Node node : nodes.values()) {
            SimTransport observer = node.transport;
            if (observer == null || observer == stopped || !observer.discovered.contains(stopped.nodeId)) {
                continue;
            }
            String lostId = stopped.nodeId;
            schedule(observer, 0, "lose " + observer.nodeId + " loses " + lostId, () -> {
                SimTransport current = nodes.get(lostId).transport;
                boolean stillThere = current != null && current.isStarted() && current.group().equals(observer.group());
                if (!observer.isStarted() || stillThere || !observer.discovered.remove(lostId)) {
                    return;
                }
                observer.listener.onPeerLost(ENDPOINT_PREFIX + lostId);
                observer.unwant(lostId, true);
            });
        }
    }

    /** A transport closed or crashed: the node may create a new one. */
    void transportGone(SimTransport gone, boolean crashed) {
        Node node = nodes.get(gone.nodeId);
        if (node.transport == gone) {
            node.transport = null;
        }
        if (crashed) {
            dropEventsOf(gone);
        }
    }

    /** Queues a connection attempt that completes after a round trip of latency. */
    Event queueAttempt(SimTransport dialer, SimTransport.Want want) {
        String target = want.remote;
        long rtt = faults(dialer.nodeId, target).delay().sampleMillis(random)
                + faults(target, dialer.nodeId).delay().sampleMillis(random);
        return schedule(dialer, rtt, "dial " + dialer.nodeId + " -> " + target, () -> dialer.attempt(want));
    }

    /** Returns why a dialer cannot reach a node now, or null if it can. */
    String unreachable(SimTransport dialer, String target) {
        SimTransport acceptor = nodes.get(target).transport;
        if (acceptor == null || !acceptor.isStarted()) {
            return "not started";
        }
        if (!acceptor.group().equals(dialer.group())) {
            return "other database or sync group";
        }
        if (isBlocked(dialer.nodeId, target) || isBlocked(target, dialer.nodeId)) {
            return "partitioned";
        }
        return null;
    }

    SimTransport transportOf(String nodeId) {
        return nodes.get(nodeId).transport;
    }

    void connectFailed(SimTransport dialer, String target, String reason) {
        connectFailures++;
        trace("dial " + dialer.nodeId + " -> " + target + " failed: " + reason);
    }

    // ------------------------------------------------------------------ partitions (internal)

    private Block blockMode(String from, String to) {
        Block mode = Block.NONE;
        for (Partition partition : partitions) {
            if (partition.cut().blocks(from, to)) {
                if (partition.cut().isDropping()) {
                    return Block.DROP;
                }
                mode = Block.HOLD;
            }
        }
        return mode;
    }

    void applyPartition(Partition partition) {
        checkThread("Partition.apply");
        if (partition.isActive()) {
            return;
        }
        partition.setActive(true);
        partitions.add(partition);
        int gone = 0;
        if (partition.cut().isDropping()) {
            for (Direction direction : List.copyOf(busy)) {
                if (partition.cut().blocks(direction.fromNode(), direction.toNode())) {
                    gone += purge(direction, true);
                }
            }
            dropped += gone;
        }
        trace("partition " + partition.cut() + (gone > 0 ? ", " + gone + " frames dropped" : ""));
    }

    void healPartition(Partition partition) {
        checkThread("Partition.heal");
        if (!partition.isActive()) {
            return;
        }
        partition.setActive(false);
        partitions.remove(partition);
        trace("heal " + partition.cut());
    }
}
