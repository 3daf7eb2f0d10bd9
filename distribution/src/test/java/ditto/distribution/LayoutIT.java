package ditto.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

/**
 * Checks the shape of the built distribution: which jars are in the container folders and
 * which on the module path, the executable launcher, the documented configuration, and the
 * {@code .tar.gz} that carries the same files with the executable bit kept.
 */
class LayoutIT {

    private final Path home = Distribution.home();

    @Test
    void containerFoldersHoldTheOsgiRuntimeAndTheDittoBundles() {
        Set<String> bundles = fileNames(home.resolve("bundles"));
        Set<String> deploy = fileNames(home.resolve("deploy"));

        for (String expected : List.of("org.apache.felix.scr-", "org.apache.felix.configadmin-",
                "org.apache.felix.fileinstall-", "org.apache.felix.gogo.runtime-", "org.apache.felix.gogo.command-",
                "org.apache.felix.gogo.shell-", "org.osgi.service.component-", "org.osgi.util.promise-",
                "org.osgi.util.function-", "tinylog-api-", "tinylog-impl-", "ditto.slf4j-",
                "bcprov-jdk18on-", "bcutil-jdk18on-", "bcpkix-jdk18on-")) {
            assertTrue(bundles.stream().anyMatch(name -> name.startsWith(expected)), expected + "* missing in bundles/: " + bundles);
        }
        // slf4j-api 2.x does not resolve in plain Felix: the ditto.slf4j wrapper replaces it (PLATFORM.md gotcha 1);
        // the framework itself, compile-only OSGi jars and non-bundles must not be installed
        for (String forbidden : List.of("slf4j-api-", "slf4j-tinylog-", "org.apache.felix.framework-", "osgi.core-",
                "osgi.annotation-", "animal-sniffer-", "ditto.engine-")) {
            assertTrue(bundles.stream().noneMatch(name -> name.startsWith(forbidden)), forbidden + "* must not be in bundles/: " + bundles);
        }
        assertTrue(deploy.stream().allMatch(name -> name.startsWith("ditto.")), "deploy/ holds only Ditto bundles: " + deploy);
        assertFalse(deploy.stream().anyMatch(name -> name.startsWith("ditto.slf4j-")), "ditto.slf4j belongs in bundles/: " + deploy);
        assertTrue(deploy.stream().noneMatch(name -> name.startsWith("ditto.testkit-")), "the test kit is not deployed: " + deploy);
    }

    @Test
    void modulePathHoldsModulesAndUpstreamLoggingButNoOsgiRuntime() {
        Set<String> lib = fileNames(home.resolve("lib"));
        Set<String> boot = fileNames(home.resolve("lib/boot"));

        for (String expected : List.of("ditto.api-", "ditto.engine-", "ditto.shell-", "ditto.server-", "slf4j-api-", "slf4j-tinylog-",
                "tinylog-api-", "tinylog-impl-", "bcprov-jdk18on-", "bcutil-jdk18on-", "bcpkix-jdk18on-")) {
            assertTrue(lib.stream().anyMatch(name -> name.startsWith(expected)), expected + "* missing in lib/: " + lib);
        }
        for (String forbidden : List.of("org.apache.felix.", "org.osgi.", "osgi.", "ditto.slf4j-")) {
            assertTrue(lib.stream().noneMatch(name -> name.startsWith(forbidden)), forbidden + "* must not be in lib/: " + lib);
        }
        assertEquals(Set.of("ditto-launcher.jar", "org.apache.felix.framework-7.0.5.jar"), boot);
    }

    @Test
    void launcherScriptIsExecutableAndConfigurationIsDocumented() throws IOException {
        Path script = home.resolve("bin/ditto");
        String config = Files.readString(home.resolve("conf/ditto.shell.cfg"));

        assertTrue(Files.getPosixFilePermissions(script).contains(PosixFilePermission.OWNER_EXECUTE), "bin/ditto is not executable");
        assertTrue(Files.readString(script).startsWith("#!/bin/sh"), "bin/ditto should be a POSIX shell script");
        assertTrue(config.contains("open.directory"), "conf/ditto.shell.cfg should document open.directory");
        assertTrue(config.lines().filter(line -> line.startsWith("#")).count() > 5, "conf/ditto.shell.cfg should explain itself");
    }

    @Test
    void serverPeerIsDeployedAndItsConfigurationIsAnInactiveDocumentedExample() throws IOException {
        Set<String> deploy = fileNames(home.resolve("deploy"));
        Path example = home.resolve("conf/ditto.server.cfg.example");

        assertTrue(deploy.stream().anyMatch(name -> name.startsWith("ditto.server-")), "ditto.server* missing in deploy/: " + deploy);
        assertTrue(Files.isRegularFile(example), "conf/ditto.server.cfg.example missing");
        // FileInstall reads only *.cfg (felix.fileinstall.filter), so the container does not run as a server by default
        assertFalse(Files.exists(home.resolve("conf/ditto.server.cfg")), "conf/ditto.server.cfg must not be shipped active");
        String text = Files.readString(example);
        for (String key : List.of("database_id", "directory", "tcp.port", "http.port", "lan.enabled", "development_mode",
                "identity.")) {
            assertTrue(text.contains(key), "conf/ditto.server.cfg.example should document " + key);
        }
    }

    @Test
    void tarballHoldsTheSameFilesUnderAVersionedFolderWithExecutableScripts() throws IOException {
        // given
        List<Path> tarballs;
        try (var files = Files.list(home.getParent())) {
            tarballs = files.filter(f -> f.getFileName().toString().matches("ditto-.+\\.tar\\.gz")).toList();
        }
        assertEquals(1, tarballs.size(), "one ditto-<version>.tar.gz expected in target/, found " + tarballs);
        String top = tarballs.get(0).getFileName().toString().replace(".tar.gz", "") + "/";

        // when
        Map<String, Integer> entries = tarEntries(tarballs.get(0));

        // then
        Set<String> expected;
        try (var files = Files.walk(home)) {
            expected = files.filter(Files::isRegularFile)
                    .map(f -> top + home.relativize(f).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(expected, new TreeSet<>(entries.keySet()), "the tarball should hold exactly the files of " + home);
        assertEquals(0755, entries.get(top + "bin/ditto") & 0777, "bin/ditto mode in the tarball");
    }

    /** Reads a gzip-compressed tar: entry name (POSIX prefix joined) to permission bits, regular files only. */
    private static Map<String, Integer> tarEntries(Path tarball) throws IOException {
        Map<String, Integer> entries = new TreeMap<>();
        try (InputStream gz = new GZIPInputStream(Files.newInputStream(tarball));
                DataInputStream in = new DataInputStream(gz)) {
            byte[] header = new byte[512];
            String longName = null;
            while (true) {
                try {
                    in.readFully(header);
                } catch (EOFException e) {
                    break;
                }
                if (header[0] == 0) {
                    break; // end-of-archive block
                }
                String name = field(header, 0, 100);
                int mode = (int) octal(header, 100, 8);
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                String prefix = field(header, 345, 155);
                byte[] content = new byte[(int) size];
                in.readFully(content);
                in.skipNBytes((512 - size % 512) % 512);
                if (type == 'L') { // GNU long name for the next entry
                    longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                if (type == 'x' || type == 'g') { // PAX headers
                    String pax = new String(content, StandardCharsets.UTF_8);
                    for (String record : pax.split("\n")) {
                        int path = record.indexOf(" path=");
                        if (path >= 0) {
                            longName = record.substring(path + " path=".length());
                        }
                    }
                    continue;
                }
                String fullName = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
                longName = null;
                if (type == '0' || type == 0) {
                    entries.put(fullName, mode);
                }
            }
        }
        return entries;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) {
        String text = field(header, offset, length).strip();
        return text.isEmpty() ? 0 : Long.parseLong(text, 8);
    }

    private static Set<String> fileNames(Path folder) {
        try (var files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + folder, e);
        }
    }
}
