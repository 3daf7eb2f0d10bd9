package ditto.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Enforces the module rules on the built jars, reading both their OSGi manifests and their
 * JPMS descriptors (in the manner of SCR's package-isolation test):
 * <ul>
 * <li>every Ditto jar carries a hand-written {@code module-info.class} whose module name is its
 *     Bundle-SymbolicName and its artifact name, and a bnd-generated OSGi manifest;</li>
 * <li>{@code ditto.api} exports exactly {@code ditto.api} and {@code ditto.api.spi.*}, the same
 *     packages in both worlds, each with a version; every other Ditto jar exports nothing (in
 *     module-info only a qualified export to a third-party library is allowed, for libraries
 *     that instantiate a class reflectively, such as tinylog's writers);</li>
 * <li>{@code ditto.api} depends on the JDK only; plug-ins (and the shell and the server peer)
 *     depend on {@code ditto.api} plus their own library, never on the engine; the engine never
 *     depends on a plug-in.</li>
 * </ul>
 * Failures name the jar and the offending package or module; all violations are listed at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BundleRulesIT {

    private static final String API = "ditto.api";
    private static final String ENGINE = "ditto.engine";
    private static final Set<String> SPI_PACKAGES =
            Set.of("ditto.api.spi.transport", "ditto.api.spi.auth", "ditto.api.spi.storage");

    /**
     * The Ditto jars that may use nothing but {@code ditto.api} and their own third-party library:
     * module name -> (allowed package prefixes, allowed module names) of that library.
     */
    private static final Map<String, Library> API_ONLY = Map.of(
            "ditto.transport.lan", new Library(Set.of("javax.jmdns"), Set.of("javax.jmdns")),
            "ditto.transport.ws", new Library(Set.of("org.java_websocket"), Set.of("org.java_websocket")),
            "ditto.transport.ble", Library.NONE,
            "ditto.auth", Library.NONE,
            "ditto.store.mvstore", new Library(Set.of("org.h2.mvstore"), Set.of("com.h2database.mvstore")),
            "ditto.store.memory", Library.NONE,
            "ditto.shell", Library.NONE,
            // the server peer reads the ditto.home framework property through its BundleContext; the framework
            // exports org.osgi.framework, and on the module path osgi.core is only a static (compile-time) requirement
            "ditto.server", new Library(Set.of("org.osgi.framework"), Set.of("osgi.core")));

    /** Every package of the running JDK's modules (java.*, javax.crypto, org.w3c.dom, ...). */
    private static final Set<String> JDK_PACKAGES = ModuleFinder.ofSystem().findAll().stream()
            .flatMap(module -> module.descriptor().packages().stream())
            .collect(Collectors.toUnmodifiableSet());

    /** Annotation modules that may be {@code requires static} (build time only, CLASS retention). */
    private static final Set<String> STATIC_ANNOTATION_MODULES = Set.of(
            "org.osgi.annotation.bundle", "org.osgi.annotation.versioning",
            "org.osgi.service.component.annotations", "org.osgi.service.metatype.annotations");

    private record Library(Set<String> packagePrefixes, Set<String> modules) {
        static final Library NONE = new Library(Set.of(), Set.of());

        boolean hasPackage(String pkg) {
            return packagePrefixes.stream().anyMatch(prefix -> pkg.equals(prefix) || pkg.startsWith(prefix + "."));
        }
    }

    /** One built Ditto jar, read once. */
    private record DittoJar(Path file, String artifactId, Attributes manifest, ModuleDescriptor module) {
        String name() {
            return file.getParent().getFileName() + "/" + file.getFileName();
        }

        String symbolicName() {
            String value = manifest.getValue("Bundle-SymbolicName");
            return value == null ? null : value.split(";", 2)[0].strip();
        }

        List<ManifestHeader.Clause> exports() {
            return ManifestHeader.parse(manifest.getValue("Export-Package"));
        }

        /** Imported packages other than the JDK's (bnd 7 lists java.* and javax.* imports too). */
        List<String> imports() {
            return ManifestHeader.paths(manifest.getValue("Import-Package")).stream()
                    .filter(p -> !JDK_PACKAGES.contains(p)).toList();
        }

        Set<String> exportedPackages() {
            return exports().stream().flatMap(c -> c.paths().stream()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private final List<DittoJar> jars = new ArrayList<>();
    private final List<String> readProblems = new ArrayList<>();

    @BeforeAll
    void readTheDittoJars() {
        Path home = Distribution.home();
        for (Path folder : List.of(home.resolve("deploy"), home.resolve("lib"))) {
            for (Path file : Distribution.jars(folder)) {
                String fileName = file.getFileName().toString();
                if (fileName.startsWith("ditto.")) {
                    read(file).ifPresent(jars::add);
                }
            }
        }
    }

    private java.util.Optional<DittoJar> read(Path file) {
        String fileName = file.getFileName().toString();
        String artifactId = fileName.replaceFirst("-\\d.*\\.jar$", "");
        try (JarFile jar = new JarFile(file.toFile())) {
            JarEntry descriptor = jar.getJarEntry("module-info.class");
            if (descriptor == null) {
                readProblems.add(fileName + ": no module-info.class at the jar root (hand-written module-info.java expected)");
                return java.util.Optional.empty();
            }
            ModuleDescriptor module;
            try (InputStream in = jar.getInputStream(descriptor)) {
                module = ModuleDescriptor.read(in);
            }
            if (jar.getManifest() == null) {
                readProblems.add(fileName + ": no META-INF/MANIFEST.MF");
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new DittoJar(file, artifactId, jar.getManifest().getMainAttributes(), module));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    @Test
    void deployAndModulePathHoldTheSameDittoModules() {
        Set<String> deploy = names("deploy");
        Set<String> lib = names("lib");

        assertTrue(deploy.containsAll(Set.of(API, ENGINE, "ditto.shell", "ditto.server", "ditto.transport.lan",
                "ditto.transport.ws", "ditto.transport.ble", "ditto.auth", "ditto.store.mvstore", "ditto.store.memory")),
                "deploy/ holds " + deploy);
        assertEquals(deploy, lib, "deploy/ and lib/ should hold the same Ditto modules");
    }

    @Test
    void everyDittoJarHasAModuleDescriptorNamedLikeItsBundleAndArtifact() {
        List<String> violations = new ArrayList<>(readProblems);
        for (DittoJar jar : jars) {
            String bsn = jar.symbolicName();
            if (bsn == null) {
                violations.add(jar.name() + ": no Bundle-SymbolicName (not an OSGi bundle)");
                continue;
            }
            if (!jar.module().name().equals(bsn)) {
                violations.add(jar.name() + ": module name " + jar.module().name() + " differs from Bundle-SymbolicName " + bsn);
            }
            if (!jar.artifactId().equals(bsn)) {
                violations.add(jar.name() + ": artifact " + jar.artifactId() + " differs from Bundle-SymbolicName " + bsn);
            }
            if (jar.module().isAutomatic() || jar.module().isOpen()) {
                violations.add(jar.name() + ": module " + jar.module().name() + " should be a normal, not open or automatic, module");
            }
            if (!"2".equals(jar.manifest().getValue("Bundle-ManifestVersion"))) {
                violations.add(jar.name() + ": Bundle-ManifestVersion is not 2");
            }
            if (jar.manifest().getValue("Bundle-Version") == null) {
                violations.add(jar.name() + ": no Bundle-Version");
            }
            String capabilities = String.valueOf(jar.manifest().getValue("Require-Capability"));
            if (!capabilities.contains("osgi.ee")) {
                violations.add(jar.name() + ": no osgi.ee requirement (manifest not generated by bnd?)");
            }
        }
        assertNoViolations(violations);
    }

    @Test
    void apiExportsExactlyItsApiAndSpiPackagesInBothWorldsWithVersions() {
        List<String> violations = new ArrayList<>();
        for (DittoJar jar : jarsOf(API)) {
            Set<String> osgi = jar.exportedPackages();
            Set<String> jpms = new TreeSet<>();
            for (ModuleDescriptor.Exports export : jar.module().exports()) {
                jpms.add(export.source());
                if (export.isQualified()) {
                    violations.add(jar.name() + ": qualified export of " + export.source() + " to " + export.targets()
                            + " (ditto.api exports its packages to everyone or not at all)");
                }
            }
            if (!osgi.equals(jpms)) {
                violations.add(jar.name() + ": Export-Package " + osgi + " differs from module exports " + jpms);
            }
            Set<String> all = new TreeSet<>(osgi);
            all.addAll(jpms);
            for (String pkg : all) {
                if (!pkg.equals(API) && !pkg.startsWith("ditto.api.spi.")) {
                    violations.add(jar.name() + ": exports " + pkg + ", which is neither ditto.api nor ditto.api.spi.*");
                }
            }
            Set<String> required = new TreeSet<>(SPI_PACKAGES);
            required.add(API);
            for (String pkg : required) {
                if (!osgi.contains(pkg) || !jpms.contains(pkg)) {
                    violations.add(jar.name() + ": does not export " + pkg + " in both Export-Package and module-info");
                }
            }
            for (ManifestHeader.Clause clause : jar.exports()) {
                if (!clause.attributes().containsKey("version")) {
                    violations.add(jar.name() + ": Export-Package " + clause.paths() + " has no version");
                }
            }
        }
        assertNoViolations(violations);
    }

    @Test
    void everyOtherDittoJarExportsNothing() {
        List<String> violations = new ArrayList<>();
        for (DittoJar jar : jars) {
            if (jar.module().name().equals(API)) {
                continue;
            }
            for (String pkg : jar.exportedPackages()) {
                violations.add(jar.name() + ": Export-Package exports " + pkg + " (only ditto.api exports packages)");
            }
            for (ModuleDescriptor.Exports export : jar.module().exports()) {
                // A qualified export to a library that instantiates our classes reflectively (the
                // engine's tinylog writer) is wiring, like "opens ... to", not API surface.
                boolean toLibrariesOnly = export.isQualified()
                        && export.targets().stream().noneMatch(target -> target.startsWith("ditto."));
                if (!toLibrariesOnly) {
                    violations.add(jar.name() + ": module-info exports " + export.source()
                            + (export.isQualified() ? " to " + export.targets() : "")
                            + " (only ditto.api exports packages; other modules may export only to a library)");
                }
            }
        }
        assertNoViolations(violations);
    }

    @Test
    void apiDependsOnTheJdkOnly() {
        List<String> violations = new ArrayList<>();
        for (DittoJar jar : jarsOf(API)) {
            Set<String> ownPackages = jar.exportedPackages();
            for (String pkg : jar.imports()) {
                if (!ownPackages.contains(pkg)) {
                    violations.add(jar.name() + ": imports package " + pkg + " (ditto.api may use the JDK only)");
                }
            }
            for (ModuleDescriptor.Requires requires : jar.module().requires()) {
                checkJdkOrStaticAnnotation(jar, requires, Set.of(), violations);
            }
        }
        assertNoViolations(violations);
    }

    @Test
    void pluginsAndShellDependOnTheApiAndTheirOwnLibraryOnlyNeverOnTheEngine() {
        List<String> violations = new ArrayList<>();
        for (DittoJar jar : jars) {
            Library library = API_ONLY.get(jar.module().name());
            if (library == null) {
                continue;
            }
            for (String pkg : jar.imports()) {
                if (pkg.equals(ENGINE) || pkg.startsWith(ENGINE + ".")) {
                    violations.add(jar.name() + ": imports engine package " + pkg + " (plug-ins never depend on the engine)");
                } else if (!isApiPackage(pkg) && !library.hasPackage(pkg)) {
                    violations.add(jar.name() + ": imports package " + pkg
                            + " (allowed: ditto.api, ditto.api.spi.* and its library " + library.packagePrefixes() + ")");
                }
            }
            Set<String> allowedModules = new TreeSet<>(library.modules());
            allowedModules.add(API);
            for (ModuleDescriptor.Requires requires : jar.module().requires()) {
                if (requires.name().equals(ENGINE)) {
                    violations.add(jar.name() + ": requires " + ENGINE + " (plug-ins never depend on the engine)");
                } else {
                    checkJdkOrStaticAnnotation(jar, requires, allowedModules, violations);
                }
            }
        }
        assertNoViolations(violations);
    }

    @Test
    void engineNeverDependsOnAPlugin() {
        List<String> violations = new ArrayList<>();
        Set<String> pluginModules = API_ONLY.keySet();
        for (DittoJar jar : jarsOf(ENGINE)) {
            for (String pkg : jar.imports()) {
                if (pkg.startsWith("ditto.") && !isApiPackage(pkg)) {
                    violations.add(jar.name() + ": imports package " + pkg
                            + " (the engine meets plug-ins only through ditto.api.spi)");
                }
            }
            for (ModuleDescriptor.Requires requires : jar.module().requires()) {
                if (pluginModules.contains(requires.name())
                        || requires.name().startsWith("ditto.") && !requires.name().equals(API)) {
                    violations.add(jar.name() + ": requires module " + requires.name()
                            + " (the engine meets plug-ins only through ditto.api.spi)");
                }
            }
        }
        assertNoViolations(violations);
    }

    @Test
    void modulePathResolvesAndBindsEveryDittoModuleFromItsTwoPrograms() {
        // given
        Path lib = Distribution.home().resolve("lib");
        Set<String> dittoModules = names("lib");
        Set<String> resolved = new TreeSet<>();

        // when: resolve as java -p lib -m ditto.shell and java -p lib -m ditto.server would, without loading anything
        for (String program : List.of("ditto.shell", "ditto.server")) {
            Configuration configuration = ModuleLayer.boot().configuration()
                    .resolveAndBind(ModuleFinder.of(lib), ModuleFinder.of(), Set.of(program));
            configuration.modules().stream().map(ResolvedModule::name).forEach(resolved::add);
        }

        // then
        assertTrue(resolved.containsAll(dittoModules),
                "java -p lib -m ditto.shell or ditto.server should resolve every Ditto module through ServiceLoader"
                        + " bindings; missing " + dittoModules.stream().filter(m -> !resolved.contains(m)).toList());
    }

    private static boolean isApiPackage(String pkg) {
        return pkg.equals(API) || pkg.startsWith("ditto.api.spi.");
    }

    private static void checkJdkOrStaticAnnotation(DittoJar jar, ModuleDescriptor.Requires requires,
            Set<String> allowed, List<String> violations) {
        String name = requires.name();
        boolean isStatic = requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC);
        if (ModuleFinder.ofSystem().find(name).isPresent() || allowed.contains(name)) {
            return;
        }
        if (isStatic && STATIC_ANNOTATION_MODULES.contains(name)) {
            return;
        }
        violations.add(jar.name() + ": requires " + (isStatic ? "static " : "") + "module " + name
                + " (allowed: the JDK" + (allowed.isEmpty() ? "" : ", " + allowed)
                + " and, static, the OSGi annotation modules)");
    }

    private List<DittoJar> jarsOf(String module) {
        List<DittoJar> found = jars.stream().filter(j -> j.module().name().equals(module)).toList();
        assertTrue(!found.isEmpty(), "no " + module + " jar in deploy/ or lib/");
        return found;
    }

    private Set<String> names(String folder) {
        return jars.stream().filter(j -> j.file().getParent().getFileName().toString().equals(folder))
                .map(j -> j.module().name()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assertNoViolations(List<String> violations) {
        assertTrue(violations.isEmpty(), violations.size() + " violation(s):\n  " + String.join("\n  ", violations));
    }
}
