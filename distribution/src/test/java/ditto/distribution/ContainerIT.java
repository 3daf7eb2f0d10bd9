package ditto.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.Bundle;

/**
 * Boots the real container (Felix, SCR, ConfigAdmin, FileInstall, Gogo) from a copy of the
 * built distribution and checks the product in it: every bundle active, the engine's
 * {@code DittoFactory} service present with every deployed plug-in, and a transport that
 * leaves and comes back both through FileInstall ({@code deploy/}) and through the OSGi API.
 *
 * <p>The methods share one container and run in order: after the OSGi-API swap the LAN bundle
 * is no longer managed by FileInstall, so the FileInstall swap comes first. Every method leaves
 * the LAN transport deployed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerIT {

    private static final String LAN = "ditto.transport.lan";

    private RunningContainer container;

    @BeforeAll
    void boot() throws Exception {
        container = RunningContainer.boot("container");
    }

    @AfterAll
    void stop() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    @Test
    @Order(1)
    void everyBundleIsActiveAndEveryFragmentResolved() {
        // when
        container.awaitAllActive();

        // then
        Bundle[] bundles = container.context.getBundles();
        assertTrue(Arrays.stream(bundles).anyMatch(Distribution::isFragment),
                "the tinylog-impl fragment should be installed");
        for (Bundle bundle : bundles) {
            int expected = Distribution.isFragment(bundle) ? Bundle.RESOLVED : Bundle.ACTIVE;
            assertEquals(Distribution.stateName(expected), Distribution.stateName(bundle.getState()),
                    bundle.getSymbolicName() + " from " + bundle.getLocation());
            assertTrue(bundle.getBundleId() == 0 || bundle.getSymbolicName() != null,
                    "bundle without a symbolic name (not a real bundle?) from " + bundle.getLocation());
        }
    }

    @Test
    @Order(2)
    void engineRegistersTheDittoFactoryServiceWithEveryDeployedPlugin() {
        // when
        SortedMap<String, SortedSet<String>> plugins = container.settledPlugins();

        // then
        assertEquals(Set.of("identity", "storage", "transport"), plugins.keySet(), "plug-in kinds of " + plugins);
        assertEquals(new TreeSet<>(List.of("ble", "lan", "ws")), plugins.get("transport"));
        assertTrue(plugins.get("storage").containsAll(List.of("memory", "mvstore")), "storage plug-ins " + plugins);
        assertFalse(plugins.get("identity").isEmpty(), "ditto.auth should provide an identity provider: " + plugins);
    }

    @Test
    @Order(3)
    void lanJarLeavingDeployRemovesTheLanTransportAndItsReturnRestoresIt() throws Exception {
        // given
        container.awaitPlugins("the lan transport", p -> transports(p).contains("lan"));
        Path deployed = Distribution.jar(container.home.resolve("deploy"), LAN);
        Path parked = Files.createDirectories(container.home.resolve("parked")).resolve(deployed.getFileName());

        // when
        Files.move(deployed, parked);

        // then
        container.awaitPlugins("lan to leave the engine after its jar left deploy/",
                p -> !transports(p).contains("lan") && transports(p).containsAll(List.of("ble", "ws")));
        Distribution.await(RunningContainer.CHANGE, "FileInstall to uninstall " + LAN,
                () -> Distribution.bundle(container.context, LAN).isEmpty() ? Optional.of(true) : Optional.empty(),
                () -> Distribution.bundleProblems(container.context));

        // when
        Files.move(parked, deployed);

        // then
        container.awaitPlugins("lan to return after its jar came back to deploy/", p -> transports(p).contains("lan"));
        Bundle lan = Distribution.bundle(container.context, LAN).orElseThrow();
        assertEquals("ACTIVE", Distribution.stateName(lan.getState()));
    }

    @Test
    @Order(4)
    void lanBundleUninstalledAndReinstalledLeavesAndRejoinsTheEngine() throws Exception {
        // given
        container.awaitPlugins("the lan transport", p -> transports(p).contains("lan"));
        Bundle lan = Distribution.bundle(container.context, LAN).orElseThrow();
        String location = lan.getLocation();

        // when
        lan.uninstall();
        container.refresh();

        // then
        container.awaitPlugins("lan to leave the engine after uninstall", p -> !transports(p).contains("lan"));

        // when
        Bundle again = container.context.installBundle(location);
        again.start();

        // then
        container.awaitPlugins("lan to return after reinstall", p -> transports(p).contains("lan"));
        assertEquals(LAN, again.getSymbolicName());
        container.awaitAllActive();
    }

    private static SortedSet<String> transports(SortedMap<String, SortedSet<String>> plugins) {
        return plugins.getOrDefault("transport", new TreeSet<>());
    }
}
