package ditto.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * Two gateways as two OS processes started from the built distribution, each with its own data
 * folder and the same database id, syncing a document both ways over loopback TCP: gateway A
 * listens on a free port, gateway B dials it, both subscribe to {@code SELECT * FROM cars} and
 * observe it. Commands go in on standard input, which stays open until the end; every wait is
 * bounded and both children are killed in {@code finally} if they are still running.
 */
class TwoGatewaysIT {

    /** Bounds one step: a start-up, a sync, a clean end. */
    private static final Duration STEP = Duration.ofSeconds(20);
    /** Bounds the start of the OSGi container, which installs every bundle first. */
    private static final Duration CONTAINER_START = Duration.ofSeconds(60);

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Subprocess modulePathGateway(Path work) {
        return Subprocess.start(work, Map.of(),
                List.of("sh", Distribution.home().resolve("bin/ditto").toString(), "--module-path"));
    }

    /** The commands that open a gateway's database, configure its transport and start sync. */
    private static String setUp(String prefix, Path data, String databaseId, String transport) {
        return String.join("\n",
                prefix + "open " + data + " " + databaseId,
                prefix + "transport " + transport,
                prefix + "subscribe \"SELECT * FROM cars\"",
                prefix + "observe \"SELECT * FROM cars\"",
                prefix + "sync start",
                "");
    }

    private static boolean printed(String out, String fragment) {
        return out.lines().anyMatch(line -> line.contains(fragment));
    }

    @Test
    void twoModulePathGatewaysSyncADocumentBothWays() throws Exception {
        // given gateway A listening on a loopback port and gateway B dialing it, same database id
        Path workA = Distribution.freshWorkFolder("two-gateways-a");
        Path workB = Distribution.freshWorkFolder("two-gateways-b");
        String databaseId = UUID.randomUUID().toString();
        int port = freeLoopbackPort();
        Subprocess.Result resultA;
        Subprocess.Result resultB;
        try (Subprocess a = modulePathGateway(workA); Subprocess b = modulePathGateway(workB)) {
            a.send(setUp("", workA.resolve("data"), databaseId, "listen 127.0.0.1:" + port))
                    .awaitStdout(STEP, "sync started on A", out -> printed(out, "sync started"));
            b.send(setUp("ditto:", workB.resolve("data"), databaseId, "connect 127.0.0.1:" + port))
                    .awaitStdout(STEP, "sync started on B", out -> printed(out, "sync started"));

            // when A inserts a car, then B's observer prints it
            a.send("query INSERT INTO cars DOCUMENTS ({'_id':'from-a','make':'Ford','color':'red'})\n");
            b.awaitStdout(STEP, "A's car on B", out -> printed(out, "{\"_id\":\"from-a\",\"color\":\"red\",\"make\":\"Ford\"}"));

            // when B inserts a car, then A's observer prints it
            b.send("query INSERT INTO cars DOCUMENTS ({'_id':'from-b','make':'Fiat','color':'blue'})\n");
            a.awaitStdout(STEP, "B's car on A", out -> printed(out, "{\"_id\":\"from-b\",\"color\":\"blue\",\"make\":\"Fiat\"}"));

            // and A's diagnostics show B connected
            a.send("diag\n").awaitStdout(STEP, "A's diag with a connected peer",
                    out -> printed(out, "\"sync_session_status\":\"Connected\""));
            b.send("sync status\n").awaitStdout(STEP, "B's sync status", out -> printed(out, "sync: active"));

            // and both end cleanly at "exit"
            resultA = a.input("sync stop\nclose\nexit\n").await(STEP);
            resultB = b.input("exit\n").await(STEP);
        }

        // then both ran every command without an error and hold both cars in the same state
        for (Subprocess.Result result : List.of(resultA, resultB)) {
            assertEquals(0, result.exitCode(), result.all());
            assertFalse(result.all().contains("error ("), "a command failed:\n" + result.all());
            assertFalse(result.all().contains("\tat "), "a stack trace was printed:\n" + result.all());
            assertTrue(result.stdout().lines().anyMatch(line -> line.matches("-- observer 1: 2 items \\(commit \\d+\\)")),
                    result.all());
            assertTrue(result.stdout().contains("subscription 1 registered: SELECT * FROM cars"), result.all());
        }
        assertTrue(resultA.stdout().contains("transport: lan=off listen=127.0.0.1:" + port + " connect=[]"), resultA.all());
        assertTrue(resultB.stdout().contains("transport: lan=off listen=off connect=[127.0.0.1:" + port + "]"),
                resultB.all());
        assertTrue(resultA.stdout().contains("sync stopped"), resultA.all());
    }

    @Test
    void aContainerGatewayAndAModulePathGatewaySyncBothWays() throws Exception {
        // given gateway A in the OSGi container (Gogo reads standard input) listening, gateway B on the module path
        Path workA = Distribution.freshWorkFolder("two-gateways-container");
        Path workB = Distribution.freshWorkFolder("two-gateways-module-path");
        String databaseId = UUID.randomUUID().toString();
        int port = freeLoopbackPort();
        Map<String, String> containerEnv = Map.of("JAVA_OPTS",
                "-Dgosh.args= -Dorg.osgi.framework.storage=" + workA.resolve("felix-cache"));
        Subprocess.Result resultA;
        Subprocess.Result resultB;
        try (Subprocess a = Subprocess.start(workA, containerEnv,
                        List.of("sh", Distribution.home().resolve("bin/ditto").toString()));
                Subprocess b = modulePathGateway(workB)) {
            // Gogo reads input as soon as it starts: send once the engine reports its plug-ins with lan
            a.awaitStdout(CONTAINER_START, "the plug-ins line with the lan transport",
                    out -> out.lines().anyMatch(line -> line.contains("plug-ins: ") && line.contains("lan")));
            a.send(setUp("ditto:", workA.resolve("data"), databaseId, "listen 127.0.0.1:" + port))
                    .awaitStdout(STEP, "sync started in the container", out -> printed(out, "sync started"));
            b.send(setUp("", workB.resolve("data"), databaseId, "connect 127.0.0.1:" + port))
                    .awaitStdout(STEP, "sync started on B", out -> printed(out, "sync started"));

            // when the container inserts (one field: Gogo expands {a,b}), then B prints it
            a.send("ditto:query \"INSERT INTO cars DOCUMENTS ({'_id':'from-container'})\"\n");
            b.awaitStdout(STEP, "the container's car on B", out -> printed(out, "{\"_id\":\"from-container\"}"));

            // when B inserts, then the container's observer prints it
            b.send("query INSERT INTO cars DOCUMENTS ({'_id':'from-b','make':'Fiat','color':'blue'})\n");
            a.awaitStdout(STEP, "B's car in the container",
                    out -> printed(out, "{\"_id\":\"from-b\",\"color\":\"blue\",\"make\":\"Fiat\"}"));

            // and both end cleanly: the container at the end of its input
            resultB = b.input("exit\n").await(STEP);
            resultA = a.input("ditto:sync stop\nditto:close\n").await(STEP);
        }

        // then
        for (Subprocess.Result result : List.of(resultA, resultB)) {
            assertEquals(0, result.exitCode(), result.all());
            assertFalse(result.all().contains("error ("), "a command failed:\n" + result.all());
            assertFalse(result.all().contains("\tat "), "a stack trace was printed:\n" + result.all());
        }
        assertTrue(resultA.stdout().contains("sync stopped"), resultA.all());
    }
}
