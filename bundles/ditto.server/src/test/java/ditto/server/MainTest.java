package ditto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.DittoFactory;
import ditto.api.ErrorCode;

class MainTest {

    private static final String ID = "4f5c7e41-eaf9-4b56-8582-2250b38f2e2d";

    @TempDir
    Path temp;

    @Test
    void readsACfgFileAndReplacesPlaceholdersByProperties() throws IOException {
        // given
        Path file = Files.writeString(temp.resolve("ditto.server.cfg"), """
                # a comment
                database_id = %s
                directory = ${ditto.home}/server-data
                identity.jwt.hs256_secret = ${secret}${secret}
                tcp.port=4041
                """.formatted(ID));
        Function<String, String> properties = Map.of("ditto.home", "/opt/ditto", "secret", "0123456789abcdef")::get;

        // when
        Map<String, String> configuration = Main.read(file, properties);

        // then
        assertEquals(Map.of("database_id", ID, "directory", "/opt/ditto/server-data",
                "identity.jwt.hs256_secret", "0123456789abcdef0123456789abcdef", "tcp.port", "4041"), configuration);
    }

    @Test
    void aPlaceholderWithoutPropertyIsRefusedNamingTheKeyAndTheFile() throws IOException {
        // given
        Path file = Files.writeString(temp.resolve("ditto.server.cfg"), "directory = ${nowhere}/data\n");

        // when
        DittoException e = assertThrows(DittoException.class, () -> Main.read(file, name -> null));

        // then
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertEquals("key 'directory' in " + file + ": ${nowhere} is not a system property (set it with"
                + " -Dnowhere=...)", e.getMessage());
    }

    @Test
    void aMissingFileIsRefusedNamingIt() {
        // given
        Path file = temp.resolve("missing.cfg");

        // when
        DittoException e = assertThrows(DittoException.class, () -> Main.read(file, name -> null));

        // then
        assertTrue(e.getMessage().startsWith("cannot read configuration file " + file + ": "), e.getMessage());
    }

    @Test
    void theFileIsTheArgumentOrConfDittoServerCfgUnderDittoHome() {
        assertEquals(Path.of("x.cfg"), Main.configurationFile(new String[] {"x.cfg"}, name -> null));
        assertEquals(Path.of("/opt/ditto/conf/ditto.server.cfg"),
                Main.configurationFile(new String[0], Map.of("ditto.home", "/opt/ditto")::get));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, assertThrows(DittoException.class,
                () -> Main.configurationFile(new String[0], name -> null)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS, assertThrows(DittoException.class,
                () -> Main.configurationFile(new String[] {"a", "b"}, name -> null)).code());
    }

    @Test
    void theExampleShippedInTheDistributionIsValidAndDescribesADevelopmentServer() {
        // given the file distribution/src/main/dist/conf/ditto.server.cfg.example of this reactor
        Path example = Path.of("../../distribution/src/main/dist/conf/ditto.server.cfg.example");
        assumeTrue(Files.isRegularFile(example), "built outside the reactor: no " + example);
        Function<String, String> properties = Map.of("ditto.home", "/opt/ditto")::get;

        // when
        ServerConfig config = ServerConfig.parse(Main.read(example, properties), properties);

        // then
        assertEquals(Path.of("/opt/ditto/server-data"), config.directory().orElseThrow());
        assertEquals(new ServerConfig.Listener(true, "[::]", 4040), config.tcp());
        assertEquals(new ServerConfig.Listener(true, "[::]", 8080), config.http());
        assertTrue(config.developmentMode());
        assertEquals(Map.of("__ditto_dev_provider", Map.of("expirationSeconds", "86400")), config.identityProviders());
    }

    @Test
    void aFileReadByTheProgramRunsAServerPeer() throws IOException {
        // given
        int port = ServerRunnerTest.freePort();
        Path file = Files.writeString(temp.resolve("ditto.server.cfg"), """
                database_id = %s
                directory = ${ditto.home}/server-data
                tcp.interface = 127.0.0.1
                tcp.port = %d
                http.enabled = false
                storage.provider = memory
                """.formatted(ID, port));
        Function<String, String> properties = Map.of("ditto.home", temp.toString())::get;
        DittoFactory engine = ServiceLoader.load(DittoFactory.class).findFirst().orElseThrow();
        ServerRunner runner = new ServerRunner(engine, properties);

        // when
        boolean running = runner.apply(Main.read(file, properties), "file " + file);

        // then
        try {
            assertTrue(running, runner::status);
            Ditto ditto = runner.instance().orElseThrow();
            assertEquals(temp.resolve("server-data"), ditto.absolutePersistenceDirectory());
            ServerRunnerTest.awaitAccepting(port);
        } finally {
            runner.close();
        }
    }
}
