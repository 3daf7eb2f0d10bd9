package ditto.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ditto.api.DittoException;
import ditto.api.DittoFactory;
import ditto.api.ErrorCode;

/**
 * The server peer as a plain program on the module path, without OSGi:
 * {@code java -Dditto.home=<distribution> -p lib -m ditto.server/ditto.server.Main [file.cfg]}.
 *
 * <p>It reads the settings of {@link ServerConfig} from a {@code .cfg} file (Java properties
 * syntax, as FileInstall reads {@code conf/}; default {@code <ditto.home>/conf/ditto.server.cfg}),
 * replaces every {@code ${name}} in a value by the system property {@code name}
 * ({@code ditto.home} defaults to the folder above the {@code lib/} this module's jar is in),
 * finds the engine with {@link ServiceLoader}, opens the instance, prints its status and runs until
 * the JVM is stopped (SIGTERM, Ctrl-C), when it closes the instance. Unlike the container it does
 * not watch the file: restart the program to apply changes.
 *
 * <p>Exit status: 1 for a bad argument, an unreadable file, a bad setting or an instance that
 * could not start (the error is on standard error); 2 when no engine is on the module path.
 */
public final class Main {

    /** The file read when no argument is given, relative to {@code ditto.home}. */
    static final String DEFAULT_FILE = "conf/ditto.server.cfg";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private Main() {
    }

    /**
     * Runs the program until the JVM stops.
     *
     * @param args at most one: the configuration file
     */
    public static void main(String[] args) {
        Function<String, String> properties = systemProperties();
        ServerRunner runner;
        try {
            Path file = configurationFile(args, properties);
            Map<String, String> configuration = read(file, properties);
            DittoFactory factory = findEngine();
            runner = new ServerRunner(factory, properties);
            if (!runner.apply(configuration, "file " + file.toAbsolutePath().normalize())) {
                System.exit(1);
                return;
            }
        } catch (DittoException e) {
            System.err.println(ServerConfig.PID + ": " + e.getMessage());
            System.exit(e.code() == ErrorCode.NOT_AVAILABLE ? 2 : 1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close();
            stopped.countDown();
        }, "ditto.server shutdown"));
        PrintStream out = System.out;
        out.println(runner.status());
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns the configuration file: the only argument, or {@value #DEFAULT_FILE} under
     * {@code ditto.home}.
     *
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} for more than one argument, or
     *         none when {@code ditto.home} is unknown
     */
    static Path configurationFile(String[] args, Function<String, String> properties) {
        if (args.length > 1) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "usage: java -p lib -m ditto.server/ditto.server.Main [configuration.cfg]");
        }
        if (args.length == 1) {
            return Path.of(args[0]);
        }
        String home = properties.apply(ServerConfig.HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "no configuration file given and "
                    + ServerConfig.HOME_PROPERTY + " is unknown; usage: java -p lib -m ditto.server/ditto.server.Main"
                    + " [configuration.cfg]");
        }
        return Path.of(home).resolve(DEFAULT_FILE);
    }

    /**
     * Reads a {@code .cfg} file and replaces the {@code ${name}} placeholders of its values.
     *
     * @param file the file, in Java properties syntax, UTF-8
     * @param properties looks up the properties placeholders name; null when unset
     * @return key to value, in key order
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if the file cannot be read or a
     *         placeholder names an unset property (naming the file and the key)
     */
    static Map<String, String> read(Path file, Function<String, String> properties) {
        Properties loaded = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            loaded.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "cannot read configuration file " + file + ": " + e, e);
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : loaded.stringPropertyNames()) {
            values.put(key, substitute(file, key, loaded.getProperty(key), properties));
        }
        return values;
    }

    private static String substitute(Path file, String key, String value, Function<String, String> properties) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = properties.apply(m.group(1));
            if (replacement == null) {
                throw new DittoException(ErrorCode.INVALID_CONFIG, "key '" + key + "' in " + file + ": ${" + m.group(1)
                        + "} is not a system property (set it with -D" + m.group(1) + "=...)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Returns the system properties, with {@code ditto.home} defaulting to the folder above the
     * {@code lib/} folder that holds this module's jar.
     */
    static Function<String, String> systemProperties() {
        Map<String, String> defaults = new LinkedHashMap<>();
        distributionHome().ifPresent(home -> defaults.put(ServerConfig.HOME_PROPERTY, home.toString()));
        return name -> {
            String value = System.getProperty(name);
            return value != null ? value : defaults.get(name);
        };
    }

    private static Optional<Path> distributionHome() {
        try {
            CodeSource code = Main.class.getProtectionDomain().getCodeSource();
            if (code == null || code.getLocation() == null) {
                return Optional.empty();
            }
            Path jar = Path.of(code.getLocation().toURI());
            Path folder = jar.getParent();
            if (Files.isRegularFile(jar) && folder != null && folder.getFileName() != null
                    && folder.getFileName().toString().equals("lib") && folder.getParent() != null) {
                return Optional.of(folder.getParent().toAbsolutePath().normalize());
            }
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            // no usable location: ditto.home stays unknown
        }
        return Optional.empty();
    }

    private static DittoFactory findEngine() {
        try {
            return ServiceLoader.load(DittoFactory.class).findFirst().orElseThrow(() -> new DittoException(
                    ErrorCode.NOT_AVAILABLE, "no Ditto engine on the module path (add the ditto.engine module)"));
        } catch (ServiceConfigurationError e) {
            throw new DittoException(ErrorCode.NOT_AVAILABLE, "loading the Ditto engine failed: " + e.getMessage(), e);
        }
    }
}
