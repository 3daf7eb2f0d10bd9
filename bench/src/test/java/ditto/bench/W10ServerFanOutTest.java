package ditto.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import ditto.api.DittoLogger;
import ditto.api.LogLevel;

class W10ServerFanOutTest {

    @Test
    void sizesGiveTheirDefaultsAndOptionsReplaceThem() {
        W10ServerFanOut.Settings smoke = W10ServerFanOut.Settings.forSize(Sizes.SMOKE);
        W10ServerFanOut.Settings full = W10ServerFanOut.Settings.forSize(Sizes.FULL);
        assertEquals(new W10ServerFanOut.Settings(5, 5, 10, 1, "memory"), smoke);
        assertEquals(new W10ServerFanOut.Settings(50, 60, 10, 1, "memory"), full);

        W10ServerFanOut.Settings custom = full.with(20, null, 0.5, null, "mvstore");
        assertEquals(new W10ServerFanOut.Settings(20, 60, 0.5, 1, "mvstore"), custom);
        assertEquals(31, custom.capacity());
        assertEquals(190.0, custom.expectedDeliveryRate(), 1e-9);
        assertTrue(custom.line().startsWith("W10: 20 clients × 0.5 writes/s for 60 s"), custom.line());
        assertEquals(601, full.capacity());
    }

    @Test
    void refusesSettingsThatCannotFanOut() {
        assertThrows(IllegalArgumentException.class, () -> new W10ServerFanOut.Settings(1, 5, 10, 1, "memory"));
        assertThrows(IllegalArgumentException.class, () -> new W10ServerFanOut.Settings(5, 0, 10, 1, "memory"));
        assertThrows(IllegalArgumentException.class, () -> new W10ServerFanOut.Settings(5, 5, 0, 1, "memory"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new W10ServerFanOut.Settings(5, 5, 10, 1, "sqlite"));
        assertTrue(e.getMessage().contains("'sqlite'"), e.getMessage());
    }

    @Test
    void documentsAreSmallAndCarryTheirClientAndVersion() throws Exception {
        Map<String, Object> doc = W10ServerFanOut.document(7, 42, 123_456_789L);
        byte[] json = new ObjectMapper().writeValueAsBytes(doc);
        assertTrue(json.length >= 200 && json.length <= 500, json.length + " bytes");
        assertEquals("c007", doc.get("_id"));
        assertEquals(7, doc.get("c"));
        assertEquals(42L, doc.get("seq"));
        assertEquals(W10ServerFanOut.document(7, 1, 2).get("body"), doc.get("body"));
    }

    @Test
    void twoClientsSyncThroughALoggedInServerWithoutLosingAWrite(@TempDir Path work) throws Exception {
        // given the smallest fan-out: a server peer and two clients writing 5 times a second for 2 s
        DittoLogger.setMinimumLogLevel(LogLevel.ERROR);
        W10ServerFanOut.Settings settings = new W10ServerFanOut.Settings(2, 2, 5, 1, "memory");
        Report report = new Report();

        // when W10 runs both sides
        W10ServerFanOut.run(settings, work, report);

        // then both sides were measured, every write reached the other client, and nothing failed
        List<List<String>> rows = report.results();
        List<String> lost = rows.stream().filter(r -> r.get(0).contains("lost")).findFirst().orElseThrow();
        assertTrue(lost.get(1).startsWith("0 of "), "ours: " + lost);
        assertTrue(lost.get(2).startsWith("0 of "), "floor: " + lost);
        assertFalse(lost.get(1).equals("0 of 0"), "ours wrote nothing: " + lost);
        for (List<String> row : rows) {
            assertFalse(row.get(1).equals("n/a") && !row.get(0).contains("heap"), "not measured: " + row);
        }
        assertTrue(report.notes().stream().noneMatch(n -> n.contains("not measured")), report.notes().toString());
    }
}
