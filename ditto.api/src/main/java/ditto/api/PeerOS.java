package ditto.api;

import java.util.Locale;
import java.util.Objects;

/**
 * The operating system a peer runs on, as peers announce it in presence.
 *
 * <p>Each constant has the reference SDK's wire string ({@link #wireName()}); {@link #UNKNOWN}
 * is the empty string and stands for "not determined yet".
 */
public enum PeerOS {
    /** The operating system has not been determined; wire name {@code ""}. */
    UNKNOWN(""),
    /** Some other operating system; wire name {@code "Generic"}. */
    GENERIC("Generic"),
    /** Apple iOS or iPadOS (also Mac Catalyst); wire name {@code "iOS"}. */
    IOS("iOS"),
    /** Apple tvOS; wire name {@code "tvOS"}. */
    TVOS("tvOS"),
    /** Android; wire name {@code "Android"}. */
    ANDROID("Android"),
    /** Linux; wire name {@code "Linux"}. */
    LINUX("Linux"),
    /** Microsoft Windows; wire name {@code "Windows"}. */
    WINDOWS("Windows"),
    /** Apple macOS; wire name {@code "macOS"}. */
    MACOS("macOS");

    private final String wireName;

    PeerOS(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the reference SDK's string for this operating system, never null ({@code ""} for {@link #UNKNOWN}). */
    public String wireName() {
        return wireName;
    }

    /**
     * Returns the constant with the given wire name. Peers running newer versions may announce
     * systems this version does not know; those map to {@link #UNKNOWN} rather than failing.
     *
     * @param wireName a name as returned by {@link #wireName()}, compared exactly; null is
     *        treated like the empty string
     * @return the matching constant, or {@link #UNKNOWN}; never null
     */
    public static PeerOS fromWire(String wireName) {
        if (wireName != null) {
            for (PeerOS os : values()) {
                if (os.wireName.equals(wireName)) {
                    return os;
                }
            }
        }
        return UNKNOWN;
    }

    /**
     * Returns the operating system this JVM runs on, judged from the {@code os.name} system
     * property ({@code java.vendor} distinguishes Android).
     *
     * @return {@link #LINUX}, {@link #WINDOWS}, {@link #MACOS}, {@link #ANDROID}, or
     *         {@link #GENERIC} for anything else; never null
     */
    public static PeerOS current() {
        return fromOsName(System.getProperty("os.name", ""), System.getProperty("java.vendor", ""));
    }

    static PeerOS fromOsName(String osName, String javaVendor) {
        String name = Objects.requireNonNullElse(osName, "").toLowerCase(Locale.ROOT);
        if (Objects.requireNonNullElse(javaVendor, "").toLowerCase(Locale.ROOT).contains("android")) {
            return ANDROID;
        }
        if (name.startsWith("linux")) {
            return LINUX;
        }
        if (name.startsWith("windows")) {
            return WINDOWS;
        }
        if (name.startsWith("mac")) {
            return MACOS;
        }
        return GENERIC;
    }
}
