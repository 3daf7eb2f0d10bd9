package ditto.transport.lan;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Encodes and decodes the UDP multicast discovery datagram (layout in the package
 * documentation).
 *
 * <p>Role and invariants: stateless. Datagrams come from anyone on the link, so the decoder
 * trusts nothing: it checks the total length before reading, each declared length against the
 * bytes that are really there, the magic, version, kind and port, that the datagram has no
 * trailing bytes, and that both strings are valid UTF-8. Every failure is a {@code PROTOCOL}
 * {@link DittoException} naming the first thing that was wrong; nothing else is thrown.
 */
final class MulticastCodec {
    /** The magic bytes {@code "DLDS"} (Ditto LAN discovery) that open every datagram. */
    static final int MAGIC = 0x444C4453;
    /** The datagram format version this build writes and reads. */
    static final int VERSION = 1;
    /** Kind byte of a periodic announcement. */
    static final int KIND_ANNOUNCE = 1;
    /** Kind byte of the goodbye a peer sends when it stops announcing. */
    static final int KIND_GOODBYE = 2;
    /** Bytes before the variable part: magic, version, kind, hash, group, port, key length. */
    static final int FIXED_BYTES = 21;
    /** The longest valid datagram. */
    static final int MAX_DATAGRAM_BYTES = FIXED_BYTES + Announcement.MAX_PEER_KEY_BYTES + 1
            + Announcement.MAX_DEVICE_NAME_BYTES;

    /**
     * A decoded datagram.
     *
     * @param announcement what the sender announced
     * @param goodbye true if the sender stops announcing (it is leaving)
     */
    record Datagram(Announcement announcement, boolean goodbye) {
    }

    private MulticastCodec() {
    }

    /**
     * Encodes an announcement or a goodbye.
     *
     * @param announcement what to announce
     * @param goodbye true for a goodbye
     * @return the datagram's bytes, at most {@link #MAX_DATAGRAM_BYTES}
     */
    static byte[] encode(Announcement announcement, boolean goodbye) {
        byte[] key = announcement.peerKey().getBytes(StandardCharsets.UTF_8);
        byte[] name = announcement.deviceName().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(FIXED_BYTES + key.length + 1 + name.length);
        out.putInt(MAGIC)
                .put((byte) VERSION)
                .put((byte) (goodbye ? KIND_GOODBYE : KIND_ANNOUNCE))
                .putLong(announcement.databaseHash())
                .putInt((int) announcement.syncGroup())
                .putShort((short) announcement.tcpPort())
                .put((byte) key.length)
                .put(key)
                .put((byte) name.length)
                .put(name);
        return out.array();
    }

    /**
     * Decodes a received datagram.
     *
     * @param data the receive buffer
     * @param offset where the datagram starts in {@code data}
     * @param length the datagram's length
     * @return the decoded datagram, never null
     * @throws DittoException {@code PROTOCOL} if the datagram is not a valid discovery datagram
     */
    static Datagram decode(byte[] data, int offset, int length) {
        if (length < FIXED_BYTES + 1) {
            throw malformed(length + " bytes is shorter than the minimum of " + (FIXED_BYTES + 1));
        }
        if (length > MAX_DATAGRAM_BYTES) {
            throw malformed(length + " bytes is longer than the maximum of " + MAX_DATAGRAM_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(data, offset, length);
        int magic = in.getInt();
        if (magic != MAGIC) {
            throw malformed(String.format("bad magic 0x%08x", magic));
        }
        int version = in.get() & 0xFF;
        if (version != VERSION) {
            throw malformed("unsupported version " + version + ", this peer reads " + VERSION);
        }
        int kind = in.get() & 0xFF;
        if (kind != KIND_ANNOUNCE && kind != KIND_GOODBYE) {
            throw malformed("unknown kind " + kind);
        }
        long hash = in.getLong();
        long group = in.getInt() & 0xFFFF_FFFFL;
        int port = in.getShort() & 0xFFFF;
        if (port == 0) {
            throw malformed("TCP port 0");
        }
        int keyLength = in.get() & 0xFF;
        if (keyLength == 0 || keyLength > Announcement.MAX_PEER_KEY_BYTES) {
            throw malformed("peer key length " + keyLength + " is outside 1.." + Announcement.MAX_PEER_KEY_BYTES);
        }
        if (in.remaining() < keyLength + 1) {
            throw malformed("peer key length " + keyLength + " runs past the end of the datagram");
        }
        String key = utf8(in, keyLength, "peer key");
        int nameLength = in.get() & 0xFF;
        if (nameLength > Announcement.MAX_DEVICE_NAME_BYTES) {
            throw malformed("device name length " + nameLength + " exceeds " + Announcement.MAX_DEVICE_NAME_BYTES);
        }
        if (in.remaining() != nameLength) {
            throw malformed("device name length " + nameLength + " does not match the " + in.remaining()
                    + " bytes left in the datagram");
        }
        String name = utf8(in, nameLength, "device name");
        return new Datagram(new Announcement(hash, group, key, name, port), kind == KIND_GOODBYE);
    }

    private static String utf8(ByteBuffer in, int length, String what) {
        ByteBuffer slice = in.slice();
        slice.limit(length);
        in.position(in.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice)
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed(what + " is not valid UTF-8");
        }
    }

    private static DittoException malformed(String why) {
        return new DittoException(ErrorCode.PROTOCOL, "lan multicast datagram: " + why);
    }
}
