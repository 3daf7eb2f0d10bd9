package ditto.engine.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.DittoLogger;
import ditto.api.LogLevel;

class TinylogSetupTest {
    private final List<String> received = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void restoreDittoLoggerDefaults() {
        DittoLogger.setCustomLogCallback(null);
        DittoLogger.setMinimumLogLevel(LogLevel.INFO);
        DittoLogger.setEnabled(true);
        DittoLogger.setEmojiLogLevelHeadingsEnabled(false);
        DittoLogger.setLogFile(null);
    }

    @Test
    void propertiesConfigureDittoLogger() {
        Path file = dir.resolve("from-property.log");
        Map<String, String> props = Map.of(
                TinylogSetup.PROPERTY_LEVEL, " Debug ",
                TinylogSetup.PROPERTY_EMOJI, "TRUE",
                TinylogSetup.PROPERTY_FILE, file.toString());

        TinylogSetup.applyProperties(props::get);
        DittoLogger.debug("into the file");

        assertEquals(LogLevel.DEBUG, DittoLogger.minimumLogLevel());
        assertTrue(DittoLogger.isEmojiLogLevelHeadingsEnabled());
        assertTrue(DittoLogger.isEnabled());
        assertTrue(Files.exists(file));
    }

    @Test
    void enabledPropertyCanSilenceTheLogger() {
        TinylogSetup.applyProperties(Map.of(TinylogSetup.PROPERTY_ENABLED, "false")::get);

        assertFalse(DittoLogger.isEnabled());
    }

    @Test
    void unsetPropertiesChangeNothing() {
        DittoLogger.setMinimumLogLevel(LogLevel.ERROR);

        TinylogSetup.applyProperties(name -> null);

        assertEquals(LogLevel.ERROR, DittoLogger.minimumLogLevel());
        assertTrue(DittoLogger.isEnabled());
    }

    @Test
    void badValuesAreReportedAndSkipped() {
        DittoLogger.setCustomLogCallback((level, message) -> received.add(level + " " + message));
        Map<String, String> props = new HashMap<>();
        props.put(TinylogSetup.PROPERTY_LEVEL, "loud");
        props.put(TinylogSetup.PROPERTY_EMOJI, "yes");
        props.put(TinylogSetup.PROPERTY_FILE, dir.resolve("missing").resolve("x.log").toString());

        TinylogSetup.applyProperties(props::get);

        assertEquals(LogLevel.INFO, DittoLogger.minimumLogLevel());
        assertFalse(DittoLogger.isEmojiLogLevelHeadingsEnabled());
        assertEquals(3, received.size(), received.toString());
        assertTrue(received.get(0).startsWith("warning ignoring ditto.log.level=loud"), received.get(0));
        assertTrue(received.get(1).startsWith("warning ignoring ditto.log.emoji=yes"), received.get(1));
        assertTrue(received.get(2).startsWith("error ignoring ditto.log.file="), received.get(2));
    }

    @Test
    void installIsIdempotentAndLeavesTheContextClassLoaderAlone() {
        ClassLoader before = Thread.currentThread().getContextClassLoader();

        TinylogSetup.install(name -> null);
        TinylogSetup.install(name -> null);

        assertEquals(before, Thread.currentThread().getContextClassLoader());
        assertTrue(TinylogSetup.isBridgeActive());
    }
}
