package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.internal.log.LogTestFiles;

class DittoLoggerTest {
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private final List<String> received = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void captureStandardError() {
        DittoLogger.reset();
        originalErr = System.err;
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreGlobalState() {
        System.setErr(originalErr);
        DittoLogger.reset();
    }

    private String stderr() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    /** Counts how often it is rendered, to show that filtered-out messages are never formatted. */
    private static final class Rendered {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public String toString() {
            count.incrementAndGet();
            return "rendered";
        }
    }

    @Test
    void defaultsAreEnabledInfoAndPlainHeadings() {
        assertTrue(DittoLogger.isEnabled());
        assertEquals(LogLevel.INFO, DittoLogger.minimumLogLevel());
        assertFalse(DittoLogger.isEmojiLogLevelHeadingsEnabled());
    }

    @Test
    void settersChangeWhatGettersReport() {
        DittoLogger.setEnabled(false);
        DittoLogger.setMinimumLogLevel(LogLevel.VERBOSE);
        DittoLogger.setEmojiLogLevelHeadingsEnabled(true);

        assertFalse(DittoLogger.isEnabled());
        assertEquals(LogLevel.VERBOSE, DittoLogger.minimumLogLevel());
        assertTrue(DittoLogger.isEmojiLogLevelHeadingsEnabled());
    }

    @Test
    void levelStringFormsAreLowerCase() {
        assertEquals("error", LogLevel.ERROR.toString());
        assertEquals("warning", LogLevel.WARNING.toString());
        assertEquals("info", LogLevel.INFO.toString());
        assertEquals("debug", LogLevel.DEBUG.toString());
        assertEquals("verbose", LogLevel.VERBOSE.toString());
    }

    @Test
    void eachLevelMethodLogsAtItsLevel() {
        List<LogLevel> levels = new ArrayList<>();
        DittoLogger.setMinimumLogLevel(LogLevel.VERBOSE);
        DittoLogger.setCustomLogCallback((level, message) -> {
            levels.add(level);
            received.add(message);
        });

        DittoLogger.error("e");
        DittoLogger.warning("w");
        DittoLogger.info("i");
        DittoLogger.debug("d");
        DittoLogger.verbose("v");
        DittoLogger.log(LogLevel.INFO, "plain");
        DittoLogger.log(LogLevel.WARNING, "a.Source", "sourced");

        assertEquals(List.of(LogLevel.ERROR, LogLevel.WARNING, LogLevel.INFO, LogLevel.DEBUG, LogLevel.VERBOSE,
                LogLevel.INFO, LogLevel.WARNING), levels);
        assertEquals(List.of("e", "w", "i", "d", "v", "plain", "sourced"), received);
        assertTrue(stderr().contains(" WARNING a.Source: sourced"), stderr());
    }

    @Test
    void formattedVariantsFormatWithTheirArguments() {
        DittoLogger.setMinimumLogLevel(LogLevel.VERBOSE);
        DittoLogger.setCustomLogCallback((level, message) -> received.add(level + " " + message));

        DittoLogger.errorf("%s failed after %d tries", "sync", 3);
        DittoLogger.warningf("%.1f%% full", 95.0);
        DittoLogger.infof("peer %s", "abc");
        DittoLogger.debugf("x=%x", 255);
        DittoLogger.verbosef("%b", true);

        assertEquals(List.of("error sync failed after 3 tries", "warning 95.0% full", "info peer abc", "debug x=ff",
                "verbose true"), received);
    }

    @Test
    void filteredOutFormattedMessagesAreNeverRendered() {
        Rendered arg = new Rendered();

        DittoLogger.verbosef("%s", arg);

        assertEquals(0, arg.count.get());
        DittoLogger.debugf("%s", arg);
        assertEquals(1, arg.count.get(), "debug is journaled, so it is rendered even below the minimum level");
    }

    @Test
    void minimumLevelFiltersConsoleOutput() {
        DittoLogger.setMinimumLogLevel(LogLevel.WARNING);

        DittoLogger.info("quiet");
        DittoLogger.warning("loud");

        assertFalse(stderr().contains("quiet"));
        assertTrue(stderr().contains(" WARNING loud"), stderr());
    }

    @Test
    void disablingSilencesConsoleAndCallback() {
        DittoLogger.setCustomLogCallback((level, message) -> received.add(message));
        DittoLogger.setEnabled(false);

        DittoLogger.error("nobody hears");

        assertEquals("", stderr());
        assertEquals(List.of(), received);
    }

    @Test
    void emojiHeadingsShowOnTheConsole() {
        DittoLogger.setEmojiLogLevelHeadingsEnabled(true);

        DittoLogger.error("bad");

        assertTrue(stderr().contains(" \u274C ERROR bad"), stderr());
    }

    @Test
    void logFileCanBeSetAndUnset() throws IOException {
        Path file = dir.resolve("ditto.log");
        DittoLogger.setLogFile(file);
        DittoLogger.info("into the file");

        DittoLogger.setLogFile(null);
        DittoLogger.info("console only");

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).endsWith(" INFO into the file"), lines.get(0));
    }

    @Test
    void logFileWithMissingParentIsRefused() {
        Path file = dir.resolve("absent").resolve("ditto.log");

        DittoException e = assertThrows(DittoException.class, () -> DittoLogger.setLogFile(file));

        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void callbackCanBeRemoved() {
        DittoLogger.setCustomLogCallback((level, message) -> received.add(message));
        DittoLogger.info("one");

        DittoLogger.setCustomLogCallback(null);
        DittoLogger.info("two");

        assertEquals(List.of("one"), received);
    }

    @Test
    void throwingCallbackDoesNotReachTheCaller() {
        DittoLogger.setCustomLogCallback((level, message) -> {
            throw new IllegalArgumentException("app bug");
        });

        DittoLogger.info("first");
        DittoLogger.info("second");

        String err = stderr();
        assertEquals(1, err.split("custom log callback threw", -1).length - 1, err);
        assertTrue(err.contains("app bug"), err);
        assertTrue(err.contains("INFO second"), err);
    }

    @Test
    void exportContainsDebugAndAboveOldestFirstWhateverTheSettings() throws IOException {
        // given a logger that outputs errors only, and then nothing at all
        DittoLogger.setMinimumLogLevel(LogLevel.ERROR);
        DittoLogger.warning("first warning");
        DittoLogger.debug("then debug");
        DittoLogger.verbose("verbose is never exported");
        DittoLogger.setEnabled(false);
        DittoLogger.info("info while disabled");
        DittoLogger.log(LogLevel.ERROR, "org.example.Bridge", "bridged error");
        Path target = dir.resolve("export.jsonl.gz");

        // when the log is exported
        long written = DittoLogger.exportLog(target);

        // then every DEBUG+ message is there in order, with its level, time and known source
        assertEquals(Files.size(target), written);
        List<Map<String, Object>> records = LogTestFiles.readExport(target);
        List<String> messages = new ArrayList<>();
        for (Map<String, Object> r : records) {
            messages.add((String) r.get("message"));
            assertTrue(((String) r.get("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), r.toString());
        }
        assertEquals(List.of("first warning", "then debug", "info while disabled", "bridged error"), messages);
        assertEquals(List.of("WARNING", "DEBUG", "INFO", "ERROR"),
                records.stream().map(r -> r.get("level")).toList());
        assertEquals("org.example.Bridge", records.get(3).get("source"));
        assertFalse(records.get(0).containsKey("source"));
    }

    @Test
    void exportRefusesAnExistingTargetNamingIt() throws IOException {
        Path target = Files.createFile(dir.resolve("already.jsonl.gz"));

        DittoException e = assertThrows(DittoException.class, () -> DittoLogger.exportLog(target));

        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertEquals(0, Files.size(target));
    }

    @Test
    void exportRefusesAMissingDirectory() {
        Path target = dir.resolve("nope").resolve("x.jsonl.gz");

        DittoException e = assertThrows(DittoException.class, () -> DittoLogger.exportLog(target));

        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
    }

    @Test
    void nullLevelIsRejected() {
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> DittoLogger.setMinimumLogLevel(null)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> DittoLogger.log(null, "x")).code());
    }
}
