package ditto.engine;

import java.nio.file.Path;
import java.util.ServiceLoader;

import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoException;
import ditto.api.DittoFactory;

/**
 * Child-JVM entry point of {@link DittoEngineFactoryTest}: runs on the plain class path, finds the
 * engine the way applications do ({@link Ditto#open} through {@code ServiceLoader} and
 * {@code META-INF/services}), prints the plug-ins the engine's own ServiceLoader bootstrap found,
 * then tries to open the directory given as first argument and prints the outcome.
 */
public final class OpenInChildProcess {
    private OpenInChildProcess() {
    }

    public static void main(String[] args) {
        DittoFactory factory = ServiceLoader.load(DittoFactory.class).findFirst().orElseThrow();
        System.out.println("factory: " + factory.getClass().getName());
        System.out.println("plugins: " + factory.plugins());
        DittoConfig config = DittoConfig.defaults().withDatabaseId(args[1]).withPersistenceDirectory(Path.of(args[0]));
        try (Ditto ditto = Ditto.open(config)) {
            System.out.println("opened " + ditto.absolutePersistenceDirectory());
        } catch (DittoException e) {
            System.out.println("failed " + e.code().wireName() + ": " + e.getMessage());
        }
    }
}
