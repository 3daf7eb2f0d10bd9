package ditto.server;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.DittoFactory;
import ditto.api.DittoLogger;
import ditto.api.TransportConfig;

/**
 * Runs at most one server peer: {@link #apply} reads a configuration, closes the running instance
 * if any, opens a new one through the {@link DittoFactory}, sets its listeners and starts sync;
 * {@link #close()} closes it. Shared by the OSGi component ({@link ServerPeer}) and the
 * module-path program ({@link Main}).
 *
 * <p>Failures never escape: a bad configuration or an instance that cannot open or start is
 * logged as one error line through {@link DittoLogger}, naming the key or the failure and where
 * the configuration came from, for example
 * {@code ditto.server: key 'http.port': expected an integer 1-65535, got 'abc' [PID ditto.server,
 * file /opt/ditto/conf/ditto.server.cfg]; no server peer is running}. The runner then holds no
 * instance until the next {@link #apply}, and {@link #status()} shows the error.
 *
 * <p>Thread-safe: every method is synchronized, so a reconfiguration never overlaps a close or a
 * status report.
 */
final class ServerRunner implements AutoCloseable {

    private final DittoFactory factory;
    private final Function<String, String> frameworkProperty;

    private Ditto ditto;
    private ServerConfig config;
    private String source = "no configuration";
    private String problem = "not configured";

    /**
     * Creates a runner without an instance.
     *
     * @param factory opens the instances
     * @param frameworkProperty looks up framework (or system) properties, null when unset;
     *        {@value ServerConfig#HOME_PROPERTY} gives the default directory
     */
    ServerRunner(DittoFactory factory, Function<String, String> frameworkProperty) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.frameworkProperty = Objects.requireNonNull(frameworkProperty, "frameworkProperty");
    }

    /**
     * Closes the running instance, if any, and starts one with the given configuration.
     *
     * @param properties the configuration properties (see {@link ServerConfig})
     * @param origin where they came from, for log lines and status, such as
     *        {@code PID ditto.server, file /opt/ditto/conf/ditto.server.cfg}
     * @return true if a server peer now runs, false if the configuration was refused or the
     *         instance could not be opened or started (one error was logged)
     */
    synchronized boolean apply(Map<String, ?> properties, String origin) {
        closeInstance();
        source = origin;
        ServerConfig parsed;
        try {
            parsed = ServerConfig.parse(properties, frameworkProperty);
        } catch (DittoException e) {
            fail(e.getMessage());
            return false;
        }
        Ditto opened;
        try {
            opened = factory.open(parsed.dittoConfig());
        } catch (RuntimeException e) {
            fail("opening database " + parsed.databaseId() + " in "
                    + parsed.directory().map(Object::toString).orElse("the engine's default directory")
                    + " failed: " + describe(e));
            return false;
        }
        try {
            opened.updateTransportConfig(parsed::applyTo);
            opened.sync().start();
        } catch (RuntimeException e) {
            fail("starting sync for database " + parsed.databaseId() + " failed: " + describe(e));
            opened.close();
            return false;
        }
        ditto = opened;
        config = parsed;
        problem = null;
        DittoLogger.info(ServerConfig.PID + ": serving database " + parsed.databaseId() + " from "
                + opened.absolutePersistenceDirectory() + "; listening: "
                + ServerConfig.describeListeners(opened.transportConfig()) + "; lan discovery "
                + (parsed.lanEnabled() ? "on" : "off") + "; development mode " + (parsed.developmentMode() ? "on" : "off")
                + "; identity providers: " + parsed.describeIdentityProviders() + " [" + source + "]");
        return true;
    }

    /** Closes the running instance, if any; the runner can be {@linkplain #apply applied} again. */
    @Override
    public synchronized void close() {
        closeInstance();
        problem = "stopped";
    }

    /** Returns the running instance, or empty. */
    synchronized Optional<Ditto> instance() {
        return Optional.ofNullable(ditto);
    }

    /** Returns the settings of the running instance, or empty. */
    synchronized Optional<ServerConfig> config() {
        return Optional.ofNullable(config);
    }

    /** Returns why no instance runs (the last error, {@code not configured} or {@code stopped}), or empty while one runs. */
    synchronized Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /**
     * Describes the server peer, one {@code name: value} line each: state, database, sync,
     * listeners, LAN discovery, remote peers (in the presence graph, and connected directly), development mode, identity providers and the
     * configuration's origin; or, without an instance, why none runs.
     *
     * @return the text, never null
     */
    synchronized String status() {
        StringBuilder out = new StringBuilder();
        if (ditto == null) {
            out.append("server peer: not running: ").append(problem).append('\n');
            out.append("configuration: ").append(source);
            return out.toString();
        }
        try {
            TransportConfig transport = ditto.transportConfig();
            int peers = ditto.presence().graph().remotePeers().size();
            int direct = ditto.transportDiagnostics().totalConnectedPeers();
            out.append("server peer: running\n");
            out.append("database: ").append(ditto.databaseId()).append(" at ")
                    .append(ditto.absolutePersistenceDirectory()).append('\n');
            out.append("sync: ").append(ditto.sync().isActive() ? "active" : "stopped").append('\n');
            out.append("listening: ").append(ServerConfig.describeListeners(transport)).append('\n');
            out.append("lan discovery: ").append(transport.peerToPeer().lan().isEnabled() ? "on" : "off").append('\n');
            out.append("peers: ").append(peers).append(" in the mesh, ").append(direct).append(" connected directly\n");
            out.append("development mode: ").append(config.developmentMode() ? "on" : "off").append('\n');
            out.append("identity providers: ").append(config.describeIdentityProviders()).append('\n');
            out.append("configuration: ").append(source);
        } catch (DittoException e) {
            return "server peer: error reading its state: " + describe(e) + "\nconfiguration: " + source;
        }
        return out.toString();
    }

    private void closeInstance() {
        Ditto running = ditto;
        ditto = null;
        config = null;
        if (running != null) {
            running.close();
            DittoLogger.info(ServerConfig.PID + ": closed database " + running.databaseId() + " [" + source + "]");
        }
    }

    private void fail(String why) {
        problem = why;
        DittoLogger.error(ServerConfig.PID + ": " + why + " [" + source + "]; no server peer is running");
    }

    private static String describe(RuntimeException e) {
        if (e instanceof DittoException d) {
            return "(" + d.code().wireName() + ") " + d.getMessage();
        }
        return e.toString();
    }
}
