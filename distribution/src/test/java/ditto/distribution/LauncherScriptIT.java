package ditto.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Runs {@code bin/ditto} (the container) as a child process, as a user or a service manager
 * would: without a terminal it must stay up (non-interactive Gogo), print its banner and the
 * loaded plug-ins, and stop cleanly on SIGTERM; with Gogo reading commands from standard input
 * the {@code ditto:*} commands must work (a DQL session: insert, query, a live query's
 * deliveries) and end of input must stop the container.
 */
class LauncherScriptIT {

    private static final Duration RUN = Duration.ofSeconds(60);

    @Test
    void containerWithoutTerminalPrintsPluginsAndStopsOnSigterm() throws Exception {
        // given
        Path work = Distribution.freshWorkFolder("script-sigterm");
        Map<String, String> env = Map.of("JAVA_OPTS", "-Dorg.osgi.framework.storage=" + work.resolve("felix-cache"));

        try (Subprocess ditto = Subprocess.start(work, env,
                List.of("sh", Distribution.home().resolve("bin/ditto").toString()))) {
            ditto.input("");

            // when
            String started = ditto.awaitStdout(RUN, "the plug-ins line with the lan transport",
                    out -> out.lines().anyMatch(line -> line.startsWith("plug-ins: ") && line.contains("lan")));
            ditto.terminate();
            Subprocess.Result result = ditto.await(Duration.ofSeconds(30));

            // then
            assertTrue(started.lines().anyMatch(line -> line.startsWith("Ditto ") && line.contains("Apache Felix")), started);
            assertTrue(started.contains("Gogo not interactive"), started);
            assertTrue(result.stdout().contains("ditto: stopped"), result.all());
            assertEquals(143, result.exitCode(), "exit status after SIGTERM\n" + result.all());
        }
    }

    /** The lines of Gogo's output without the {@code g! } prompts in front of a command's first line. */
    private static Stream<String> withoutPrompts(String out) {
        return out.lines().map(line -> line.replaceFirst("^(g! )+", ""));
    }

    @Test
    void gogoRunsTheDittoCommandsFromStandardInputAndStopsAtItsEnd() throws Exception {
        // given a DQL session in three parts; each part's observer delivery is awaited before the next is sent,
        // since the end of input stops the container. (Gogo expands {a,b} even inside double quotes, so objects
        // are inserted with one field and completed with UPDATE, as the README shows.)
        Path work = Distribution.freshWorkFolder("script-gogo");
        Path data = work.resolve("data");
        Map<String, String> env = Map.of("JAVA_OPTS",
                "-Dgosh.args= -Dorg.osgi.framework.storage=" + work.resolve("felix-cache"));
        String openAndObserve = String.join("\n",
                "ditto:open " + data,
                "ditto:query \"INSERT INTO cars DOCUMENTS ({'_id':'c1'})\"",
                "ditto:query \"UPDATE cars SET make = 'Ford', color = 'blue' WHERE _id = 'c1'\"",
                "ditto:observe \"SELECT * FROM cars WHERE color = 'blue'\"",
                "");
        String change = String.join("\n",
                "ditto:query \"INSERT INTO cars DOCUMENTS ({'_id':'c2'})\"",
                "ditto:query \"UPDATE cars SET make = 'BMW', color = 'blue' WHERE _id = 'c2'\"",
                "ditto:query \"SELECT * FROM cars ORDER BY _id\"",
                "ditto:status",
                "");
        String end = String.join("\n", "ditto:unobserve all", "ditto:close", "");

        // when
        Subprocess.Result result;
        try (Subprocess ditto = Subprocess.start(work, env,
                List.of("sh", Distribution.home().resolve("bin/ditto").toString()))) {
            // Gogo reads standard input as soon as it starts, before FileInstall has started the
            // Ditto bundles: send the commands once the engine reports its plug-ins.
            ditto.awaitStdout(RUN, "the plug-ins line with the lan transport",
                    out -> out.lines().anyMatch(line -> line.contains("plug-ins: ") && line.contains("lan")));
            ditto.send(openAndObserve).awaitStdout(RUN, "the observer's first delivery",
                    out -> withoutPrompts(out).anyMatch(line -> line.matches("-- observer 1: 1 item \\(commit \\d+\\)")));
            ditto.send(change).awaitStdout(RUN, "the observer's delivery of the second car",
                    out -> withoutPrompts(out).anyMatch(line -> line.matches("-- observer 1: 2 items \\(commit \\d+\\)")));
            result = ditto.input(end).await(RUN);
        }

        // then the container ran the whole session without an error and stopped at the end of input
        String out = result.stdout();
        List<String> lines = withoutPrompts(out).toList();
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("opened database ")), result.all());
        assertFalse(out.contains("error ("), "a command failed:\n" + result.all());
        assertTrue(lines.contains("observer 1 registered: SELECT * FROM cars WHERE color = 'blue'"), result.all());
        // the INSERT + SELECT round trip
        int selected = lines.indexOf("{\"_id\":\"c1\",\"color\":\"blue\",\"make\":\"Ford\"}");
        assertTrue(lines.stream().anyMatch(line -> line.matches("-- 2 items, commit \\d+")),
                "SELECT should find both cars\n" + result.all());
        assertTrue(selected >= 0 && lines.contains("{\"_id\":\"c2\",\"color\":\"blue\",\"make\":\"BMW\"}"),
                "SELECT should print both cars as JSON\n" + result.all());
        assertTrue(lines.stream().anyMatch(line -> line.contains("database: ") && line.contains(" open at " + data)),
                "ditto:status should show the open database\n" + result.all());
        assertTrue(lines.contains("observer 1: SELECT * FROM cars WHERE color = 'blue'"),
                "ditto:status should list the observer\n" + result.all());
        assertTrue(lines.contains("canceled observers [1]"), result.all());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("closed database ")), result.all());
        assertFalse(result.all().contains("\tat "), "a stack trace was printed:\n" + result.all());
    }
}
