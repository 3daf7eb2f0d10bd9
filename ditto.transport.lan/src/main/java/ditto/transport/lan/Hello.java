package ditto.transport.lan;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * The LAN hello: the first bytes each side writes on a new TCP connection, carrying the
 * protocol version and the database id (format in the package documentation).
 *
 * <p>Role and invariants: stateless encoder and bounded decoder. The decoder reads the 7-byte
 * fixed part first and checks magic, version and the declared id length (1 to
 * {@link #MAX_DATABASE_ID_BYTES}) before reading the id, so a hostile peer can make it read at
 * most 262 bytes.
 */
final class Hello {
    /** The magic bytes {@code "DLAN"} that open every hello. */
    static final int MAGIC = 0x444C414E;
    /** The protocol version this build speaks. */
    static final int VERSION = 1;
    /** The longest database id, in UTF-8 bytes, a hello may carry. */
    static final int MAX_DATABASE_ID_BYTES = 255;

    private Hello() {
    }

    /**
     * Encodes the hello for a database id.
     *
     * @param databaseId the local database id
     * @return the bytes to write
     * @throws DittoException {@code INVALID_CONFIG} if the id is empty or longer than 255 UTF-8 bytes
     */
    static byte[] encode(String databaseId) {
        byte[] id = databaseId.getBytes(StandardCharsets.UTF_8);
        if (id.length == 0 || id.length > MAX_DATABASE_ID_BYTES) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "lan transport: database id must be 1 to "
                    + MAX_DATABASE_ID_BYTES + " UTF-8 bytes, got " + id.length);
        }
        ByteBuffer hello = ByteBuffer.allocate(7 + id.length);
        hello.putInt(MAGIC).put((byte) VERSION).putShort((short) id.length).put(id);
        return hello.array();
    }

    /**
     * Writes the hello for a database id and flushes.
     *
     * @param out the connection's output
     * @param databaseId the local database id
     * @throws IOException if writing fails
     */
    static void write(OutputStream out, String databaseId) throws IOException {
        out.write(encode(databaseId));
        out.flush();
    }

    /**
     * Reads the remote's hello and returns the database id it carries.
     *
     * @param in the connection's input
     * @return the remote database id
     * @throws IOException if reading fails or the stream ends early
     * @throws DittoException {@code PROTOCOL} if magic, version or length are wrong or the id is
     *         not valid UTF-8
     */
    static String read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int magic = data.readInt();
        if (magic != MAGIC) {
            throw new DittoException(ErrorCode.PROTOCOL,
                    String.format("lan hello: bad magic 0x%08x, expected 0x%08x (not a Ditto LAN peer)", magic, MAGIC));
        }
        int version = data.readUnsignedByte();
        if (version != VERSION) {
            throw new DittoException(ErrorCode.PROTOCOL,
                    "lan hello: unsupported protocol version " + version + ", this peer speaks " + VERSION);
        }
        int length = data.readUnsignedShort();
        if (length == 0 || length > MAX_DATABASE_ID_BYTES) {
            throw new DittoException(ErrorCode.PROTOCOL,
                    "lan hello: database id length " + length + " is outside 1.." + MAX_DATABASE_ID_BYTES);
        }
        byte[] id = new byte[length];
        data.readFully(id);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(id))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DittoException(ErrorCode.PROTOCOL, "lan hello: database id is not valid UTF-8", e);
        }
    }
}
