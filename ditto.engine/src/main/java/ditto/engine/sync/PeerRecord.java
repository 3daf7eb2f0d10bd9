package ditto.engine.sync;

import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.tinylog.Logger;

import ditto.api.DittoException;
import ditto.engine.wire.CborReader;
import ditto.engine.wire.CborWriter;
import ditto.engine.wire.WireLimits;

/**
 * What this peer remembers about one remote store (keyed by the remote's site id in the store's
 * {@code syncpeers} space): who it was, when it last sent something, how far it acknowledged our
 * commits, and, per subscription key, the checkpoint: the remote commit id up to which every
 * change matching that subscription was received. Checkpoints are written in the same
 * transaction as the documents they cover, so after a crash they never claim more than the
 * store holds. At most {@link #MAX_CHECKPOINTS} are kept (the least recently advanced go first;
 * losing one only costs a full resend for that subscription).
 *
 * <p>Encoding (CBOR): {@code [1, peerKey, deviceName, isServer, lastSeenMillis,
 * lastUpdateReceivedMillis, syncedUpToLocalCommitId, [key, since, key, since, ...]]}. Confined
 * to the sync executor.
 */
final class PeerRecord {

    static final int MAX_CHECKPOINTS = 1024;
    private static final HexFormat HEX = HexFormat.of();

    String peerKey = "";
    String deviceName = "";
    boolean isServer;
    long lastSeenMillis;
    long lastUpdateReceivedMillis;
    long syncedUpTo;
    private final LinkedHashMap<String, Long> checkpoints = new LinkedHashMap<>();

    /** Returns the checkpoint of a subscription key (hex), 0 if none. */
    long checkpoint(String key) {
        Long v = checkpoints.get(key);
        return v == null ? 0 : v;
    }

    /**
     * Raises a checkpoint (never lowers it).
     *
     * @return whether it changed
     */
    boolean advance(String key, long upTo) {
        long current = checkpoint(key);
        if (upTo <= current) {
            return false;
        }
        checkpoints.remove(key);
        checkpoints.put(key, upTo);
        while (checkpoints.size() > MAX_CHECKPOINTS) {
            Iterator<String> oldest = checkpoints.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** Returns the checkpoints (key hex to commit id), oldest first; unmodifiable view. */
    Map<String, Long> checkpoints() {
        return java.util.Collections.unmodifiableMap(checkpoints);
    }

    byte[] encode() {
        CborWriter w = new CborWriter(96 + checkpoints.size() * 28);
        w.arrayHeader(8).uint(1).text(peerKey).text(deviceName).bool(isServer).integer(lastSeenMillis)
                .integer(lastUpdateReceivedMillis).uint(Math.max(0, syncedUpTo));
        w.arrayHeader(checkpoints.size() * 2);
        for (Map.Entry<String, Long> e : checkpoints.entrySet()) {
            w.bytes(HEX.parseHex(e.getKey())).uint(e.getValue());
        }
        return w.toByteArray();
    }

    /**
     * Decodes a stored record; a damaged one is logged and replaced by an empty record (the cost
     * is a full resend from that peer).
     */
    static PeerRecord decode(byte[] bytes, String who) {
        PeerRecord r = new PeerRecord();
        try {
            CborReader in = new CborReader(bytes, 0, bytes.length, "peer record of " + who);
            int n = in.arrayHeader(8, 64);
            if (in.uint() != 1) {
                throw new IllegalStateException("unknown record format");
            }
            r.peerKey = in.text(WireLimits.MAX_NAME_BYTES);
            r.deviceName = in.text(WireLimits.MAX_DEVICE_NAME_BYTES);
            Object server = in.value(0, 0);
            r.isServer = Boolean.TRUE.equals(server);
            r.lastSeenMillis = in.int64();
            r.lastUpdateReceivedMillis = in.int64();
            r.syncedUpTo = in.uint();
            int items = in.arrayHeader(0, 2 * MAX_CHECKPOINTS);
            for (int i = 0; i + 1 < items; i += 2) {
                byte[] key = in.bytes(WireLimits.SUBSCRIPTION_KEY_BYTES);
                r.checkpoints.put(HEX.formatHex(key), in.uint());
            }
            for (int i = 8; i < n; i++) {
                in.skip(WireLimits.MAX_SKIP_DEPTH);
            }
            return r;
        } catch (DittoException | IllegalStateException e) {
            Logger.warn("sync: the stored record of peer {} is damaged ({}); starting it afresh", who, e.getMessage());
            return new PeerRecord();
        }
    }
}
