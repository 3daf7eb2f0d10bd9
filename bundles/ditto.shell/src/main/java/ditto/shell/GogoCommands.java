package ditto.shell;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

import ditto.api.DittoFactory;

/**
 * The {@code ditto:*} commands of the Gogo shell: a Declarative Services component that takes
 * the engine's {@link DittoFactory} service and delegates to {@link DittoCommands}.
 *
 * <p>Gogo finds this service by its {@code osgi.command.scope} and {@code osgi.command.function}
 * properties and calls the public methods by name; each returns the text Gogo prints. Quote a
 * statement that contains {@code *} or spaces: {@code ditto:query "SELECT * FROM cars"}.
 *
 * <p>Configuration (PID {@code ditto.shell}, for example {@code conf/ditto.shell.cfg}):
 * {@value #OPEN_DIRECTORY} is the persistence directory {@code ditto:open} uses when called
 * without one (default: the engine's default directory). The component is immediate, so the
 * open database survives from one command to the next; it is closed when the engine service
 * goes away or the bundle stops. Thread-safe.
 */
@Component(
        service = GogoCommands.class,
        // Gogo releases the service after every command; a delayed component would then be
        // deactivated and lose its open database between two commands.
        immediate = true,
        configurationPid = "ditto.shell",
        property = {
            "osgi.command.scope=ditto",
            "osgi.command.function=open",
            "osgi.command.function=query",
            "osgi.command.function=status",
            "osgi.command.function=close"
        })
public final class GogoCommands {

    /** Configuration key: the directory {@code ditto:open} uses when called without one. */
    public static final String OPEN_DIRECTORY = "open.directory";

    private final DittoCommands commands;

    /**
     * Creates the commands; called by Declarative Services.
     *
     * @param factory the engine's factory service
     * @param configuration the component configuration
     */
    @Activate
    public GogoCommands(@Reference(name = "factory") DittoFactory factory, Map<String, Object> configuration) {
        this.commands = new DittoCommands(factory, openDirectory(configuration));
    }

    @Modified
    void modified(Map<String, Object> configuration) {
        commands.setDefaultDirectory(openDirectory(configuration));
    }

    @Deactivate
    void deactivate() {
        commands.close();
    }

    /**
     * {@code ditto:open}: opens a database in the configured default directory with the
     * default database id.
     *
     * @return what was opened, or {@code error (code): message}
     */
    public String open() {
        return commands.open(null, null).text();
    }

    /**
     * {@code ditto:open <directory>}: opens a database in a directory with the default id.
     *
     * @param directory the persistence directory, relative to the container's working directory
     * @return what was opened, or {@code error (code): message}
     */
    public String open(String directory) {
        return commands.open(directory, null).text();
    }

    /**
     * {@code ditto:open <directory> <databaseId>}: opens a database.
     *
     * @param directory the persistence directory, relative to the container's working directory
     * @param databaseId the database id, a UUID
     * @return what was opened, or {@code error (code): message}
     */
    public String open(String directory, String databaseId) {
        return commands.open(directory, databaseId).text();
    }

    /**
     * {@code ditto:query <dql>}: runs a DQL statement on the open database.
     *
     * @param dql the statement; several words are joined with spaces
     * @return one JSON line per item and a summary line, or {@code error (code): message}
     */
    public String query(String... dql) {
        return commands.query(String.join(" ", dql)).text();
    }

    /**
     * {@code ditto:status}: the Ditto version, the open database and the loaded plug-ins.
     *
     * @return the status text
     */
    public String status() {
        return commands.status().text();
    }

    /**
     * {@code ditto:close}: closes the open database.
     *
     * @return what was closed
     */
    public String close() {
        return commands.close().text();
    }

    private static Path openDirectory(Map<String, Object> configuration) {
        Object value = configuration.get(OPEN_DIRECTORY);
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        return Path.of(value.toString().strip());
    }
}
