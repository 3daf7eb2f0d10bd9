package ditto.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LauncherTest {

    private static final Path HOME = Path.of("/opt/ditto");

    @Test
    void defaultsPointTheCacheAndFileInstallIntoTheDistributionFolder() {
        // when
        Map<String, String> properties = Launcher.frameworkProperties(HOME, Map.of(), Map.of());

        // then
        assertEquals("/opt/ditto", properties.get("ditto.home"));
        assertEquals("/opt/ditto/felix-cache", properties.get("org.osgi.framework.storage"));
        assertEquals("onFirstInit", properties.get("org.osgi.framework.storage.clean"));
        assertEquals("/opt/ditto/deploy,/opt/ditto/conf", properties.get("felix.fileinstall.dir"));
        assertEquals("false", properties.get("felix.fileinstall.enableConfigSave"));
    }

    @Test
    void systemPropertiesWithAPassThroughPrefixReplaceTheDefaultsAndOthersAreIgnored() {
        // given
        Map<String, String> system = Map.of(
                "org.osgi.framework.storage", "/var/cache/ditto",
                "gosh.args", "--nointeractive",
                "ditto.log.level", "debug",
                "felix.fileinstall.poll", "250",
                "user.home", "/root",
                "java.version", "17");

        // when
        Map<String, String> properties = Launcher.frameworkProperties(HOME, system, Map.of());

        // then
        assertEquals("/var/cache/ditto", properties.get("org.osgi.framework.storage"));
        assertEquals("--nointeractive", properties.get("gosh.args"));
        assertEquals("debug", properties.get("ditto.log.level"));
        assertEquals("250", properties.get("felix.fileinstall.poll"));
        assertFalse(properties.containsKey("user.home"));
        assertFalse(properties.containsKey("java.version"));
    }

    @Test
    void overridesWinOverSystemProperties() {
        // when
        Map<String, String> properties = Launcher.frameworkProperties(HOME,
                Map.of("felix.fileinstall.poll", "250"), Map.of("felix.fileinstall.poll", "100"));

        // then
        assertEquals("100", properties.get("felix.fileinstall.poll"));
    }
}
