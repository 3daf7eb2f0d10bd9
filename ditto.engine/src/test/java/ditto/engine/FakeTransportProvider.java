package ditto.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import ditto.api.ConnectionType;
import ditto.api.TransportConfig;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportProvider;
import ditto.api.spi.transport.TransportStatus;

/**
 * A test transport plug-in whose transports only record what the engine did to them and report a
 * status the test chooses. Thread-safe enough for the engine's synchronous calls.
 */
final class FakeTransportProvider implements TransportProvider {

    private final String id;
    private final ConnectionType type;
    /** Every transport this provider created, in order. */
    final List<FakeTransport> created = Collections.synchronizedList(new ArrayList<>());
    /** When set, create() throws it. */
    volatile RuntimeException failOnCreate;
    /** Links the created transports report, as their status. */
    volatile List<TransportStatus.LinkStatus> links = List.of();
    /** When set, the transports report themselves unavailable with this reason. */
    volatile String unavailableReason;

    FakeTransportProvider(String id, ConnectionType type) {
        this.id = id;
        this.type = type;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Transport create(TransportParameters parameters) {
        RuntimeException failure = failOnCreate;
        if (failure != null) {
            throw failure;
        }
        FakeTransport transport = new FakeTransport(parameters);
        created.add(transport);
        return transport;
    }

    /** Returns the one transport created so far, failing if there is not exactly one. */
    FakeTransport only() {
        if (created.size() != 1) {
            throw new AssertionError(id + ": expected one transport, got " + created.size());
        }
        return created.get(0);
    }

    @Override
    public String toString() {
        return "FakeTransportProvider[" + id + "]";
    }

    final class FakeTransport implements Transport {
        final TransportParameters parameters;
        volatile boolean started;
        volatile boolean closed;
        final List<TransportConfig> reconfigured = Collections.synchronizedList(new ArrayList<>());

        FakeTransport(TransportParameters parameters) {
            this.parameters = parameters;
        }

        @Override
        public ConnectionType connectionType() {
            return type;
        }

        @Override
        public void start() {
            started = true;
        }

        @Override
        public void stop() {
            started = false;
        }

        @Override
        public void reconfigure(TransportConfig config) {
            reconfigured.add(config);
        }

        @Override
        public TransportStatus status() {
            String reason = unavailableReason;
            return new TransportStatus(id, type, reason == null, Optional.ofNullable(reason),
                    reason == null ? links : List.of());
        }

        @Override
        public void close() {
            started = false;
            closed = true;
        }

        /** Tells whether the transport is running: started and not closed. */
        boolean running() {
            return started && !closed;
        }
    }
}
