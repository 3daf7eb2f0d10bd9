package ditto.transport.lan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class TxtRecordTest {

    private static final Announcement SAMPLE = new Announcement(0x00ab_cdef_0123_4567L, 42, "pkA-key", "Laptop", 4040);

    @Test
    void mapsAnAnnouncementToTheDocumentedProperties() {
        Map<String, String> txt = TxtRecord.toProperties(SAMPLE);
        assertEquals(List.of("v", "db", "g", "pk", "dn"), List.copyOf(txt.keySet()));
        assertEquals("1", txt.get("v"));
        assertEquals("00abcdef01234567", txt.get("db"));
        assertEquals("42", txt.get("g"));
        assertEquals("pkA-key", txt.get("pk"));
        assertEquals("Laptop", txt.get("dn"));
    }

    @Test
    void roundTripsWithThePortFromTheSrvRecord() {
        Map<String, String> txt = TxtRecord.toProperties(SAMPLE);
        assertEquals(SAMPLE, TxtRecord.fromProperties(txt::get, 4040));
        Announcement maxGroup = new Announcement(-1L, 0xFFFF_FFFFL, "k", "", 1);
        assertEquals(maxGroup, TxtRecord.fromProperties(TxtRecord.toProperties(maxGroup)::get, 1));
    }

    @Test
    void acceptsAMissingDeviceName() {
        Map<String, String> txt = new HashMap<>(TxtRecord.toProperties(SAMPLE));
        txt.remove("dn");
        assertEquals("", TxtRecord.fromProperties(txt::get, 4040).deviceName());
    }

    @Test
    void rejectsMissingOrMalformedProperties() {
        assertTrue(rejection("v", null).contains("no \"v\""));
        assertTrue(rejection("v", "2").contains("unsupported version \"2\""));
        assertTrue(rejection("db", null).contains("\"db\""));
        assertTrue(rejection("db", "00ABCDEF01234567").contains("\"db\""));
        assertTrue(rejection("db", "abc").contains("\"db\""));
        assertTrue(rejection("g", null).contains("\"g\""));
        assertTrue(rejection("g", "-1").contains("\"g\""));
        assertTrue(rejection("g", "4294967296").contains("\"g\""));
        assertTrue(rejection("g", "12345678901").contains("\"g\""));
        assertTrue(rejection("pk", null).contains("\"pk\""));
        assertTrue(rejection("pk", "").contains("\"pk\""));
        assertTrue(rejection("pk", "x".repeat(251)).contains("\"pk\""));
        DittoException badPort = assertThrows(DittoException.class,
                () -> TxtRecord.fromProperties(TxtRecord.toProperties(SAMPLE)::get, 0));
        assertTrue(badPort.getMessage().contains("SRV port 0"));
    }

    private static String rejection(String key, String value) {
        Map<String, String> txt = new HashMap<>(TxtRecord.toProperties(SAMPLE));
        txt.put(key, value);
        DittoException e = assertThrows(DittoException.class, () -> TxtRecord.fromProperties(txt::get, 4040));
        assertEquals(ErrorCode.PROTOCOL, e.code());
        return e.getMessage();
    }
}
