package ditto.bench;

import java.util.Locale;

/**
 * A target from BENCHMARKS.md on a ratio: "at most" (latency, size: lower is better) or "at
 * least" (throughput: higher is better) a bound, and the verdict for a measured ratio.
 *
 * @param atMost true for "ratio ≤ bound", false for "ratio ≥ bound"
 * @param bound the bound, positive
 */
public record Target(boolean atMost, double bound) {

    /** Returns the target "ratio ≤ bound". */
    public static Target atMost(double bound) {
        return new Target(true, bound);
    }

    /** Returns the target "ratio ≥ bound". */
    public static Target atLeast(double bound) {
        return new Target(false, bound);
    }

    /** Returns the target as printed in the table, such as {@code ≤ 1.25×}. */
    public String text() {
        return (atMost ? "≤ " : "≥ ") + Report.ratio(bound);
    }

    /**
     * Returns the verdict for a measured ratio: {@code met}; {@code MISSED by <1%},
     * {@code MISSED by N%} or, from a
     * factor of 2 on, {@code MISSED by F×}, where the factor is how far the ratio is on the wrong
     * side of the bound (for "≥ 1.5×" a ratio of 1.2× misses by 25 %, the speed-up still needed;
     * for "≤ 0.5×" a ratio of 2.0× misses by 4.0×); or {@code not measured} for NaN.
     *
     * @param ratio the paired ratio ours ÷ peer
     * @return the verdict, never null
     */
    public String verdict(double ratio) {
        if (!Double.isFinite(ratio)) {
            return "not measured";
        }
        boolean met = atMost ? ratio <= bound : ratio >= bound;
        if (met) {
            return "met";
        }
        double factor = atMost ? ratio / bound : bound / ratio;
        if (factor < 1.01) {
            return "MISSED by <1%";
        }
        return factor < 2
                ? String.format(Locale.ROOT, "MISSED by %.0f%%", (factor - 1) * 100)
                : String.format(Locale.ROOT, "MISSED by %.1f×", factor);
    }
}
