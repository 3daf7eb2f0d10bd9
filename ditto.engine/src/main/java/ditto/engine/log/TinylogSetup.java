package ditto.engine.log;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.tinylog.Level;
import org.tinylog.configuration.Configuration;
import org.tinylog.core.TinylogLoggingProvider;
import org.tinylog.provider.LoggingProvider;
import org.tinylog.provider.ProviderRegistry;

import ditto.api.DittoException;
import ditto.api.DittoLogger;
import ditto.api.LogLevel;

/**
 * Points tinylog, once per process, at {@link TinylogBridgeWriter} and applies the
 * {@code ditto.log.*} properties to {@link DittoLogger}. The engine calls {@link #install()} (or
 * {@link #install(Function)} with the OSGi framework's properties) first thing when it starts,
 * before anything logs through tinylog or slf4j.
 *
 * <p>tinylog reads its configuration once, on first use, and cannot be reconfigured after that.
 * {@code install} therefore replaces the configuration with {@link #TINYLOG_CONFIGURATION} (one
 * writer, every level, no writing thread) and forces tinylog's provider to initialise right away,
 * with the thread context class loader temporarily set to a {@link JoinedClassLoader} over
 * tinylog's loader and the engine's loader: in OSGi neither sees both tinylog-impl's service
 * files and the writer class (see {@code docs/logging.md}). On the module and class path the
 * engine jar also carries a {@code tinylog.properties} with the same settings, so tinylog used
 * before {@code install} still reaches DittoLogger there. If tinylog was already initialised with
 * another configuration, tinylog output does not reach DittoLogger and {@code install} says so
 * with a DittoLogger warning. Thread-safe; later calls do nothing.
 */
public final class TinylogSetup {
    /** The tinylog configuration that {@link #install} applies. */
    public static final Map<String, String> TINYLOG_CONFIGURATION = Map.of(
            "writer", TinylogBridgeWriter.class.getName(),
            "writer.level", "trace",
            "level", "trace",
            "writingthread", "false");

    /** Property: {@code true} or {@code false}, see {@link DittoLogger#setEnabled}. */
    public static final String PROPERTY_ENABLED = "ditto.log.enabled";
    /** Property: {@code error}, {@code warning}, {@code info}, {@code debug} or {@code verbose}. */
    public static final String PROPERTY_LEVEL = "ditto.log.level";
    /** Property: {@code true} or {@code false}, see {@link DittoLogger#setEmojiLogLevelHeadingsEnabled}. */
    public static final String PROPERTY_EMOJI = "ditto.log.emoji";
    /** Property: a file path, see {@link DittoLogger#setLogFile}. */
    public static final String PROPERTY_FILE = "ditto.log.file";

    private static boolean installed;

    private TinylogSetup() {
    }

    /** Installs with the JVM's system properties; see {@link #install(Function)}. */
    public static void install() {
        install(System::getProperty);
    }

    /**
     * Applies the {@code ditto.log.*} properties to DittoLogger, then configures and initialises
     * tinylog so that its output and slf4j's reach DittoLogger. Only the first call in a process
     * does anything. Never throws: an unusable property value or tinylog setup is reported
     * through DittoLogger and skipped.
     *
     * @param properties looks a property up by name and returns null when it is not set; in OSGi
     *        pass {@code bundleContext::getProperty} (framework properties, then system properties)
     */
    public static synchronized void install(Function<String, String> properties) {
        if (installed) {
            return;
        }
        installed = true;
        applyProperties(properties);
        configureTinylog();
    }

    /**
     * Tells whether tinylog's active provider writes through {@link TinylogBridgeWriter}. Like any
     * tinylog use, the first call initialises tinylog if {@link #install} has not run yet.
     */
    public static boolean isBridgeActive() {
        for (LoggingProvider provider : ProviderRegistry.getLoggingProviders()) {
            if (provider instanceof TinylogLoggingProvider) {
                for (Object writer : ((TinylogLoggingProvider) provider).getWriters()) {
                    if (writer instanceof TinylogBridgeWriter) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Applies each {@code ditto.log.*} property that is set; bad values are reported and skipped. */
    static void applyProperties(Function<String, String> properties) {
        String enabled = value(properties, PROPERTY_ENABLED);
        if (enabled != null) {
            Boolean b = parseBoolean(PROPERTY_ENABLED, enabled);
            if (b != null) {
                DittoLogger.setEnabled(b);
            }
        }
        String level = value(properties, PROPERTY_LEVEL);
        if (level != null) {
            try {
                DittoLogger.setMinimumLogLevel(LogLevel.valueOf(level.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                DittoLogger.warning("ignoring " + PROPERTY_LEVEL + "=" + level
                        + ": expected error, warning, info, debug or verbose");
            }
        }
        String emoji = value(properties, PROPERTY_EMOJI);
        if (emoji != null) {
            Boolean b = parseBoolean(PROPERTY_EMOJI, emoji);
            if (b != null) {
                DittoLogger.setEmojiLogLevelHeadingsEnabled(b);
            }
        }
        String file = value(properties, PROPERTY_FILE);
        if (file != null) {
            try {
                DittoLogger.setLogFile(Path.of(file));
            } catch (DittoException | InvalidPathException e) {
                DittoLogger.error("ignoring " + PROPERTY_FILE + "=" + file + ": " + e.getMessage());
            }
        }
    }

    private static void configureTinylog() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        ClassLoader tinylog = Configuration.class.getClassLoader();
        ClassLoader engine = TinylogSetup.class.getClassLoader();
        thread.setContextClassLoader(tinylog == engine ? engine : new JoinedClassLoader(tinylog, engine));
        try {
            if (!Configuration.isFrozen()) {
                Configuration.replace(TINYLOG_CONFIGURATION);
            }
            LoggingProvider provider = ProviderRegistry.getLoggingProvider();
            if (!isBridgeActive() || provider.getMinimumLevel() != Level.TRACE) {
                DittoLogger.warning("tinylog and slf4j output does not reach DittoLogger: tinylog's active"
                        + " configuration does not write through " + TinylogBridgeWriter.class.getName()
                        + " (tinylog was used before the engine started, or the writer could not be loaded;"
                        + " see docs/logging.md)");
            }
        } catch (RuntimeException | LinkageError e) {
            DittoLogger.error("tinylog could not be configured, so tinylog and slf4j output does not reach"
                    + " DittoLogger: " + e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static String value(Function<String, String> properties, String name) {
        String v = properties.apply(name);
        if (v == null) {
            return null;
        }
        v = v.trim();
        return v.isEmpty() ? null : v;
    }

    private static Boolean parseBoolean(String name, String value) {
        if (value.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (value.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        DittoLogger.warning("ignoring " + name + "=" + value + ": expected true or false");
        return null;
    }
}
