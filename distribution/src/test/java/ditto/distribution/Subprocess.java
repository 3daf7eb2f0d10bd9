package ditto.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process of the test (the module-path program, {@code bin/ditto}) whose standard
 * output and error go to files in a working folder, so a chatty child never blocks on a full
 * pipe. Standard input is a pipe the test writes and closes (never a terminal).
 */
final class Subprocess implements AutoCloseable {

    /** How a finished child ended. */
    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final String command;

    private Subprocess(Process process, Path stdout, Path stderr, String command) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.command = command;
    }

    /** The java launcher of the JVM running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Starts a child in a working folder.
     *
     * @param work where the output files go (and the child's working directory)
     * @param environment variables added to the test's environment
     * @param command the command line
     */
    static Subprocess start(Path work, Map<String, String> environment, List<String> command) {
        Path out = work.resolve("stdout.txt");
        Path err = work.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .directory(work.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        try {
            return new Subprocess(builder.start(), out, err, String.join(" ", command));
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + command, e);
        }
    }

    /** Writes text to the child's standard input and keeps it open for more. */
    Subprocess send(String text) {
        try {
            var in = process.getOutputStream();
            in.write(text.getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to " + command, e);
        }
        return this;
    }

    /** Writes text to the child's standard input and closes it. */
    Subprocess input(String text) {
        try (var in = process.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("writing to " + command, e);
        }
        return this;
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** Waits until the standard output satisfies a condition while the child runs. */
    String awaitStdout(Duration timeout, String what, Predicate<String> condition) {
        return Distribution.await(timeout, what + " from `" + command + "`", () -> {
            String text = stdout();
            if (condition.test(text)) {
                return Optional.of(text);
            }
            if (!process.isAlive()) {
                throw new AssertionError("`" + command + "` ended with " + process.exitValue()
                        + " before printing " + what + "; stdout:\n" + text + "\nstderr:\n" + stderr());
            }
            return Optional.empty();
        }, () -> "stdout:\n" + stdout() + "\nstderr:\n" + stderr());
    }

    /** Sends SIGTERM (on POSIX systems). */
    void terminate() {
        process.destroy();
    }

    /** Waits for the child to end; kills it and fails on timeout. */
    Result await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("`" + command + "` did not end within " + timeout.toSeconds() + " s; stdout:\n"
                    + stdout() + "\nstderr:\n" + stderr());
        }
        return new Result(process.exitValue(), stdout(), stderr());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
