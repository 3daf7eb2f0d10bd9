package ditto.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
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
 */
public final class Main {

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
        DittoCommands commands = new DittoCommands(factory);
        out.println("Ditto " + Ditto.version() + " on the module path (no OSGi)");
        out.println(DittoCommands.pluginsLine(factory.plugins()));
        boolean allOk = true;
        try {
            if (!args.isEmpty()) {
                for (List<String> command : CommandLine.splitCommands(args)) {
                    allOk &= print(CommandLine.runWords(commands, command), out, err);
                }
            } else {
                allOk = readCommands(commands, in, prompt, out, err);
            }
        } finally {
            Reply closed = commands.close();
            if (!closed.ok()) {
                err.println(closed.text());
                allOk = false;
            }
        }
        return allOk ? 0 : 1;
    }

    private static boolean readCommands(DittoCommands commands, BufferedReader in, boolean prompt,
            PrintStream out, PrintStream err) {
        boolean allOk = true;
        try {
            while (true) {
                if (prompt) {
                    out.print("ditto> ");
                    out.flush();
                }
                String line = in.readLine();
                if (line == null) {
                    return allOk;
                }
                String name = CommandLine.commandName(line.strip());
                if (name.equals("exit") || name.equals("quit")) {
                    return allOk;
                }
                Reply reply = CommandLine.runLine(commands, line);
                if (reply != null) {
                    allOk &= print(reply, out, err);
                }
            }
        } catch (IOException e) {
            err.println(Reply.error(ErrorCode.INTERNAL.wireName(),
                    "reading commands from standard input failed: " + e.getMessage()).text());
            return false;
        }
    }

    private static boolean print(Reply reply, PrintStream out, PrintStream err) {
        if (!reply.text().isEmpty()) {
            (reply.ok() ? out : err).println(reply.text());
        }
        return reply.ok();
    }
}
