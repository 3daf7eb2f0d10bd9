package ditto.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.util.Locale;

/**
 * Device names as peers see them: at most {@value #MAX_BYTES} bytes of UTF-8, cut only between
 * user-perceived characters (grapheme clusters: neither a surrogate pair, nor a letter and its
 * combining accent, nor an emoji sequence joined by ZWJ, skin tone or flag pairing is split). The default is this host's name. Stateless apart from the host name,
 * which is computed once per JVM because the lookup may be slow.
 */
final class DeviceName {

    /** The longest device name, in bytes of UTF-8. */
    static final int MAX_BYTES = 24;

    private DeviceName() {
    }

    /**
     * Truncates a name to at most {@value #MAX_BYTES} bytes of UTF-8 without splitting a character.
     * If even the first grapheme cluster is longer than that, it is cut between code points.
     *
     * @param name the name, never null
     * @return the name itself if short enough, else its longest fitting prefix
     */
    static String truncate(String name) {
        if (utf8Length(name) <= MAX_BYTES) {
            return name;
        }
        BreakIterator clusters = BreakIterator.getCharacterInstance(Locale.ROOT);
        clusters.setText(name);
        int end = 0;
        int bytes = 0;
        for (int next = clusters.next(); next != BreakIterator.DONE; next = clusters.next()) {
            if (next < name.length() && joinsEmoji(name, next)) {
                continue;
            }
            int clusterBytes = utf8Length(name.substring(end, next));
            if (bytes + clusterBytes > MAX_BYTES) {
                break;
            }
            bytes += clusterBytes;
            end = next;
        }
        if (end > 0) {
            return name.substring(0, end);
        }
        // One oversized cluster (a long combining sequence): keep whole code points only.
        int i = 0;
        while (i < name.length()) {
            int cp = name.codePointAt(i);
            int cpBytes = utf8Length(new String(Character.toChars(cp)));
            if (bytes + cpBytes > MAX_BYTES) {
                break;
            }
            bytes += cpBytes;
            i += Character.charCount(cp);
        }
        return name.substring(0, i);
    }

    /**
     * Tells whether a boundary the JDK's {@link BreakIterator} reports (on JDK 17 it knows combining
     * marks and surrogate pairs, not the emoji rules of Unicode 11+) falls inside an emoji
     * sequence: next to a zero-width joiner, before a skin-tone modifier, or between the two
     * regional indicators of a flag.
     */
    static boolean joinsEmoji(String s, int boundary) {
        int before = s.codePointBefore(boundary);
        int after = s.codePointAt(boundary);
        if (before == 0x200D || after == 0x200D || (after >= 0x1F3FB && after <= 0x1F3FF)) {
            return true;
        }
        if (isRegionalIndicator(after)) {
            int count = 0;
            for (int i = boundary; i > 0 && isRegionalIndicator(s.codePointBefore(i)); i -= Character.charCount(
                    s.codePointBefore(i))) {
                count++;
            }
            return count % 2 == 1;
        }
        return false;
    }

    private static boolean isRegionalIndicator(int cp) {
        return cp >= 0x1F1E6 && cp <= 0x1F1FF;
    }

    /** Returns this host's name truncated with {@link #truncate(String)}, or {@code "ditto-peer"} if it is unknown. */
    static String defaultName() {
        return HostName.VALUE;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Lazily computed host name (the lookup may block on DNS, so only when first needed). */
    private static final class HostName {
        static final String VALUE = truncate(lookup());

        private static String lookup() {
            for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
                String value = System.getenv(variable);
                if (value != null && !value.isBlank()) {
                    return value.trim();
                }
            }
            try {
                String name = InetAddress.getLocalHost().getHostName();
                if (name != null && !name.isBlank()) {
                    return name;
                }
            } catch (UnknownHostException e) {
                // The message reads "host: host: Name or service not known"; the host name is its first word.
                String message = e.getMessage();
                if (message != null && message.indexOf(':') > 0) {
                    return message.substring(0, message.indexOf(':')).trim();
                }
            }
            return "ditto-peer";
        }
    }
}
