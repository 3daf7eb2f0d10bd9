package ditto.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Runs one measurement on both sides, ours and the peer, repeatedly: first the warm-up rounds
 * (results discarded), then the repetitions, alternating which side runs first (ours first in
 * even repetitions) so that neither side always inherits the other's garbage, cache state or
 * disk write-back. Each side's run is timed in wall seconds and in process CPU seconds.
 *
 * <p>A side whose run throws is marked failed with the reason and is not run again; the other
 * side goes on, so the peer's numbers are still reported while our engine is incomplete.
 * Single-threaded: the harness calls it from its main thread.
 */
final class Pairing {

    /** One side's run of one round: what it measured and what it cost. */
    record Timed<T>(T value, double wallSeconds, double cpuSeconds) {
    }

    /** One round of one side; {@code round} is negative for warm-up rounds, else 0, 1, 2, … */
    @FunctionalInterface
    interface Side<T> {
        T run(int round) throws Exception;
    }

    /** Both sides' repetitions of one measurement. */
    static final class Outcome<T> {
        final String name;
        final List<Timed<T>> ours = new ArrayList<>();
        final List<Timed<T>> peer = new ArrayList<>();
        String oursFailure;
        String peerFailure;

        Outcome(String name) {
            this.name = name;
        }

        /** Whether every repetition measured both sides, so paired ratios are meaningful. */
        boolean bothMeasured() {
            return oursFailure == null && peerFailure == null && !ours.isEmpty() && ours.size() == peer.size();
        }

        List<Double> ours(ToDoubleFunction<T> metric) {
            return ours.stream().map(t -> metric.applyAsDouble(t.value())).toList();
        }

        List<Double> peer(ToDoubleFunction<T> metric) {
            return peer.stream().map(t -> metric.applyAsDouble(t.value())).toList();
        }

        double oursMedian(ToDoubleFunction<T> metric) {
            return oursFailure == null ? Stats.median(ours(metric)) : Double.NaN;
        }

        double peerMedian(ToDoubleFunction<T> metric) {
            return peerFailure == null ? Stats.median(peer(metric)) : Double.NaN;
        }

        /** The paired ratio ours ÷ peer of a metric, or NaN unless both sides were measured. */
        double pairedRatio(ToDoubleFunction<T> metric) {
            return bothMeasured() ? Stats.pairedRatio(ours(metric), peer(metric)) : Double.NaN;
        }

        double oursWall() {
            return oursFailure == null ? Stats.median(ours.stream().map(Timed::wallSeconds).toList()) : Double.NaN;
        }

        double oursCpu() {
            return oursFailure == null ? Stats.median(ours.stream().map(Timed::cpuSeconds).toList()) : Double.NaN;
        }

        double peerWall() {
            return peerFailure == null ? Stats.median(peer.stream().map(Timed::wallSeconds).toList()) : Double.NaN;
        }

        double peerCpu() {
            return peerFailure == null ? Stats.median(peer.stream().map(Timed::cpuSeconds).toList()) : Double.NaN;
        }
    }

    private Pairing() {
    }

    /**
     * Runs the warm-up rounds and the repetitions.
     *
     * @param name what is measured, for progress lines and failures
     * @param warmups warm-up rounds, at least 0
     * @param reps repetitions, at least 1
     * @param ours this project's side
     * @param peer the peer's side
     * @return both sides' results
     */
    static <T> Outcome<T> run(String name, int warmups, int reps, Side<T> ours, Side<T> peer) {
        Outcome<T> out = new Outcome<>(name);
        for (int w = 0; w < warmups; w++) {
            boolean oursFirst = w % 2 == 0;
            runRound(out, -1 - w, oursFirst, ours, peer, false);
        }
        for (int r = 0; r < reps; r++) {
            boolean oursFirst = r % 2 == 0;
            runRound(out, r, oursFirst, ours, peer, true);
        }
        if (out.oursFailure != null) {
            out.ours.clear();
        }
        if (out.peerFailure != null) {
            out.peer.clear();
        }
        return out;
    }

    private static <T> void runRound(Outcome<T> out, int round, boolean oursFirst, Side<T> ours, Side<T> peer,
            boolean keep) {
        for (int i = 0; i < 2; i++) {
            boolean isOurs = (i == 0) == oursFirst;
            if (isOurs ? out.oursFailure != null : out.peerFailure != null) {
                continue;
            }
            try {
                Timed<T> t = time(isOurs ? ours : peer, round);
                if (keep) {
                    (isOurs ? out.ours : out.peer).add(t);
                }
            } catch (Exception | LinkageError e) {
                String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
                System.err.println("bench: " + out.name + " (" + (isOurs ? "ditto" : "peer") + ") failed in round "
                        + round + ": " + reason);
                if (isOurs) {
                    out.oursFailure = reason;
                } else {
                    out.peerFailure = reason;
                }
            }
        }
    }

    private static <T> Timed<T> time(Side<T> side, int round) throws Exception {
        System.gc();
        long cpu0 = processCpuNanos();
        long wall0 = System.nanoTime();
        T value = side.run(round);
        long wall = System.nanoTime() - wall0;
        long cpu1 = processCpuNanos();
        double cpu = cpu0 < 0 || cpu1 < 0 ? Double.NaN : (cpu1 - cpu0) / 1e9;
        return new Timed<>(value, wall / 1e9, cpu);
    }

    /** CPU time of the whole process (all threads, JIT and GC included), in nanoseconds; -1 if unknown. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
