package ditto.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Starts the Ditto container: an embedded Apache Felix framework over a distribution folder.
 *
 * <pre>
 * &lt;home&gt;/bundles/*.jar   installed and started by this launcher (SCR, ConfigAdmin, FileInstall,
 *                      Gogo, libraries, the slf4j wrapper); fragments are only installed
 * &lt;home&gt;/deploy/*.jar    the Ditto bundles, installed, started, stopped and uninstalled by
 *                      FileInstall as jars appear in and disappear from the folder
 * &lt;home&gt;/conf/*.cfg      configurations, fed to ConfigAdmin by FileInstall (never written back)
 * &lt;home&gt;/felix-cache     the framework's storage, emptied at every start
 * </pre>
 *
 * <p>Framework properties come from {@link #frameworkProperties}: the defaults above, then every
 * system property whose name starts with {@code ditto.}, {@code gosh.}, {@code felix.} or
 * {@code org.osgi.} (so {@code -Dgosh.args=--nointeractive} or
 * {@code -Dorg.osgi.framework.storage=/var/cache/ditto} work), then the caller's overrides.
 * {@link #main} prints a banner and the engine's loaded plug-ins, stops the framework on
 * SIGTERM or Ctrl-C through a shutdown hook, and exits when the framework stops.
 */
public final class Launcher {

    /** System and framework property naming the distribution folder. */
    public static final String HOME_PROPERTY = "ditto.home";

    /** Prefixes of the system properties copied into the framework properties. */
    public static final List<String> PASS_THROUGH_PREFIXES = List.of("ditto.", "gosh.", "felix.", "org.osgi.");

    private static final String FILEINSTALL_DIR = "felix.fileinstall.dir";

    private Launcher() {
    }

    /**
     * Computes the framework properties for a distribution folder.
     *
     * @param home the distribution folder, absolute
     * @param systemProperties the JVM's system properties; those with a {@linkplain
     *        #PASS_THROUGH_PREFIXES pass-through prefix} replace the defaults
     * @param overrides properties that replace both, never null
     * @return a new mutable map
     */
    public static Map<String, String> frameworkProperties(Path home, Map<?, ?> systemProperties,
            Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>();
        properties.put(HOME_PROPERTY, home.toString());
        properties.put(Constants.FRAMEWORK_STORAGE, home.resolve("felix-cache").toString());
        // A fresh cache each start: otherwise cached bundles come back and installBundle()
        // of a location returns the old bundle instead of the jar now on disk.
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put(FILEINSTALL_DIR, home.resolve("deploy") + "," + home.resolve("conf"));
        properties.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        properties.put("felix.fileinstall.poll", "1000");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.enableConfigSave", "false");
        for (Map.Entry<?, ?> entry : systemProperties.entrySet()) {
            String name = String.valueOf(entry.getKey());
            if (PASS_THROUGH_PREFIXES.stream().anyMatch(name::startsWith)) {
                properties.put(name, String.valueOf(entry.getValue()));
            }
        }
        properties.putAll(overrides);
        return properties;
    }

    /**
     * Creates and starts the framework for a distribution folder: installs every jar of
     * {@code bundles/} (in file-name order), starts the framework, then starts every one of
     * them that is not a fragment. FileInstall, one of those bundles, then takes care of
     * {@code deploy/} and {@code conf/} on its own thread. A bundle of {@code bundles/} that
     * fails to start is reported on standard error and left installed.
     *
     * <p>The thread context class loader is the platform class loader while the framework
     * initializes, so framework threads never see the caller's class path.
     *
     * @param home the distribution folder
     * @param overrides framework properties that replace the defaults and the system properties
     * @return the started framework; the caller stops it
     * @throws BundleException if the framework or a bundle cannot be installed or started
     * @throws IOException if {@code bundles/} cannot be listed
     * @throws IllegalStateException if no OSGi framework is on the class path
     */
    public static Framework start(Path home, Map<String, String> overrides) throws BundleException, IOException {
        return start(home, overrides, framework -> { });
    }

    /**
     * Like {@link #start(Path, Map)}, calling {@code beforeStart} once the framework is
     * initialized and {@code bundles/} installed, before anything starts (the banner uses it
     * to come before the shell's prompt).
     *
     * @param home the distribution folder
     * @param overrides framework properties that replace the defaults and the system properties
     * @param beforeStart called on this thread with the initialized framework
     * @return the started framework; the caller stops it
     * @throws BundleException if the framework or a bundle cannot be installed or started
     * @throws IOException if {@code bundles/} cannot be listed
     * @throws IllegalStateException if no OSGi framework is on the class path
     */
    public static Framework start(Path home, Map<String, String> overrides, Consumer<Framework> beforeStart)
            throws BundleException, IOException {
        Path absoluteHome = home.toAbsolutePath().normalize();
        Map<String, String> properties = frameworkProperties(absoluteHome, System.getProperties(), overrides);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        Framework framework = null;
        try {
            FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, Launcher.class.getClassLoader())
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "starting the container: no OSGi framework on the class path (expected lib/boot/)"));
            framework = factory.newFramework(properties);
            framework.init();
            BundleContext context = framework.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (Path jar : jarsIn(absoluteHome.resolve("bundles"))) {
                installed.add(context.installBundle(jar.toUri().toString()));
            }
            beforeStart.accept(framework);
            framework.start();
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    try {
                        bundle.start();
                    } catch (BundleException e) {
                        System.err.println("ditto: bundle " + bundle.getSymbolicName() + " from "
                                + bundle.getLocation() + " did not start: " + e.getMessage());
                    }
                }
            }
            return framework;
        } catch (BundleException | IOException | RuntimeException e) {
            if (framework != null) {
                stopQuietly(framework);
            }
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Runs the container until the framework stops (Gogo's {@code stop 0}, end of input on an
     * interactive shell, SIGTERM or Ctrl-C). Exit status: 0 after a normal stop, 1 if the
     * container could not start, 2 for bad arguments.
     *
     * @param args none; {@code --help} prints usage
     */
    public static void main(String[] args) {
        if (args.length > 0) {
            boolean help = args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
            (help ? System.out : System.err).println(usage());
            System.exit(help ? 0 : 2);
            return;
        }
        Path home = home();
        Framework framework;
        try {
            framework = start(home, Map.of(), initialized -> printBanner(initialized, home, System.out));
        } catch (BundleException | IOException | RuntimeException e) {
            System.err.println("ditto: starting the container in " + home + " failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        // Set by whichever ends the run first: the shutdown hook (signal) or main (the framework
        // stopped by itself, then System.exit runs the hook, which must do nothing).
        AtomicBoolean ending = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (ending.compareAndSet(false, true)) {
                System.out.println("ditto: stopping");
                stopQuietly(framework);
                System.out.println("ditto: stopped");
            }
        }, "ditto-shutdown"));
        PluginReporter reporter = PluginReporter.start(framework.getBundleContext(), System.out);
        int status;
        try {
            FrameworkEvent stopped = framework.waitForStop(0);
            status = stopped.getType() == FrameworkEvent.ERROR ? 1 : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 1;
        } finally {
            reporter.close();
        }
        if (ending.compareAndSet(false, true)) {
            System.out.println("ditto: stopped");
            System.exit(status);
        }
    }

    private static String usage() {
        return String.join("\n",
                "usage: bin/ditto                  run the OSGi container (Felix, SCR, Gogo, FileInstall)",
                "       bin/ditto --module-path [command ...]",
                "                                  run the shell on the plain module path (no OSGi)",
                "Framework properties: -Dditto.*, -Dgosh.*, -Dfelix.*, -Dorg.osgi.* in JAVA_OPTS.");
    }

    /** Finds the distribution folder: -Dditto.home, else two levels above lib/boot/. */
    private static Path home() {
        String configured = System.getProperty(HOME_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        try {
            Path code = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path boot = code.getParent();
            if (Files.isRegularFile(code) && boot != null && boot.getFileName().toString().equals("boot")
                    && boot.getParent() != null && boot.getParent().getParent() != null) {
                return boot.getParent().getParent();
            }
        } catch (URISyntaxException | SecurityException e) {
            // Fall through to the working directory.
        }
        return Path.of("").toAbsolutePath();
    }

    private static void printBanner(Framework framework, Path home, PrintStream out) {
        BundleContext context = framework.getBundleContext();
        String bundlesFolder = home.resolve("bundles").toUri().toString();
        long fromBundles = Stream.of(context.getBundles())
                .filter(b -> b.getLocation().startsWith(bundlesFolder))
                .count();
        String gosh = String.valueOf(context.getProperty("gosh.args"));
        String version = Launcher.class.getPackage().getImplementationVersion();
        out.println("Ditto " + (version == null ? "(development build)" : version) + " on Apache Felix "
                + framework.getVersion() + ", Java " + Runtime.version());
        out.println("  home     " + home);
        out.println("  bundles  " + fromBundles + " from bundles/; deploy/ and conf/ watched by FileInstall");
        out.println("  shell    " + (gosh.contains("--nointeractive")
                ? "Gogo not interactive (no terminal); stop with Ctrl-C or SIGTERM"
                : "Gogo; try ditto:status, lb, scr:list; stop 0 to quit"));
    }

    private static List<Path> jarsIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("starting the container: folder " + folder + " is missing");
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static void stopQuietly(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(10_000);
        } catch (BundleException e) {
            System.err.println("ditto: stopping the container failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
