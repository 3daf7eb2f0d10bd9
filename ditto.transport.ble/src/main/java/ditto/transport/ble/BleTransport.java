package ditto.transport.ble;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import ditto.api.ConnectionType;
import ditto.api.DittoException;
import ditto.api.DittoLogger;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportStatus;

/**
 * The Bluetooth LE transport of one Ditto instance.
 *
 * <p>Role and invariants: on its first {@link #start()} it detects the host's Bluetooth support
 * ({@link BluetoothHost}) and logs the result once; from then on {@link #status()} reports that
 * result. It never opens a link: this build has no Bluetooth driver, and it says so rather than
 * pretending. Thread-safe through its monitor.
 */
final class BleTransport implements Transport {
    private final Supplier<BluetoothHost> detector;
    private BluetoothHost host;
    private boolean logged;
    private boolean started;
    private boolean closed;

    BleTransport(Supplier<BluetoothHost> detector) {
        this.detector = detector;
    }

    @Override
    public ConnectionType connectionType() {
        return ConnectionType.BLUETOOTH;
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new DittoException(ErrorCode.CLOSED, "ble transport: cannot start: the transport is closed");
        }
        if (started) {
            return;
        }
        started = true;
        BluetoothHost known = host();
        if (!logged) {
            logged = true;
            if (known.canLink()) {
                DittoLogger.infof("ble transport: Bluetooth adapter %s available", String.join(", ", known.adapters()));
            } else {
                DittoLogger.infof("ble transport: unavailable on this host: %s", known.reason());
            }
        }
    }

    @Override
    public synchronized void stop() {
        started = false;
    }

    @Override
    public void reconfigure(TransportConfig config) {
        Objects.requireNonNull(config, "config");
    }

    @Override
    public synchronized TransportStatus status() {
        BluetoothHost known = host();
        return new TransportStatus(BleTransportProvider.ID, ConnectionType.BLUETOOTH, known.canLink(),
                known.canLink() ? Optional.empty() : Optional.of(known.reason()), List.of());
    }

    private BluetoothHost host() {
        if (host == null) {
            host = detector.get();
        }
        return host;
    }

    @Override
    public synchronized void close() {
        started = false;
        closed = true;
    }
}
