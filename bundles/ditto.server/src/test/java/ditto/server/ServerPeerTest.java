package ditto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.Ditto;
import ditto.api.DittoFactory;

/**
 * The component's life cycle as Declarative Services drives it (activate, modified, deactivate)
 * and its Gogo command, over the real engine and the memory backend.
 */
class ServerPeerTest {

    private static final String ID = "4f5c7e41-eaf9-4b56-8582-2250b38f2e2d";

    @TempDir
    Path temp;

    private final DittoFactory engine = ServiceLoader.load(DittoFactory.class).findFirst().orElseThrow();

    @Test
    void activationOpensModificationReopensAndDeactivationCloses() {
        // given
        int firstPort = ServerRunnerTest.freePort();
        int secondPort = ServerRunnerTest.freePort();

        // when activated
        ServerPeer peer = new ServerPeer(new ServerRunner(engine, name -> null), properties(firstPort));

        // then
        Ditto first = peer.runner().instance().orElseThrow();
        assertTrue(first.sync().isActive());
        ServerRunnerTest.awaitAccepting(firstPort);
        assertTrue(peer.server().contains("\nlistening: tcp 127.0.0.1:" + firstPort + "\n"), peer.server());
        assertTrue(peer.server().endsWith("\nconfiguration: PID ditto.server, file "
                + temp.resolve("conf/ditto.server.cfg")), peer.server());

        // when modified
        peer.modified(properties(secondPort));

        // then
        assertTrue(first.isClosed());
        Ditto second = peer.runner().instance().orElseThrow();
        ServerRunnerTest.awaitAccepting(secondPort);

        // when deactivated
        peer.deactivate();

        // then
        assertTrue(second.isClosed());
        assertTrue(peer.server().startsWith("server peer: not running: stopped"), peer.server());
    }

    @Test
    void aBadConfigurationLeavesTheComponentActiveWithoutAnInstance() {
        // given
        Map<String, Object> properties = properties(ServerRunnerTest.freePort());
        properties.put("tcp.port", "abc");

        // when
        ServerPeer peer = new ServerPeer(new ServerRunner(engine, name -> null), properties);

        // then
        assertFalse(peer.runner().instance().isPresent());
        assertEquals("server peer: not running: key 'tcp.port': expected an integer 1-65535, got 'abc'\n"
                + "configuration: PID ditto.server, file " + temp.resolve("conf/ditto.server.cfg"), peer.server());
    }

    @Test
    void originNamesThePidAndTheFileFileInstallReadItFrom() {
        assertEquals("PID ditto.server, file /opt/ditto/conf/ditto.server.cfg", ServerPeer.origin(Map.of(
                "service.pid", "ditto.server", "felix.fileinstall.filename", "file:/opt/ditto/conf/ditto.server.cfg")));
        assertEquals("PID ditto.server", ServerPeer.origin(Map.of("service.pid", "ditto.server")));
        assertEquals("PID ditto.server", ServerPeer.origin(Map.of()));
        assertEquals("PID ditto.server, file jar:x!/y.cfg",
                ServerPeer.origin(Map.of("felix.fileinstall.filename", "jar:x!/y.cfg")));
    }

    private Map<String, Object> properties(int tcpPort) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", "ditto.server");
        properties.put("felix.fileinstall.filename", temp.resolve("conf/ditto.server.cfg").toUri().toString());
        properties.put("database_id", ID);
        properties.put("directory", temp.resolve("data").toString());
        properties.put("tcp.interface", "127.0.0.1");
        properties.put("tcp.port", String.valueOf(tcpPort));
        properties.put("http.enabled", "false");
        properties.put("storage.provider", "memory");
        return properties;
    }
}
