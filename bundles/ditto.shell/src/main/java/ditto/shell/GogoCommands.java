package ditto.shell;

import java.nio.file.Path;
import java.util.List;
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
 * <p>Sync: {@code ditto:transport listen 4040}, {@code ditto:transport connect host:4040},
 * {@code ditto:subscribe "SELECT * FROM cars"}, {@code ditto:sync start}, {@code ditto:peers},
 * {@code ditto:diag}; see {@link DittoCommands#transport} for the transport syntax.
 *
 * <p>A client of a server peer: {@code ditto:open --server http://host:8080 data},
 * {@code ditto:login <token> [provider]} (or {@code ditto:login --user <name> <password>
 * [provider]}), {@code ditto:auth}, {@code ditto:logout}. When the server asks for a login (sync
 * started without one, or the credentials are about to expire) a line
 * {@code auth: the server asks for a login (...); run: login <token> [provider]} is printed on
 * the container's standard output, like an observer delivery.
 *
 * <p>Gogo finds this service by its {@code osgi.command.scope} and {@code osgi.command.function}
 * properties and calls the public methods by name; each returns the text Gogo prints. Quote a
 * statement that contains {@code *} or spaces: {@code ditto:query "SELECT * FROM cars"}.
 *
 * <p>Gogo (runtime 1.1) expands braces that hold a comma ({@code {a,b}}) even inside double
 * quotes, so an object literal with several fields such as {@code {'_id':'c1','make':'Ford'}}
 * cannot reach a command intact: the statement arrives as the expansions joined with spaces,
 * which the engine refuses. When a statement fails and its first word comes again later as a
 * word (the mark of such an expansion), {@code query} and {@code observe} add the line
 * {@link #BRACE_EXPANSION_HINT}, which says how to write the statement instead, to the error.
 *
 * <p>Observer deliveries ({@code ditto:observe}) are printed by the engine's observer threads
 * on the container's standard output, one whole block per delivery; they may appear between
 * a command's output and the next prompt.
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
            "osgi.command.function=observe",
            "osgi.command.function=unobserve",
            "osgi.command.function=subscribe",
            "osgi.command.function=unsubscribe",
            "osgi.command.function=sync",
            "osgi.command.function=transport",
            "osgi.command.function=peers",
            "osgi.command.function=diag",
            "osgi.command.function=license",
            "osgi.command.function=login",
            "osgi.command.function=logout",
            "osgi.command.function=auth",
            "osgi.command.function=status",
            "osgi.command.function=close"
        })
public final class GogoCommands {

    /** Configuration key: the directory {@code ditto:open} uses when called without one. */
    public static final String OPEN_DIRECTORY = "open.directory";

    /** The line added to an error whose statement looks mangled by Gogo's brace expansion. */
    static final String BRACE_EXPANSION_HINT = "hint: Gogo expands {a,b} even inside double quotes, so an object"
            + " literal with several fields reaches Ditto mangled; in Gogo insert objects with one field"
            + " ({'_id':'c1'}) and set the others with UPDATE cars SET make = 'Ford', color = 'blue' WHERE _id = 'c1',"
            + " or use the module-path shell (bin/ditto --module-path), which takes statements as written";

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
        return commands.open(List.of()).text();
    }

    /**
     * {@code ditto:open <directory>}: opens a database in a directory with the default id.
     *
     * @param directory the persistence directory, relative to the container's working directory
     * @return what was opened, or {@code error (code): message}
     */
    public String open(String directory) {
        return commands.open(List.of(directory)).text();
    }

    /**
     * {@code ditto:open <directory> <databaseId>}: opens a database; also
     * {@code ditto:open --server <url>} (a client of a server peer, default directory and id)
     * and {@code ditto:open --shared-key <hex>}.
     *
     * @param first the persistence directory, or an option
     * @param second the database id (a UUID), or the option's value
     * @return what was opened, or {@code error (code): message}
     */
    public String open(String first, String second) {
        return commands.open(List.of(first, second)).text();
    }

    /**
     * {@code ditto:open --server <url> <directory>}, {@code ditto:open <directory> --server <url>}
     * and the same with {@code --shared-key <hex>}: opens a database in a directory with the
     * default id, as a client of a server peer or with a shared key.
     *
     * @param first the first word: a directory or an option
     * @param second the second word
     * @param third the third word
     * @return what was opened, or {@code error (code): message}
     */
    public String open(String first, String second, String third) {
        return commands.open(List.of(first, second, third)).text();
    }

    /**
     * {@code ditto:open <directory> <databaseId> --shared-key <hex>} or
     * {@code ditto:open <directory> <databaseId> --server <url>} (the option may also come
     * first): opens a database whose peers share a small-peers-only key (only peers with the
     * same key sync with it), or a client of the server peer at the URL ({@code http://host:port},
     * {@code https}, {@code ws} or {@code wss}), which syncs after {@code ditto:login}.
     *
     * @param first the first word: the directory or an option
     * @param second the second word
     * @param third the third word
     * @param fourth the fourth word
     * @return what was opened, or {@code error (code): message}
     */
    public String open(String first, String second, String third, String fourth) {
        return commands.open(List.of(first, second, third, fourth)).text();
    }

    /**
     * {@code ditto:login <token> [provider]} or
     * {@code ditto:login --user <name> <password> [provider]}: logs the open client in to its
     * server; the provider defaults to the development provider {@code __ditto_dev_provider}.
     * Blocks while the server checks the login.
     *
     * @param args the token or {@code --user} with name and password, then optionally the
     *        provider
     * @return {@code logged in to <url> as <user id> (provider <name>)}, or
     *         {@code error (code): message}
     */
    public String login(String... args) {
        return commands.login(List.of(args)).text();
    }

    /**
     * {@code ditto:logout}: logs the open client out; sync stops, the data stays.
     *
     * @return what happened, or {@code error (code): message}
     */
    public String logout() {
        return commands.logout().text();
    }

    /**
     * {@code ditto:auth [status]}: whether the open client is logged in, its user id and client
     * info.
     *
     * @param args nothing or {@code status}
     * @return the state, or {@code error (code): message}
     */
    public String auth(String... args) {
        return commands.auth(List.of(args)).text();
    }

    /**
     * {@code ditto:subscribe <select>}: registers a sync subscription on the open database.
     *
     * @param dql the SELECT statement; several words are joined with spaces
     * @return {@code subscription N registered: <dql>}, or {@code error (code): message}
     */
    public String subscribe(String... dql) {
        String statement = String.join(" ", dql);
        return withBraceExpansionHint(statement, commands.subscribe(statement));
    }

    /**
     * {@code ditto:unsubscribe <n|all>}: cancels sync subscription {@code n}, or all of them.
     *
     * @param which the number {@code subscribe} printed, or {@code all}
     * @return what was cancelled, or {@code error (code): message}
     */
    public String unsubscribe(String which) {
        return commands.unsubscribe(which).text();
    }

    /**
     * {@code ditto:sync start|stop|status}: starts or stops replication, or shows its state.
     *
     * @param action {@code start}, {@code stop} or {@code status}
     * @return the outcome, or {@code error (code): message}
     */
    public String sync(String action) {
        return commands.sync(action).text();
    }

    /**
     * {@code ditto:transport show | listen [ip:]port|off | connect host:port |
     * disconnect host:port|all | lan on|off}: shows or changes the transport configuration.
     *
     * @param args the action and its value
     * @return the configuration as JSON ({@code show}) or its summary line, or
     *         {@code error (code): message}
     */
    public String transport(String... args) {
        return commands.transport(List.of(args)).text();
    }

    /**
     * {@code ditto:peers}: the presence graph as a tree.
     *
     * @return the tree, or {@code error (code): message}
     */
    public String peers() {
        return commands.peers().text();
    }

    /**
     * {@code ditto:diag}: transport diagnostics and {@code system:data_sync_info}.
     *
     * @return the diagnostics, or {@code error (code): message}
     */
    public String diag() {
        return commands.diag().text();
    }

    /**
     * {@code ditto:license <token>}: sets the offline license token of the open database.
     *
     * @param token the token
     * @return whether the instance is now activated, or {@code error (code): message}
     */
    public String license(String token) {
        return commands.license(token).text();
    }

    /**
     * {@code ditto:query <dql>}: runs a DQL statement on the open database.
     *
     * @param dql the statement; several words are joined with spaces
     * @return one JSON line per item and a summary line, or {@code error (code): message}
     */
    public String query(String... dql) {
        String statement = String.join(" ", dql);
        return withBraceExpansionHint(statement, commands.query(statement));
    }

    /**
     * {@code ditto:observe <select>}: registers a live query on the open database; its result
     * is printed now and after every change, each time under a header
     * {@code -- observer N: M items (commit C)}.
     *
     * @param dql the SELECT statement; several words are joined with spaces
     * @return {@code observer N registered: <dql>}, or {@code error (code): message}
     */
    public String observe(String... dql) {
        String statement = String.join(" ", dql);
        return withBraceExpansionHint(statement, commands.observe(statement));
    }

    /**
     * {@code ditto:unobserve <n|all>}: cancels observer {@code n}, or all observers.
     *
     * @param which the observer number {@code observe} printed, or {@code all}
     * @return what was canceled, or {@code error (code): message}
     */
    public String unobserve(String which) {
        return commands.unobserve(which).text();
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

    /**
     * Returns the reply's text, with {@link #BRACE_EXPANSION_HINT} on a new line if the command
     * failed and the statement's first word comes again later as a word: Gogo turns
     * {@code P{a,b}S} into {@code PaS PbS}, which repeats the statement's start.
     */
    static String withBraceExpansionHint(String statement, Reply reply) {
        if (reply.ok()) {
            return reply.text();
        }
        String[] words = statement.strip().split("\\s+");
        for (int i = 1; i < words.length; i++) {
            if (words[i].equals(words[0])) {
                return reply.text() + "\n" + BRACE_EXPANSION_HINT;
            }
        }
        return reply.text();
    }

    private static Path openDirectory(Map<String, Object> configuration) {
        Object value = configuration.get(OPEN_DIRECTORY);
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        return Path.of(value.toString().strip());
    }
}
