package ditto.engine.presence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.tinylog.Logger;

import ditto.api.Connection;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.Peer;
import ditto.api.SmallPeerInfo;
import ditto.engine.store.StoreImpl;

/**
 * The application's {@link SmallPeerInfo}: while enabled (the default) and sync is started, it
 * writes one document describing this peer into the collection {@value #COLLECTION} every
 * {@code SMALL_PEER_INFO_PUBLISH_INTERVAL_SECS} (read again for every interval, so a change
 * applies from the next one). The collection is an ordinary one: it syncs to peers that
 * subscribe to it.
 *
 * <p>The document ({@code _id} = this peer's key): {@code peer_key}, {@code device_name},
 * {@code os}, {@code sdk_version}, {@code metadata} (the map set here), {@code connections}
 * (list of {@code {id, peer_key_1, peer_key_2, type}}), {@code updated_at} (epoch ms).
 *
 * <p>Invariants: one timer is pending from construction until {@link #close()}; a failed
 * publication is logged and the next interval tries again. Thread-safe: the setters and the
 * timer share only volatile fields.
 */
public final class SmallPeerInfoImpl implements SmallPeerInfo {

    /** The collection the documents go to. */
    public static final String COLLECTION = "__small_peer_info";

    /** Schedules a task after a delay in milliseconds; returns what cancels it. */
    @FunctionalInterface
    public interface Timer {
        /**
         * Schedules a task.
         *
         * @param delayMillis the delay, ≥ 0
         * @param task the task
         * @return cancels the task if it has not run
         */
        Runnable schedule(long delayMillis, Runnable task);
    }

    private final StoreImpl store;
    private final Supplier<Peer> localPeer;
    private final BooleanSupplier syncActive;
    private final LongSupplier nowMillis;
    private final Timer timer;
    private final Runnable checkOpen;

    private volatile boolean enabled = true;
    private volatile byte[] metadataJson = MetadataJson.EMPTY_OBJECT;
    private volatile Map<String, Object> metadata = Map.of();
    private volatile boolean closed;
    private volatile Runnable cancel;

    /**
     * Creates the publisher and schedules its first interval.
     *
     * @param store where the documents go
     * @param localPeer this peer as the presence graph shows it
     * @param syncActive tells whether sync is started
     * @param nowMillis the wall clock for {@code updated_at}
     * @param timer runs the publication after each interval
     * @param checkOpen throws {@code CLOSED} once the instance is closed
     */
    public SmallPeerInfoImpl(StoreImpl store, Supplier<Peer> localPeer, BooleanSupplier syncActive,
            LongSupplier nowMillis, Timer timer, Runnable checkOpen) {
        this.store = Objects.requireNonNull(store, "store");
        this.localPeer = Objects.requireNonNull(localPeer, "localPeer");
        this.syncActive = Objects.requireNonNull(syncActive, "syncActive");
        this.nowMillis = Objects.requireNonNull(nowMillis, "nowMillis");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.checkOpen = Objects.requireNonNull(checkOpen, "checkOpen");
        scheduleNext();
    }

    @Override
    public boolean isEnabled() {
        checkOpen.run();
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        checkOpen.run();
        this.enabled = enabled;
    }

    @Override
    public Map<String, Object> metadata() {
        checkOpen.run();
        return metadata;
    }

    @Override
    public String metadataJsonString() {
        checkOpen.run();
        return new String(metadataJson, StandardCharsets.UTF_8);
    }

    @Override
    public void setMetadata(Map<String, Object> metadata) {
        checkOpen.run();
        byte[] json = MetadataJson.write(metadata, MAX_METADATA_JSON_BYTES, MAX_METADATA_DEPTH,
                "smallPeerInfo.setMetadata (limits MAX_METADATA_JSON_BYTES, MAX_METADATA_DEPTH)");
        Map<String, Object> parsed = MetadataJson.parse(json, MAX_METADATA_JSON_BYTES, MAX_METADATA_DEPTH,
                "smallPeerInfo.setMetadata");
        this.metadataJson = json;
        this.metadata = parsed;
    }

    @Override
    public void setMetadataJsonString(String json) {
        checkOpen.run();
        if (json == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "smallPeerInfo.setMetadataJsonString: json is null");
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Map<String, Object> parsed = MetadataJson.parse(bytes, MAX_METADATA_JSON_BYTES, MAX_METADATA_DEPTH,
                "smallPeerInfo.setMetadataJsonString (limits MAX_METADATA_JSON_BYTES, MAX_METADATA_DEPTH)");
        this.metadataJson = bytes;
        this.metadata = parsed;
    }

    /** Stops publishing. Idempotent. */
    public void close() {
        closed = true;
        Runnable c = cancel;
        if (c != null) {
            c.run();
        }
    }

    /** Writes the document now (the timer's action). */
    void publish() {
        Peer me = localPeer.get();
        List<Object> connections = new ArrayList<>(me.connections().size());
        for (Connection c : me.connections()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("peer_key_1", c.peerKeyString1());
            m.put("peer_key_2", c.peerKeyString2());
            m.put("type", c.type().wireName());
            connections.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("_id", me.peerKeyString());
        doc.put("peer_key", me.peerKeyString());
        doc.put("device_name", me.deviceName());
        doc.put("os", me.os().wireName());
        doc.put("sdk_version", me.dittoSdkVersion());
        doc.put("metadata", metadata);
        doc.put("connections", connections);
        doc.put("updated_at", nowMillis.getAsLong());
        store.execute("INSERT INTO " + COLLECTION + " DOCUMENTS (:doc) ON ID CONFLICT DO UPDATE", Map.of("doc", doc))
                .close();
    }

    private void scheduleNext() {
        if (closed) {
            return;
        }
        long seconds;
        try {
            seconds = store.settings().smallPeerInfoPublishIntervalSecs();
        } catch (RuntimeException e) {
            Logger.debug("small peer info: cannot read the publish interval: {}", e.toString());
            return;
        }
        cancel = timer.schedule(Math.multiplyExact(Math.max(1, seconds), 1000L), this::onInterval);
    }

    private void onInterval() {
        if (closed) {
            return;
        }
        try {
            if (enabled && syncActive.getAsBoolean()) {
                publish();
            }
        } catch (RuntimeException e) {
            Logger.warn("small peer info: publishing into {} failed: {}", COLLECTION, e.getMessage());
        }
        scheduleNext();
    }
}
