package ditto.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ditto.api.AuthenticationProvider;
import ditto.api.ErrorCode;

/**
 * Parses the module-path program's commands and dispatches them to {@link DittoCommands}.
 *
 * <p>A command is a name, optionally prefixed by the Gogo scope {@code ditto:}, followed by its
 * arguments, with the same syntax as in Gogo: {@code ditto:query "SELECT * FROM cars"} and
 * {@code query SELECT * FROM cars} are the same command. For {@code query} and {@code observe},
 * everything after the name is the statement (one pair of enclosing quotes is removed), so
 * quotes and braces inside DQL survive. Stateless.
 */
final class CommandLine {

    static final String USAGE = String.join("\n",
            "commands (the ditto: prefix is optional):",
            "  open [directory] [databaseId] [--shared-key HEX | --server URL]",
            "                                 open a database (default directory and id if omitted);",
            "                                 --shared-key: sync only with peers opened with the same key;",
            "                                 --server http(s)://host:port: a client of that server peer,",
            "                                 which syncs once logged in",
            "  query <dql>                    run a DQL statement; prints one JSON line per item",
            "  observe <select>               live query: prints its result now and after every change",
            "  unobserve <n|all>              cancel observer n, or all observers",
            "  subscribe <select>             sync subscription: peers send the matching documents",
            "  unsubscribe <n|all>            cancel subscription n, or all subscriptions",
            "  transport show                 the transport configuration as JSON",
            "  transport listen [ip:]port|off accept TCP connections from peers (ip defaults to 0.0.0.0)",
            "  transport connect host:port    dial a peer's TCP listener (repeatable)",
            "  transport disconnect host:port|all  stop dialing a peer, or every peer",
            "  transport lan on|off           LAN discovery (mDNS + multicast) on or off",
            "  sync start|stop|status         start or stop replication, or show its state",
            "  peers                          the presence graph as a tree",
            "  diag                           transport diagnostics and system:data_sync_info",
            "  license <token>                set the offline license token",
            "  login <token> [provider]       log in to the server (provider defaults to the development",
            "                                 provider " + AuthenticationProvider.DEVELOPMENT_NAME
                    + ", accepted in development mode only)",
            "  login --user <name> <password> [provider]  log in with a user name and password",
            "  logout                         log out: sync stops, credentials are forgotten, data stays",
            "  auth [status]                  whether logged in, the user id and the client info",
            "  status                         version, open database (and server, for a client), plug-ins",
            "  close                          close the open database",
            "  help                           this text",
            "  exit                           leave (stdin mode)");

    private CommandLine() {
    }

    /**
     * Runs one command line as read from a terminal or a script.
     *
     * @param commands the command core
     * @param line the line; blank lines and lines starting with {@code #} do nothing
     * @return the reply, or null for a blank or comment line
     */
    static Reply runLine(DittoCommands commands, String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return null;
        }
        int space = indexOfWhitespace(trimmed);
        String name = space < 0 ? trimmed : trimmed.substring(0, space);
        String rest = space < 0 ? "" : trimmed.substring(space).strip();
        if (isQuery(name)) {
            return commands.query(unquote(rest));
        }
        if (isObserve(name)) {
            return commands.observe(unquote(rest));
        }
        if (isSubscribe(name)) {
            return commands.subscribe(unquote(rest));
        }
        return run(commands, name, tokenize(rest));
    }

    /**
     * Runs one command given as separate words, as program arguments arrive.
     *
     * @param commands the command core
     * @param words the command name followed by its arguments; never empty
     * @return the reply, never null
     */
    static Reply runWords(DittoCommands commands, List<String> words) {
        String name = words.get(0);
        List<String> args = words.subList(1, words.size());
        if (isQuery(name)) {
            return commands.query(String.join(" ", args));
        }
        if (isObserve(name)) {
            return commands.observe(String.join(" ", args));
        }
        if (isSubscribe(name)) {
            return commands.subscribe(String.join(" ", args));
        }
        return run(commands, name, args);
    }

    /**
     * Splits program arguments into commands at every argument that is exactly {@code ;}.
     *
     * @param args the program arguments
     * @return the commands, each a non-empty list of words, in order
     */
    static List<List<String>> splitCommands(List<String> args) {
        List<List<String>> commands = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals(";")) {
                if (!current.isEmpty()) {
                    commands.add(current);
                }
                current = new ArrayList<>();
            } else {
                current.add(arg);
            }
        }
        if (!current.isEmpty()) {
            commands.add(current);
        }
        return commands;
    }

    /** Returns the command name without its optional {@code ditto:} scope, in lower case. */
    static String commandName(String word) {
        String name = word.toLowerCase(Locale.ROOT);
        return name.startsWith("ditto:") ? name.substring("ditto:".length()) : name;
    }

    private static boolean isQuery(String word) {
        return commandName(word).equals("query");
    }

    private static boolean isObserve(String word) {
        return commandName(word).equals("observe");
    }

    private static boolean isSubscribe(String word) {
        return commandName(word).equals("subscribe");
    }

    private static Reply run(DittoCommands commands, String word, List<String> args) {
        String name = commandName(word);
        switch (name) {
            case "open":
                return commands.open(args);
            case "unsubscribe":
                return args.size() == 1 ? commands.unsubscribe(args.get(0))
                        : usageError("unsubscribe takes one subscription number, or all");
            case "sync":
                return args.size() == 1 ? commands.sync(args.get(0)) : usageError("sync takes start, stop or status");
            case "transport":
                return commands.transport(args);
            case "peers":
                return args.isEmpty() ? commands.peers() : usageError("peers takes no arguments");
            case "diag":
                return args.isEmpty() ? commands.diag() : usageError("diag takes no arguments");
            case "license":
                return args.size() == 1 ? commands.license(args.get(0)) : usageError("license takes one token");
            case "login":
                return commands.login(args);
            case "logout":
                return args.isEmpty() ? commands.logout() : usageError("logout takes no arguments");
            case "auth":
                return commands.auth(args);
            case "unobserve":
                return args.size() == 1 ? commands.unobserve(args.get(0))
                        : usageError("unobserve takes one observer number, or all");
            case "status":
                return args.isEmpty() ? commands.status() : usageError("status takes no arguments");
            case "close":
                return args.isEmpty() ? commands.close() : usageError("close takes no arguments");
            case "help":
                return Reply.ok(USAGE);
            default:
                return usageError("unknown command '" + word + "'");
        }
    }

    private static Reply usageError(String message) {
        return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), message + "\n" + USAGE);
    }

    /** Removes one pair of quotes that encloses the whole text, if the same quote is not inside. */
    static String unquote(String text) {
        if (text.length() >= 2) {
            char first = text.charAt(0);
            if ((first == '"' || first == '\'') && text.charAt(text.length() - 1) == first
                    && text.indexOf(first, 1) == text.length() - 1) {
                return text.substring(1, text.length() - 1);
            }
        }
        return text;
    }

    /** Splits at whitespace outside single or double quotes; the quotes are removed. */
    static List<String> tokenize(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
