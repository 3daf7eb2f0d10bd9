package ditto.distribution;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

import ditto.launcher.Launcher;

/**
 * The real container, booted in-process by {@link Launcher#start} from a working copy of the
 * distribution (non-interactive Gogo, FileInstall polling every 100 ms), with waits for the
 * states the tests need. Stopping it stops the framework.
 */
final class RunningContainer implements AutoCloseable {

    static final Duration STARTUP = Duration.ofSeconds(60);
    static final Duration CHANGE = Duration.ofSeconds(20);

    final Path home;
    final Framework framework;
    final BundleContext context;
    /** Bundle-SymbolicNames of every jar in bundles/ and deploy/ of the copy. */
    final Set<String> expectedBundles;

    private RunningContainer(Path home, Framework framework, Set<String> expectedBundles) {
        this.home = home;
        this.framework = framework;
        this.context = framework.getBundleContext();
        this.expectedBundles = expectedBundles;
    }

    /** Boots a fresh copy of the distribution in {@code target/it/<name>}; waits until every jar is installed. */
    static RunningContainer boot(String name) throws BundleException, IOException {
        Path home = Distribution.containerCopy(name);
        Set<String> expected = new TreeSet<>();
        for (Path jar : Stream.concat(Distribution.jars(home.resolve("bundles")).stream(),
                Distribution.jars(home.resolve("deploy")).stream()).toList()) {
            expected.add(Distribution.symbolicName(jar)
                    .orElseThrow(() -> new AssertionError(jar.getFileName() + " is not an OSGi bundle")));
        }
        Framework framework = Launcher.start(home, Map.of(
                "gosh.args", "--nointeractive",
                "felix.fileinstall.poll", "100"));
        RunningContainer container = new RunningContainer(home, framework, expected);
        Distribution.await(STARTUP, "every jar of bundles/ and deploy/ to be installed",
                () -> container.missingBundles().isEmpty() ? Optional.of(true) : Optional.empty(),
                () -> "missing " + container.missingBundles());
        return container;
    }

    Set<String> missingBundles() {
        Set<String> missing = new TreeSet<>(expectedBundles);
        for (Bundle bundle : context.getBundles()) {
            missing.remove(bundle.getSymbolicName());
        }
        return missing;
    }

    /** Waits until every bundle is ACTIVE and every fragment RESOLVED. */
    void awaitAllActive() {
        Distribution.await(STARTUP, "every bundle ACTIVE and every fragment RESOLVED",
                () -> Distribution.bundleProblems(context).equals("none") ? Optional.of(true) : Optional.empty(),
                () -> Distribution.bundleProblems(context) + resolutionErrors());
    }

    /** For bundles left INSTALLED: the framework's explanation of why they do not resolve. */
    private String resolutionErrors() {
        List<String> errors = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() == Bundle.INSTALLED && !Distribution.isFragment(bundle)) {
                try {
                    bundle.start();
                } catch (BundleException e) {
                    errors.add(e.getMessage());
                }
            }
        }
        return errors.isEmpty() ? "" : "; resolution errors: " + String.join("; ", errors);
    }

    /** Waits until the engine's factory service reports plug-ins that satisfy a condition. */
    SortedMap<String, SortedSet<String>> awaitPlugins(String what, Predicate<SortedMap<String, SortedSet<String>>> condition) {
        return Distribution.await(CHANGE, what,
                () -> Distribution.containerPlugins(context).filter(condition),
                () -> Distribution.containerPlugins(context).map(Object::toString)
                        .orElse("no " + Distribution.FACTORY_CLASS + " service; bundles not ready: "
                                + Distribution.bundleProblems(context)));
    }

    /**
     * Waits until every bundle is active and the factory's plug-in properties have stayed the
     * same for three reads 100 ms apart, then answers them.
     */
    SortedMap<String, SortedSet<String>> settledPlugins() {
        awaitAllActive();
        List<SortedMap<String, SortedSet<String>>> reads = new ArrayList<>();
        return Distribution.await(STARTUP, "the engine's plug-in properties to settle", () -> {
            reads.add(Distribution.containerPlugins(context).orElse(null));
            int n = reads.size();
            if (n >= 3 && reads.get(n - 1) != null && reads.get(n - 1).equals(reads.get(n - 2))
                    && reads.get(n - 2).equals(reads.get(n - 3))) {
                return Optional.of(reads.get(n - 1));
            }
            sleep(100);
            return Optional.empty();
        }, () -> "last reads " + reads.subList(Math.max(0, reads.size() - 3), reads.size()));
    }

    /** Refreshes the framework's wiring after an uninstall and waits for the refresh to end. */
    void refresh() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        framework.adapt(FrameworkWiring.class).refreshBundles(null, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        if (!done.await(CHANGE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the framework did not finish refreshing within " + CHANGE.toSeconds() + " s");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws BundleException {
        framework.stop();
        try {
            FrameworkEvent stopped = framework.waitForStop(30_000);
            if (stopped.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                throw new AssertionError("the framework did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping the framework", e);
        }
    }
}
