package ditto.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs the same product on the plain module path ({@code lib/}, no OSGi) as a child process and
 * checks that it finds the same plug-ins as the container does, both through {@code java -p}
 * directly and through {@code bin/ditto --module-path}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModulePathIT {

    private static final Duration RUN = Duration.ofSeconds(60);

    private SortedMap<String, SortedSet<String>> containerPlugins;

    @BeforeAll
    void readThePluginsOfTheContainer() throws Exception {
        try (RunningContainer container = RunningContainer.boot("module-path-reference")) {
            containerPlugins = container.settledPlugins();
        }
    }

    @Test
    void modulePathProgramFindsTheSamePluginsAsTheContainer() throws Exception {
        // given
        Path work = Distribution.freshWorkFolder("module-path-java");
        Path lib = Distribution.home().resolve("lib");

        // when
        Subprocess.Result result;
        try (Subprocess main = Subprocess.start(work, Map.of(),
                List.of(Subprocess.java(), "-p", lib.toString(), "-m", "ditto.shell/ditto.shell.Main", "status"))) {
            result = main.await(RUN);
        }

        // then
        assertEquals(0, result.exitCode(), result.all());
        assertEquals(containerPlugins, Distribution.printedPlugins(result.stdout()).orElseThrow(
                () -> new AssertionError("no plug-ins line in:\n" + result.all())), result.all());
        assertTrue(result.stdout().lines().anyMatch(line -> line.startsWith("database: none open")), result.all());
        assertFalse(result.all().contains("\tat "), "a stack trace was printed:\n" + result.all());
    }

    @Test
    void launcherScriptRunsTheModulePathProgramWithCommandsFromStandardInput() throws Exception {
        // given a DQL session: insert, observe, a change, query, status
        Path work = Distribution.freshWorkFolder("module-path-script");
        Path data = work.resolve("data");
        String commands = String.join("\n", "ditto:open " + data,
                "query INSERT INTO cars DOCUMENTS ({'_id':'c1','make':'Ford','color':'blue'})",
                "ditto:observe \"SELECT * FROM cars WHERE color = 'blue'\"",
                "query INSERT INTO cars DOCUMENTS ({'_id':'c2','make':'Fiat','color':'red'})",
                "ditto:query \"SELECT * FROM cars WHERE make = 'Ford'\"",
                "status", "ditto:close", "exit", "");

        // when
        Subprocess.Result result;
        try (Subprocess script = Subprocess.start(work, Map.of(),
                List.of("sh", Distribution.home().resolve("bin/ditto").toString(), "--module-path"))) {
            result = script.input(commands).await(RUN);
        }

        // then
        assertEquals(0, result.exitCode(), result.all());
        assertEquals(containerPlugins, Distribution.printedPlugins(result.stdout()).orElseThrow(), result.all());
        assertTrue(result.stdout().lines().anyMatch(line -> line.startsWith("opened database ")), result.all());
        assertTrue(result.stdout().lines().anyMatch(line -> line.startsWith("database: ") && line.contains(" open at ")),
                result.all());
        assertTrue(result.stdout().lines().anyMatch(line -> line.startsWith("closed database ")), result.all());
        assertTrue(Files.isDirectory(data), "open should create the persistence directory " + data);
        // the INSERT + SELECT round trip, and the live query's first delivery
        List<String> lines = result.stdout().lines().toList();
        String ford = "{\"_id\":\"c1\",\"color\":\"blue\",\"make\":\"Ford\"}";
        assertTrue(lines.stream().anyMatch(line -> line.matches("-- 1 item, commit \\d+")), result.all());
        assertTrue(lines.contains(ford), result.all());
        assertTrue(lines.contains("observer 1 registered: SELECT * FROM cars WHERE color = 'blue'"), result.all());
        int delivery = lines.indexOf(lines.stream().filter(line -> line.startsWith("-- observer 1: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no observer delivery\n" + result.all())));
        assertTrue(lines.get(delivery).matches("-- observer 1: 1 item \\(commit \\d+\\)"), result.all());
        assertEquals(ford, lines.get(delivery + 1), result.all());
        assertTrue(lines.contains("observer 1: SELECT * FROM cars WHERE color = 'blue'"), result.all());
        assertTrue(result.stderr().lines().noneMatch(line -> line.startsWith("error (")), result.all());
    }
}
