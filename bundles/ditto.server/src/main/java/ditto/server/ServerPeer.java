package ditto.server;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

import ditto.api.DittoFactory;

/**
 * The server peer inside OSGi: a Declarative Services component that runs one Ditto instance as
 * configured under the PID {@value ServerConfig#PID} (in the distribution,
 * {@code conf/ditto.server.cfg}, which FileInstall hands to ConfigAdmin), and the Gogo command
 * {@code ditto:server} that shows its state.
 *
 * <p>The component exists only while that configuration does (policy REQUIRE) and the engine's
 * {@link DittoFactory} service is there. Activation opens the instance with the configured
 * database id and directory, sets the TCP and HTTP listeners and LAN discovery, and starts sync
 * (the settings and their mapping are described in {@link ServerConfig}). A changed configuration
 * closes the instance and opens a new one; deactivation (configuration deleted, engine gone,
 * bundle stopped) closes it. When the directory key is absent the data goes to
 * {@code <ditto.home>/server-data}, {@code ditto.home} being the framework property the launcher
 * sets.
 *
 * <p>A bad configuration never fails the component or the container: one error naming the key
 * and the configuration's file or PID is logged, the component stays active without an instance,
 * and {@code ditto:server} prints the error until a corrected configuration arrives.
 *
 * <p>Immediate, so the instance runs without anyone using the service (Gogo only calls
 * {@link #server()}). Thread-safe.
 */
@Component(
        service = ServerPeer.class,
        immediate = true,
        configurationPid = ServerConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {
            "osgi.command.scope=ditto",
            "osgi.command.function=server"
        })
public final class ServerPeer {

    /** The property FileInstall adds to a configuration it read from a file: the file's URL. */
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private final ServerRunner runner;

    /**
     * Starts the server peer; called by Declarative Services.
     *
     * @param factory the engine's factory service
     * @param context this bundle's context, for the {@code ditto.home} framework property
     * @param configuration the component properties, holding the configuration
     */
    @Activate
    public ServerPeer(@Reference(name = "factory") DittoFactory factory, BundleContext context,
            Map<String, Object> configuration) {
        this(new ServerRunner(factory, context::getProperty), configuration);
    }

    /** Starts the server peer with a given runner (tests, without a framework). */
    ServerPeer(ServerRunner runner, Map<String, ?> configuration) {
        this.runner = runner;
        runner.apply(configuration, origin(configuration));
    }

    @Modified
    void modified(Map<String, Object> configuration) {
        runner.apply(configuration, origin(configuration));
    }

    @Deactivate
    void deactivate() {
        runner.close();
    }

    /**
     * {@code ditto:server}: the state of the server peer: database id and directory, whether sync
     * runs, the listening addresses, LAN discovery, peers, development mode, identity providers
     * and the configuration's origin; or why no instance runs.
     *
     * @return one {@code name: value} line each
     */
    public String server() {
        return runner.status();
    }

    /** Returns the runner (tests). */
    ServerRunner runner() {
        return runner;
    }

    /**
     * Describes where a configuration came from: {@code PID ditto.server, file <path>} when
     * FileInstall read it from a file, else {@code PID ditto.server}.
     */
    static String origin(Map<String, ?> configuration) {
        Object pid = configuration.get("service.pid");
        String text = "PID " + (pid == null ? ServerConfig.PID : pid);
        Object file = configuration.get(FILEINSTALL_FILENAME);
        if (file == null) {
            return text;
        }
        String name = file.toString();
        try {
            if (name.startsWith("file:")) {
                name = Path.of(URI.create(name)).toString();
            }
        } catch (IllegalArgumentException e) {
            // not a plain file URL: shown as it is
        }
        return text + ", file " + name;
    }
}
