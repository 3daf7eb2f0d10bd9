package ditto.transport.ble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ditto.api.ConnectionType;
import ditto.api.DittoException;
import ditto.api.DittoLogger;
import ditto.api.ErrorCode;
import ditto.api.LogLevel;
import ditto.api.spi.transport.TransportProvider;
import ditto.api.spi.transport.TransportStatus;

class BleTransportTest {

    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void removeLogCallback() {
        DittoLogger.setCustomLogCallback(null);
    }

    @Test
    void reportsUnavailableWithTheReasonAndLogsItOnce() {
        // given a host without adapter
        AtomicInteger detections = new AtomicInteger();
        BleTransport transport = new BleTransport(() -> {
            detections.incrementAndGet();
            return new BluetoothHost(List.of(), "no Bluetooth adapter found: test");
        });
        DittoLogger.setCustomLogCallback((level, message) -> {
            if (message.startsWith("ble transport")) {
                logged.add(level + " " + message);
            }
        });
        // when started, stopped and started again
        transport.start();
        transport.stop();
        transport.start();
        TransportStatus status = transport.status();
        // then
        assertFalse(status.available());
        assertEquals("no Bluetooth adapter found: test", status.unavailableReason().orElseThrow());
        assertEquals("ble", status.transportId());
        assertEquals(ConnectionType.BLUETOOTH, status.connectionType());
        assertTrue(status.links().isEmpty());
        assertEquals(1, detections.get());
        assertEquals(List.of(LogLevel.INFO + " ble transport: unavailable on this host: no Bluetooth adapter found: test"),
                logged);
        transport.close();
    }

    @Test
    void refusesToStartAfterClose() {
        BleTransport transport = new BleTransport(BluetoothHost::detect);
        transport.close();
        transport.close();
        DittoException e = assertThrows(DittoException.class, transport::start);
        assertEquals(ErrorCode.CLOSED, e.code());
    }

    @Test
    void providerIsFoundThroughTheModuleDescriptorAndServiceFile() throws Exception {
        TransportProvider provider = new BleTransportProvider();
        assertEquals("ble", provider.id());
        Module module = BleTransportProvider.class.getModule();
        if (module.isNamed()) {
            assertTrue(module.getDescriptor().provides().stream().anyMatch(p ->
                    p.service().equals(TransportProvider.class.getName())
                            && p.providers().contains(BleTransportProvider.class.getName())));
        }
        try (var in = BleTransportProvider.class.getResourceAsStream(
                "/META-INF/services/" + TransportProvider.class.getName())) {
            assertEquals(BleTransportProvider.class.getName(), new String(in.readAllBytes()).trim());
        }
    }
}
