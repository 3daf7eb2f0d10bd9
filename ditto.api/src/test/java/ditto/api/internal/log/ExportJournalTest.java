package ditto.api.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.LogLevel;

class ExportJournalTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @TempDir
    Path dir;

    @Test
    void acceptsDebugAndMoreSevereOnly() {
        assertTrue(ExportJournal.accepts(LogLevel.ERROR));
        assertTrue(ExportJournal.accepts(LogLevel.WARNING));
        assertTrue(ExportJournal.accepts(LogLevel.INFO));
        assertTrue(ExportJournal.accepts(LogLevel.DEBUG));
        assertFalse(ExportJournal.accepts(LogLevel.VERBOSE));
    }

    @Test
    void dropsEntriesOlderThanTheMaxAgeOldestFirst() {
        // given a journal that keeps 3 days
        ExportJournal journal = new ExportJournal(clock, 1 << 20, Duration.ofDays(3));
        journal.append(LogLevel.INFO, null, "day 0");
        clock.advance(Duration.ofDays(2));
        journal.append(LogLevel.INFO, null, "day 2");

        // when the first entry passes 3 days of age
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        List<String> lines = journal.snapshot();

        // then only it is gone
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("\"day 2\""), lines.get(0));
        assertEquals(LogFormat.utf8Length(lines.get(0)) + 1, journal.sizeBytes());
    }

    @Test
    void keepsEntriesExactlyAtTheMaxAge() {
        ExportJournal journal = new ExportJournal(clock, 1 << 20, Duration.ofDays(3));
        journal.append(LogLevel.INFO, null, "edge");

        clock.advance(Duration.ofDays(3));

        assertEquals(1, journal.snapshot().size());
    }

    @Test
    void dropsOldestEntriesBeyondTheSizeCap() {
        // given a cap that holds three 100-byte lines but not four
        String line = LogFormat.jsonLine(clock.instant(), LogLevel.INFO, null, "");
        int fixed = LogFormat.utf8Length(line) + 1;
        int cap = 3 * 100 + 50;
        ExportJournal journal = new ExportJournal(clock, cap, Duration.ofDays(3));

        // when four such lines are appended
        for (int i = 0; i < 4; i++) {
            journal.append(LogLevel.INFO, null, i + "x".repeat(100 - fixed - 1));
        }

        // then the first one was dropped and the size stays under the cap
        List<String> lines = journal.snapshot();
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).contains("\"1x"), lines.get(0));
        assertTrue(lines.get(2).contains("\"3x"), lines.get(2));
        assertEquals(300, journal.sizeBytes());
    }

    @Test
    void doesNotKeepAnEntryLargerThanTheWholeCap() {
        ExportJournal journal = new ExportJournal(clock, 200, Duration.ofDays(3));
        journal.append(LogLevel.INFO, null, "small");

        journal.append(LogLevel.INFO, null, "y".repeat(500));

        assertEquals(List.of(), journal.snapshot());
        assertEquals(0, journal.sizeBytes());
    }

    @Test
    void exportWritesGzipJsonLinesOldestFirstAndReturnsTheFileSize() throws IOException {
        ExportJournal journal = new ExportJournal(clock, 1 << 20, Duration.ofDays(3));
        journal.append(LogLevel.WARNING, "src.One", "first");
        clock.advance(Duration.ofMillis(5));
        journal.append(LogLevel.DEBUG, null, "second");
        Path target = dir.resolve("log.jsonl.gz");

        long written = journal.export(target);

        assertEquals(Files.size(target), written);
        List<Map<String, Object>> records = LogTestFiles.readExport(target);
        assertEquals(2, records.size());
        assertEquals(Map.of("time", "2026-01-01T00:00:00.000Z", "level", "WARNING", "source", "src.One",
                "message", "first"), records.get(0));
        assertEquals(Map.of("time", "2026-01-01T00:00:00.005Z", "level", "DEBUG", "message", "second"), records.get(1));
    }

    @Test
    void exportOfAnEmptyJournalIsAnEmptyGzipFile() throws IOException {
        ExportJournal journal = new ExportJournal(clock, 1 << 20, Duration.ofDays(3));
        Path target = dir.resolve("empty.jsonl.gz");

        long written = journal.export(target);

        assertTrue(written > 0);
        assertEquals(List.of(), LogTestFiles.readExport(target));
    }

    @Test
    void exportRefusesAnExistingTargetAndLeavesItUntouched() throws IOException {
        ExportJournal journal = new ExportJournal(clock, 1 << 20, Duration.ofDays(3));
        journal.append(LogLevel.INFO, null, "x");
        Path target = Files.writeString(dir.resolve("taken.jsonl.gz"), "keep me");

        DittoException e = assertThrows(DittoException.class, () -> journal.export(target));

        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("keep me", Files.readString(target));
    }

    @Test
    void exportRefusesAMissingDirectory() {
        ExportJournal journal = new ExportJournal(clock, 1 << 20, Duration.ofDays(3));
        Path target = dir.resolve("missing").resolve("log.jsonl.gz");

        DittoException e = assertThrows(DittoException.class, () -> journal.export(target));

        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void exportRefusesANullTarget() {
        ExportJournal journal = new ExportJournal(clock, 1 << 20, Duration.ofDays(3));

        DittoException e = assertThrows(DittoException.class, () -> journal.export(null));

        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
    }

    @Test
    void refusesNonPositiveCaps() {
        assertThrows(IllegalArgumentException.class, () -> new ExportJournal(clock, 0, Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class, () -> new ExportJournal(clock, 1, Duration.ZERO));
    }
}
