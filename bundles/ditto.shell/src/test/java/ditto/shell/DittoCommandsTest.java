package ditto.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;

import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.ErrorCode;

class DittoCommandsTest {

    private static final String DATABASE_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    private final FakeEngine engine = new FakeEngine();
    private final DittoCommands commands = new DittoCommands(engine);

    @Test
    void statusShowsVersionNoDatabaseAndPluginsSortedByKindAndId() {
        // when
        Reply reply = commands.status();

        // then
        assertTrue(reply.ok());
        assertEquals(List.of(
                "ditto " + Ditto.version(),
                "database: none open (run open [directory] [databaseId])",
                "plug-ins: identity=[] storage=[memory, mvstore] transport=[ble, lan, ws]"),
                reply.text().lines().toList());
    }

    @Test
    void queryWithoutOpenDatabaseIsAClosedError() {
        // when
        Reply reply = commands.query("SELECT * FROM cars");

        // then
        assertFalse(reply.ok());
        assertEquals("error (closed): query: no database is open; run open [directory] [databaseId] first",
                reply.text());
        assertTrue(engine.executed.isEmpty());
    }

    @Test
    void queryWithoutStatementIsAnInvalidArgumentsError() {
        // given
        commands.open(null, null);

        // when
        Reply reply = commands.query("  ");

        // then
        assertFalse(reply.ok());
        assertTrue(reply.text().startsWith("error (invalid_arguments): query: no DQL statement given"), reply.text());
    }

    @Test
    void openPassesAbsoluteDirectoryAndDatabaseIdToTheEngine() {
        // when
        Reply reply = commands.open("some/dir", DATABASE_ID);

        // then
        Path expected = Path.of("some/dir").toAbsolutePath();
        assertTrue(reply.ok(), reply.text());
        assertEquals("opened database " + DATABASE_ID + " at " + expected, reply.text());
        assertEquals(Optional.of(expected), engine.opened.get(0).persistenceDirectory());
        assertEquals(DATABASE_ID, engine.opened.get(0).databaseId());
    }

    @Test
    void openWithoutDirectoryUsesTheConfiguredDefaultDirectory() {
        // given
        Path configured = Path.of("/srv/ditto-data");
        DittoCommands withDefault = new DittoCommands(engine, configured);

        // when
        Reply reply = withDefault.open(null, null);

        // then
        assertTrue(reply.ok(), reply.text());
        assertEquals(Optional.of(configured), engine.opened.get(0).persistenceDirectory());
    }

    @Test
    void engineRefusalOnOpenIsReportedWithItsCode() {
        // given
        engine.openFailure = config -> new DittoException(ErrorCode.PERSISTENCE_DIRECTORY,
                "open: directory /x is in use by another instance");

        // when
        Reply reply = commands.open("/x", null);

        // then
        assertFalse(reply.ok());
        assertEquals("error (persistence_directory): open: directory /x is in use by another instance", reply.text());
        assertTrue(commands.status().text().contains("database: none open"));
    }

    @Test
    void secondOpenIsRejectedUntilTheFirstIsClosed() {
        // given
        commands.open("/a", null);

        // when
        Reply second = commands.open("/b", null);
        Reply closed = commands.close();
        Reply third = commands.open("/b", null);

        // then
        assertFalse(second.ok());
        assertTrue(second.text().startsWith("error (invalid_arguments): open: database "), second.text());
        assertTrue(closed.ok());
        assertEquals(1, engine.closeCalls);
        assertTrue(third.ok(), third.text());
        assertEquals(2, engine.opened.size());
    }

    @Test
    void queryPrintsOneJsonLinePerItemThenASummaryAndClosesTheItems() {
        // given
        engine.answers = dql -> FakeEngine.Answer.items("{\"_id\":\"a\",\"make\":\"Ford\"}", "{\"_id\":\"b\",\"make\":\"BMW\"}");
        commands.open(null, null);

        // when
        Reply reply = commands.query("SELECT * FROM cars WHERE make != 'Fiat'");

        // then
        assertTrue(reply.ok(), reply.text());
        assertEquals(List.of("{\"_id\":\"a\",\"make\":\"Ford\"}", "{\"_id\":\"b\",\"make\":\"BMW\"}", "-- 2 items"),
                reply.text().lines().toList());
        assertEquals(List.of("SELECT * FROM cars WHERE make != 'Fiat'"), engine.executed);
        assertEquals(2, engine.closedItems);
    }

    @Test
    void mutationSummaryNamesTheMutatedIdsAndTheCommit() {
        // given
        engine.answers = dql -> new FakeEngine.Answer(List.of(), List.of("a", "b"), OptionalLong.of(17));
        commands.open(null, null);

        // when
        Reply reply = commands.query("UPDATE cars SET sold = true");

        // then
        assertTrue(reply.ok(), reply.text());
        assertEquals("-- 0 items, mutated [a, b], commit 17", reply.text());
    }

    @Test
    void engineQueryErrorIsReportedAndTheShellKeepsWorking() {
        // given
        engine.answers = dql -> {
            if (dql.startsWith("SELEC ")) {
                throw new DittoException(ErrorCode.QUERY_COMPILATION, "query: unexpected word SELEC at 1:1");
            }
            return FakeEngine.Answer.items("{}");
        };
        commands.open(null, null);

        // when
        Reply bad = commands.query("SELEC * FROM cars");
        Reply good = commands.query("SELECT * FROM cars");

        // then
        assertEquals(new Reply("error (query_compilation): query: unexpected word SELEC at 1:1", false), bad);
        assertTrue(good.ok());
    }

    @Test
    void unexpectedEngineFailureBecomesAnInternalErrorWithoutStackTrace() {
        // given
        engine.answers = dql -> {
            throw new IllegalStateException("index corrupt");
        };
        commands.open(null, null);

        // when
        Reply reply = commands.query("SELECT * FROM cars");

        // then
        assertEquals("error (internal): java.lang.IllegalStateException: index corrupt", reply.text());
        assertFalse(reply.ok());
    }

    @Test
    void closeWithoutOpenDatabaseSaysSo() {
        // when
        Reply reply = commands.close();

        // then
        assertEquals(new Reply("no database is open", true), reply);
    }

    @Test
    void pluginsLineListsKindsAlphabeticallyWithSortedIds() {
        // when
        String line = DittoCommands.pluginsLine(Map.of("transport", Set.of("ws", "ble"), "storage", List.of("mvstore")));

        // then
        assertEquals("plug-ins: storage=[mvstore] transport=[ble, ws]", line);
    }
}
