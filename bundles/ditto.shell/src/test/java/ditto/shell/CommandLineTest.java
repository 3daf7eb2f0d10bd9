package ditto.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    private final FakeEngine engine = new FakeEngine();
    private final DittoCommands commands = new DittoCommands(engine);

    @Test
    void scopedAndBareQueryLinesRunTheSameStatement() {
        // given
        commands.open(null, null);

        // when
        CommandLine.runLine(commands, "ditto:query \"SELECT * FROM cars WHERE color = 'blue'\"");
        CommandLine.runLine(commands, "query SELECT * FROM cars WHERE color = 'blue'");

        // then
        assertEquals(List.of("SELECT * FROM cars WHERE color = 'blue'", "SELECT * FROM cars WHERE color = 'blue'"),
                engine.executed);
    }

    @Test
    void statementWithInnerQuotesOnlyIsKeptIntact() {
        // given
        commands.open(null, null);

        // when
        CommandLine.runLine(commands, "query 'a' = 'b'");

        // then
        assertEquals(List.of("'a' = 'b'"), engine.executed);
    }

    @Test
    void openLineSplitsQuotedArguments() {
        // when
        Reply reply = CommandLine.runLine(commands,
                "ditto:open \"dir with space\" 0f8fad5b-d9cb-469f-a165-70867728950e");

        // then
        assertTrue(reply.ok(), reply.text());
        assertEquals(Path.of("dir with space").toAbsolutePath(), engine.opened.get(0).persistenceDirectory().orElseThrow());
        assertEquals("0f8fad5b-d9cb-469f-a165-70867728950e", engine.opened.get(0).databaseId());
    }

    @Test
    void observeLineKeepsBracesAndQuotesAndUnobserveTakesOneArgument() {
        // given
        commands.open(null, null);

        // when
        Reply observe = CommandLine.runLine(commands, "ditto:observe \"SELECT * FROM cars WHERE x = {'a':1,'b':2}\"");
        Reply noArgument = CommandLine.runLine(commands, "unobserve");
        Reply twoArguments = CommandLine.runWords(commands, List.of("ditto:unobserve", "1", "2"));

        // then the statement reached the engine as written, and unobserve's arity is checked before anything runs
        assertEquals("observer 1 registered: SELECT * FROM cars WHERE x = {'a':1,'b':2}", observe.text());
        assertEquals(List.of("SELECT * FROM cars WHERE x = {'a':1,'b':2}"), engine.observed);
        assertTrue(noArgument.text().startsWith("error (invalid_arguments): unobserve takes one observer number"),
                noArgument.text());
        assertTrue(twoArguments.text().startsWith("error (invalid_arguments): unobserve takes one observer number"),
                twoArguments.text());
    }

    @Test
    void blankAndCommentLinesDoNothing() {
        assertNull(CommandLine.runLine(commands, "   "));
        assertNull(CommandLine.runLine(commands, "# a comment"));
    }

    @Test
    void unknownCommandIsAnErrorThatListsTheCommands() {
        // when
        Reply reply = CommandLine.runLine(commands, "ditto:drop everything");

        // then
        assertFalse(reply.ok());
        assertTrue(reply.text().startsWith("error (invalid_arguments): unknown command 'ditto:drop'"), reply.text());
        assertTrue(reply.text().contains("query <dql>"), reply.text());
    }

    @Test
    void statusWithArgumentsIsAnError() {
        // when
        Reply reply = CommandLine.runWords(commands, List.of("status", "now"));

        // then
        assertFalse(reply.ok());
        assertTrue(reply.text().startsWith("error (invalid_arguments): status takes no arguments"), reply.text());
    }

    @Test
    void argumentWordsOfAQueryAreJoinedWithSpaces() {
        // given
        commands.open(null, null);

        // when
        Reply reply = CommandLine.runWords(commands, List.of("ditto:query", "SELECT", "*", "FROM", "cars"));

        // then
        assertTrue(reply.ok(), reply.text());
        assertEquals(List.of("SELECT * FROM cars"), engine.executed);
    }

    @Test
    void programArgumentsSplitIntoCommandsAtLoneSemicolons() {
        // when
        List<List<String>> split = CommandLine.splitCommands(
                List.of("open", "/tmp/db", ";", "query", "SELECT * FROM c", ";", ";", "status"));

        // then
        assertEquals(List.of(List.of("open", "/tmp/db"), List.of("query", "SELECT * FROM c"), List.of("status")), split);
    }

    @Test
    void tokenizeKeepsQuotedWhitespaceAndDropsQuotes() {
        assertEquals(List.of("a b", "c", "d'e"), CommandLine.tokenize("\"a b\"  c \"d'e\""));
    }

    @Test
    void openTakesASharedKeyOptionAnywhereAndRefusesUnknownOptions() {
        // when
        Reply opened = CommandLine.runLine(commands, "open --shared-key 0a0b db 0f8fad5b-d9cb-469f-a165-70867728950e");
        Reply missing = CommandLine.runLine(new DittoCommands(engine), "open db --shared-key");
        Reply unknown = CommandLine.runLine(new DittoCommands(engine), "open db --key 00");

        // then
        assertTrue(opened.ok(), opened.text());
        assertEquals(Path.of("db").toAbsolutePath(), engine.opened.get(0).persistenceDirectory().orElseThrow());
        assertEquals("0f8fad5b-d9cb-469f-a165-70867728950e", engine.opened.get(0).databaseId());
        assertEquals(ditto.api.DittoConfigConnect.smallPeersOnly(new byte[] {0x0a, 0x0b}), engine.opened.get(0).connect());
        assertTrue(missing.text().startsWith("error (invalid_arguments): open: --shared-key needs one hexadecimal key"));
        assertTrue(unknown.text().startsWith("error (invalid_arguments): open: unknown option '--key'"));
        assertEquals(1, engine.opened.size());
    }

    @Test
    void syncCommandsAreDispatchedWithTheirArgumentCounts() {
        // given no open database
        // when / then each sync command reaches the core (which answers that nothing is open)
        for (String line : List.of("ditto:sync start", "subscribe \"SELECT * FROM cars\"", "transport show",
                "peers", "diag", "license abc.def")) {
            Reply reply = CommandLine.runLine(commands, line);
            assertTrue(reply.text().startsWith("error (closed): "), line + " -> " + reply.text());
        }
        // and wrong argument counts are usage errors
        for (String line : List.of("sync", "sync start now", "unsubscribe", "peers all", "diag x", "license")) {
            Reply reply = CommandLine.runLine(commands, line);
            assertTrue(reply.text().startsWith("error (invalid_arguments): "), line + " -> " + reply.text());
            assertTrue(reply.text().contains("commands (the ditto: prefix is optional):"), reply.text());
        }
    }

    @Test
    void openTakesAServerOptionAnywhereButNotTogetherWithASharedKey() {
        // when
        Reply opened = CommandLine.runLine(commands, "open db --server http://127.0.0.1:8080 "
                + "0f8fad5b-d9cb-469f-a165-70867728950e");
        Reply both = CommandLine.runLine(new DittoCommands(engine), "open --server http://h:1 --shared-key 00");
        Reply twice = CommandLine.runLine(new DittoCommands(engine), "open --server http://h:1 --server http://h:2");

        // then
        assertTrue(opened.ok(), opened.text());
        assertEquals(ditto.api.DittoConfigConnect.server("http://127.0.0.1:8080"), engine.opened.get(0).connect());
        assertEquals(Path.of("db").toAbsolutePath(), engine.opened.get(0).persistenceDirectory().orElseThrow());
        assertEquals("0f8fad5b-d9cb-469f-a165-70867728950e", engine.opened.get(0).databaseId());
        assertTrue(both.text().startsWith("error (invalid_arguments): open: --shared-key and --server exclude each other"),
                both.text());
        assertTrue(twice.text().startsWith("error (invalid_arguments): open: --server needs one URL"), twice.text());
        assertEquals(1, engine.opened.size());
    }

    @Test
    void loginLogoutAndAuthLinesAreDispatchedWithQuotedWords() {
        // given an open client
        CommandLine.runLine(commands, "open --server http://127.0.0.1:8080");

        // when
        Reply token = CommandLine.runLine(commands, "ditto:login alice");
        Reply user = CommandLine.runLine(commands, "login --user bob 'pass word' corp");
        Reply auth = CommandLine.runLine(commands, "auth status");
        Reply logoutWithArgument = CommandLine.runLine(commands, "logout now");
        Reply logout = CommandLine.runWords(commands, List.of("ditto:logout"));

        // then
        assertTrue(token.ok(), token.text());
        assertEquals(List.of("alice@__ditto_dev_provider", "bob:pass word@corp"), engine.logins);
        assertTrue(user.text().startsWith("logged in to http://127.0.0.1:8080 as bob (provider corp)"), user.text());
        assertTrue(auth.text().contains("user id: bob"), auth.text());
        assertTrue(logoutWithArgument.text().startsWith("error (invalid_arguments): logout takes no arguments"),
                logoutWithArgument.text());
        assertTrue(logout.text().startsWith("logged out bob from http://127.0.0.1:8080"), logout.text());
    }

    @Test
    void helpListsTheServerClientCommands() {
        // when
        Reply help = CommandLine.runLine(commands, "help");

        // then
        assertTrue(help.ok());
        for (String expected : List.of("[--shared-key HEX | --server URL]", "login <token> [provider]",
                "login --user <name> <password> [provider]", "logout", "auth [status]", "__ditto_dev_provider")) {
            assertTrue(help.text().contains(expected), expected + " missing in\n" + help.text());
        }
    }
}
