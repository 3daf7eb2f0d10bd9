package ditto.engine.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Proves the module-path wiring that applications use: slf4j-api and slf4j-tinylog as named
 * modules (surefire puts test-only jars on the class path, so this runs a child JVM with every
 * jar on the module path), slf4j finding slf4j-tinylog through {@code provides}, and tinylog
 * instantiating the bridge writer in the named {@code ditto.engine} module.
 */
class ModulePathSlf4jTest {

    @Test
    void slf4jAndTinylogOutputReachDittoLoggerWithEveryJarOnTheModulePath() throws IOException, InterruptedException {
        // given a module path made of the test JVM's module path plus the slf4j jars
        String modulePath = System.getProperty("jdk.module.path");
        List<String> slf4jJars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> Path.of(p).getFileName().toString().matches("slf4j-(api|tinylog)-.*\\.jar"))
                .collect(Collectors.toList());
        assertEquals(2, slf4jJars.size(), "slf4j-api and slf4j-tinylog on the test class path: " + slf4jJars);
        Path testClasses = Path.of(ModulePathProbe.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath + File.pathSeparator + String.join(File.pathSeparator, slf4jJars),
                "--patch-module", "ditto.engine=" + testClasses,
                "--add-modules", "org.slf4j,org.tinylog.api.slf4j",
                "--add-reads", "ditto.engine=org.slf4j",
                "-m", "ditto.engine/" + ModulePathProbe.class.getName()));

        // when the probe logs through tinylog and slf4j in that JVM
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);

        // then slf4j is the named module, bound to slf4j-tinylog, and all three messages arrived
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("slf4j module: org.slf4j"), output);
        assertTrue(output.contains("slf4j factory module: org.tinylog.api.slf4j"), output);
        assertTrue(output.contains("received: info tinylog probe"), output);
        assertTrue(output.contains("received: warning slf4j probe jmdns"), output);
        assertTrue(output.contains("received: error slf4j probe websocket"), output);
    }
}
