package ditto.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DittoConfigConnectTest {

    @ParameterizedTest
    @ValueSource(strings = {"ws://host", "wss://host:443/path", "http://10.0.0.1:8080", "HTTPS://Example.com"})
    void serverAcceptsWebSocketAndHttpUrls(String url) {
        assertEquals(URI.create(url), DittoConfigConnect.server(url).url());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://host", "tcp://host:4040", "host:4040", "/relative/path", "wss:///no-host"})
    void serverRejectsOtherUrls(String url) {
        DittoException e = assertThrows(DittoException.class, () -> new DittoConfigConnect.Server(URI.create(url)));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains(url), e.getMessage());
    }

    @Test
    void serverRejectsUnparsableText() {
        DittoException e = assertThrows(DittoException.class, () -> DittoConfigConnect.server("wss://bad host"));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertThrows(NullPointerException.class, () -> new DittoConfigConnect.Server(null));
    }

    @Test
    void smallPeersKeyIsCopiedInAndOut() {
        byte[] key = {1, 2, 3};
        DittoConfigConnect.SmallPeersOnly connect = new DittoConfigConnect.SmallPeersOnly(key);
        key[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, connect.privateKey());
        connect.privateKey()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, connect.privateKey());
        assertTrue(connect.hasPrivateKey());
    }

    @Test
    void smallPeersNullKeyMeansNoSecret() {
        DittoConfigConnect.SmallPeersOnly connect = DittoConfigConnect.smallPeersOnly();
        assertNull(connect.privateKey());
        assertFalse(connect.hasPrivateKey());
        assertEquals(new DittoConfigConnect.SmallPeersOnly(null), connect);
    }

    @Test
    void smallPeersEqualityIsByKeyContent() {
        assertEquals(DittoConfigConnect.smallPeersOnly(new byte[] {1, 2}), DittoConfigConnect.smallPeersOnly(new byte[] {1, 2}));
        assertEquals(DittoConfigConnect.smallPeersOnly(new byte[] {1, 2}).hashCode(),
                DittoConfigConnect.smallPeersOnly(new byte[] {1, 2}).hashCode());
        assertNotEquals(DittoConfigConnect.smallPeersOnly(new byte[] {1, 2}), DittoConfigConnect.smallPeersOnly(new byte[] {1}));
        assertNotEquals(DittoConfigConnect.smallPeersOnly(new byte[] {1}), DittoConfigConnect.smallPeersOnly());
    }

    @Test
    void smallPeersToStringHidesKey() {
        String text = DittoConfigConnect.smallPeersOnly(new byte[] {65, 66, 67}).toString();
        assertEquals("SmallPeersOnly[privateKey=<3 bytes>]", text);
        assertEquals("SmallPeersOnly[privateKey=none]", DittoConfigConnect.smallPeersOnly().toString());
    }

    @Test
    void kindsAreDistinguishableBySwitch() {
        DittoConfigConnect connect = DittoConfigConnect.server("wss://h");
        String kind;
        if (connect instanceof DittoConfigConnect.Server s) {
            kind = "server " + s.url().getHost();
        } else {
            kind = "small";
        }
        assertEquals("server h", kind);
    }
}
