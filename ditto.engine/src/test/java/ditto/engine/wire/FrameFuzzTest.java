package ditto.engine.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.junit.FuzzTest;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Fuzzes the frame decoder (RELIABILITY.md R12). In a normal test run Jazzer replays the corpus
 * in {@code FrameFuzzTestInputs/<method>/} (a valid frame of every message type plus every past
 * finding); with {@code JAZZER_FUZZ=1} it fuzzes, coverage-guided, and stores findings there.
 * The second target seals the input with a correct checksum first, so the fuzzer gets past the
 * CRC into the message parser. Property: a frame either decodes and encodes back to the same
 * bytes, or fails with {@code PROTOCOL}; nothing else escapes (no out-of-memory, no overflow).
 */
class FrameFuzzTest {

    @FuzzTest(maxDuration = "30m")
    void decodeRaisesOnlyProtocolErrors(byte[] input) {
        check(ByteBuffer.wrap(input));
    }

    @FuzzTest(maxDuration = "30m")
    void decodeBodyRaisesOnlyProtocolErrors(byte[] body) {
        check(FrameCodecTest.seal(body));
    }

    private static void check(ByteBuffer frame) {
        FrameCodec.Frame decoded;
        try {
            decoded = FrameCodec.decode(frame.duplicate());
        } catch (DittoException e) {
            assertEquals(ErrorCode.PROTOCOL, e.code(), e::toString);
            return;
        }
        // What decodes must re-encode to a frame that decodes to the same message.
        byte[] again = FrameCodec.encode(decoded.sequence(), decoded.message());
        FrameCodec.Frame twice = FrameCodec.decode(ByteBuffer.wrap(again));
        assertEquals(FrameCodecTest.describe(decoded.message()), FrameCodecTest.describe(twice.message()));
    }
}
