package ditto.api.spi.storage;

/** How hard a commit must be on stable storage before {@link Storage#commit} returns. */
public enum Durability {
    /** Written to the operating system; a power loss may drop it (and later commits). */
    BUFFERED,
    /** On stable storage (fsync or equivalent) before {@code commit} returns. */
    SYNC
}
