package ditto.engine.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.wire.CborWriter;
import ditto.engine.wire.WireLimits;

/**
 * One of this peer's subscriptions as it is sent to peers: the query, its arguments and its key.
 * The key is the first 16 bytes of SHA-256 over the query text, the canonical CBOR of the
 * arguments and the eviction generation of the collection: equal subscriptions share a key (and
 * a checkpoint), and an EVICT on the collection gives every subscription on it a new key, so
 * peers send everything it matches again and evicted documents that still match come back.
 *
 * @param keyHex the key as 32 lower-case hex digits
 * @param key the key bytes
 * @param query the DQL SELECT text
 * @param arguments the normalized arguments
 * @param collection the collection it reads
 */
record LocalQuery(String keyHex, byte[] key, String query, Map<String, Object> arguments, String collection) {

    /**
     * The collection of the server peer's subscription to everything: no collection has this
     * name in a subscription (a DQL FROM cannot name it unquoted).
     */
    static final String ALL_COLLECTIONS = "*";

    /**
     * The query text of the server peer's subscription to every document of every collection; it
     * is not DQL, and peers honour it only from a peer whose hello says it is a server.
     */
    static final String ALL_COLLECTIONS_QUERY = "ALL COLLECTIONS";

    /**
     * Computes the subscription as sent for an eviction generation.
     *
     * @throws DittoException {@code INVALID_ARGUMENTS} if an argument cannot be encoded
     */
    static LocalQuery of(String query, Map<String, Object> arguments, String collection, long evictionGeneration) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new DittoException(ErrorCode.INTERNAL, "sync: this JDK has no SHA-256", e);
        }
        sha.update("ditto.sync.subscription/1".getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        sha.update(query.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(new CborWriter(64).value(arguments, WireLimits.MAX_ARGUMENT_DEPTH).toByteArray());
        for (int i = 7; i >= 0; i--) {
            sha.update((byte) (evictionGeneration >>> (8 * i)));
        }
        byte[] key = Arrays.copyOf(sha.digest(), WireLimits.SUBSCRIPTION_KEY_BYTES);
        return new LocalQuery(HexFormat.of().formatHex(key), key, query, arguments, collection);
    }
}
