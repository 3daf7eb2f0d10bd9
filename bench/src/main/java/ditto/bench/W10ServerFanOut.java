package ditto.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.databind.ObjectMapper;

import ditto.api.AuthenticationProvider;
import ditto.api.Authenticator;
import ditto.api.DittoConfigConnect;
import ditto.api.QueryResult;
import ditto.api.QueryResultItem;
import ditto.api.StoreObserver;
import ditto.api.TransportConfig;

/**
 * W10, server fan-in/fan-out: N clients (default 50) sync through one server peer, all in this
 * JVM. Each client updates its own small document at a fixed paced rate (default 10 writes/s,
 * so 500 writes/s in all for 50 clients) and observes every client's document; every write
 * therefore reaches the server (fan-in) and is sent on to the N − 1 other clients (fan-out).
 *
 * <p>Ours: the server is a Ditto instance on mvstore with the experimental {@code server}
 * setting in development mode, listening for WebSocket sync and logins on one loopback HTTP
 * port, peer-to-peer transports off. Each client is a Ditto instance (memory storage by
 * default) with a {@link DittoConfigConnect.Server} connection to that port, peer-to-peer
 * transports off; it logs in with the development provider before sync starts (its expiration
 * handler logs in again when asked), subscribes to {@code SELECT * FROM w10}, inserts its document
 * before sync starts and, once every client holds every document, registers an observer on
 * {@code SELECT _id, c, seq FROM w10}. The server observes the same query: the fan-in leg.
 * A writer thread per client runs {@code UPDATE w10 SET seq = :seq, t = :t WHERE _id = :id},
 * paced by the clock (writers are spread evenly over the interval and never burst to catch up).
 *
 * <p>Floor: {@link FanOutRelay}, a plain TCP relay on loopback that forwards each client's
 * message (the size of the document's JSON) to every other client, with the same writers.
 *
 * <p>Latency of a (write, receiver) delivery: from just before the write call on the writer
 * until the receiver's observer callback (or socket reader) first shows that version or a later
 * one ({@link FanOutTracker}); one JVM, one clock. Throughput: deliveries completed ÷ the time
 * from the first write to the last delivery, and writes ÷ the writing time. Lost: expected
 * deliveries not seen after the writers stopped and a drain of {@value #DRAIN_SECONDS} s.
 * Heap: the peak used heap of the whole JVM during the load (all clients and the server share
 * it), and for ours the live heap after a full GC at each phase (before the server, server
 * idle, all clients connected, end of load, clients closed), which separates the server's share.
 * Single-threaded driver; writers, observers and socket readers run on their own threads.
 */
final class W10ServerFanOut {

    static final String COLLECTION = "w10";
    static final int DRAIN_SECONDS = 10;

    private static final String SUBSCRIPTION = "SELECT * FROM " + COLLECTION;
    private static final String OBSERVED = "SELECT _id, c, seq FROM " + COLLECTION;
    private static final String INSERT = "INSERT INTO " + COLLECTION + " DOCUMENTS (:doc)";
    private static final String UPDATE = "UPDATE " + COLLECTION + " SET seq = :seq, t = :t WHERE _id = :id";
    private static final String TOKEN = "w10-bench-token";
    private static final Duration RETRY = Duration.ofMillis(200);
    private static final int BODY_CHARS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * W10's parameters.
     *
     * @param clients clients syncing through the server, at least 2
     * @param seconds how long the clients write
     * @param ratePerClient writes per second of each client (may be fractional, such as 0.5)
     * @param reps measured repetitions (each side once per repetition)
     * @param clientStorage the clients' storage backend, {@code memory} or {@code mvstore}
     */
    record Settings(int clients, int seconds, double ratePerClient, int reps, String clientStorage) {

        /** Checks the values. */
        Settings {
            if (clients < 2 || seconds < 1 || !(ratePerClient >= 0.01 && ratePerClient <= 100_000) || reps < 1) {
                throw new IllegalArgumentException("W10 needs at least 2 clients, 1 second, 0.01 to 100,000 writes/s per"
                        + " client and 1 repetition, got " + clients + " clients, " + seconds + " s, " + ratePerClient
                        + " writes/s, " + reps + " repetitions");
            }
            if (!clientStorage.equals("memory") && !clientStorage.equals("mvstore")) {
                throw new IllegalArgumentException("W10 client storage must be memory or mvstore, got '" + clientStorage
                        + "'");
            }
        }

        /** The defaults of a size: {@code smoke} 5 clients for 5 s, {@code full} 50 clients for 60 s; 10 writes/s each. */
        static Settings forSize(Sizes sizes) {
            return sizes.name().equals("full") ? new Settings(50, 60, 10, 1, "memory")
                    : new Settings(5, 5, 10, 1, "memory");
        }

        /** Returns a copy with the non-null values replaced. */
        Settings with(Integer newClients, Integer newSeconds, Double newRate, Integer newReps, String newStorage) {
            return new Settings(newClients != null ? newClients : clients, newSeconds != null ? newSeconds : seconds,
                    newRate != null ? newRate : ratePerClient, newReps != null ? newReps : reps,
                    newStorage != null ? newStorage : clientStorage);
        }

        /** The most writes one client makes in a run (pacing never bursts, so at most one more than rate × seconds). */
        int capacity() {
            return (int) Math.ceil(seconds * ratePerClient) + 1;
        }

        /** Writes per second of all clients together. */
        double totalRate() {
            return clients * ratePerClient;
        }

        /** Deliveries per second expected: every write reaches every other client. */
        double expectedDeliveryRate() {
            return totalRate() * (clients - 1);
        }

        /** The rate per client as printed, such as {@code 10} or {@code 0.5}. */
        String rateText() {
            return ratePerClient == Math.rint(ratePerClient) ? String.format(Locale.ROOT, "%.0f", ratePerClient)
                    : String.format(Locale.ROOT, "%s", ratePerClient);
        }

        /** One line describing W10's parameters, printed under the size line. */
        String line() {
            return String.format(Locale.ROOT, "W10: %d clients × %s writes/s for %d s via one server peer (%s writes/s,"
                    + " %s deliveries/s expected) | clients on %s storage, server on mvstore | %d rep(s), drain %d s",
                    clients, rateText(), seconds, perSecond(totalRate()),
                    perSecond(expectedDeliveryRate()), clientStorage, reps, DRAIN_SECONDS);
        }
    }

    /**
     * One side's run.
     *
     * @param latency every (write, receiver) delivery's latency
     * @param hubLatency each write's latency to the server's observer (ours) or the relay's reader (floor)
     * @param writes writes made by all clients
     * @param expected deliveries expected (writes × (clients − 1))
     * @param delivered deliveries seen
     * @param lost expected deliveries not seen after the drain
     * @param states distinct versions the receivers saw
     * @param unstamped deliveries without a latency sample (start time not visible)
     * @param writeSeconds time from the first write to the end of the writers
     * @param drainSeconds time from the end of the writers until every delivery was seen (or the drain ended)
     * @param deliverySeconds time from the first write to the last delivery
     * @param loadCpuSeconds process CPU seconds from the first write to the end of the drain
     * @param peakHeapGrowth the peak used heap of the JVM during the load above its level after a GC before it
     * @param heap ours: the live heap phases; the floor: only {@code connected} and {@code endOfLoad}
     * @param setup ours: how long connecting took; null for the floor
     */
    record Result(Latencies latency, Latencies hubLatency, long writes, long expected, long delivered, long lost, long states,
            long unstamped, double writeSeconds, double drainSeconds, double deliverySeconds, double loadCpuSeconds,
            long peakHeapGrowth, Phases heap, Setup setup) {

        double writesPerSecond() {
            return writes / writeSeconds;
        }

        double deliveriesPerSecond() {
            return delivered / deliverySeconds;
        }

        /** Process CPU seconds per wall second during the writes and the drain: how many cores were busy. */
        double coresBusy() {
            return loadCpuSeconds / (writeSeconds + drainSeconds);
        }
    }

    /**
     * Live heap (used after a full GC) at each phase of a run, bytes; -1 where not measured.
     *
     * @param base before anything was opened
     * @param serverIdle the server open and started, no client yet (ours)
     * @param connected every client connected and synced, before the load
     * @param endOfLoad after the drain, everything still open
     * @param clientsClosed every client closed, the server still open (ours)
     */
    record Phases(long base, long serverIdle, long connected, long endOfLoad, long clientsClosed) {
    }

    /**
     * How ours got ready.
     *
     * @param seconds from opening the first client until every client held every client's document
     * @param logins each client's {@code login} call (an HTTP round trip to the server's login endpoint)
     */
    record Setup(double seconds, Latencies logins) {
    }

    /** One client's write; {@code seq} counts from 1. */
    @FunctionalInterface
    private interface Write {
        void write(int client, long seq, long startNanos) throws Exception;
    }

    /** What the load phase measured. */
    private record Load(double writeSeconds, double drainSeconds, double deliverySeconds, double cpuSeconds,
            long peakHeapGrowth) {
    }

    private W10ServerFanOut() {
    }

    /** Runs W10's repetitions (ours and the floor in each) and adds its rows, cost and notes to the report. */
    static void run(Settings settings, Path work, Report report) throws Exception {
        byte[] payload = JSON.writeValueAsBytes(document(settings.clients() - 1, 123_456, System.nanoTime()));
        Pairing.Outcome<Result> out = Pairing.run("W10 server fan-out " + settings.clients() + " clients", 0,
                settings.reps(), round -> ours(settings, work.resolve("w10-" + round)),
                round -> floor(settings, payload));
        report.cost(out);
        rows(report, out, settings, payload.length);
    }

    private static void rows(Report report, Pairing.Outcome<Result> out, Settings s, int docBytes) {
        String at = String.format(Locale.ROOT, "W10 %d clients × %s/s via server", s.clients(), s.rateText());
        Latencies ours = pooled(out.ours, Result::latency);
        Latencies floor = pooled(out.peer, Result::latency);
        report.row(at + ": deliveries/s (" + perSecond(s.expectedDeliveryRate()) + " expected)",
                W1DurableWrites.orNa(out, true, perSecond(out.oursMedian(Result::deliveriesPerSecond)) + " /s"),
                W1DurableWrites.orNa(out, false, perSecond(out.peerMedian(Result::deliveriesPerSecond)) + " /s"),
                out.pairedRatio(Result::deliveriesPerSecond), null);
        double[] percentiles = {50, 95, 99, 100};
        String[] names = {"p50", "p95", "p99", "max"};
        for (int i = 0; i < percentiles.length; i++) {
            double p = percentiles[i];
            report.row(at + ": write→other clients' observer " + names[i],
                    W1DurableWrites.orNa(out, true, Report.millis(ours.percentileMillis(p))),
                    W1DurableWrites.orNa(out, false, Report.millis(floor.percentileMillis(p))),
                    ours.percentileMillis(p) / floor.percentileMillis(p), null);
        }
        Latencies oursHub = pooled(out.ours, Result::hubLatency);
        Latencies floorHub = pooled(out.peer, Result::hubLatency);
        for (int i = 0; i < percentiles.length; i += 2) {
            double p = percentiles[i];
            report.row(at + ": fan-in leg, write→server observer " + names[i],
                    W1DurableWrites.orNa(out, true, Report.millis(oursHub.percentileMillis(p))),
                    W1DurableWrites.orNa(out, false, Report.millis(floorHub.percentileMillis(p)) + " (relay)"),
                    oursHub.percentileMillis(p) / floorHub.percentileMillis(p), null);
        }
        long oursLost = out.ours.stream().mapToLong(t -> t.value().lost()).sum();
        long floorLost = out.peer.stream().mapToLong(t -> t.value().lost()).sum();
        long oursExpected = out.ours.stream().mapToLong(t -> t.value().expected()).sum();
        long floorExpected = out.peer.stream().mapToLong(t -> t.value().expected()).sum();
        report.row(at + ": deliveries lost after a " + DRAIN_SECONDS + " s drain",
                W1DurableWrites.orNa(out, true, String.format(Locale.ROOT, "%,d of %,d", oursLost, oursExpected)),
                W1DurableWrites.orNa(out, false, String.format(Locale.ROOT, "%,d of %,d", floorLost, floorExpected)),
                Double.NaN, null, out.oursFailure == null && oursLost > 0 ? "LOST DELIVERIES" : "context");
        double oursPeak = out.oursMedian(r -> r.peakHeapGrowth());
        double floorPeak = out.peerMedian(r -> r.peakHeapGrowth());
        report.row(at + ": peak heap growth during load (whole JVM)",
                W1DurableWrites.orNa(out, true, megabytes(oursPeak)),
                W1DurableWrites.orNa(out, false, megabytes(floorPeak)), out.pairedRatio(r -> r.peakHeapGrowth()),
                null);
        double oursLive = out.oursMedian(r -> r.heap().endOfLoad() - r.heap().base());
        double floorLive = out.peerMedian(r -> r.heap().endOfLoad() - r.heap().base());
        report.row(at + ": live heap at end of load, above baseline (whole JVM)",
                W1DurableWrites.orNa(out, true, megabytes(oursLive)),
                W1DurableWrites.orNa(out, false, megabytes(floorLive)),
                out.pairedRatio(r -> r.heap().endOfLoad() - r.heap().base()), null);
        double serverIdle = out.oursMedian(r -> r.heap().serverIdle() - r.heap().base());
        double serverAfter = out.oursMedian(r -> r.heap().clientsClosed() - r.heap().base());
        double perClient = out.oursMedian(r -> (r.heap().connected() - r.heap().serverIdle()) / (double) s.clients());
        report.row(at + ": server peer live heap after its clients closed, above baseline",
                W1DurableWrites.orNa(out, true, megabytes(serverAfter)), "—", Double.NaN, null);
        report.note(String.format(Locale.ROOT, "%s: %,d writes ours, %,d floor (achieved %s and %s writes/s of %s"
                + " paced); %,d (write, receiver) latency samples ours, %,d floor; versions seen separately by receivers"
                + " %,d of %,d deliveries ours (the rest coalesced into later versions, latency counted to the later"
                + " one), %,d floor; deliveries without a start stamp %d ours, %d floor; process CPU during the load"
                + " (writes + drain) %s cores ours, %s floor (2 cores on this machine)",
                at, sum(out.ours, Result::writes), sum(out.peer, Result::writes),
                perSecond(out.oursMedian(Result::writesPerSecond)),
                perSecond(out.peerMedian(Result::writesPerSecond)), perSecond(s.totalRate()),
                ours.count(), floor.count(), sum(out.ours, Result::states), sum(out.ours, Result::delivered),
                sum(out.peer, Result::states), sum(out.ours, Result::unstamped), sum(out.peer, Result::unstamped),
                cores(out.oursMedian(Result::coresBusy)), cores(out.peerMedian(Result::coresBusy))));
        report.note(String.format(Locale.ROOT, "%s heap (live after a full GC, above the level before the server"
                + " opened; median): server idle %s; %d clients connected and synced %s (%s per client: the client"
                + " instance plus the server's session for it, all in one JVM); end of load %s; clients closed, server"
                + " open %s. Peak used heap during the load counts uncollected garbage too (default G1 heap)",
                at, megabytes(serverIdle), s.clients(),
                megabytes(out.oursMedian(r -> r.heap().connected() - r.heap().base())), megabytes(perClient),
                megabytes(oursLive), megabytes(serverAfter)));
        Latencies logins = new Latencies();
        out.ours.forEach(t -> logins.addAll(t.value().setup().logins()));
        report.note(String.format(Locale.ROOT, "%s setup (ours, not timed in the rows): opening %d clients, logging"
                + " each in and syncing until every client held all %d documents took %s s (median); login call p50 %s,"
                + " max %s", at, s.clients(), s.clients(), Report.seconds(out.oursMedian(r -> r.setup().seconds())),
                Report.millis(logins.p50Millis()), Report.millis(logins.percentileMillis(100))));
        report.note(at + ": ours = one server peer (mvstore, durable commits, `server` development mode) and "
                + s.clients() + " client instances (" + s.clientStorage() + " storage), each logged in with the"
                + " development provider and synced over the WebSocket transport on loopback (ws://, TLS 1.3 inside"
                + " every link, as every sync link); each client updates its own ~" + docBytes + " B document (JSON) with"
                + " `UPDATE … SET seq, t` and observes all " + s.clients() + " documents. Floor = a plain TCP relay"
                + " on loopback forwarding each client's " + docBytes + "-byte message (plus a 16-byte frame header) to"
                + " every other client: no TLS, no storage, no parsing. Same writers and pacing on both sides");
        if (out.oursFailure != null) {
            report.note(out.name + ": Ditto not measured: " + out.oursFailure);
        }
        if (out.peerFailure != null) {
            report.note(out.name + ": relay floor not measured: " + out.peerFailure);
        }
    }

    private static long sum(List<Pairing.Timed<Result>> runs, ToLongFunction<Result> metric) {
        return runs.stream().mapToLong(t -> metric.applyAsLong(t.value())).sum();
    }

    private static Latencies pooled(List<Pairing.Timed<Result>> runs, Function<Result, Latencies> which) {
        Latencies all = new Latencies();
        for (Pairing.Timed<Result> t : runs) {
            all.addAll(which.apply(t.value()));
        }
        return all;
    }

    /** Formats a rate: one decimal below 100 (W10's rates may be fractional), else as {@link Report#rate}. */
    static String perSecond(double value) {
        if (Double.isFinite(value) && value < 100) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return Report.rate(value, "").trim();
    }

    static String megabytes(double bytes) {
        return Double.isFinite(bytes) ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6) : "n/a";
    }

    private static String cores(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f", value) : "n/a";
    }

    /** Client {@code c}'s document at version {@code seq}: about 300 bytes of JSON. */
    static Map<String, Object> document(int c, long seq, long t) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("_id", id(c));
        doc.put("c", c);
        doc.put("seq", seq);
        doc.put("t", t);
        doc.put("name", "client " + c);
        doc.put("status", "online");
        Random random = new Random(Sizes.SEED + c);
        StringBuilder body = new StringBuilder(BODY_CHARS);
        for (int i = 0; i < BODY_CHARS; i++) {
            body.append((char) ('a' + random.nextInt(26)));
        }
        doc.put("body", body.toString());
        return doc;
    }

    static String id(int c) {
        return String.format(Locale.ROOT, "c%03d", c);
    }

    // ---- ours ----------------------------------------------------------------------------------

    private static Result ours(Settings s, Path dir) throws Exception {
        WorkDir.deleteTree(dir);
        int n = s.clients();
        String databaseId = UUID.randomUUID().toString();
        FanOutTracker tracker = new FanOutTracker(n, s.capacity());
        AtomicReference<Throwable> callbackFailure = new AtomicReference<>();
        List<DittoSide> clients = new ArrayList<>();
        List<StoreObserver> observers = new ArrayList<>();
        DittoSide server = null;
        long base = liveHeap();
        try {
            int port = SyncNet.freePort();
            server = DittoSide.open(dir.resolve("server"), databaseId, "mvstore", DittoConfigConnect.smallPeersOnly(),
                    Map.of("server", Map.of("development_mode", true)));
            server.ditto().setTransportConfig(TransportConfig.defaults().disableAllPeerToPeer()
                    .enableHttpListen("127.0.0.1", port, true));
            server.ditto().sync().start();
            long serverIdle = liveHeap();

            DittoConfigConnect.Server connect = new DittoConfigConnect.Server(URI.create("http://127.0.0.1:" + port));
            Latencies logins = new Latencies();
            long setupStart = System.nanoTime();
            for (int i = 0; i < n; i++) {
                DittoSide client = DittoSide.open(dir.resolve("client-" + i), databaseId, s.clientStorage(), connect,
                        Map.of());
                clients.add(client);
                client.execute(INSERT, Map.of("doc", document(i, 0, 0)));
                TransportConfig config = TransportConfig.defaults().disableAllPeerToPeer();
                config.connect().setRetryInterval(RETRY);
                client.ditto().setTransportConfig(config);
                Authenticator auth = client.ditto().auth().orElseThrow(() -> new IllegalStateException(
                        "W10: a client with a server connection has no authenticator"));
                auth.setExpirationHandler((ditto, left) -> ditto.auth().orElseThrow()
                        .login(TOKEN, AuthenticationProvider.development()));
                long loginStart = System.nanoTime();
                auth.login(TOKEN, AuthenticationProvider.development());
                logins.record(System.nanoTime() - loginStart);
                client.ditto().sync().registerSubscription(SUBSCRIPTION);
                client.ditto().sync().start();
            }
            SyncNet.await("every one of the " + n + " clients holds all " + n + " client documents through the server",
                    60 + 2L * n, 100, () -> clients.stream().allMatch(c -> c.query(SUBSCRIPTION, Map.of()).size() == n));
            double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

            CountDownLatch firstResults = new CountDownLatch(n + 1);
            observers.add(server.observe(OBSERVED, Map.of(), sightings(tracker::observedAtHub, callbackFailure,
                    firstResults)));
            for (int i = 0; i < n; i++) {
                int self = i;
                observers.add(clients.get(i).observe(OBSERVED, Map.of(), sightings(
                        (c, seq, now) -> tracker.observed(self, c, seq, now), callbackFailure, firstResults)));
            }
            if (!firstResults.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("W10: " + firstResults.getCount() + " of " + (n + 1)
                        + " observers (clients and server) delivered no first result within 30 s");
            }
            long connected = liveHeap();

            Load load = load(s, tracker, (c, seq, t) -> clients.get(c).execute(UPDATE,
                    Map.of("seq", seq, "t", t, "id", id(c))), callbackFailure::get);
            long endOfLoad = liveHeap();
            for (StoreObserver o : observers) {
                o.cancel();
            }
            observers.clear();
            closeAll(clients);
            long clientsClosed = liveHeap();
            if (callbackFailure.get() != null) {
                throw new IllegalStateException("W10: an observer callback failed: " + callbackFailure.get(),
                        callbackFailure.get());
            }
            return result(tracker, load, new Phases(base, serverIdle, connected, endOfLoad, clientsClosed),
                    new Setup(setupSeconds, logins));
        } finally {
            for (StoreObserver o : observers) {
                o.cancel();
            }
            closeAll(clients);
            if (server != null) {
                server.close();
            }
            WorkDir.deleteTree(dir);
        }
    }

    private static void closeAll(List<DittoSide> sides) {
        RuntimeException failure = null;
        for (DittoSide side : sides) {
            try {
                side.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        sides.clear();
        if (failure != null) {
            throw failure;
        }
    }

    // ---- floor ---------------------------------------------------------------------------------

    private static Result floor(Settings s, byte[] payload) throws Exception {
        FanOutTracker tracker = new FanOutTracker(s.clients(), s.capacity());
        long base = liveHeap();
        try (FanOutRelay relay = new FanOutRelay(payload, tracker)) {
            long connected = liveHeap();
            Load load = load(s, tracker, (c, seq, t) -> relay.send(c, seq), relay::failure);
            long endOfLoad = liveHeap();
            if (relay.failure() != null) {
                throw new IllegalStateException("W10 floor relay failed: " + relay.failure(), relay.failure());
            }
            return result(tracker, load, new Phases(base, -1, connected, endOfLoad, -1), null);
        }
    }

    // ---- shared --------------------------------------------------------------------------------

    private static Result result(FanOutTracker tracker, Load load, Phases heap, Setup setup) {
        return new Result(tracker.latencies(), tracker.hubLatencies(), tracker.writes(), tracker.expected(), tracker.delivered(),
                tracker.lost(), tracker.states(), tracker.unstamped(), load.writeSeconds(), load.drainSeconds(),
                load.deliverySeconds(), load.cpuSeconds(), load.peakHeapGrowth(), heap, setup);
    }

    /**
     * Runs one writer thread per client for the configured time, then waits until every receiver
     * has every write or the drain time passed. Call right after {@link #liveHeap()}: the peak
     * heap growth is measured from the used heap when the load starts.
     *
     * @param failure a failure of the receiving side, checked while draining
     */
    private static Load load(Settings s, FanOutTracker tracker, Write write, Supplier<Throwable> failure)
            throws Exception {
        int n = s.clients();
        long interval = Math.round(1e9 / s.ratePerClient());
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        long cpu0 = Pairing.processCpuNanos();
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long end = t0 + TimeUnit.SECONDS.toNanos(s.seconds());
        long writeEnd;
        long peak;
        try (HeapSampler heap = new HeapSampler()) {
            for (int i = 0; i < n; i++) {
                int client = i;
                long first = t0 + interval * i / n;
                Thread t = new Thread(() -> {
                    long seq = 0;
                    try {
                        long next = first;
                        while (seq < tracker.capacity() && next < end) {
                            long now = System.nanoTime();
                            if (next > now) {
                                LockSupport.parkNanos(next - now);
                            }
                            long start = System.nanoTime();
                            if (start >= end || writerFailure.get() != null) {
                                break;
                            }
                            seq++;
                            tracker.started(client, seq, start);
                            write.write(client, seq, start);
                            next = Math.max(next + interval, System.nanoTime());
                        }
                    } catch (Exception | Error e) {
                        writerFailure.compareAndSet(null, e);
                        seq = Math.max(0, seq - 1);
                    } finally {
                        tracker.finished(client, seq);
                    }
                }, "w10-writer-" + i);
                t.setDaemon(true);
                writers.add(t);
            }
            for (Thread t : writers) {
                t.start();
            }
            for (Thread t : writers) {
                t.join();
            }
            writeEnd = System.nanoTime();
            if (writerFailure.get() != null) {
                throw new IllegalStateException("W10: a writer failed: " + writerFailure.get(), writerFailure.get());
            }
            long deadline = writeEnd + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
            while (!tracker.complete() && System.nanoTime() < deadline && failure.get() == null) {
                Thread.sleep(10);
            }
            peak = heap.peakGrowth();
        }
        long drained = System.nanoTime();
        long cpu1 = Pairing.processCpuNanos();
        long last = tracker.lastDeliveryNanos();
        return new Load((writeEnd - t0) / 1e9, (drained - writeEnd) / 1e9, last > t0 ? (last - t0) / 1e9 : Double.NaN,
                cpu0 < 0 || cpu1 < 0 ? Double.NaN : (cpu1 - cpu0) / 1e9, peak);
    }

    /** The used heap after a full collection: the live set, as near as the JVM tells. */
    static long liveHeap() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        Thread.sleep(50);
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Receives each client document version an observer result shows: writer, sequence, time. */
    @FunctionalInterface
    private interface Sighting {
        void seen(int client, long seq, long nanos);
    }

    /**
     * An observer callback that stamps its result, reports every {@code (c, seq)} row it holds,
     * keeps the first callback failure and counts down on each delivery.
     */
    private static Consumer<QueryResult> sightings(Sighting sighting,
            AtomicReference<Throwable> failure, CountDownLatch delivered) {
        return result -> {
            long now = System.nanoTime();
            try (QueryResult r = result) {
                for (QueryResultItem item : r) {
                    Map<String, Object> v = item.value();
                    item.close();
                    if (v.get("c") instanceof Number c && v.get("seq") instanceof Number seq) {
                        sighting.seen(c.intValue(), seq.longValue(), now);
                    }
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                delivered.countDown();
            }
        };
    }
}
