package ditto.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import ditto.api.Ditto;
import ditto.api.DittoFactory;
import ditto.api.ErrorCode;

/**
 * The Ditto shell as a plain program on the module path, without OSGi:
 * {@code java -p lib -m ditto.shell/ditto.shell.Main [command ...]}.
 *
 * <p>It finds the engine with {@link ServiceLoader}, prints the Ditto version and the loaded
 * plug-ins, then runs the commands given as arguments (several commands are separated by a
 * lone {@code ;} argument), or, without arguments, the commands read line by line from standard
 * input until {@code exit} or end of input. The commands and their syntax are those of the Gogo
 * shell ({@code ditto:query "SELECT ..."} or {@code query SELECT ...}). Results go to standard
 * output, errors ({@code error (code): message}) to standard error. The exit status is 0 when
 * every command succeeded, 1 when one failed and 2 when no engine is on the module path.
 *
 * <p>Observer deliveries ({@code observe}) and, for a client of a server peer, the server's
 * requests to log in ({@code auth: the server asks for a login ...}) arrive on engine threads at
 * any time; they are
 * printed whole, never inside a command's output, and when a prompt is showing they go on a
 * new line and the prompt is shown again. Before the program closes the database at the end,
 * it waits until the observers have been quiet for {@value #QUIET_MILLIS} ms (at most
 * {@value #QUIET_LIMIT_MILLIS} ms), so the changes made by the last commands are printed.
 */
public final class Main {

    /** The prompt shown before each line read from a terminal. */
    static final String PROMPT = "ditto> ";
    /** How long the observers must have been quiet before the program closes the database. */
    static final long QUIET_MILLIS = 300;
    /** The longest the program waits for quiet observers at its end. */
    static final long QUIET_LIMIT_MILLIS = 3_000;

    private Main() {
    }

    /**
     * Runs the program.
     *
     * @param args the commands to run; none to read them from standard input
     */
    public static void main(String[] args) {
        Optional<DittoFactory> factory;
        try {
            factory = ServiceLoader.load(DittoFactory.class).findFirst();
        } catch (ServiceConfigurationError e) {
            System.err.println(Reply.error(ErrorCode.NOT_AVAILABLE.wireName(),
                    "loading the Ditto engine failed: " + e.getMessage()).text());
            System.exit(2);
            return;
        }
        if (factory.isEmpty()) {
            System.err.println(Reply.error(ErrorCode.NOT_AVAILABLE.wireName(),
                    "no Ditto engine found: put the ditto.engine module on the module path").text());
            System.exit(2);
            return;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
        boolean prompt = System.console() != null;
        System.exit(run(factory.get(), Arrays.asList(args), in, prompt, System.out, System.err));
    }

    /**
     * Runs the banner and the commands against one engine; the body of {@link #main}.
     *
     * @param factory the engine
     * @param args the commands as program arguments; empty to read {@code in}
     * @param in the command lines read when {@code args} is empty
     * @param prompt whether to print a prompt before each line read
     * @param out where results go
     * @param err where errors go
     * @return the exit status: 0 if every command succeeded, else 1
     */
    static int run(DittoFactory factory, List<String> args, BufferedReader in, boolean prompt,
            PrintStream out, PrintStream err) {
        Console console = new Console(out, err);
        DittoCommands commands = new DittoCommands(factory, null, console::delivery);
        out.println("Ditto " + Ditto.version() + " on the module path (no OSGi)");
        out.println(DittoCommands.pluginsLine(factory.plugins()));
        boolean allOk = true;
        try {
            if (!args.isEmpty()) {
                for (List<String> command : CommandLine.splitCommands(args)) {
                    allOk &= console.reply(CommandLine.runWords(commands, command));
                }
            } else {
                allOk = readCommands(commands, in, prompt, console);
            }
            commands.awaitObserversQuiet(Duration.ofMillis(QUIET_MILLIS), Duration.ofMillis(QUIET_LIMIT_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            allOk &= console.reply(commands.close(), false);
        }
        return allOk ? 0 : 1;
    }

    private static boolean readCommands(DittoCommands commands, BufferedReader in, boolean prompt, Console console) {
        boolean allOk = true;
        try {
            while (true) {
                if (prompt) {
                    console.prompt();
                }
                String line = in.readLine();
                console.lineRead();
                if (line == null) {
                    return allOk;
                }
                String name = CommandLine.commandName(line.strip());
                if (name.equals("exit") || name.equals("quit")) {
                    return allOk;
                }
                Reply reply = CommandLine.runLine(commands, line);
                if (reply != null) {
                    allOk &= console.reply(reply);
                }
            }
        } catch (IOException e) {
            console.reply(Reply.error(ErrorCode.INTERNAL.wireName(),
                    "reading commands from standard input failed: " + e.getMessage()));
            return false;
        }
    }

    /**
     * The program's output: command replies from the main thread and observer deliveries from
     * engine threads, each printed whole under this object's lock. While the prompt is showing
     * (printed, its line not yet read), a delivery starts on a new line and the prompt is
     * printed again after it.
     */
    static final class Console {
        private final PrintStream out;
        private final PrintStream err;
        private boolean promptShowing;

        Console(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        synchronized void prompt() {
            out.print(PROMPT);
            out.flush();
            promptShowing = true;
        }

        synchronized void lineRead() {
            promptShowing = false;
        }

        /** Prints a reply, errors to standard error; returns whether the command succeeded. */
        boolean reply(Reply reply) {
            return reply(reply, true);
        }

        /** As {@link #reply(Reply)}, printing a successful reply only if {@code printSuccess}. */
        synchronized boolean reply(Reply reply, boolean printSuccess) {
            if (!reply.text().isEmpty() && (printSuccess || !reply.ok())) {
                (reply.ok() ? out : err).println(reply.text());
                (reply.ok() ? out : err).flush();
            }
            return reply.ok();
        }

        synchronized void delivery(String block) {
            if (promptShowing) {
                out.println();
            }
            out.println(block);
            if (promptShowing) {
                out.print(PROMPT);
            }
            out.flush();
        }
    }
}
