package ditto.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void targetVerdictsSayByHowMuchATargetIsMissed() {
        assertEquals("met", Target.atLeast(1.0).verdict(1.0));
        assertEquals("met", Target.atMost(1.25).verdict(1.2));
        assertEquals("MISSED by 25%", Target.atLeast(1.5).verdict(1.2));
        assertEquals("MISSED by 20%", Target.atMost(1.0).verdict(1.2));
        assertEquals("MISSED by 4.0×", Target.atMost(0.5).verdict(2.0));
        assertEquals("MISSED by <1%", Target.atMost(1.0).verdict(1.004));
        assertEquals("not measured", Target.atMost(0.5).verdict(Double.NaN));
        assertEquals("≤ 1.25×", Target.atMost(1.25).text());
        assertEquals("≥ 1.50×", Target.atLeast(1.5).text());
    }

    @Test
    void rowsCarryRatioTargetAndVerdict() {
        // given a report with a measured row, an unmeasured row and a context row
        Report report = new Report();
        report.row("W2 lookups", "30,000 gets/s", "20,000 gets/s", 1.5, Target.atLeast(1.5));
        report.row("W1 bulk", "n/a", "17,000 docs/s", Double.NaN, Target.atLeast(1.0));
        report.row("W3a ceiling", "10 ms", "1 ms", 10.0, null);

        // then the cells are derived from the ratio and the target
        assertEquals(List.of("W2 lookups", "30,000 gets/s", "20,000 gets/s", "1.50×", "≥ 1.50×", "met"),
                report.results().get(0));
        assertEquals(List.of("W1 bulk", "n/a", "17,000 docs/s", "n/a", "≥ 1.00×", "not measured"),
                report.results().get(1));
        assertEquals(List.of("W3a ceiling", "10 ms", "1 ms", "10.0×", "—", "context"), report.results().get(2));
    }

    @Test
    void textTableAlignsColumns() {
        // given rows of different widths
        String text = Report.textTable(List.of("a", "bb"), List.of(List.of("long cell", "x"), List.of("y", "zz")));

        // then every line puts the separator at the same column
        String[] lines = text.split("\n");
        assertEquals(4, lines.length);
        assertEquals("a         | bb", lines[0]);
        assertEquals("----------+---", lines[1]);
        assertEquals("long cell | x", lines[2]);
        assertEquals("y         | zz", lines[3]);
    }

    @Test
    void markdownTableEscapesPipes() {
        String md = Report.markdownTable(List.of("w", "v"), List.of(List.of("a|b", "1")));
        assertEquals("| w | v |\n|---|---|\n| a\\|b | 1 |\n", md);
    }

    @Test
    void numbersAreFormattedWithUnits() {
        assertEquals("0.156 ms", Report.millis(0.156));
        assertEquals("7.08 ms", Report.millis(7.08));
        assertEquals("110 ms", Report.millis(110.2));
        assertEquals("n/a", Report.millis(Double.NaN));
        assertEquals("17,130 docs/s", Report.rate(17_133, "docs/s"));
        assertEquals("97.8×", Report.ratio(97.8));
        assertEquals("0.004×", Report.ratio(0.0041));
        assertEquals("125×", Report.ratio(125.2));
        assertTrue(Report.ratio(0.333).startsWith("0.33"));
    }
}
