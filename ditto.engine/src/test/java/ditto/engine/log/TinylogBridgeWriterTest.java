package ditto.engine.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.tinylog.Logger;

import ditto.api.DittoLogger;
import ditto.api.LogLevel;

class TinylogBridgeWriterTest {
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path dir;

    @BeforeAll
    static void installBridge() {
        TinylogSetup.install();
    }

    @BeforeEach
    void listen() {
        DittoLogger.setMinimumLogLevel(LogLevel.VERBOSE);
        DittoLogger.setCustomLogCallback((level, message) -> received.add(level + " " + message));
    }

    @AfterEach
    void restoreDittoLoggerDefaults() {
        DittoLogger.setCustomLogCallback(null);
        DittoLogger.setMinimumLogLevel(LogLevel.INFO);
        DittoLogger.setEnabled(true);
        DittoLogger.setEmojiLogLevelHeadingsEnabled(false);
        DittoLogger.setLogFile(null);
    }

    @Test
    void bridgeIsTinylogsOnlyWriter() {
        assertTrue(TinylogSetup.isBridgeActive());
    }

    @Test
    void tinylogInfoArrivesInTheDittoLoggerCallback() {
        Logger.info("engine says {}", 42);

        assertTrue(received.contains("info engine says 42"), received.toString());
    }

    @Test
    void slf4jOutputOfJmdnsArrivesInTheDittoLoggerCallback() {
        LoggerFactory.getLogger("javax.jmdns.JmDNS").warn("mDNS socket {} closed", "eth0");

        assertTrue(received.contains("warning mDNS socket eth0 closed"), received.toString());
    }

    @Test
    void tinylogLevelsMapToDittoLevels() {
        Logger.trace("t");
        Logger.debug("d");
        Logger.warn("w");
        Logger.error("e");

        assertEquals(List.of("verbose t", "debug d", "warning w", "error e"), List.copyOf(received));
    }

    @Test
    void dittoMinimumLevelFiltersBridgedEntries() {
        DittoLogger.setMinimumLogLevel(LogLevel.WARNING);

        Logger.info("below");
        LoggerFactory.getLogger("org.java_websocket.WebSocketImpl").error("above");

        assertEquals(List.of("error above"), List.copyOf(received));
    }

    @Test
    void exceptionIsAppendedAsStackTrace() {
        Logger.error(new IOException("disk gone"), "flush failed");

        String message = received.get(0);
        assertTrue(message.startsWith("error flush failed" + System.lineSeparator() + "java.io.IOException: disk gone"),
                message);
        assertTrue(message.contains("ditto.engine.log.TinylogBridgeWriterTest.exceptionIsAppendedAsStackTrace("), message);
    }

    @Test
    void sourceIsTheTagOrTheCallingClassInTheExport() throws IOException {
        Logger.tag("sync").info("tagged entry");
        Logger.info("untagged entry");
        LoggerFactory.getLogger("javax.jmdns.JmDNS").info("slf4j entry");
        Path target = dir.resolve("bridge.jsonl.gz");

        DittoLogger.exportLog(target);

        List<String> lines = readLines(target);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"source\":\"sync\",\"message\":\"tagged entry\"")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains(
                "\"source\":\"ditto.engine.log.TinylogBridgeWriterTest\",\"message\":\"untagged entry\"")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains(
                "\"source\":\"ditto.engine.log.TinylogBridgeWriterTest\",\"message\":\"slf4j entry\"")),
                lines.toString());
    }

    @Test
    void bridgedEntriesReachTheLogFile() throws IOException {
        Path file = dir.resolve("ditto.log");
        DittoLogger.setLogFile(file);

        LoggerFactory.getLogger("javax.jmdns.impl.JmDNSImpl").warn("probe conflict");
        DittoLogger.setLogFile(null);

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).endsWith(" WARNING ditto.engine.log.TinylogBridgeWriterTest: probe conflict"),
                lines.get(0));
    }

    @Test
    void levelMappingCoversEveryTinylogLevel() {
        assertEquals(LogLevel.VERBOSE, TinylogBridgeWriter.level(org.tinylog.Level.TRACE));
        assertEquals(LogLevel.DEBUG, TinylogBridgeWriter.level(org.tinylog.Level.DEBUG));
        assertEquals(LogLevel.INFO, TinylogBridgeWriter.level(org.tinylog.Level.INFO));
        assertEquals(LogLevel.WARNING, TinylogBridgeWriter.level(org.tinylog.Level.WARN));
        assertEquals(LogLevel.ERROR, TinylogBridgeWriter.level(org.tinylog.Level.ERROR));
        assertEquals(null, TinylogBridgeWriter.level(org.tinylog.Level.OFF));
    }

    private static List<String> readLines(Path gz) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
