package ditto.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.ConnectionType;
import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.spi.auth.IdentityParameters;
import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.auth.IdentityVerifier;
import ditto.api.spi.storage.StorageProvider;
import ditto.api.spi.transport.TransportProvider;
import ditto.engine.plugin.ProviderSource;

class DittoEngineFactoryTest {

    @TempDir
    Path temp;

    /** A ServiceLoader stand-in that serves fixed lists and records what was asked. */
    static final class FixedSource implements ProviderSource {
        final Map<Class<?>, List<?>> providers;
        final List<Class<?>> asked = new ArrayList<>();

        FixedSource(Map<Class<?>, List<?>> providers) {
            this.providers = providers;
        }

        @Override
        public <S> List<S> load(Class<S> service) {
            asked.add(service);
            List<S> result = new ArrayList<>();
            for (Object p : providers.getOrDefault(service, List.of())) {
                result.add(service.cast(p));
            }
            return result;
        }
    }

    record DevIdentity() implements IdentityProvider {
        @Override
        public String id() {
            return "dev";
        }

        @Override
        public IdentityVerifier create(IdentityParameters parameters) {
            throw new UnsupportedOperationException("not used");
        }
    }

    @Test
    void bootstrapLoadsEveryKindFromItsSourceAndOpensWithIt() {
        // given a source offering one provider of each kind
        TreeMapStorageProvider storage = new TreeMapStorageProvider();
        FixedSource source = new FixedSource(Map.of(
                TransportProvider.class, List.of(new FakeTransportProvider("lan", ConnectionType.ACCESS_POINT)),
                StorageProvider.class, List.of(storage),
                IdentityProvider.class, List.of(new DevIdentity())));

        // when the factory is built on it
        DittoEngineFactory factory = new DittoEngineFactory(source);

        // then it asked for the three SPI kinds and reports what it found
        assertEquals(Set.of(TransportProvider.class, StorageProvider.class, IdentityProvider.class),
                Set.copyOf(source.asked));
        assertEquals(Map.of("transport", Set.of("lan"), "storage", Set.of("treemap"), "identity", Set.of("dev")),
                factory.plugins());

        // and it opens instances over those plug-ins
        try (Ditto ditto = factory.open(DittoConfig.defaults().withDatabaseId(UUID.randomUUID().toString())
                .withPersistenceDirectory(temp.resolve("db")))) {
            assertFalse(ditto.isClosed());
            assertEquals(1, storage.opened.size());
        }
    }

    @Test
    void serviceLoaderBootstrapFindsNothingExtraOnThisModulePathWithoutFailing() {
        // given the real ServiceLoader bootstrap on the test module path, where only the two storage
        // backends the store's tests use, the LAN transport the sync tests use and the identity
        // providers the login tests use are deployed (test-scope dependencies)
        // (this also proves the engine module declares 'uses' for each SPI: ServiceLoader refuses otherwise)
        DittoEngineFactory factory = new DittoEngineFactory();

        // then every kind is present and holds exactly those
        assertEquals(Map.of("identity", Set.of("__ditto_dev_provider", "jwt", "webhook"), "storage", Set.of("memory", "mvstore"),
                "transport", Set.of("lan")),
                factory.plugins(), factory.plugins().toString());
        assertSame(factory.engine().registry(), factory.engine().registry());
    }

    @Test
    void classPathApplicationFindsTheEngineAndItsPlugInsAndIsLockedOutOfAnOpenDirectory() throws Exception {
        // given an instance of this JVM holding a directory
        TreeMapStorageProvider storage = new TreeMapStorageProvider();
        DittoEngineFactory factory = new DittoEngineFactory(
                new FixedSource(Map.of(StorageProvider.class, List.of(storage))));
        Path dir = temp.resolve("shared");
        String databaseId = UUID.randomUUID().toString();
        DittoConfig config = DittoConfig.defaults().withDatabaseId(databaseId).withPersistenceDirectory(dir);
        Ditto holder = factory.open(config);
        String whileHeld;
        try {
            // when a class-path application in another process opens the same directory
            whileHeld = runChild(dir, databaseId);
        } finally {
            holder.close();
        }
        // and again once this JVM has closed it
        String afterClose = runChild(dir, databaseId);

        // then it found the engine and the test storage plug-in through META-INF/services,
        assertTrue(whileHeld.contains("factory: " + DittoEngineFactory.class.getName()), whileHeld);
        assertTrue(whileHeld.contains("plugins: {identity=[__ditto_dev_provider, jwt, webhook], storage=[memory, mvstore, treemap], transport=[lan]}"),
                whileHeld);
        // was refused while the directory was held, naming it and this process,
        assertTrue(whileHeld.contains("failed persistence_directory: persistence directory " + dir), whileHeld);
        assertTrue(whileHeld.contains("in process " + ProcessHandle.current().pid()), whileHeld);
        // and opened it afterwards
        assertTrue(afterClose.contains("opened " + dir), afterClose);
    }

    /** Runs {@link OpenInChildProcess} on a plain class path made of this JVM's module and class path. */
    private String runChild(Path dir, String databaseId) throws IOException, InterruptedException {
        Path testClasses = Path.of(OpenInChildProcess.class.getProtectionDomain().getCodeSource().getLocation()
                .getPath());
        List<String> classPath = new ArrayList<>();
        classPath.add(testClasses.toString());
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                classPath.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, classPath), OpenInChildProcess.class.getName(),
                dir.toString(), databaseId);
        Process process = new ProcessBuilder(command).directory(temp.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
