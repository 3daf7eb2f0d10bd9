package ditto.launcher;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * Prints the engine's loaded plug-ins at startup and whenever they change, read from the
 * {@code ditto.plugins.<kind>} properties of the {@code ditto.api.DittoFactory} service.
 *
 * <p>Works by object-class name, so the launcher never loads a Ditto class. Service events
 * arrive in bursts while bundles start; a line is printed once the properties have been quiet
 * for {@link #QUIET_MILLIS} and only if it differs from the last one (nothing is printed before
 * the engine first appears). The line has the format
 * of the shell's {@code ditto:status} ({@code plug-ins: identity=[..] storage=[..] transport=[..]}).
 *
 * <pre>
 * framework thread --ServiceEvent--> schedule(QUIET_MILLIS) --reporter thread--> print if changed
 * </pre>
 *
 * Invariant: only the single reporter thread reads the service and prints.
 */
final class PluginReporter implements ServiceListener, AutoCloseable {

    static final String FACTORY_CLASS = "ditto.api.DittoFactory";
    static final String PLUGINS_PROPERTY_PREFIX = "ditto.plugins.";
    static final long QUIET_MILLIS = 300;

    private final BundleContext context;
    private final PrintStream out;
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ditto-plugin-reporter");
        thread.setDaemon(true);
        return thread;
    });
    private ScheduledFuture<?> pending;
    private String lastLine;

    private PluginReporter(BundleContext context, PrintStream out) {
        this.context = context;
        this.out = out;
    }

    /** Starts listening and schedules a first report (the engine may already be registered). */
    static PluginReporter start(BundleContext context, PrintStream out) {
        PluginReporter reporter = new PluginReporter(context, out);
        try {
            context.addServiceListener(reporter, "(objectClass=" + FACTORY_CLASS + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("the DittoFactory service filter is invalid", e);
        }
        reporter.schedule();
        return reporter;
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        schedule();
    }

    private synchronized void schedule() {
        if (pending != null) {
            pending.cancel(false);
        }
        if (!reporter.isShutdown()) {
            pending = reporter.schedule(this::report, QUIET_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void report() {
        if ((context.getBundle().getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
            return;
        }
        String line;
        try {
            ServiceReference<?>[] references = context.getAllServiceReferences(FACTORY_CLASS, null);
            if (references == null && lastLine == null) {
                return; // the engine has not started yet: nothing to report
            }
            line = references == null
                    ? "plug-ins: none (the Ditto engine stopped; is ditto.engine still in deploy/?)"
                    : pluginsLine(references[0]);
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return; // the framework is stopping
        }
        if (!line.equals(lastLine)) {
            lastLine = line;
            out.println(line);
        }
    }

    /** Formats the plug-in properties of a factory service like the shell's status line. */
    static String pluginsLine(ServiceReference<?> factory) {
        SortedMap<String, List<String>> kinds = new TreeMap<>();
        for (String key : factory.getPropertyKeys()) {
            if (key.startsWith(PLUGINS_PROPERTY_PREFIX)) {
                kinds.put(key.substring(PLUGINS_PROPERTY_PREFIX.length()), ids(factory.getProperty(key)));
            }
        }
        StringBuilder line = new StringBuilder("plug-ins: ");
        String separator = "";
        for (Map.Entry<String, List<String>> kind : kinds.entrySet()) {
            line.append(separator).append(kind.getKey()).append('=').append(kind.getValue());
            separator = " ";
        }
        return line.toString();
    }

    private static List<String> ids(Object value) {
        if (value instanceof String[] array) {
            return Arrays.stream(array).sorted().toList();
        }
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(Objects::toString).sorted().toList();
        }
        return value == null ? List.of() : List.of(value.toString());
    }

    @Override
    public synchronized void close() {
        try {
            context.removeServiceListener(this);
        } catch (IllegalStateException e) {
            // The framework already stopped; its listeners are gone.
        }
        reporter.shutdownNow();
    }
}
