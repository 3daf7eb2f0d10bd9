package ditto.engine.plugin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

import org.tinylog.Logger;

/**
 * Finds plug-ins with {@link ServiceLoader}, the module-path and class-path mechanism: providers
 * declared with {@code provides … with …} in a module descriptor, or listed in
 * {@code META-INF/services} on the class path. Never used inside OSGi, where bundles cannot see each
 * other's services this way (the Declarative Services adapter feeds the registry there).
 *
 * <p>It asks the engine's own class loader (which sees every module of the boot layer and the class
 * path) and, if different, the thread context class loader (which may see an application's own
 * loader). A provider class found by both is instantiated once. A provider that cannot be loaded or
 * instantiated is logged and skipped; the others still load. Stateless and thread-safe.
 */
public final class ServiceLoaderProviderSource implements ProviderSource {

    /** Stop after this many consecutive failures, in case a broken loader keeps failing on the same entry. */
    private static final int MAX_CONSECUTIVE_FAILURES = 10;

    @Override
    public <S> List<S> load(Class<S> service) {
        Objects.requireNonNull(service, "service");
        List<S> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ClassLoader own = ServiceLoaderProviderSource.class.getClassLoader();
        collect(ServiceLoader.load(service, own).iterator(), service, seen, result);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != own) {
            collect(ServiceLoader.load(service, context).iterator(), service, seen, result);
        }
        return result;
    }

    /**
     * Drains a provider iterator, skipping (and logging) providers that fail, and leaving out
     * providers whose class is already in {@code seen}.
     */
    static <S> void collect(Iterator<S> providers, Class<S> service, Set<String> seen, List<S> sink) {
        int failures = 0;
        while (true) {
            S provider;
            try {
                if (!providers.hasNext()) {
                    return;
                }
                provider = providers.next();
                failures = 0;
            } catch (ServiceConfigurationError | LinkageError e) {
                Logger.error(e, "plug-ins: a {} provider could not be loaded and is skipped: {}",
                        service.getSimpleName(), e.getMessage());
                if (++failures >= MAX_CONSECUTIVE_FAILURES) {
                    Logger.error("plug-ins: giving up on loading {} providers after {} failures in a row",
                            service.getSimpleName(), failures);
                    return;
                }
                continue;
            }
            if (seen.add(provider.getClass().getName())) {
                sink.add(provider);
            }
        }
    }
}
