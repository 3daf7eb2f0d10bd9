package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PeerOSTest {

    @Test
    void usesTheReferenceWireNames() {
        assertEquals("", PeerOS.UNKNOWN.wireName());
        assertEquals("Generic", PeerOS.GENERIC.wireName());
        assertEquals("iOS", PeerOS.IOS.wireName());
        assertEquals("tvOS", PeerOS.TVOS.wireName());
        assertEquals("Android", PeerOS.ANDROID.wireName());
        assertEquals("Linux", PeerOS.LINUX.wireName());
        assertEquals("Windows", PeerOS.WINDOWS.wireName());
        assertEquals("macOS", PeerOS.MACOS.wireName());
    }

    @Test
    void fromWireRoundTripsAndMapsUnknownNamesToUnknown() {
        for (PeerOS os : PeerOS.values()) {
            assertEquals(os, PeerOS.fromWire(os.wireName()));
        }
        assertEquals(PeerOS.UNKNOWN, PeerOS.fromWire("visionOS"));
        assertEquals(PeerOS.UNKNOWN, PeerOS.fromWire("linux"));
        assertEquals(PeerOS.UNKNOWN, PeerOS.fromWire(null));
    }

    @Test
    void recognizesTheHostOperatingSystem() {
        assertEquals(PeerOS.LINUX, PeerOS.fromOsName("Linux", "Eclipse Adoptium"));
        assertEquals(PeerOS.WINDOWS, PeerOS.fromOsName("Windows 11", "Oracle Corporation"));
        assertEquals(PeerOS.MACOS, PeerOS.fromOsName("Mac OS X", "Homebrew"));
        assertEquals(PeerOS.ANDROID, PeerOS.fromOsName("Linux", "The Android Project"));
        assertEquals(PeerOS.GENERIC, PeerOS.fromOsName("FreeBSD", "FreeBSD"));
        assertEquals(PeerOS.fromOsName(System.getProperty("os.name"), System.getProperty("java.vendor")), PeerOS.current());
    }
}
