package ditto.api;

/**
 * The parts of a Ditto persistence directory that {@link DiskUsage} reports on.
 */
public enum FileSystemType {
    /** The whole persistence directory, including every other part. */
    ROOT,
    /** The document store: documents, their CRDT state and indexes. */
    STORE,
    /** Authentication state: cached credentials and identity keys. */
    AUTH,
    /** Replication state: per-peer sync metadata. */
    REPLICATION,
    /** Attachment blobs. */
    ATTACHMENTS
}
