package ditto.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of one harness run: the main table (workload | ours | peer | ratio | target |
 * verdict), the cost table (median wall and CPU seconds per repetition of each side) and notes,
 * rendered as aligned plain text for the console or as Markdown for docs/benchmarks.md.
 *
 * <p>Not thread-safe: filled by the harness's main thread.
 */
final class Report {

    static final List<String> RESULT_HEADER = List.of("workload", "ours", "peer", "ratio", "target", "verdict");
    static final List<String> COST_HEADER = List.of("measurement", "ours wall s", "ours CPU s", "peer wall s",
            "peer CPU s", "CPU ratio");

    private final List<List<String>> results = new ArrayList<>();
    private final List<List<String>> costs = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /**
     * Adds a result row.
     *
     * @param workload what was measured, such as {@code W2 lookups/s}
     * @param ours our value, formatted with its unit; "n/a" when not measured
     * @param peer the peer's value, formatted with its unit
     * @param ratio the paired ratio that the target applies to (NaN if not measured)
     * @param target the target, or null for a row given for context only
     */
    void row(String workload, String ours, String peer, double ratio, Target target) {
        results.add(List.of(workload, ours, peer, Double.isFinite(ratio) ? ratio(ratio) : "n/a",
                target == null ? "—" : target.text(), target == null ? "context" : target.verdict(ratio)));
    }

    /** Adds a result row whose verdict is given, not derived (such as a wrong result). */
    void row(String workload, String ours, String peer, double ratio, Target target, String verdict) {
        results.add(List.of(workload, ours, peer, Double.isFinite(ratio) ? ratio(ratio) : "n/a",
                target == null ? "—" : target.text(), verdict));
    }

    /** Adds the cost row of a paired measurement. */
    void cost(Pairing.Outcome<?> outcome) {
        double cpuRatio = outcome.bothMeasured() ? outcome.oursCpu() / outcome.peerCpu() : Double.NaN;
        costs.add(List.of(outcome.name, seconds(outcome.oursWall()), seconds(outcome.oursCpu()),
                seconds(outcome.peerWall()), seconds(outcome.peerCpu()),
                Double.isFinite(cpuRatio) ? ratio(cpuRatio) : "n/a"));
    }

    /** Adds a note printed below the tables. */
    void note(String note) {
        notes.add(note);
    }

    List<List<String>> results() {
        return results;
    }

    List<String> notes() {
        return notes;
    }

    /** Renders both tables and the notes as aligned plain text. */
    String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(textTable(RESULT_HEADER, results)).append('\n');
        sb.append(textTable(COST_HEADER, costs));
        for (String note : notes) {
            sb.append("\n- ").append(note);
        }
        return sb.append('\n').toString();
    }

    /** Renders both tables and the notes as Markdown. */
    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append(markdownTable(RESULT_HEADER, results)).append('\n');
        sb.append(markdownTable(COST_HEADER, costs));
        if (!notes.isEmpty()) {
            sb.append('\n');
            for (String note : notes) {
                sb.append("- ").append(note).append('\n');
            }
        }
        return sb.toString();
    }

    /** Formats rows as columns padded to their widest cell, separated by " | ". */
    static String textTable(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendText(sb, header, width);
        for (int c = 0; c < width.length; c++) {
            sb.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
        }
        sb.append('\n');
        for (List<String> row : rows) {
            appendText(sb, row, width);
        }
        return sb.toString();
    }

    private static void appendText(StringBuilder sb, List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            line.append(c == 0 ? "" : " | ").append(cells.get(c));
            line.append(" ".repeat(width[c] - cells.get(c).length()));
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    /** Formats rows as a Markdown table; pipes inside cells are escaped. */
    static String markdownTable(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        appendMarkdown(sb, header);
        sb.append("|---".repeat(header.size())).append("|\n");
        for (List<String> row : rows) {
            appendMarkdown(sb, row);
        }
        return sb.toString();
    }

    private static void appendMarkdown(StringBuilder sb, List<String> cells) {
        sb.append('|');
        for (String cell : cells) {
            sb.append(' ').append(cell.replace("|", "\\|")).append(" |");
        }
        sb.append('\n');
    }

    /** Formats a ratio with the × sign and a precision suited to its size: {@code 0.004×}, {@code 1.25×}, {@code 12.5×}, {@code 125×}. */
    static String ratio(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%.0f×", value);
        }
        if (value >= 10) {
            return String.format(Locale.ROOT, "%.1f×", value);
        }
        if (value < 0.01) {
            return String.format(Locale.ROOT, "%.3f×", value);
        }
        return String.format(Locale.ROOT, "%.2f×", value);
    }

    /** Formats a duration in milliseconds with a precision suited to its size. */
    static String millis(double ms) {
        if (!Double.isFinite(ms)) {
            return "n/a";
        }
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        if (ms >= 1) {
            return String.format(Locale.ROOT, "%.2f ms", ms);
        }
        return String.format(Locale.ROOT, "%.3f ms", ms);
    }

    /** Formats a rate such as documents per second, rounded to three significant digits. */
    static String rate(double perSecond, String unit) {
        if (!Double.isFinite(perSecond)) {
            return "n/a";
        }
        double rounded = perSecond >= 1000 ? Math.round(perSecond / 10.0) * 10.0 : Math.round(perSecond);
        return String.format(Locale.ROOT, "%,.0f %s", rounded, unit);
    }

    static String seconds(double s) {
        return Double.isFinite(s) ? String.format(Locale.ROOT, "%.2f", s) : "n/a";
    }
}
