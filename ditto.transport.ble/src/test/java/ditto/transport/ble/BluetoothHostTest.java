package ditto.transport.ble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BluetoothHostTest {

    @TempDir
    Path sysfs;

    @Test
    void reportsNonLinuxHostsUnsupported() {
        BluetoothHost host = BluetoothHost.detect("Mac OS X", sysfs);
        assertFalse(host.canLink());
        assertTrue(host.adapters().isEmpty());
        assertTrue(host.reason().contains("only on Linux") && host.reason().contains("Mac OS X"), host.reason());
    }

    @Test
    void reportsNoAdapterWhenTheSysfsDirectoryIsMissing() {
        BluetoothHost host = BluetoothHost.detect("Linux", sysfs.resolve("absent"));
        assertFalse(host.canLink());
        assertTrue(host.reason().startsWith("no Bluetooth adapter found"), host.reason());
    }

    @Test
    void reportsNoAdapterWhenTheDirectoryListsNoController() throws Exception {
        Files.createDirectory(sysfs.resolve("rfcomm"));
        BluetoothHost host = BluetoothHost.detect("Linux", sysfs);
        assertTrue(host.adapters().isEmpty());
        assertTrue(host.reason().startsWith("no Bluetooth adapter found"), host.reason());
    }

    @Test
    void findsControllersButStillSaysNoDriverIsBuiltIn() throws Exception {
        Files.createDirectory(sysfs.resolve("hci1"));
        Files.createDirectory(sysfs.resolve("hci0"));
        Files.createDirectory(sysfs.resolve("hci0:256"));
        BluetoothHost host = BluetoothHost.detect("Linux", sysfs);
        assertEquals(List.of("hci0", "hci1"), host.adapters());
        assertFalse(host.canLink());
        assertTrue(host.reason().contains("hci0, hci1") && host.reason().contains("no BlueZ GATT driver"), host.reason());
    }

    @Test
    void detectsThisHost() {
        BluetoothHost host = BluetoothHost.detect();
        assertFalse(host.canLink());
        assertFalse(host.reason().isBlank());
        if (!Files.isDirectory(BluetoothHost.LINUX_SYSFS)) {
            assertTrue(host.adapters().isEmpty());
        }
    }
}
