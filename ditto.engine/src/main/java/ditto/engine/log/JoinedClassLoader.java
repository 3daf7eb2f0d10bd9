package ditto.engine.log;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A class loader that sees what two other loaders see, asking {@code first} before
 * {@code second}; used only as the thread context class loader while tinylog initialises.
 *
 * <p>In OSGi tinylog's bundle (with the tinylog-impl fragment) holds tinylog's service files but
 * cannot load {@code ditto.engine.log.TinylogBridgeWriter}, while the engine bundle can load the
 * writer but not see tinylog-impl's resources. tinylog searches the context loader first and
 * loads every class named in the service files or the configuration with the loader that had
 * the service file, so this union lets it find both. Resources from both loaders are listed
 * once each (compared by their external form, never by {@link URL#equals}, which may resolve
 * host names). The bootstrap loader is the parent, so {@code java.*} comes from the JDK.
 */
final class JoinedClassLoader extends ClassLoader {
    private final ClassLoader first;
    private final ClassLoader second;

    JoinedClassLoader(ClassLoader first, ClassLoader second) {
        super(null);
        this.first = first;
        this.second = second;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        try {
            return first.loadClass(name);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            return second.loadClass(name);
        }
    }

    @Override
    protected URL findResource(String name) {
        URL url = first.getResource(name);
        return url != null ? url : second.getResource(name);
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        List<URL> urls = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ClassLoader loader : new ClassLoader[] {first, second}) {
            for (URL url : Collections.list(loader.getResources(name))) {
                if (seen.add(url.toExternalForm())) {
                    urls.add(url);
                }
            }
        }
        return Collections.enumeration(urls);
    }
}
