package ditto.engine.osgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.auth.IdentityParameters;
import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.auth.IdentityVerifier;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportProvider;
import ditto.engine.TreeMapStorageProvider;

/**
 * Drives the DS component the way SCR does (constructor, binds, activate, unbinds, deactivate) in
 * plain Java; the container IT in distribution runs it inside Felix.
 */
class DittoFactoryComponentTest {

    @TempDir
    Path temp;

    record Tp(String id) implements TransportProvider {
        @Override
        public Transport create(TransportParameters parameters) {
            throw new UnsupportedOperationException("not used");
        }
    }

    record Ip(String id) implements IdentityProvider {
        @Override
        public IdentityVerifier create(IdentityParameters parameters) {
            throw new UnsupportedOperationException("not used");
        }
    }

    @Test
    void bindAndUnbindReturnTheProviderIdsAsServiceProperties() {
        // given a fresh component (SCR constructs it; nothing is bound yet)
        DittoFactoryComponent component = new DittoFactoryComponent();

        // when SCR binds providers and activates it
        component.bindTransport(new Tp("ws"));
        Tp lan = new Tp("lan");
        component.bindTransport(lan);
        component.bindIdentity(new Ip("dev"));
        Map<String, Object> atActivation = component.activate();

        // then the service properties list the ids, sorted, as String arrays, and plugins() agrees
        assertArrayEquals(new String[] {"lan", "ws"}, (String[]) atActivation.get("ditto.plugins.transport"));
        assertArrayEquals(new String[0], (String[]) atActivation.get("ditto.plugins.storage"));
        assertArrayEquals(new String[] {"dev"}, (String[]) atActivation.get("ditto.plugins.identity"));
        assertEquals(Set.of("lan", "ws"), component.plugins().get("transport"));

        // when a transport is unbound, then the returned properties no longer list it
        Map<String, Object> afterUnbind = component.unbindTransport(lan);
        assertArrayEquals(new String[] {"ws"}, (String[]) afterUnbind.get("ditto.plugins.transport"));
        assertEquals(3, afterUnbind.size());
    }

    @Test
    void deactivationClosesEveryInstanceTheComponentOpened() {
        // given an active component with a storage plug-in and an open instance
        DittoFactoryComponent component = new DittoFactoryComponent();
        component.bindStorage(new TreeMapStorageProvider());
        component.activate();
        Ditto ditto = component.open(DittoConfig.defaults().withDatabaseId(UUID.randomUUID().toString())
                .withPersistenceDirectory(temp.resolve("db")));
        assertFalse(ditto.isClosed());

        // when SCR deactivates it (the engine bundle stops)
        component.deactivate();

        // then the instance is closed and the component opens no more
        assertTrue(ditto.isClosed());
        DittoException e = assertThrows(DittoException.class, () -> component.open(DittoConfig.defaults()
                .withDatabaseId(UUID.randomUUID().toString()).withPersistenceDirectory(temp.resolve("db2"))));
        assertEquals(ErrorCode.NOT_AVAILABLE, e.code());
    }

    @Test
    void unbindingTheStorageInUseClosesTheInstance() {
        // given an instance on the only storage plug-in
        DittoFactoryComponent component = new DittoFactoryComponent();
        TreeMapStorageProvider storage = new TreeMapStorageProvider();
        component.bindStorage(storage);
        Ditto ditto = component.open(DittoConfig.defaults().withDatabaseId(UUID.randomUUID().toString())
                .withPersistenceDirectory(temp.resolve("db")));

        // when its bundle goes away
        Map<String, Object> properties = component.unbindStorage(storage);

        // then the instance was closed before the unbind returned, and the properties list no storage
        assertTrue(ditto.isClosed());
        assertArrayEquals(new String[0], (String[]) properties.get("ditto.plugins.storage"));
    }
}
