package ditto.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.DittoException;
import ditto.api.DittoFactory;
import ditto.api.ErrorCode;

class MainTest {

    private final FakeEngine engine = new FakeEngine();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void printsBannerAndPluginsThenRunsArgumentCommands() {
        // when
        int status = run(List.of("status"), "");

        // then
        List<String> lines = stdout();
        assertEquals(0, status);
        assertTrue(lines.get(0).startsWith("Ditto "), lines.get(0));
        assertEquals("plug-ins: identity=[] storage=[memory, mvstore] transport=[ble, lan, ws]", lines.get(1));
        assertTrue(lines.contains("database: none open (run open [directory] [databaseId])"), lines.toString());
    }

    @Test
    void runsSeveralArgumentCommandsAndClosesTheDatabaseAtTheEnd() {
        // given
        engine.answers = dql -> FakeEngine.Answer.items("{\"_id\":1}");

        // when
        int status = run(List.of("open", "/tmp/d", ";", "ditto:query", "SELECT * FROM c"), "");

        // then
        assertEquals(0, status);
        assertTrue(stdout().contains("{\"_id\":1}"), stdout().toString());
        assertEquals(1, engine.closeCalls);
    }

    @Test
    void failingCommandGoesToStandardErrorAndGivesExitStatusOne() {
        // when
        int status = run(List.of("query", "SELECT * FROM c"), "");

        // then
        assertEquals(1, status);
        assertEquals("error (closed): query: no database is open; run open [directory] [databaseId] first",
                err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void readsCommandsFromInputUntilExitAndSurvivesErrors() {
        // given
        engine.answers = dql -> {
            if (dql.contains("nope")) {
                throw new DittoException(ErrorCode.QUERY_COMPILATION, "query: no collection nope");
            }
            return FakeEngine.Answer.items("{\"ok\":true}");
        };
        String input = String.join("\n", "ditto:open /tmp/d", "query SELECT * FROM nope",
                "ditto:query \"SELECT * FROM cars\"", "exit", "status");

        // when
        int status = run(List.of(), input);

        // then
        assertEquals(1, status);
        assertTrue(stdout().contains("{\"ok\":true}"), stdout().toString());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("error (query_compilation): query: no collection nope"));
        assertEquals(List.of("SELECT * FROM nope", "SELECT * FROM cars"), engine.executed);
        assertTrue(stdout().stream().noneMatch(line -> line.startsWith("ditto ")), "status after exit must not run");
    }

    @Test
    void endOfInputEndsTheProgramWithStatusZero() {
        // when
        int status = run(List.of(), "status\n");

        // then
        assertEquals(0, status);
        assertTrue(stdout().stream().anyMatch(line -> line.startsWith("database: none open")));
    }

    @Test
    void dqlSessionWithTheRealEngineInsertsQueriesAndPrintsObserverDeliveriesBeforeItEnds(@TempDir Path data) {
        // given the real engine and a session read from standard input
        DittoFactory real = ServiceLoader.load(DittoFactory.class).findFirst().orElseThrow();
        String input = String.join("\n",
                "open " + data,
                "query INSERT INTO cars DOCUMENTS ({'_id':'c1','make':'Ford','color':'blue'})",
                "observe \"SELECT * FROM cars WHERE color = 'blue'\"",
                "status",
                "ditto:query \"INSERT INTO cars DOCUMENTS ({'_id':'c2','make':'BMW','color':'blue'})\"",
                "query SELECT * FROM cars",
                "");

        // when it runs to the end of its input
        int status = Main.run(real, List.of(), new BufferedReader(new StringReader(input)), false,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        // then every command succeeded, the query shows both cars, status lists the observer, and the change
        // made by the last insert was delivered before the program closed (the first result may already include
        // it: changes that arrive before a delivery are coalesced into it)
        List<String> lines = stdout();
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(lines.contains("observer 1 registered: SELECT * FROM cars WHERE color = 'blue'"), lines.toString());
        assertTrue(lines.stream().anyMatch(line -> line.matches("-- 2 items, commit \\d+")), lines.toString());
        assertTrue(lines.contains("observer 1: SELECT * FROM cars WHERE color = 'blue'"), lines.toString());
        int lastDelivery = lines.size() - 1;
        while (lastDelivery >= 0 && !lines.get(lastDelivery).startsWith("-- observer 1: ")) {
            lastDelivery--;
        }
        assertTrue(lastDelivery >= 0, "no observer delivery in " + lines);
        assertTrue(lines.get(lastDelivery).matches("-- observer 1: 2 items \\(commit \\d+\\)"), lines.toString());
        assertEquals("{\"_id\":\"c2\",\"color\":\"blue\",\"make\":\"BMW\"}", lines.get(lastDelivery + 2));
    }

    @Test
    void deliveryWhileThePromptShowsGoesOnItsOwnLineAndShowsThePromptAgain() {
        // given a console whose prompt is showing
        Main.Console console = new Main.Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        console.prompt();

        // when a delivery arrives, then the line is read and another delivery arrives
        console.delivery("-- observer 1: 0 items (commit 3)");
        console.lineRead();
        console.delivery("-- observer 1: 1 item (commit 4)\n{\"_id\":1}");

        // then the first delivery moved below the prompt and re-showed it; the second printed as is
        assertEquals("ditto> \n-- observer 1: 0 items (commit 3)\nditto> "
                + "-- observer 1: 1 item (commit 4)\n{\"_id\":1}\n",
                out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    private int run(List<String> args, String input) {
        return Main.run(engine, args, new BufferedReader(new StringReader(input)), false,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<String> stdout() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
