package ditto.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
            "  open [directory] [databaseId]  open a database (default directory and id if omitted)",
            "  query <dql>                    run a DQL statement; prints one JSON line per item",
            "  observe <select>               live query: prints its result now and after every change",
            "  unobserve <n|all>              cancel observer n, or all observers",
            "  status                         version, open database, loaded plug-ins",
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

    private static Reply run(DittoCommands commands, String word, List<String> args) {
        String name = commandName(word);
        switch (name) {
            case "open":
                if (args.size() > 2) {
                    return usageError("open takes at most a directory and a database id");
                }
                return commands.open(args.isEmpty() ? null : args.get(0), args.size() < 2 ? null : args.get(1));
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
