package ditto.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The summary statistics the harness reports: medians, and the paired ratio (the median of the
 * per-repetition ratios ours ÷ peer, which cancels drift that hits both sides of one repetition
 * alike, such as another process loading the shared machine for a while).
 */
public final class Stats {

    private Stats() {
    }

    /**
     * Returns the median of the finite values (the mean of the two middle ones for an even
     * count).
     *
     * @param values the values; NaN and infinities are ignored
     * @return the median, or NaN if no value is finite
     */
    public static double median(List<Double> values) {
        double[] finite = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
        if (finite.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(finite);
        int mid = finite.length / 2;
        return finite.length % 2 == 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
    }

    /**
     * Returns the paired ratio: the median over repetitions i of {@code ours[i] / peer[i]}.
     * Pairs where either side is not finite or the peer is 0 are skipped.
     *
     * @param ours this project's value per repetition
     * @param peer the peer's value per repetition, in the same order
     * @return the median ratio, or NaN if no pair is usable
     * @throws IllegalArgumentException if the lists differ in length
     */
    public static double pairedRatio(List<Double> ours, List<Double> peer) {
        if (ours.size() != peer.size()) {
            throw new IllegalArgumentException("paired ratio: " + ours.size() + " values of ours but "
                    + peer.size() + " of the peer; each repetition must measure both sides");
        }
        double[] ratios = new double[ours.size()];
        int n = 0;
        for (int i = 0; i < ours.size(); i++) {
            double o = ours.get(i);
            double p = peer.get(i);
            if (Double.isFinite(o) && Double.isFinite(p) && p != 0) {
                ratios[n++] = o / p;
            }
        }
        return median(Arrays.stream(ratios, 0, n).boxed().toList());
    }
}
