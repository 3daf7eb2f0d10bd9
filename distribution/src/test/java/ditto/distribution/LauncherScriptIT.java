package ditto.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Runs {@code bin/ditto} (the container) as a child process, as a user or a service manager
 * would: without a terminal it must stay up (non-interactive Gogo), print its banner and the
 * loaded plug-ins, and stop cleanly on SIGTERM; with Gogo reading commands from standard input
 * the {@code ditto:*} commands must work and end of input must stop the container.
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

    @Test
    void gogoRunsTheDittoCommandsFromStandardInputAndStopsAtItsEnd() throws Exception {
        // given
        Path work = Distribution.freshWorkFolder("script-gogo");
        Path data = work.resolve("data");
        Map<String, String> env = Map.of("JAVA_OPTS",
                "-Dgosh.args= -Dorg.osgi.framework.storage=" + work.resolve("felix-cache"));
        String commands = String.join("\n",
                "ditto:open " + data,
                "ditto:status",
                "ditto:query \"SELECT * FROM cars\"",
                "ditto:close",
                "");

        // when
        Subprocess.Result result;
        try (Subprocess ditto = Subprocess.start(work, env,
                List.of("sh", Distribution.home().resolve("bin/ditto").toString()))) {
            // Gogo reads standard input as soon as it starts, before FileInstall has started the
            // Ditto bundles: send the commands once the engine reports its plug-ins.
            ditto.awaitStdout(RUN, "the plug-ins line with the lan transport",
                    out -> out.lines().anyMatch(line -> line.contains("plug-ins: ") && line.contains("lan")));
            result = ditto.input(commands).await(RUN);
        }

        // then
        String out = result.stdout();
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(out.lines().anyMatch(line -> line.contains("opened database ")), result.all());
        assertTrue(out.lines().anyMatch(line -> line.contains("database: ") && line.contains(" open at " + data)),
                "ditto:status should show the open database\n" + result.all());
        assertTrue(out.lines().anyMatch(line -> line.contains("-- 0 items") || line.contains("error (")),
                "the query should print a summary or an error line\n" + result.all());
        assertTrue(out.lines().anyMatch(line -> line.contains("closed database ")), result.all());
        assertFalse(result.all().contains("\tat "), "a stack trace was printed:\n" + result.all());
    }
}
