package ditto.transport.ble;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What this host offers for Bluetooth LE, found by looking at the operating system.
 *
 * <p>Role and invariants: a detection result, immutable. On Linux the kernel lists each
 * Bluetooth controller that BlueZ can drive as a directory {@code hciN} under
 * {@code /sys/class/bluetooth}; no directory means no adapter. Other operating systems are not
 * supported by this transport. {@link #canLink()} is false in every case for this version: even
 * with an adapter present, the BlueZ GATT driver is not part of this build, and the transport
 * says so instead of pretending.
 *
 * @param adapters the adapter names found, such as {@code hci0}; empty when none
 * @param reason why this host cannot make Bluetooth LE links, for diagnostics; never null
 */
record BluetoothHost(List<String> adapters, String reason) {

    /** Where Linux lists Bluetooth controllers. */
    static final Path LINUX_SYSFS = Path.of("/sys/class/bluetooth");

    BluetoothHost {
        adapters = List.copyOf(adapters);
        Objects.requireNonNull(reason, "reason");
    }

    /** Detects the Bluetooth LE support of the running host. */
    static BluetoothHost detect() {
        return detect(System.getProperty("os.name", "unknown"), LINUX_SYSFS);
    }

    /**
     * Detects Bluetooth LE support for a given operating system name and sysfs directory.
     *
     * @param osName the value of the {@code os.name} system property
     * @param sysfsBluetooth the directory that lists controllers on Linux
     * @return the result, never null
     */
    static BluetoothHost detect(String osName, Path sysfsBluetooth) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return new BluetoothHost(List.of(), "Bluetooth LE is supported only on Linux with BlueZ; this host runs "
                    + osName);
        }
        List<String> adapters;
        try {
            adapters = listAdapters(sysfsBluetooth);
        } catch (IOException e) {
            return new BluetoothHost(List.of(), "cannot list Bluetooth adapters in " + sysfsBluetooth + ": " + e);
        }
        if (adapters.isEmpty()) {
            return new BluetoothHost(adapters, "no Bluetooth adapter found: " + sysfsBluetooth
                    + " lists no hci controller");
        }
        return new BluetoothHost(adapters, "Bluetooth adapter " + String.join(", ", adapters)
                + " present, but this build has no BlueZ GATT driver; Bluetooth LE links are not available yet");
    }

    /** Tells whether this host can make Bluetooth LE links with this build. */
    boolean canLink() {
        return false;
    }

    private static List<String> listAdapters(Path sysfsBluetooth) throws IOException {
        if (!Files.isDirectory(sysfsBluetooth)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(sysfsBluetooth)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("hci[0-9]+"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }
}
