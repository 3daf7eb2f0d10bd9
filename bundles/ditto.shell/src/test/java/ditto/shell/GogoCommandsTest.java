package ditto.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class GogoCommandsTest {

    private final FakeEngine engine = new FakeEngine();
    private final GogoCommands gogo = new GogoCommands(engine, Map.of(GogoCommands.OPEN_DIRECTORY, "/srv/ditto"));

    @Test
    void unquotedWordsOfAStatementAreJoinedWithSpaces() {
        // given
        gogo.open();

        // when
        gogo.query("SELECT", "make", "FROM", "cars");
        String observed = gogo.observe("SELECT", "make", "FROM", "cars");

        // then
        assertEquals(List.of("SELECT make FROM cars"), engine.executed);
        assertEquals(List.of("SELECT make FROM cars"), engine.observed);
        assertEquals("observer 1 registered: SELECT make FROM cars", observed);
        assertEquals(Path.of("/srv/ditto"), engine.opened.get(0).persistenceDirectory().orElseThrow());
    }

    @Test
    void failedStatementMangledByGogoBraceExpansionGetsAHintOnHowToWriteIt() {
        // given what Gogo passes for "INSERT INTO cars DOCUMENTS ({'_id':'c1','make':'Ford'})", and an engine
        // that refuses it as the real one does
        engine.answers = dql -> {
            throw new DittoException(ErrorCode.QUERY_COMPILATION, "line 1, column 34: expected ')' but found ':'");
        };
        gogo.open();
        String expanded = "INSERT INTO cars DOCUMENTS ('_id':'c1') INSERT INTO cars DOCUMENTS ('make':'Ford')";

        // when
        String query = gogo.query(expanded);
        String observe = gogo.observe(expanded);

        // then the engine's error comes first, then the hint
        assertEquals(List.of("error (query_compilation): line 1, column 34: expected ')' but found ':'",
                GogoCommands.BRACE_EXPANSION_HINT), query.lines().toList());
        assertTrue(GogoCommands.BRACE_EXPANSION_HINT.contains("UPDATE cars SET")
                && GogoCommands.BRACE_EXPANSION_HINT.contains("bin/ditto --module-path"));
        assertEquals(List.of(expanded), engine.observed);
        assertTrue(observe.startsWith("observer 1 registered"), "a statement the engine accepts gets no hint");
    }

    @Test
    void failedStatementThatDoesNotRepeatItsFirstWordGetsNoHint() {
        // given
        engine.answers = dql -> {
            throw new DittoException(ErrorCode.QUERY_COMPILATION, "line 1, column 1: unexpected word SELEC");
        };
        gogo.open();

        // when
        String reply = gogo.query("SELEC * FROM cars WHERE make = 'SELECT'");

        // then
        assertEquals("error (query_compilation): line 1, column 1: unexpected word SELEC", reply);
    }

    @Test
    void statusAndUnobserveReachTheCommandCore() {
        // given
        gogo.open();
        gogo.observe("SELECT * FROM cars");

        // when
        String status = gogo.status();
        String canceled = gogo.unobserve("all");

        // then
        assertTrue(status.lines().anyMatch("observer 1: SELECT * FROM cars"::equals), status);
        assertEquals("canceled observers [1]", canceled);
        assertEquals("closed database " + engine.opened.get(0).databaseId(), gogo.close());
    }

    @Test
    void openWithAServerOptionAndTheLoginCommandsReachTheCommandCore() {
        // when a client is opened with the option first, logged in, shown and logged out
        String opened = gogo.open("--server", "http://127.0.0.1:8080", "data");
        String login = gogo.login("alice");
        String loginUser = gogo.login("--user", "bob", "pw", "corp");
        String auth = gogo.auth();
        String logout = gogo.logout();

        // then
        assertTrue(opened.contains("(client of server http://127.0.0.1:8080;"), opened);
        assertEquals(Path.of("data").toAbsolutePath(), engine.opened.get(0).persistenceDirectory().orElseThrow());
        assertEquals(ditto.api.DittoConfigConnect.server("http://127.0.0.1:8080"), engine.opened.get(0).connect());
        assertTrue(login.startsWith("logged in to http://127.0.0.1:8080 as alice (provider __ditto_dev_provider)"), login);
        assertTrue(loginUser.startsWith("logged in to http://127.0.0.1:8080 as bob (provider corp)"), loginUser);
        assertTrue(auth.contains("user id: bob"), auth);
        assertTrue(logout.startsWith("logged out bob"), logout);
    }

    @Test
    void fourWordOpenStillTakesASharedKeyAfterDirectoryAndId() {
        // when
        String opened = gogo.open("data", "0f8fad5b-d9cb-469f-a165-70867728950e", "--shared-key", "0a0b");
        String login = gogo.login("alice");

        // then
        assertTrue(opened.endsWith("(small peers with a shared key)"), opened);
        assertEquals(ditto.api.DittoConfigConnect.smallPeersOnly(new byte[] {0x0a, 0x0b}), engine.opened.get(0).connect());
        assertEquals("error (authenticator_not_available): login: the open database is not a client of a server;"
                + " open it with --server URL", login);
    }
}
