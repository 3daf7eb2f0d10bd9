package ditto.api;

import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A binary blob held by the store, referenced from documents by its {@link #token()}. Created
 * with {@link Store#newAttachment} or obtained when a fetch completes.
 *
 * <p>Attachments are immutable and content-addressed: the {@link #id()} is derived from the
 * bytes, so equal content gives the same id on every peer. A handle is thread-safe; close it
 * when done with it (closing releases the handle, not the stored blob). After close every
 * method except {@code close()}, {@link #id()}, {@link #length()}, {@link #size()},
 * {@link #metadata()} and {@link #token()} throws {@link ErrorCode#CLOSED}.
 */
@ProviderType
public interface Attachment extends AttachmentTokenLike, AutoCloseable {

    /** Returns the content id: lower-case hexadecimal of the content hash, never null. */
    String id();

    /** Returns the content length in bytes, never negative. */
    long length();

    /** Same as {@link #length()}. */
    default long size() {
        return length();
    }

    /**
     * Returns the metadata given when the attachment was created.
     *
     * @return an unmodifiable copy of JSON-model values, never null, empty when none
     */
    Map<String, Object> metadata();

    /**
     * Returns when the attachment was created on the peer that created it: the
     * {@code "created_at"} metadata entry (ISO-8601 text) if present, otherwise when this peer
     * stored it.
     *
     * @return the instant, never null
     */
    Instant createdAt();

    /**
     * Returns when the attachment was last updated: the {@code "updated_at"} metadata entry
     * (ISO-8601 text) if present, otherwise {@link #createdAt()}.
     *
     * @return the instant, never null
     */
    Instant updatedAt();

    /**
     * Returns the token to store in a document field so that other peers can fetch this
     * attachment.
     *
     * @return the token, never null
     */
    AttachmentToken token();

    /** Returns {@link #token()}. */
    @Override
    default AttachmentToken toToken() {
        return token();
    }

    /**
     * Returns the file where the store keeps the content, if the storage backend keeps
     * attachments as files. The file is managed by Ditto: read it, never change it.
     *
     * @return the file, or empty when the content is not kept in a file of its own
     * @throws DittoException {@link ErrorCode#CLOSED} if this handle is closed
     */
    Optional<Path> path();

    /**
     * Reads the whole content into memory. Prefer {@link #inputStream()}, {@link #channel()} or
     * {@link #copyToPath(Path)} for large attachments.
     *
     * @return a fresh array holding the content, never null
     * @throws DittoException {@link ErrorCode#ATTACHMENT} if the content cannot be read,
     *         {@link ErrorCode#CLOSED} if this handle is closed
     */
    byte[] data();

    /**
     * Opens the content for sequential reading. The caller closes the stream.
     *
     * @return a new stream positioned at the start, never null
     * @throws DittoException {@link ErrorCode#ATTACHMENT} if the content cannot be opened,
     *         {@link ErrorCode#CLOSED} if this handle is closed
     */
    InputStream inputStream();

    /**
     * Opens the content for random-access reading. The channel is read-only (writing throws
     * {@link java.nio.channels.NonWritableChannelException}); the caller closes it.
     *
     * @return a new channel positioned at 0, never null
     * @throws DittoException {@link ErrorCode#ATTACHMENT} if the content cannot be opened,
     *         {@link ErrorCode#CLOSED} if this handle is closed
     */
    SeekableByteChannel channel();

    /**
     * Copies the content to a file without loading it all into memory. The parent directory
     * must exist; an existing file is replaced.
     *
     * @param destination the target file, never null
     * @throws DittoException {@link ErrorCode#ATTACHMENT} if reading or writing fails,
     *         {@link ErrorCode#CLOSED} if this handle is closed
     * @throws NullPointerException if {@code destination} is null
     */
    void copyToPath(Path destination);

    /** Releases this handle; the stored attachment is kept. Idempotent. */
    @Override
    void close();
}
