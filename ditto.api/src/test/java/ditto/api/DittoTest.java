package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DittoTest {

    @Test
    void versionComesFromFilteredResource() {
        String version = Ditto.version();
        assertNotEquals("unknown", version);
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+([-.].+)?"), version);
    }

    @Test
    void openWithoutEngineFailsWithNotAvailableAndPointsToOsgiService() {
        DittoException e = assertThrows(DittoException.class, () -> Ditto.open(DittoConfig.defaults()));
        assertEquals(ErrorCode.NOT_AVAILABLE, e.code());
        assertTrue(e.getMessage().contains("no Ditto engine"), e.getMessage());
        assertTrue(e.getMessage().contains("ditto.api.DittoFactory"), e.getMessage());
    }

    @Test
    void openValidatesConfigBeforeLookingForEngine() {
        DittoException e = assertThrows(DittoException.class,
                () -> Ditto.open(DittoConfig.defaults().withDatabaseId("not-a-uuid")));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertThrows(NullPointerException.class, () -> Ditto.open(null));
    }
}
