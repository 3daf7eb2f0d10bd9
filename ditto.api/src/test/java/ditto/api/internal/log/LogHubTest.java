package ditto.api.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.LogLevel;

class LogHubTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(consoleBytes, true, StandardCharsets.UTF_8);
    private final LogHub hub = new LogHub(clock, () -> console, 1 << 20, Duration.ofDays(3));
    private final List<String> received = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeFile() {
        hub.reset();
    }

    private List<String> consoleLines() {
        String text = consoleBytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split(System.lineSeparator()));
    }

    @Test
    void startsWithTheDocumentedDefaults() {
        assertTrue(hub.isEnabled());
        assertEquals(LogLevel.INFO, hub.minimumLevel());
        assertEquals(false, hub.isEmojiHeadings());
        assertNull(hub.logFile());
    }

    @Test
    void outputsOnlyMessagesAtOrAboveTheMinimumLevel() {
        hub.setMinimumLevel(LogLevel.WARNING);

        for (LogLevel level : LogLevel.values()) {
            hub.log(level, null, "at " + level);
        }

        assertEquals(List.of("2026-11-26T10:00:00.000Z ERROR at error", "2026-11-26T10:00:00.000Z WARNING at warning"),
                consoleLines());
    }

    @Test
    void verboseMinimumOutputsEverything() {
        hub.setMinimumLevel(LogLevel.VERBOSE);

        for (LogLevel level : LogLevel.values()) {
            hub.log(level, null, "m");
        }

        assertEquals(5, consoleLines().size());
    }

    @Test
    void disabledLoggerOutputsNothingButStillJournals() {
        hub.setCallback((level, message) -> received.add(message));
        hub.setLogFile(dir.resolve("out.log"));
        hub.setEnabled(false);

        hub.log(LogLevel.ERROR, null, "silenced");

        assertEquals(List.of(), consoleLines());
        assertEquals(List.of(), received);
        assertEquals(1, hub.journal().snapshot().size());
    }

    @Test
    void emojiHeadingsAppearWhenEnabled() {
        hub.setEmojiHeadings(true);

        hub.log(LogLevel.WARNING, "peer.Link", "slow");

        assertEquals(List.of("2026-11-26T10:00:00.000Z \u26A0\uFE0F WARNING peer.Link: slow"), consoleLines());
    }

    @Test
    void journalKeepsDebugWhateverTheLevelButNeverVerbose() {
        hub.setMinimumLevel(LogLevel.ERROR);

        hub.log(LogLevel.DEBUG, null, "debug detail");
        hub.log(LogLevel.VERBOSE, null, "verbose detail");

        List<String> lines = hub.journal().snapshot();
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("debug detail"));
        assertEquals(List.of(), consoleLines());
    }

    @Test
    void nullMessageIsLoggedAsTheWordNull() {
        hub.log(LogLevel.INFO, null, null);

        assertEquals(List.of("2026-11-26T10:00:00.000Z INFO null"), consoleLines());
    }

    @Test
    void nullLevelIsRejected() {
        DittoException e = assertThrows(DittoException.class, () -> hub.log(null, null, "x"));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertThrows(DittoException.class, () -> hub.setMinimumLevel(null));
    }

    @Test
    void logFileReceivesTheSameLinesAppendedInUtf8() throws IOException {
        Path file = Files.writeString(dir.resolve("app.log"), "earlier line" + System.lineSeparator());
        hub.setEmojiHeadings(true);
        hub.setLogFile(file);

        hub.log(LogLevel.INFO, null, "caf\u00e9");
        hub.log(LogLevel.DEBUG, null, "filtered out");

        assertEquals(List.of("earlier line", "2026-11-26T10:00:00.000Z \u2139\uFE0F INFO caf\u00e9"),
                Files.readAllLines(file, StandardCharsets.UTF_8));
        assertEquals(file.toAbsolutePath(), hub.logFile());
    }

    @Test
    void unregisteringTheLogFileStopsWritingToIt() throws IOException {
        Path file = dir.resolve("app.log");
        hub.setLogFile(file);
        hub.log(LogLevel.INFO, null, "kept");

        hub.setLogFile(null);
        hub.log(LogLevel.INFO, null, "not in file");

        assertEquals(1, Files.readAllLines(file).size());
        assertNull(hub.logFile());
        assertEquals(2, consoleLines().size());
    }

    @Test
    void replacingTheLogFileMovesOutputToTheNewFile() throws IOException {
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("second.log");
        hub.setLogFile(first);
        hub.log(LogLevel.INFO, null, "one");

        hub.setLogFile(second);
        hub.log(LogLevel.INFO, null, "two");

        assertEquals(1, Files.readAllLines(first).size());
        assertTrue(Files.readAllLines(second).get(0).endsWith("two"));
    }

    @Test
    void logFileInAMissingDirectoryIsRefusedAndThePreviousFileKept() throws IOException {
        Path good = dir.resolve("good.log");
        hub.setLogFile(good);
        Path bad = dir.resolve("no-such-dir").resolve("app.log");

        DittoException e = assertThrows(DittoException.class, () -> hub.setLogFile(bad));

        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        hub.log(LogLevel.INFO, null, "still here");
        assertEquals(1, Files.readAllLines(good).size());
        assertEquals(good.toAbsolutePath(), hub.logFile());
    }

    @Test
    void aDirectoryIsRefusedAsLogFile() {
        DittoException e = assertThrows(DittoException.class, () -> hub.setLogFile(dir));

        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void callbackReceivesLevelAndBareMessageForOutputMessagesOnly() {
        List<LogLevel> levels = new ArrayList<>();
        hub.setCallback((level, message) -> {
            levels.add(level);
            received.add(message);
        });

        hub.log(LogLevel.WARNING, "some.Source", "watch out");
        hub.log(LogLevel.DEBUG, null, "below the minimum");

        assertEquals(List.of(LogLevel.WARNING), levels);
        assertEquals(List.of("watch out"), received);
    }

    @Test
    void removedCallbackReceivesNothing() {
        hub.setCallback((level, message) -> received.add(message));
        hub.log(LogLevel.INFO, null, "first");

        hub.setCallback(null);
        hub.log(LogLevel.INFO, null, "second");

        assertEquals(List.of("first"), received);
    }

    @Test
    void throwingCallbackIsReportedOnceAndNeverPropagates() {
        hub.setCallback((level, message) -> {
            throw new IllegalStateException("callback broke");
        });

        hub.log(LogLevel.INFO, null, "one");
        hub.log(LogLevel.INFO, null, "two");

        List<String> lines = consoleLines();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains("custom log callback threw java.lang.IllegalStateException: callback broke"),
                lines.get(1));
        assertTrue(lines.get(2).endsWith("INFO two"));
    }

    @Test
    void aNewCallbackGetsItsOwnFailureReport() {
        hub.setCallback((level, message) -> {
            throw new IllegalStateException("first");
        });
        hub.log(LogLevel.INFO, null, "a");

        hub.setCallback((level, message) -> {
            throw new IllegalStateException("second");
        });
        hub.log(LogLevel.INFO, null, "b");

        long reports = consoleLines().stream().filter(l -> l.contains("custom log callback threw")).count();
        assertEquals(2, reports);
    }

    @Test
    void callbackThatLogsDoesNotRecurse() {
        hub.setCallback((level, message) -> {
            received.add(message);
            hub.log(LogLevel.INFO, null, "from callback: " + message);
        });

        hub.log(LogLevel.INFO, null, "outer");

        assertEquals(List.of("outer"), received);
        assertEquals(2, consoleLines().size());
        assertEquals(2, hub.journal().snapshot().size());
    }

    @Test
    void resetRestoresDefaultsAndEmptiesTheJournal() {
        hub.setEnabled(false);
        hub.setMinimumLevel(LogLevel.VERBOSE);
        hub.setEmojiHeadings(true);
        hub.setLogFile(dir.resolve("x.log"));
        hub.log(LogLevel.ERROR, null, "x");

        hub.reset();

        assertTrue(hub.isEnabled());
        assertEquals(LogLevel.INFO, hub.minimumLevel());
        assertEquals(false, hub.isEmojiHeadings());
        assertNull(hub.logFile());
        assertEquals(List.of(), hub.journal().snapshot());
    }

    @Test
    void concurrentLoggingKeepsEveryLineWholeAndTheJournalInTimeOrder() throws Exception {
        // given a real clock and a log file
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
        LogHub shared = new LogHub(java.time.Clock.systemUTC(), () -> quiet, 1 << 22, Duration.ofDays(3));
        Path file = dir.resolve("concurrent.log");
        shared.setLogFile(file);
        int threads = 4;
        int perThread = 500;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);

        // when several threads log at once
        for (int t = 0; t < threads; t++) {
            int id = t;
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < perThread; i++) {
                    shared.log(LogLevel.INFO, "t" + id, "message " + i);
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        shared.setLogFile(null);

        // then no line is torn and the journal's times never go backwards
        List<String> fileLines = Files.readAllLines(file);
        assertEquals(threads * perThread, fileLines.size());
        assertTrue(fileLines.stream().allMatch(l -> l.matches("\\S+ INFO t\\d: message \\d+")));
        Instant previous = Instant.MIN;
        for (String line : shared.journal().snapshot()) {
            Instant time = Instant.parse((String) ditto.api.internal.Json.parseObject(line).get("time"));
            assertTrue(!time.isBefore(previous), line);
            previous = time;
        }
        assertEquals(threads * perThread, shared.journal().snapshot().size());
    }

    @Test
    void exportThroughTheHubKeepsSourceWhenKnown() throws IOException {
        hub.log(LogLevel.INFO, "javax.jmdns.impl.JmDNSImpl", "announced");
        Path target = dir.resolve("hub.jsonl.gz");

        hub.exportLog(target);

        List<Map<String, Object>> records = LogTestFiles.readExport(target);
        assertEquals("javax.jmdns.impl.JmDNSImpl", records.get(0).get("source"));
    }
}
