package ditto.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ditto.api.internal.Cbor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttachmentTokenTest {
    private static final String ID = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "photo.jpg");
        m.put("size", 3L);
        m.put("thumb", new byte[] {1, 2, 3});
        m.put("tags", List.of("a", "b"));
        return m;
    }

    private static void assertInvalid(String expectedFragment, Runnable action) {
        DittoException e = assertThrows(DittoException.class, action::run);
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code(), e.getMessage());
        assertTrue(e.getMessage().startsWith("attachment token"), e.getMessage());
        assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
    }

    @Test
    void ofStoresFieldsAndLowerCasesId() {
        AttachmentToken token = AttachmentToken.of(ID.toUpperCase(java.util.Locale.ROOT), 1234, metadata());
        assertEquals(ID, token.id());
        assertEquals(1234, token.length());
        assertEquals("photo.jpg", token.metadata().get("name"));
        assertSame(token, token.toToken());
    }

    @Test
    void nullMetadataMeansEmpty() {
        assertTrue(AttachmentToken.of("00ff", 0, null).metadata().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "zz", "12 4", "０１", "0x12"})
    void rejectsIdsThatAreNotEvenHex(String id) {
        assertInvalid("id", () -> AttachmentToken.of(id, 1, null));
    }

    @Test
    void rejectsOverlongIdAndNegativeLength() {
        assertInvalid("id", () -> AttachmentToken.of("ab".repeat(65), 1, null));
        assertInvalid("negative", () -> AttachmentToken.of(ID, -1, null));
        assertThrows(NullPointerException.class, () -> AttachmentToken.of(null, 1, null));
    }

    @Test
    void metadataIsDeepCopied() {
        Map<String, Object> source = metadata();
        AttachmentToken token = AttachmentToken.of(ID, 3, source);
        ((byte[]) source.get("thumb"))[0] = 9;
        source.put("name", "changed");
        assertEquals("photo.jpg", token.metadata().get("name"));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) token.metadata().get("thumb"));
        ((byte[]) token.metadata().get("thumb"))[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) token.metadata().get("thumb"));
        assertThrows(UnsupportedOperationException.class, () -> token.metadata().put("x", 1));
    }

    @Test
    void bytesRoundTripKeepsEverythingIncludingBinaryMetadata() {
        AttachmentToken token = AttachmentToken.of(ID, 3, metadata());
        AttachmentToken back = AttachmentToken.fromBytes(token.toBytes());
        assertEquals(token, back);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) back.metadata().get("thumb"));
    }

    @Test
    void bytesAreDeterministicWhateverTheMetadataOrder() {
        Map<String, Object> forward = new LinkedHashMap<>();
        forward.put("a", 1L);
        forward.put("b", 2L);
        Map<String, Object> backward = new LinkedHashMap<>();
        backward.put("b", 2L);
        backward.put("a", 1L);
        assertArrayEquals(AttachmentToken.of(ID, 1, forward).toBytes(), AttachmentToken.of(ID, 1, backward).toBytes());
    }

    @Test
    void stringRoundTripIsJsonWithBase64ForBytes() {
        AttachmentToken token = AttachmentToken.of(ID, 3, metadata());
        String json = token.toString();
        assertTrue(json.startsWith("{\"_ditto_attachment_token\":1,\"id\":\"" + ID + "\",\"len\":3,"), json);
        AttachmentToken back = AttachmentToken.fromString(json);
        assertEquals(token.id(), back.id());
        assertEquals(token.length(), back.length());
        assertEquals(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}), back.metadata().get("thumb"));
        assertEquals(List.of("a", "b"), back.metadata().get("tags"));
        AttachmentToken plain = AttachmentToken.of(ID, 7, Map.of("k", "v"));
        assertEquals(plain, AttachmentToken.fromString(plain.toString()));
    }

    @Test
    void mapFormRoundTripsAndIsRecognized() {
        AttachmentToken token = AttachmentToken.of(ID, 3, metadata());
        Map<String, Object> map = token.toMap();
        assertTrue(AttachmentToken.isToken(map));
        assertFalse(AttachmentToken.isToken(Map.of("id", ID)));
        assertFalse(AttachmentToken.isToken("text"));
        assertEquals(token, AttachmentToken.fromMap(map));
        assertThrows(UnsupportedOperationException.class, () -> map.put("x", 1));
    }

    @Test
    void fromMapAcceptsIntegerLengthAndMissingMetadata() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(AttachmentToken.MARKER_KEY, 1L);
        map.put("id", "abcd");
        map.put("len", 5);
        assertEquals(AttachmentToken.of("abcd", 5, null), AttachmentToken.fromMap(map));
    }

    @Test
    void rejectsMalformedCborWithOffset() {
        assertInvalid("offset", () -> AttachmentToken.fromBytes(new byte[0]));
        byte[] valid = AttachmentToken.of(ID, 3, metadata()).toBytes();
        assertInvalid("offset", () -> AttachmentToken.fromBytes(Arrays.copyOf(valid, valid.length - 2)));
        byte[] trailing = Arrays.copyOf(valid, valid.length + 1);
        assertInvalid("offset", () -> AttachmentToken.fromBytes(trailing));
    }

    @Test
    void rejectsCborThatIsNotATokenMap() {
        assertInvalid("expected a map", () -> AttachmentToken.fromBytes(Cbor.encode(42L)));
        assertInvalid("missing", () -> AttachmentToken.fromBytes(Cbor.encode(Map.of("id", ID, "len", 1L))));
    }

    @Test
    void rejectsWrongEntries() {
        Map<String, Object> good = new LinkedHashMap<>(AttachmentToken.of(ID, 3, null).toMap());

        Map<String, Object> version = new LinkedHashMap<>(good);
        version.put(AttachmentToken.MARKER_KEY, 2L);
        assertInvalid("version", () -> AttachmentToken.fromBytes(Cbor.encode(version)));

        Map<String, Object> id = new LinkedHashMap<>(good);
        id.put("id", 12L);
        assertInvalid("'id' must be a string", () -> AttachmentToken.fromBytes(Cbor.encode(id)));

        Map<String, Object> badHex = new LinkedHashMap<>(good);
        badHex.put("id", "xyz0");
        assertInvalid("hexadecimal", () -> AttachmentToken.fromBytes(Cbor.encode(badHex)));

        Map<String, Object> len = new LinkedHashMap<>(good);
        len.put("len", "3");
        assertInvalid("'len' must be an integer", () -> AttachmentToken.fromBytes(Cbor.encode(len)));

        Map<String, Object> negative = new LinkedHashMap<>(good);
        negative.put("len", -3L);
        assertInvalid("negative", () -> AttachmentToken.fromBytes(Cbor.encode(negative)));

        Map<String, Object> meta = new LinkedHashMap<>(good);
        meta.put("metadata", List.of());
        assertInvalid("'metadata' must be a map", () -> AttachmentToken.fromBytes(Cbor.encode(meta)));

        Map<String, Object> extra = new LinkedHashMap<>(good);
        extra.put("extra", true);
        assertInvalid("unknown entry 'extra'", () -> AttachmentToken.fromBytes(Cbor.encode(extra)));
    }

    @Test
    void rejectsMalformedJsonWithOffset() {
        assertInvalid("offset", () -> AttachmentToken.fromString("{\"id\": "));
        assertInvalid("offset", () -> AttachmentToken.fromString(""));
        assertInvalid("expected a map", () -> AttachmentToken.fromString("[1,2]"));
        assertInvalid("missing", () -> AttachmentToken.fromString("{\"id\":\"ab\",\"len\":1}"));
    }

    @Test
    void equalityIsByIdLengthAndMetadataContent() {
        AttachmentToken a = AttachmentToken.of(ID, 3, Map.of("b", new byte[] {1}));
        AttachmentToken b = AttachmentToken.of(ID.toUpperCase(java.util.Locale.ROOT), 3, Map.of("b", new byte[] {1}));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, AttachmentToken.of(ID, 4, Map.of("b", new byte[] {1})));
        assertNotEquals(a, AttachmentToken.of(ID, 3, Map.of("b", new byte[] {2})));
        assertNotEquals(a, AttachmentToken.of("00", 3, Map.of("b", new byte[] {1})));
    }
}
