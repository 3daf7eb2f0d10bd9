package ditto.api.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ditto.api.LogLevel;
import ditto.api.internal.Json;

class LogFormatTest {
    private static final Instant T = Instant.parse("2026-11-26T10:15:30.123456Z");

    @Test
    void headingsUseEmojiOnlyWhenAsked() {
        assertEquals("\u274C ERROR", LogFormat.heading(LogLevel.ERROR, true));
        assertEquals("\u26A0\uFE0F WARNING", LogFormat.heading(LogLevel.WARNING, true));
        assertEquals("\u2139\uFE0F INFO", LogFormat.heading(LogLevel.INFO, true));
        assertEquals("\uD83D\uDC1B DEBUG", LogFormat.heading(LogLevel.DEBUG, true));
        assertEquals("\uD83D\uDD0D VERBOSE", LogFormat.heading(LogLevel.VERBOSE, true));
        for (LogLevel level : LogLevel.values()) {
            assertEquals(level.name(), LogFormat.heading(level, false));
        }
    }

    @Test
    void consoleLineHasUtcMillisHeadingSourceAndMessage() {
        assertEquals("2026-11-26T10:15:30.123Z WARNING javax.jmdns.JmDNS: boom",
                LogFormat.consoleLine(T, LogLevel.WARNING, "javax.jmdns.JmDNS", "boom", false));
        assertEquals("2026-11-26T10:15:30.123Z \u2139\uFE0F INFO hello",
                LogFormat.consoleLine(T, LogLevel.INFO, null, "hello", true));
    }

    @Test
    void jsonLineRoundTripsAwkwardMessages() {
        String message = "quote \" backslash \\ newline \n tab \t bell \u0007 emoji \uD83D\uDE00 done";

        Map<String, Object> record = Json.parseObject(LogFormat.jsonLine(T, LogLevel.DEBUG, "a.B", message));

        assertEquals("2026-11-26T10:15:30.123Z", record.get("time"));
        assertEquals("DEBUG", record.get("level"));
        assertEquals("a.B", record.get("source"));
        assertEquals(message, record.get("message"));
    }

    @Test
    void jsonLineOmitsUnknownSourceAndReplacesUnpairedSurrogates() {
        String line = LogFormat.jsonLine(T, LogLevel.ERROR, null, "half \uD83D pair");

        Map<String, Object> record = Json.parseObject(line);

        assertFalse(record.containsKey("source"));
        assertEquals("half \uFFFD pair", record.get("message"));
    }

    @Test
    void utf8LengthMatchesTheEncoder() {
        for (String s : new String[] {"", "ascii", "\u00e9t\u00e9", "\u2139\uFE0F", "\uD83D\uDC1B bug", "\u0000\u007f\u0080\u07ff\u0800"}) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, LogFormat.utf8Length(s), s);
        }
    }

    @Test
    void badFormatKeepsFormatAndArgumentsInsteadOfThrowing() {
        String text = LogFormat.format("%d peers", "not a number");

        assertTrue(text.startsWith("%d peers [not a number] (bad log format: "), text);
        assertEquals("3 peers", LogFormat.format("%d peers", 3));
    }
}
