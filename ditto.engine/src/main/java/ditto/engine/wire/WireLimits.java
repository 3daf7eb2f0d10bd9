package ditto.engine.wire;

/**
 * The bounds of the wire protocol, checked when decoding before anything is allocated. A frame
 * that breaks one is a {@code PROTOCOL} error. Senders stay within them by construction (the
 * session splits batches and documents to fit {@link #MAX_FRAME_BYTES} and the link's own limit).
 */
public final class WireLimits {

    /** The largest frame this protocol sends or accepts, envelope included: 1 MiB. */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    /** Bytes of a frame that are not message: the format byte and the CRC-32C. */
    public static final int ENVELOPE_BYTES = 5;
    /** Upper bound of a message's own framing besides its payload (header, numbers, one group): 4 KiB. */
    public static final int MESSAGE_OVERHEAD_BYTES = 4096;
    /** Longest database id, peer key or error code: 256 bytes of UTF-8. */
    public static final int MAX_NAME_BYTES = 256;
    /** Longest device name: 64 bytes of UTF-8 (names are truncated to 24 bytes by the API). */
    public static final int MAX_DEVICE_NAME_BYTES = 64;
    /** Longest goodbye reason: 4 KiB of UTF-8. */
    public static final int MAX_REASON_BYTES = 4096;
    /** Longest collection name on the wire: 4 KiB of UTF-8. */
    public static final int MAX_COLLECTION_BYTES = 4096;
    /** Longest subscription query text: 64 KiB of UTF-8. */
    public static final int MAX_QUERY_BYTES = 64 * 1024;
    /** Most subscriptions in one message. */
    public static final int MAX_SUBSCRIPTIONS = 1024;
    /** Length of a subscription key: 16 bytes. */
    public static final int SUBSCRIPTION_KEY_BYTES = 16;
    /** Deepest nesting of a subscription's argument values (the arguments map is level 1). */
    public static final int MAX_ARGUMENT_DEPTH = 64;
    /** Most collection groups in one documents batch. */
    public static final int MAX_GROUPS = 4096;
    /** Most documents in one documents batch. */
    public static final int MAX_DOCUMENTS = 65_536;
    /** The largest document assembled from parts: 16 MiB (the CRDT decoder's own limit). */
    public static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
    /** Most trailing fields a message may carry beyond those this version knows (ignored). */
    public static final int MAX_EXTRA_FIELDS = 16;
    /** Deepest nesting of an ignored trailing field. */
    public static final int MAX_SKIP_DEPTH = 16;

    private WireLimits() {
    }
    /** Largest peer or identity metadata in a presence message (JSON bytes each). */
    public static final int MAX_PRESENCE_METADATA_BYTES = 128 * 1024;
    /** Most direct connections one presence message may list. */
    public static final int MAX_PRESENCE_CONNECTIONS = 1024;
}
