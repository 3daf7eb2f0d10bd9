package ditto.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
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

    private int run(List<String> args, String input) {
        return Main.run(engine, args, new BufferedReader(new StringReader(input)), false,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<String> stdout() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
