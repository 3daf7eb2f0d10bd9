package ditto.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * The README's server peer with two clients, as three OS processes from the built distribution:
 * the OSGi container runs as a server peer from a {@code ditto.server.cfg} that FileInstall
 * hands to ConfigAdmin (development mode, HTTP on a free loopback port), and two module-path
 * shells open clients of it ({@code open --server}), log in with the development provider and
 * sync a car each way through the server. Every wait is bounded; children are killed in
 * {@code finally} if still running.
 */
class ServerPeerIT {

    private static final Duration STEP = Duration.ofSeconds(30);
    private static final Duration CONTAINER_START = Duration.ofSeconds(60);

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean printed(String out, String fragment) {
        return out.lines().anyMatch(line -> line.contains(fragment));
    }

    private static Subprocess client(Path work) {
        return Subprocess.start(work, Map.of("JAVA_OPTS", "-Dditto.log.level=warning"),
                List.of("sh", Distribution.home().resolve("bin/ditto").toString(), "--module-path"));
    }

    private static String setUp(Path data, String databaseId, int port, String user) {
        return String.join("\n",
                "open --server http://127.0.0.1:" + port + " " + data + " " + databaseId,
                "subscribe SELECT * FROM cars",
                "observe SELECT * FROM cars",
                "sync start",
                "login " + user,
                "");
    }

    @Test
    void containerServesTwoModulePathClientsThatLogIn() throws Exception {
        // given a server configuration in a conf folder of the test's own, watched by FileInstall
        Path work = Distribution.freshWorkFolder("server-peer");
        Path workA = Distribution.freshWorkFolder("server-peer-client-a");
        Path workB = Distribution.freshWorkFolder("server-peer-client-b");
        String databaseId = UUID.randomUUID().toString();
        int port = freeLoopbackPort();
        Path conf = Files.createDirectories(work.resolve("conf"));
        Files.writeString(conf.resolve("ditto.server.cfg"), String.join("\n",
                "database_id = " + databaseId,
                "directory = " + work.resolve("server-data"),
                "tcp.enabled = false",
                "http.interface = 127.0.0.1",
                "http.port = " + port,
                "development_mode = true",
                ""));
        Map<String, String> containerEnv = Map.of("JAVA_OPTS", "-Dgosh.args= -Dorg.osgi.framework.storage="
                + work.resolve("felix-cache") + " -Dfelix.fileinstall.dir=" + Distribution.home().resolve("deploy")
                + "," + conf);
        Subprocess.Result server;
        Subprocess.Result resultA;
        Subprocess.Result resultB;
        try (Subprocess container = Subprocess.start(work, containerEnv,
                        List.of("sh", Distribution.home().resolve("bin/ditto").toString()));
                Subprocess a = client(workA);
                Subprocess b = client(workB)) {
            container.awaitStdout(CONTAINER_START, "the plug-ins line",
                    out -> out.lines().anyMatch(line -> line.contains("plug-ins: ")));
            container.send("ditto:server\n").awaitStdout(STEP, "the server peer running",
                    out -> printed(out, "server peer: running"));

            // when two clients open, subscribe, start sync and log in with the development provider
            a.send(setUp(workA.resolve("data"), databaseId, port, "alice"))
                    .awaitStdout(STEP, "alice logged in", out -> printed(out, "as alice"));
            b.send(setUp(workB.resolve("data"), databaseId, port, "bob"))
                    .awaitStdout(STEP, "bob logged in", out -> printed(out, "as bob"));

            // then a car written by one client reaches the other through the server, both ways
            a.send("query INSERT INTO cars DOCUMENTS ({'_id':'from-alice','make':'Ford'})\n");
            b.awaitStdout(STEP, "alice's car at bob", out -> printed(out, "{\"_id\":\"from-alice\",\"make\":\"Ford\"}"));
            b.send("query INSERT INTO cars DOCUMENTS ({'_id':'from-bob','make':'Fiat'})\n");
            a.awaitStdout(STEP, "bob's car at alice", out -> printed(out, "{\"_id\":\"from-bob\",\"make\":\"Fiat\"}"));
            a.send("auth status\n").awaitStdout(STEP, "alice's status", out -> printed(out, "user id: alice"));
            container.send("ditto:server\n").awaitStdout(STEP, "two clients connected",
                    out -> printed(out, "2 connected directly"));

            resultA = a.input("logout\nclose\nexit\n").await(STEP);
            resultB = b.input("exit\n").await(STEP);
            server = container.input("").await(STEP);
        }

        // then nothing failed anywhere
        for (Subprocess.Result result : List.of(resultA, resultB)) {
            assertEquals(0, result.exitCode(), result.all());
            assertFalse(result.all().contains("error ("), "a command failed:\n" + result.all());
            assertFalse(result.all().contains("\tat "), "a stack trace was printed:\n" + result.all());
            assertTrue(result.stdout().lines().anyMatch(line -> line.matches("-- observer 1: 2 items \\(commit \\d+\\)")),
                    result.all());
        }
        assertTrue(resultA.stdout().contains("logged out alice"), resultA.all());
        assertFalse(server.all().contains("\tat "), "a stack trace in the container:\n" + server.all());
    }
}
