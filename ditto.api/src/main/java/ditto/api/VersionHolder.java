package ditto.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Holds the API version for {@link Ditto#version()}. Invariant: the resource
 * {@code ditto/api/version.properties} (written by Maven resource filtering) is read once, on first
 * use; a missing or unfiltered resource yields {@code "unknown"}.
 */
final class VersionHolder {
    static final String VERSION = load();

    private VersionHolder() {
    }

    private static String load() {
        try (InputStream in = Ditto.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "").trim();
            return version.isEmpty() || version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
