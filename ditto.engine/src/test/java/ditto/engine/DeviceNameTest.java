package ditto.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class DeviceNameTest {

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void keepsNamesThatFitAndCutsAsciiAtTwentyFourBytes() {
        // given names of exactly 24 and of 25 ASCII bytes
        String fits = "abcdefghijklmnopqrstuvwx";
        String tooLong = fits + "y";

        // when truncated, then the first is unchanged and the second loses its last character
        assertEquals(fits, DeviceName.truncate(fits));
        assertEquals(fits, DeviceName.truncate(tooLong));
        assertEquals("", DeviceName.truncate(""));
    }

    @Test
    void neverSplitsAMultiByteCharacter() {
        // given names whose 24-byte boundary falls inside a character
        String twoByte = "é".repeat(13);                           // 26 bytes
        String threeByte = "a".repeat(23) + "€";                   // 23 + 3 bytes
        String fourByte = "\uD83D\uDE00".repeat(7);                // 7 emoji, 28 bytes (surrogate pairs)

        // when truncated
        String a = DeviceName.truncate(twoByte);
        String b = DeviceName.truncate(threeByte);
        String c = DeviceName.truncate(fourByte);

        // then only whole characters remain, as many as fit
        assertEquals("é".repeat(12), a);
        assertEquals("a".repeat(23), b);
        assertEquals("\uD83D\uDE00".repeat(6), c);
        assertEquals(24, bytes(c));
        assertFalse(Character.isHighSurrogate(c.charAt(c.length() - 1)));
    }

    @Test
    void keepsALetterTogetherWithItsCombiningAccent() {
        // given "x" followed by eight 'e' + combining acute (3 bytes each): 25 bytes
        String name = "x" + "e\u0301".repeat(8);

        // when truncated
        String truncated = DeviceName.truncate(name);

        // then the last letter goes together with its accent
        assertEquals("x" + "e\u0301".repeat(7), truncated);
        assertEquals(22, bytes(truncated));
    }

    @Test
    void keepsAnEmojiSequenceWholeOrDropsIt() {
        // given two family emoji, each a ZWJ sequence of 18 bytes
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
        assertEquals(18, bytes(family));

        // when truncated, then exactly one whole family remains
        assertEquals(family, DeviceName.truncate(family + family));
    }

    @Test
    void keepsSkinTonesAndFlagsWithTheirBase() {
        // given a waving hand with skin tone (8 bytes) after 20 ASCII bytes, and flags (8 bytes each)
        String toned = "a".repeat(20) + "\uD83D\uDC4B\uD83C\uDFFD";
        String flags = "\uD83C\uDDE9\uD83C\uDDEA".repeat(3) + "x";    // DE DE DE x: 25 bytes

        // when truncated, then the hand goes with its tone, and flags are never halved
        assertEquals("a".repeat(20), DeviceName.truncate(toned));
        assertEquals("\uD83C\uDDE9\uD83C\uDDEA".repeat(3), DeviceName.truncate(flags));
        assertEquals("\uD83C\uDDE9\uD83C\uDDEA".repeat(2),
                DeviceName.truncate("ab" + "\uD83C\uDDE9\uD83C\uDDEA".repeat(3)).substring(2));
    }

    @Test
    void cutsASingleOversizedClusterBetweenCodePoints() {
        // given one base letter with 30 combining marks (61 bytes, one grapheme cluster)
        String name = "a" + "\u0301".repeat(30);

        // when truncated
        String truncated = DeviceName.truncate(name);

        // then whole code points fill the 24 bytes as far as they go
        assertEquals("a" + "\u0301".repeat(11), truncated);
        assertEquals(23, bytes(truncated));
    }

    @Test
    void defaultNameIsNonEmptyAndFits() {
        // when asking for the default device name
        String name = DeviceName.defaultName();

        // then it is this host's name (or the fallback), within the limit
        assertFalse(name.isEmpty());
        assertTrue(bytes(name) <= DeviceName.MAX_BYTES, name);
    }
}
