package ditto.api;

import ditto.api.internal.Cbor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An active connection between two peers of the mesh over one kind of transport. Immutable.
 *
 * <p>Make connections with {@link #between(String, String, ConnectionType)}: it puts the two
 * peer keys in a fixed order and derives the id from them, so both ends of a link, and every
 * peer that hears about it, describe it with an equal value. The id scheme is
 * {@code <type wire name>-<32 hex digits>}, where the digits are the first 16 bytes of the
 * SHA-256 hash of the deterministic CBOR encoding of the array
 * {@code [typeWireName, peerKeyString1, peerKeyString2]}. The encoding length-prefixes every
 * string, so no two distinct triples hash the same input.
 *
 * <p>Connections are ordered by {@code peerKeyString1}, then {@code peerKeyString2}, then
 * {@code type}, then {@code id}; this ordering is consistent with {@code equals}.
 *
 * @param id the connection's unique id, never null
 * @param peerKeyString1 the key of the peer at one end, never null
 * @param peerKeyString2 the key of the peer at the other end, never null
 * @param type the transport carrying the connection, never null
 */
public record Connection(String id, String peerKeyString1, String peerKeyString2, ConnectionType type)
        implements Comparable<Connection> {

    private static final Comparator<Connection> ORDER = Comparator.comparing(Connection::peerKeyString1)
            .thenComparing(Connection::peerKeyString2)
            .thenComparing(Connection::type)
            .thenComparing(Connection::id);

    /**
     * Checks the arguments. Values read from the wire are taken as they are; to create a
     * connection, use {@link #between(String, String, ConnectionType)}.
     *
     * @param id the connection's id
     * @param peerKeyString1 the key of the peer at one end
     * @param peerKeyString2 the key of the peer at the other end
     * @param type the transport
     * @throws NullPointerException if any argument is null
     */
    public Connection {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(peerKeyString1, "peerKeyString1");
        Objects.requireNonNull(peerKeyString2, "peerKeyString2");
        Objects.requireNonNull(type, "type");
    }

    /**
     * Returns the connection between two peers over a transport, with the two keys in a fixed
     * order (the lesser by {@link String#compareTo} is {@code peerKeyString1}) and the
     * deterministic id described in the class documentation. The result does not depend on
     * the order of the arguments.
     *
     * @param peerKeyA the key of one peer, not empty
     * @param peerKeyB the key of the other peer, not empty and different from {@code peerKeyA}
     * @param type the transport
     * @return the connection, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a key is empty or both keys are equal
     * @throws NullPointerException if any argument is null
     */
    public static Connection between(String peerKeyA, String peerKeyB, ConnectionType type) {
        Objects.requireNonNull(peerKeyA, "peerKeyA");
        Objects.requireNonNull(peerKeyB, "peerKeyB");
        Objects.requireNonNull(type, "type");
        if (peerKeyA.isEmpty() || peerKeyB.isEmpty()) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "invalid connection: a peer key is empty");
        }
        if (peerKeyA.equals(peerKeyB)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "invalid connection: both ends are the same peer \"" + peerKeyA + "\"");
        }
        boolean aFirst = peerKeyA.compareTo(peerKeyB) < 0;
        String first = aFirst ? peerKeyA : peerKeyB;
        String second = aFirst ? peerKeyB : peerKeyA;
        return new Connection(deriveId(first, second, type), first, second, type);
    }

    private static String deriveId(String first, String second, ConnectionType type) {
        byte[] input = Cbor.encodeCanonical(List.of(type.wireName(), first, second));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(input);
            return type.wireName() + "-" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new DittoException(ErrorCode.INTERNAL, "cannot derive connection id: SHA-256 is not available", e);
        }
    }

    /**
     * Returns whether the peer with the given key is at one end of this connection.
     *
     * @param peerKey a peer key string
     * @return true if it is {@code peerKeyString1} or {@code peerKeyString2}
     */
    public boolean involves(String peerKey) {
        return peerKeyString1.equals(peerKey) || peerKeyString2.equals(peerKey);
    }

    /**
     * Returns the key of the peer at the other end from {@code peerKey}.
     *
     * @param peerKey the key of one end
     * @return the key of the other end, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if {@code peerKey} is at neither end
     */
    public String otherEnd(String peerKey) {
        if (peerKeyString1.equals(peerKey)) {
            return peerKeyString2;
        }
        if (peerKeyString2.equals(peerKey)) {
            return peerKeyString1;
        }
        throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                "peer \"" + peerKey + "\" is not an end of connection " + id);
    }

    /** Orders by {@code peerKeyString1}, {@code peerKeyString2}, {@code type}, then {@code id}. */
    @Override
    public int compareTo(Connection other) {
        return ORDER.compare(this, other);
    }

    /** Returns this connection in the reference's JSON shape, as a JSON-model map. */
    Map<String, Object> toJsonMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("peerKeyString1", peerKeyString1);
        map.put("peerKeyString2", peerKeyString2);
        map.put("connectionType", type.wireName());
        return map;
    }

    /** Reads the shape {@link #toJsonMap()} writes; unknown keys are ignored for forward compatibility. */
    static Connection fromJsonMap(JsonFields fields) {
        return new Connection(fields.requiredString("id"), fields.requiredString("peerKeyString1"),
                fields.requiredString("peerKeyString2"), fields.connectionType("connectionType"));
    }
}
