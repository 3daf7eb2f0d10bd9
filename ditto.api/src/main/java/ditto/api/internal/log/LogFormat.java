package ditto.api.internal.log;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.IllegalFormatException;
import java.util.Locale;

import ditto.api.LogLevel;

/**
 * Text forms of a log message: the console and log-file line, and the JSON line of the export
 * journal. Stateless and thread-safe.
 *
 * <p>Console line: {@code 2026-11-26T10:15:30.123Z ℹ️ INFO source: message} (the source and its
 * colon only when known; plain level names when emoji headings are off). JSON line:
 * {@code {"time":"2026-11-26T10:15:30.123Z","level":"INFO","source":"…","message":"…"}} with
 * {@code source} omitted when unknown. Both always carry three fraction digits and a {@code Z}.
 */
public final class LogFormat {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogFormat() {
    }

    /** Returns the heading of a level: {@code "❌ ERROR"} with emoji, {@code "ERROR"} without. */
    public static String heading(LogLevel level, boolean emoji) {
        if (!emoji) {
            return level.name();
        }
        switch (level) {
            case ERROR:
                return "\u274C ERROR";
            case WARNING:
                return "\u26A0\uFE0F WARNING";
            case INFO:
                return "\u2139\uFE0F INFO";
            case DEBUG:
                return "\uD83D\uDC1B DEBUG";
            default:
                return "\uD83D\uDD0D VERBOSE";
        }
    }

    /** Returns the ISO-8601 UTC form of an instant with millisecond precision. */
    public static String time(Instant time) {
        return TIME.format(time);
    }

    /** Returns the console and log-file line of a message, without a line terminator. */
    public static String consoleLine(Instant time, LogLevel level, String source, String message, boolean emoji) {
        StringBuilder b = new StringBuilder(message.length() + 64);
        b.append(time(time)).append(' ').append(heading(level, emoji)).append(' ');
        if (source != null) {
            b.append(source).append(": ");
        }
        return b.append(message).toString();
    }

    /** Returns the JSON Lines record of a message, without a line terminator. */
    public static String jsonLine(Instant time, LogLevel level, String source, String message) {
        return jsonHead(time) + jsonTail(level, source, message);
    }

    /** Returns the start of a JSON record up to and including the comma after the time. */
    static String jsonHead(Instant time) {
        return "{\"time\":\"" + time(time) + "\",";
    }

    /** Returns the rest of a JSON record after {@link #jsonHead}: level, source, message, brace. */
    static String jsonTail(LogLevel level, String source, String message) {
        StringBuilder b = new StringBuilder(message.length() + 48);
        b.append("\"level\":\"").append(level.name()).append('"');
        if (source != null) {
            b.append(",\"source\":");
            appendJsonString(b, source);
        }
        b.append(",\"message\":");
        appendJsonString(b, message);
        return b.append('}').toString();
    }

    /**
     * Formats a {@code ...f} message with {@link String#format}; a broken format never throws
     * but yields the format, the arguments and the reason, so the message is not lost.
     */
    public static String format(String format, Object... args) {
        if (format == null) {
            return "null";
        }
        try {
            return String.format(Locale.ROOT, format, args);
        } catch (IllegalFormatException e) {
            return format + " " + java.util.Arrays.deepToString(args) + " (bad log format: " + e + ")";
        }
    }

    /** Returns how many bytes {@code s} takes in UTF-8 (unpaired surrogates count as U+FFFD). */
    public static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Appends {@code s} as a JSON string. Control characters are escaped and unpaired surrogates
     * become U+FFFD, so the line is valid UTF-8 and valid JSON whatever the message holds.
     */
    static void appendJsonString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
    }
}
