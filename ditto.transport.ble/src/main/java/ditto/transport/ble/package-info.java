/**
 * The Bluetooth LE transport (provider id {@code ble}, connection type
 * {@link ditto.api.ConnectionType#BLUETOOTH}).
 *
 * <p><b>What this version does.</b> On its first start the transport detects whether the host
 * can do Bluetooth LE and logs the answer once; {@link ditto.api.spi.transport.Transport#status()}
 * reports the transport unavailable with the reason. On Linux a Bluetooth controller appears as
 * a directory {@code hciN} under {@code /sys/class/bluetooth}; none means no adapter. Other
 * operating systems are unsupported. Even with an adapter present this build makes no links: the
 * BlueZ GATT driver and the simulated radio arrive with a later version, and the status says so.
 *
 * <p><b>Configuration keys.</b> The engine creates this transport when
 * {@code peerToPeer.bluetoothLe.enabled} is on. No other key applies to it; {@code reconfigure}
 * accepts every configuration.
 *
 * <p><b>Chunk framing for small MTUs.</b> A Bluetooth LE write carries at most MTU bytes (20 with
 * the default ATT MTU of 23, up to 512), so each frame is split into chunks by
 * {@code Fragmenter} and rejoined by {@code Reassembler}. Every chunk starts with one header byte:
 * <pre>
 *   bit  7 6 | 5 4 3 2 1 0
 *        kind | sequence (0..63, +1 per chunk of the link direction, wrapping)
 *
 *   kind 00 ONLY   the rest of the chunk is one whole frame (possibly empty)
 *        01 FIRST  followed by the frame's total length (4 bytes, big-endian, unsigned),
 *                  then the first part of the frame
 *        10 MIDDLE a further part; the frame is not complete after it
 *        11 LAST   the final part; the frame is complete after it
 * </pre>
 * A frame that fits in {@code MTU - 1} bytes travels as one ONLY chunk; a larger one as a FIRST
 * chunk with {@code MTU - 5} bytes of it, MIDDLE chunks of {@code MTU - 1} bytes and a LAST chunk
 * with the rest. The receiver refuses, with a {@code PROTOCOL} error after which the link must be
 * closed: an empty chunk or one longer than the MTU; a sequence number other than the expected
 * one (a lost, repeated or reordered chunk); ONLY or FIRST while a frame is incomplete; MIDDLE or
 * LAST without a FIRST; a declared length above the maximum frame size (checked before anything
 * is allocated) or not above the FIRST chunk's own payload; MIDDLE or LAST without payload; a
 * chunk that overruns the declared length, a MIDDLE that completes it or a LAST that does not.
 */
package ditto.transport.ble;
