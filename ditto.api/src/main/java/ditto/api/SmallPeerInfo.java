package ditto.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Controls the "small peer info": device information (SDK version, OS, transports, disk usage,
 * plus application metadata) that the engine writes into a system collection on a regular
 * interval, from where it may sync to servers for device dashboards. Obtained from
 * {@link Ditto#smallPeerInfo()}.
 *
 * <p>Whether collection runs is separate from whether the collected documents sync: that is
 * decided by the peers' subscriptions. All methods are thread-safe; after the instance closes
 * they throw {@link ErrorCode#CLOSED}.
 */
@ProviderType
public interface SmallPeerInfo {

    /** The largest metadata accepted, as UTF-8 JSON bytes: 128 KiB. */
    int MAX_METADATA_JSON_BYTES = 128 * 1024;

    /** The deepest nesting of maps and lists accepted in metadata: 64 levels. */
    int MAX_METADATA_DEPTH = 64;

    /** Returns whether collection is enabled; true by default. */
    boolean isEnabled();

    /**
     * Enables or disables collection; takes effect at the next collection interval.
     *
     * @param enabled whether to collect
     */
    void setEnabled(boolean enabled);

    /**
     * Returns the application metadata written with each collection.
     *
     * @return an unmodifiable copy, empty when none was set; never null
     */
    Map<String, Object> metadata();

    /**
     * Returns the application metadata as JSON text.
     *
     * @return a JSON object, {@code "{}"} when none was set; never null
     */
    String metadataJsonString();

    /**
     * Replaces the application metadata. It has no schema, but must hold JSON-model values
     * only, serialize to at most {@link #MAX_METADATA_JSON_BYTES} bytes of JSON and nest at most
     * {@link #MAX_METADATA_DEPTH} levels. The map is copied.
     *
     * @param metadata the metadata, never null (an empty map clears it)
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a limit is exceeded or a value
     *         cannot be represented in JSON (the metadata is then unchanged)
     * @throws NullPointerException if {@code metadata} is null
     */
    void setMetadata(Map<String, Object> metadata);

    /**
     * Replaces the application metadata with a JSON object given as text; same limits as
     * {@link #setMetadata(Map)}.
     *
     * @param json a JSON object, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the text is not a JSON object
     *         or exceeds a limit (the metadata is then unchanged)
     * @throws NullPointerException if {@code json} is null
     */
    void setMetadataJsonString(String json);
}
