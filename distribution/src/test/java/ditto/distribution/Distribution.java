package ditto.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Test helpers over the built distribution folder ({@code target/ditto}): where it is, fresh
 * working copies, jar manifests, polling with deadlines, and the plug-in lists that the
 * container and the module-path program report.
 */
final class Distribution {

    static final String FACTORY_CLASS = "ditto.api.DittoFactory";
    static final String PLUGINS_PREFIX = "plug-ins: ";
    private static final Pattern PLUGIN_KIND = Pattern.compile("(\\w+)=\\[([^\\]]*)\\]");

    private Distribution() {
    }

    /** The built distribution folder; fails the test if it has not been built. */
    static Path home() {
        Path home = Path.of(System.getProperty("ditto.distribution.home", "target/ditto")).toAbsolutePath();
        if (!Files.isDirectory(home.resolve("deploy")) || !Files.isDirectory(home.resolve("bundles"))) {
            throw new AssertionError("no built distribution at " + home + ": run mvn package first");
        }
        return home;
    }

    /** A new, empty working folder under {@code target/it/<name>} (deleted first if present). */
    static Path freshWorkFolder(String name) {
        Path work = Path.of(System.getProperty("ditto.distribution.work", "target/it")).toAbsolutePath().resolve(name);
        deleteTree(work);
        try {
            return Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException("creating " + work, e);
        }
    }

    /**
     * A working copy of the container part of the distribution ({@code bundles/}, {@code deploy/},
     * {@code conf/}) in a fresh folder, so a test can change {@code deploy/} freely.
     */
    static Path containerCopy(String name) {
        Path copy = freshWorkFolder(name);
        for (String folder : List.of("bundles", "deploy", "conf")) {
            copyTree(home().resolve(folder), copy.resolve(folder));
        }
        return copy;
    }

    static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying " + from + " to " + to, e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + root, e);
        }
    }

    /** The jars of a folder, sorted by name. */
    static List<Path> jars(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + folder, e);
        }
    }

    /** The one jar of a folder whose name starts with {@code <artifactId>-}. */
    static Path jar(Path folder, String artifactId) {
        List<Path> found = jars(folder).stream()
                .filter(j -> j.getFileName().toString().startsWith(artifactId + "-"))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + artifactId + " jar in " + folder + ", found " + found);
        }
        return found.get(0);
    }

    static Manifest manifest(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                throw new AssertionError(jar.getFileName() + ": no META-INF/MANIFEST.MF");
            }
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + jar, e);
        }
    }

    /** The Bundle-SymbolicName of a jar without its directives, or empty if it is not a bundle. */
    static Optional<String> symbolicName(Path jar) {
        String value = manifest(jar).getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        return value == null ? Optional.empty() : Optional.of(value.split(";", 2)[0].strip());
    }

    static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
    }

    static Optional<Bundle> bundle(BundleContext context, String symbolicName) {
        return Arrays.stream(context.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst();
    }

    /**
     * The engine's plug-ins by kind, read from the {@code ditto.plugins.<kind>} properties of
     * its {@code DittoFactory} service, by class name (the test never loads a Ditto class).
     *
     * @return the plug-ins, or empty if no factory service is registered
     */
    static Optional<SortedMap<String, SortedSet<String>>> containerPlugins(BundleContext context) {
        ServiceReference<?>[] references;
        try {
            references = context.getAllServiceReferences(FACTORY_CLASS, null);
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        if (references == null) {
            return Optional.empty();
        }
        SortedMap<String, SortedSet<String>> plugins = new TreeMap<>();
        for (String key : references[0].getPropertyKeys()) {
            if (key.startsWith("ditto.plugins.")) {
                plugins.put(key.substring("ditto.plugins.".length()), ids(references[0].getProperty(key)));
            }
        }
        return Optional.of(plugins);
    }

    private static SortedSet<String> ids(Object value) {
        SortedSet<String> ids = new TreeSet<>();
        if (value instanceof String[] array) {
            ids.addAll(Arrays.asList(array));
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(id -> ids.add(String.valueOf(id)));
        } else if (value != null) {
            ids.add(value.toString());
        }
        return ids;
    }

    /**
     * Parses the {@code plug-ins: kind=[a, b] ...} line that the launcher and the shell print.
     *
     * @return the plug-ins of the first such line in the output, or empty if there is none
     */
    static Optional<SortedMap<String, SortedSet<String>>> printedPlugins(String output) {
        return output.lines()
                .filter(line -> line.startsWith(PLUGINS_PREFIX))
                .findFirst()
                .map(line -> {
                    SortedMap<String, SortedSet<String>> plugins = new TreeMap<>();
                    Matcher kind = PLUGIN_KIND.matcher(line.substring(PLUGINS_PREFIX.length()));
                    while (kind.find()) {
                        SortedSet<String> ids = new TreeSet<>();
                        for (String id : kind.group(2).split(",")) {
                            if (!id.isBlank()) {
                                ids.add(id.strip());
                            }
                        }
                        plugins.put(kind.group(1), ids);
                    }
                    return plugins;
                });
    }

    /**
     * Polls until a probe answers, at most {@code timeout}; the probe runs at least once.
     *
     * @param what what is awaited, for the failure message
     * @param probe answers the value once the condition holds, else empty
     * @param state describes the current state for the failure message
     * @return the probe's value
     * @throws AssertionError on timeout
     */
    static <T> T await(Duration timeout, String what, Supplier<Optional<T>> probe, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; now: " + state.get());
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /** A readable summary of every bundle that is not in its expected state. */
    static String bundleProblems(BundleContext context) {
        List<String> problems = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            int expected = isFragment(bundle) ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (bundle.getBundleId() != 0 && bundle.getState() != expected) {
                problems.add(bundle.getSymbolicName() + " " + bundle.getVersion() + " is " + stateName(bundle.getState())
                        + " (from " + bundle.getLocation() + ")");
            }
        }
        return problems.isEmpty() ? "none" : String.join("; ", problems);
    }

    static String stateName(int state) {
        return Map.of(Bundle.UNINSTALLED, "UNINSTALLED", Bundle.INSTALLED, "INSTALLED", Bundle.RESOLVED, "RESOLVED",
                Bundle.STARTING, "STARTING", Bundle.STOPPING, "STOPPING", Bundle.ACTIVE, "ACTIVE")
                .getOrDefault(state, "state " + state);
    }
}
