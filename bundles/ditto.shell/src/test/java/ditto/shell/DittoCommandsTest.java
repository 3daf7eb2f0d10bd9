package ditto.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.DittoFactory;
import ditto.api.ErrorCode;
import ditto.api.StoreObserver;

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

    // ---- observers, with the real engine and the memory backend (test-scope dependencies) ----

    @TempDir
    Path temp;

    private final BlockingQueue<String> delivered = new LinkedBlockingQueue<>();

    /** Commands over the real engine, found the way Main finds it; deliveries go to {@link #delivered}. */
    private DittoCommands realCommands() {
        DittoFactory real = ServiceLoader.load(DittoFactory.class).findFirst()
                .orElseThrow(() -> new AssertionError("the engine is not on the test module path"));
        return new DittoCommands(real, null, delivered::add);
    }

    private String nextDelivery() throws InterruptedException {
        String block = delivered.poll(10, TimeUnit.SECONDS);
        if (block == null) {
            throw new AssertionError("no observer delivery within 10 s");
        }
        return block;
    }

    @Test
    void observePrintsTheFirstResultAndThenEveryChangeUnderAHeader() throws InterruptedException {
        // given an open database with one blue car
        DittoCommands real = realCommands();
        try {
            assertTrue(real.open(temp.toString(), null).ok());
            real.query("INSERT INTO cars DOCUMENTS ({'_id':'c1','make':'Ford','color':'blue'})");

            // when a live query on blue cars is registered, and then a red and a blue car are inserted
            Reply reply = real.observe("SELECT * FROM cars WHERE color = 'blue'");
            String first = nextDelivery();
            real.query("INSERT INTO cars DOCUMENTS ({'_id':'c2','make':'Fiat','color':'red'})");
            real.query("INSERT INTO cars DOCUMENTS ({'_id':'c3','make':'BMW','color':'blue'})");
            String second = nextDelivery();

            // then the registration is confirmed, and each delivery is a header and one JSON line per item;
            // the red car changes nothing the query shows, so the next delivery is the one with c3
            assertEquals(new Reply("observer 1 registered: SELECT * FROM cars WHERE color = 'blue'", true), reply);
            List<String> firstLines = first.lines().toList();
            assertTrue(Pattern.matches("-- observer 1: 1 item \\(commit \\d+\\)", firstLines.get(0)), first);
            assertEquals(List.of("{\"_id\":\"c1\",\"color\":\"blue\",\"make\":\"Ford\"}"), firstLines.subList(1, 2));
            List<String> secondLines = second.lines().toList();
            assertTrue(Pattern.matches("-- observer 1: 2 items \\(commit \\d+\\)", secondLines.get(0)), second);
            assertEquals(List.of("{\"_id\":\"c1\",\"color\":\"blue\",\"make\":\"Ford\"}",
                    "{\"_id\":\"c3\",\"color\":\"blue\",\"make\":\"BMW\"}"), secondLines.subList(1, 3));
            assertEquals(3, secondLines.size(), second);
        } finally {
            real.close();
        }
    }

    @Test
    void statusListsActiveObserversAndUnobserveCancelsOneOrAll() {
        // given two observers
        DittoCommands real = realCommands();
        try {
            real.open(temp.toString(), null);
            real.observe("SELECT * FROM cars");
            real.observe("SELECT make FROM cars WHERE color = 'blue'");
            StoreObserver first = real.observers().get(1);

            // when the first is canceled
            Reply one = real.unobserve("1");
            List<String> status = real.status().text().lines().toList();

            // then it is canceled and status lists only the second
            assertEquals(new Reply("canceled observer 1", true), one);
            assertTrue(first.isCanceled());
            assertTrue(status.contains("observer 2: SELECT make FROM cars WHERE color = 'blue'"), status.toString());
            assertFalse(status.stream().anyMatch(line -> line.startsWith("observer 1:")), status.toString());

            // and unknown numbers, words and a missing argument are errors that change nothing
            assertEquals(new Reply("error (invalid_arguments): unobserve: no active observer 1; active: [2]", false),
                    real.unobserve("1"));
            assertTrue(real.unobserve("blue").text().startsWith("error (invalid_arguments): unobserve: 'blue' is not"));
            assertFalse(real.unobserve(" ").ok());
            assertEquals(Set.of(2), real.observers().keySet());

            // and "all" cancels the rest
            StoreObserver second = real.observers().get(2);
            assertEquals(new Reply("canceled observers [2]", true), real.unobserve("all"));
            assertTrue(second.isCanceled());
            assertEquals(new Reply("no observer is active", true), real.unobserve("all"));
        } finally {
            real.close();
        }
    }

    @Test
    void closingTheDatabaseCancelsItsObserversAndNumbersGoOn() {
        // given an observer on an open database
        DittoCommands real = realCommands();
        real.open(temp.toString(), null);
        real.observe("SELECT * FROM cars");
        StoreObserver observer = real.observers().get(1);

        // when the database is closed and opened again
        Reply closed = real.close();
        real.open(temp.toString(), null);
        try {
            // then the observer is canceled and forgotten, and a new one gets the next number
            assertTrue(closed.ok(), closed.text());
            assertTrue(observer.isCanceled());
            assertTrue(real.observers().isEmpty());
            assertFalse(real.status().text().contains("observer 1:"));
            assertEquals("observer 2 registered: SELECT * FROM cars", real.observe("SELECT * FROM cars").text());
        } finally {
            real.close();
        }
    }

    @Test
    void observeRefusesWhatIsNotALiveSelectWithTheEnginesCode() {
        // given an open database
        DittoCommands real = realCommands();
        try {
            // when observe runs without a database, without a statement, with a write and with bad DQL
            Reply closed = real.observe("SELECT * FROM cars");
            real.open(temp.toString(), null);
            Reply blank = real.observe("  ");
            Reply write = real.observe("DELETE FROM cars");
            Reply bad = real.observe("SELEC * FROM cars");

            // then each is an error naming its cause, and no observer is registered
            assertEquals("error (closed): observe: no database is open; run open [directory] [databaseId] first",
                    closed.text());
            assertTrue(blank.text().startsWith("error (invalid_arguments): observe: no DQL statement given"), blank.text());
            assertTrue(write.text().startsWith("error (unsupported): "), write.text());
            assertTrue(bad.text().startsWith("error (query_compilation): "), bad.text());
            assertTrue(real.observers().isEmpty());
        } finally {
            real.close();
        }
    }

    @Test
    void pluginsLineListsKindsAlphabeticallyWithSortedIds() {
        // when
        String line = DittoCommands.pluginsLine(Map.of("transport", Set.of("ws", "ble"), "storage", List.of("mvstore")));

        // then
        assertEquals("plug-ins: storage=[mvstore] transport=[ble, ws]", line);
    }

    // ---- sync commands: two real instances over loopback TCP (LAN transport, discovery off) ----

    private static final long SYNC_TIMEOUT_MILLIS = 20_000;

    private static int freeLoopbackPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String awaitReply(String what, java.util.function.Supplier<Reply> command,
            java.util.function.Predicate<String> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SYNC_TIMEOUT_MILLIS;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = command.get().text();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting until " + what + "; last reply:\n" + last);
    }

    @Test
    void twoShellsSyncADocumentBothWaysOverLoopback() throws Exception {
        // given two databases with the same id: a listens on a loopback port, b dials it, both subscribe
        DittoCommands a = realCommands();
        DittoCommands b = realCommands();
        try {
            int port = freeLoopbackPort();
            assertTrue(a.open(temp.resolve("a").toString(), DATABASE_ID).ok());
            assertTrue(b.open(temp.resolve("b").toString(), DATABASE_ID).ok());
            assertEquals("transport: lan=off listen=127.0.0.1:" + port + " connect=[]",
                    a.transport(List.of("listen", "127.0.0.1:" + port)).text());
            assertEquals("transport: lan=off listen=off connect=[127.0.0.1:" + port + "]",
                    b.transport(List.of("connect", "127.0.0.1:" + port)).text());
            assertEquals("subscription 1 registered: SELECT * FROM cars", a.subscribe("SELECT * FROM cars").text());
            assertEquals("subscription 1 registered: SELECT * FROM cars", b.subscribe("SELECT * FROM cars").text());

            // when both start and a inserts, then b receives it; and the other way round
            assertTrue(a.sync("start").text().startsWith("sync started"), a.sync("status").text());
            assertTrue(b.sync("start").ok());
            assertTrue(a.query("INSERT INTO cars DOCUMENTS ({'_id':'from-a','color':'red'})").ok());
            awaitReply("b holds a's car", () -> b.query("SELECT * FROM cars WHERE _id = 'from-a'"),
                    text -> text.contains("\"color\":\"red\""));
            assertTrue(b.query("INSERT INTO cars DOCUMENTS ({'_id':'from-b','color':'blue'})").ok());
            awaitReply("a holds b's car", () -> a.query("SELECT * FROM cars WHERE _id = 'from-b'"),
                    text -> text.contains("\"color\":\"blue\""));

            // then diag on a shows b connected over TCP and a Connected data_sync_info row
            String diag = awaitReply("a's diag shows a connected peer", a::diag,
                    text -> text.contains("\"sync_session_status\":\"Connected\""));
            assertTrue(diag.startsWith("sync: active\ntransport: lan=off listen=127.0.0.1:" + port), diag);
            assertTrue(diag.contains("transports:\n"), diag);
            assertTrue(diag.contains(" connected=["), diag);
            assertEquals(List.of("sync: active", "subscription 1: SELECT * FROM cars",
                    "transport: lan=off listen=127.0.0.1:" + port + " connect=[]"), a.sync("status").text().lines().toList());

            // when b stops and unsubscribes, status says so
            assertEquals("sync stopped", b.sync("stop").text());
            assertEquals("cancelled subscriptions [1]", b.unsubscribe("all").text());
            assertEquals(List.of("sync: stopped", "transport: lan=off listen=off connect=[127.0.0.1:" + port + "]"),
                    b.sync("status").text().lines().toList());
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void peersPrintsTheLocalPeerOfTheRealEngine() {
        // given an open database whose sync is not running
        DittoCommands real = realCommands();
        try {
            real.open(temp.toString(), null);

            // when
            Reply reply = real.peers();

            // then the engine's presence graph holds the local peer alone
            assertTrue(reply.ok(), reply.text());
            assertTrue(reply.text().startsWith("local: "), reply.text());
            assertTrue(reply.text().contains("(no remote peers)"), reply.text());
        } finally {
            real.close();
        }
    }

    @Test
    void transportCommandsChangeTheConfigurationAndRejectMalformedValues() {
        // given an open database
        DittoCommands real = realCommands();
        try {
            real.open(temp.toString(), null);

            // when the LAN transport is switched on, a listener set and a peer added and removed
            Reply lan = real.transport(List.of("lan", "on"));
            Reply listen = real.transport(List.of("listen", "4040"));
            real.transport(List.of("connect", "10.0.0.7:4040"));
            Reply disconnect = real.transport(List.of("disconnect", "10.0.0.7:4040"));
            Reply show = real.transport(List.of("show"));

            // then each change is summarized, and show prints the JSON with discovery on
            assertEquals("transport: lan=on listen=off connect=[]", lan.text());
            assertEquals("transport: lan=on listen=0.0.0.0:4040 connect=[]", listen.text());
            assertEquals("transport: lan=on listen=0.0.0.0:4040 connect=[]", disconnect.text());
            assertTrue(show.ok());
            ditto.api.TransportConfig config = ditto.api.TransportConfig.fromJson(show.text());
            assertTrue(config.peerToPeer().lan().isMdnsEnabled() && config.peerToPeer().lan().isMulticastEnabled());
            assertEquals(4040, config.listen().tcp().port());

            // and malformed values are refused without changing anything
            assertTrue(real.transport(List.of("listen", "99999")).text()
                    .startsWith("error (invalid_arguments): transport listen: '99999'"));
            assertTrue(real.transport(List.of("connect", "nohost")).text()
                    .startsWith("error (invalid_arguments): transport connect: 'nohost'"));
            assertTrue(real.transport(List.of("lan", "maybe")).text()
                    .startsWith("error (invalid_arguments): transport lan: 'maybe'"));
            assertTrue(real.transport(List.of("disconnect", "1.2.3.4:5")).text()
                    .startsWith("error (invalid_arguments): transport disconnect: '1.2.3.4:5' is not configured"));
            assertTrue(real.transport(List.of("teleport", "x")).text()
                    .startsWith("error (invalid_arguments): transport: unknown action 'teleport'"));
            assertEquals(config, ditto.api.TransportConfig.fromJson(real.transport(List.of("show")).text()));
        } finally {
            real.close();
        }
    }

    @Test
    void syncCommandsNeedAnOpenDatabaseAndAKnownAction() {
        // given the real engine and no open database
        DittoCommands real = realCommands();
        try {
            // when / then
            assertEquals("error (closed): sync: no database is open; run open [directory] [databaseId] first",
                    real.sync("start").text());
            assertTrue(real.subscribe("SELECT * FROM cars").text().startsWith("error (closed): subscribe:"));
            assertTrue(real.diag().text().startsWith("error (closed): diag:"));
            real.open(temp.toString(), null);
            assertTrue(real.sync("restart").text().startsWith("error (invalid_arguments): sync: unknown action 'restart'"));
            assertTrue(real.subscribe("DELETE FROM cars").text().startsWith("error (unsupported): "));
            assertTrue(real.unsubscribe("3").text().startsWith("error (invalid_arguments): unsubscribe: no active subscription 3"));
            assertEquals("sync: stopped\ntransport: lan=off listen=off connect=[]\ntransports: none running\n"
                    + "system:data_sync_info: no peer yet", real.diag().text().replaceAll("transports:\\n(  .*\\n)+", "transports: none running\n"));
        } finally {
            real.close();
        }
    }

    @Test
    void openWithASharedKeyConfiguresSmallPeersOnlyWithThatKey() {
        // when
        Reply reply = commands.open("dir", DATABASE_ID, "00ff10");
        Reply bad = new DittoCommands(engine).open("dir", DATABASE_ID, "xyz");

        // then
        assertTrue(reply.ok(), reply.text());
        assertTrue(reply.text().endsWith("(small peers with a shared key)"), reply.text());
        assertEquals(ditto.api.DittoConfigConnect.smallPeersOnly(new byte[] {0, (byte) 0xff, 0x10}),
                engine.opened.get(0).connect());
        assertTrue(bad.text().startsWith("error (invalid_arguments): open: --shared-key must be"), bad.text());
    }

    @Test
    void presenceTreeListsTheLocalPeerThenRemotePeersByName() {
        // given a local peer connected to two remote peers, one over two transports
        String local = "pkLOCAL0123456789";
        String phone = "pkPHONE0123456789";
        String gateway = "pkGATEWAY0123456789";
        ditto.api.Connection lan = ditto.api.Connection.between(local, gateway, ditto.api.ConnectionType.ACCESS_POINT);
        ditto.api.Connection ble = ditto.api.Connection.between(local, phone, ditto.api.ConnectionType.BLUETOOTH);
        ditto.api.Connection phoneLan = ditto.api.Connection.between(local, phone, ditto.api.ConnectionType.ACCESS_POINT);
        ditto.api.PresenceGraph graph = ditto.api.PresenceGraph.of(peer(local, "gateway-a", List.of(lan, ble, phoneLan)),
                List.of(peer(phone, "phone", List.of(ble, phoneLan)), peer(gateway, "gateway-b", List.of(lan))));

        // when
        String tree = DittoCommands.presenceTree(graph);

        // then
        assertEquals(List.of(
                "local: gateway-a  pkLOCAL01234…  [AccessPoint, Bluetooth]",
                "├── gateway-b  pkGATEWAY012…  [AccessPoint]",
                "└── phone  pkPHONE01234…  [AccessPoint, Bluetooth]"), tree.lines().toList());
        assertEquals(List.of("local: gateway-a  pkLOCAL01234…  []", "(no remote peers)"),
                DittoCommands.presenceTree(ditto.api.PresenceGraph.of(peer(local, "gateway-a", List.of()), List.of()))
                        .lines().toList());
    }

    // ---- clients of a server peer, with the fake engine's authenticator ----

    private static final String SERVER_URL = "http://127.0.0.1:8080";

    @Test
    void openWithAServerOpensAClientWhoseHandlerAsksTheUserToLogIn() throws InterruptedException {
        // given commands whose deliveries are collected
        DittoCommands shell = new DittoCommands(engine, null, delivered::add);

        // when a client is opened and the engine calls its handler without and then with credentials
        Reply reply = shell.open("dir", DATABASE_ID, null, SERVER_URL);
        engine.expirationHandler.onExpiring(null, java.time.Duration.ZERO);
        engine.expirationHandler.onExpiring(null, java.time.Duration.ofMillis(29_001));

        // then the engine got a server connection and the handler printed two login requests, nothing else
        assertTrue(reply.ok(), reply.text());
        assertEquals("opened database " + DATABASE_ID + " at " + Path.of("dir").toAbsolutePath()
                + " (client of server " + SERVER_URL + "; not logged in; run login <token> [provider])", reply.text());
        assertEquals(ditto.api.DittoConfigConnect.server(SERVER_URL), engine.opened.get(0).connect());
        assertEquals("auth: the server asks for a login (no valid credentials); run: login <token> [provider]",
                nextDelivery());
        assertEquals("auth: the server asks for a login (credentials expire in 30 s); run: login <token> [provider]",
                nextDelivery());
        assertTrue(engine.logins.isEmpty(), "the handler must not log in by itself: " + engine.logins);
    }

    @Test
    void openRefusesASharedKeyTogetherWithAServerAndAMalformedServerUrl() {
        // when
        Reply both = commands.open(List.of("--shared-key", "00ff", "--server", SERVER_URL));
        Reply ftp = commands.open(List.of("--server", "ftp://example.com"));
        Reply missing = commands.open(List.of("db", "--server"));

        // then nothing was opened and each error names what is wrong
        assertEquals("error (invalid_arguments): open: --shared-key and --server exclude each other (a client of a"
                + " server trusts the server's authority, not a shared key); give one", both.text());
        assertEquals("error (invalid_config): server connection: URL 'ftp://example.com' must use scheme ws, wss,"
                + " http or https", ftp.text());
        assertTrue(missing.text().startsWith("error (invalid_arguments): open: --server needs one URL"), missing.text());
        assertTrue(engine.opened.isEmpty());
    }

    @Test
    void loginLogoutAndAuthDriveTheClientsAuthenticator() {
        // given an open client
        commands.open(null, DATABASE_ID, null, SERVER_URL);

        // when
        Reply before = commands.auth(List.of());
        Reply dev = commands.login(List.of("alice"));
        Reply jwt = commands.login(List.of("eyJ.token", "jwt"));
        Reply user = commands.login(List.of("--user", "bob", "s3cret pw", "corp"));
        Reply status = commands.status();
        Reply auth = commands.auth(List.of("status"));
        Reply logout = commands.logout();
        Reply after = commands.auth(List.of());

        // then each login reached the authenticator with the right provider and the state is shown
        assertEquals(List.of("server: " + SERVER_URL, "authenticated: false", "(run login <token> [provider])"),
                before.text().lines().toList());
        assertEquals("logged in to " + SERVER_URL + " as alice (provider __ditto_dev_provider); client info:"
                + " {\"plan\":\"gold\"}", dev.text());
        assertEquals("logged in to " + SERVER_URL + " as eyJ.token (provider jwt); client info: {\"plan\":\"gold\"}",
                jwt.text());
        assertTrue(user.ok(), user.text());
        assertEquals(List.of("alice@__ditto_dev_provider", "eyJ.token@jwt", "bob:s3cret pw@corp"), engine.logins);
        assertTrue(status.text().lines().anyMatch(("server: " + SERVER_URL + " (logged in as bob)")::equals),
                status.text());
        assertEquals(List.of("server: " + SERVER_URL, "authenticated: true", "user id: bob",
                "client info: {\"plan\":\"gold\"}"), auth.text().lines().toList());
        assertEquals("logged out bob from " + SERVER_URL + "; sync was not running; credentials forgotten;"
                + " local data kept", logout.text());
        assertEquals(1, engine.logoutCalls);
        assertTrue(after.text().contains("authenticated: false"), after.text());
    }

    @Test
    void loginWordsAreCheckedBeforeAnythingRuns() {
        // given an open client
        commands.open(null, DATABASE_ID, null, SERVER_URL);

        // when / then
        for (List<String> words : List.of(List.<String>of(), List.of("a", "b", "c"), List.of("--user", "bob"),
                List.of("--user", "bob", "pw", "corp", "more"), List.of("--dev"), List.of("token", "--provider"))) {
            Reply reply = commands.login(words);
            assertTrue(reply.text().startsWith("error (invalid_arguments): login: "), words + " -> " + reply.text());
            assertTrue(reply.text().endsWith("usage: " + DittoCommands.LOGIN_USAGE), reply.text());
        }
        assertTrue(commands.login(List.of("t", " ")).text().startsWith("error (invalid_arguments): authentication"
                + " provider: name must not be blank"));
        assertTrue(commands.auth(List.of("refresh")).text()
                .startsWith("error (invalid_arguments): auth: unknown action 'refresh'"));
        assertTrue(engine.logins.isEmpty(), engine.logins.toString());
    }

    @Test
    void refusedLoginIsReportedWithTheEnginesAuthenticationError() {
        // given a client whose server refuses the login
        commands.open(null, DATABASE_ID, null, SERVER_URL);
        engine.loginFailure = new DittoException(ErrorCode.AUTHENTICATION, "auth.login with provider 'jwt' refused"
                + " (HTTP 401): token expired; clientInfo: null");

        // when
        Reply reply = commands.login(List.of("old-token", "jwt"));

        // then
        assertEquals("error (authentication): auth.login with provider 'jwt' refused (HTTP 401): token expired;"
                + " clientInfo: null", reply.text());
        assertFalse(commands.auth(List.of()).text().contains("authenticated: true"));
    }

    @Test
    void authCommandsNeedAnOpenClientOfAServer() {
        // when no database is open
        Reply closed = commands.login(List.of("alice"));
        // and when a small peer is open
        commands.open("dir", DATABASE_ID);
        Reply login = commands.login(List.of("alice"));
        Reply logout = commands.logout();
        Reply auth = commands.auth(List.of());

        // then
        assertEquals("error (closed): login: no database is open; run open [directory] [databaseId] first",
                closed.text());
        assertEquals("error (authenticator_not_available): login: the open database is not a client of a server;"
                + " open it with --server URL", login.text());
        assertTrue(logout.text().startsWith("error (authenticator_not_available): logout: the open database is not"),
                logout.text());
        assertTrue(auth.text().startsWith("error (authenticator_not_available): auth: the open database is not"),
                auth.text());
        assertFalse(commands.status().text().contains("server: "), commands.status().text());
    }

    @Test
    void jsonWritesJsonModelValuesWithEscapes() {
        // given
        Map<String, Object> value = new java.util.LinkedHashMap<>();
        value.put("s", "a\"b\\c\n\001");
        value.put("n", 1.5);
        value.put("l", java.util.Arrays.asList(true, null, 7L));
        value.put("b", new byte[] {1, 2, 3});
        value.put("m", Map.of());

        // when / then
        assertEquals("{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":1.5,\"l\":[true,null,7],\"b\":\"AQID\",\"m\":{}}",
                DittoCommands.json(value));
    }

    private static ditto.api.Peer peer(String key, String name, List<ditto.api.Connection> connections) {
        return new ditto.api.Peer(ditto.api.Address.UNKNOWN, key, connections, name, ditto.api.PeerOS.LINUX, false, true,
                "0.1.0", Map.of(), Map.of());
    }
}
