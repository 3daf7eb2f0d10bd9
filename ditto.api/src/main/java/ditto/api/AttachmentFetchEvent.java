package ditto.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One report of an attachment fetch, delivered to the callback of
 * {@link Store#fetchAttachment}: a fetch produces any number of {@link Type#PROGRESS} events
 * and then exactly one terminal event ({@link Type#COMPLETED}, {@link Type#FAILED} or
 * {@link Type#CANCELED}).
 *
 * <p>Which fields carry information depends on the type: progress events carry
 * {@link #progress()}, {@link #bytesDownloaded()} and {@link #totalBytes()}; completed events
 * carry {@link #path()} (and report progress 1.0); failed events carry {@link #error()}. The
 * other fields are 0 or empty. Immutable and thread-safe.
 */
public final class AttachmentFetchEvent {

    /** The kind of a fetch event. */
    public enum Type {
        /** Some bytes arrived; more events follow. */
        PROGRESS,
        /** The attachment is complete and stored locally; terminal. */
        COMPLETED,
        /** The fetch failed; terminal. */
        FAILED,
        /** The fetch was canceled by {@link AttachmentFetcher#cancel()}; terminal. */
        CANCELED
    }

    private static final AttachmentFetchEvent CANCELED = new AttachmentFetchEvent(Type.CANCELED, 0.0, 0, 0, null, null);

    private final Type type;
    private final double progress;
    private final long bytesDownloaded;
    private final long totalBytes;
    private final Throwable error;
    private final Path path;

    private AttachmentFetchEvent(Type type, double progress, long bytesDownloaded, long totalBytes, Throwable error,
            Path path) {
        this.type = type;
        this.progress = progress;
        this.bytesDownloaded = bytesDownloaded;
        this.totalBytes = totalBytes;
        this.error = error;
        this.path = path;
    }

    /**
     * Returns a progress event that knows only the fraction done; its byte counts are 0.
     *
     * @param progress the fraction fetched, 0.0 to 1.0
     * @return the event, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if {@code progress} is not a
     *         number between 0.0 and 1.0
     */
    public static AttachmentFetchEvent progress(double progress) {
        if (!(progress >= 0.0 && progress <= 1.0)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "attachment fetch event: progress " + progress + " is not between 0.0 and 1.0");
        }
        return new AttachmentFetchEvent(Type.PROGRESS, progress, 0, 0, null, null);
    }

    /**
     * Returns a progress event from byte counts; its fraction is {@code bytesDownloaded /
     * totalBytes}, or 1.0 when {@code totalBytes} is 0.
     *
     * @param bytesDownloaded the bytes received so far, from 0 to {@code totalBytes}
     * @param totalBytes the attachment's size in bytes, not negative
     * @return the event, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if a count is negative or
     *         {@code bytesDownloaded} exceeds {@code totalBytes}
     */
    public static AttachmentFetchEvent progress(long bytesDownloaded, long totalBytes) {
        if (bytesDownloaded < 0 || totalBytes < 0 || bytesDownloaded > totalBytes) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "attachment fetch event: " + bytesDownloaded
                    + " of " + totalBytes + " bytes is not a valid progress (need 0 <= downloaded <= total)");
        }
        double fraction = totalBytes == 0 ? 1.0 : (double) bytesDownloaded / totalBytes;
        return new AttachmentFetchEvent(Type.PROGRESS, fraction, bytesDownloaded, totalBytes, null, null);
    }

    /**
     * Returns a completed event.
     *
     * @param path the local file holding the attachment, never null
     * @return the event, never null
     * @throws NullPointerException if {@code path} is null
     */
    public static AttachmentFetchEvent completed(Path path) {
        return new AttachmentFetchEvent(Type.COMPLETED, 1.0, 0, 0, null, Objects.requireNonNull(path, "path"));
    }

    /**
     * Returns a failed event.
     *
     * @param error why the fetch failed, never null
     * @return the event, never null
     * @throws NullPointerException if {@code error} is null
     */
    public static AttachmentFetchEvent failed(Throwable error) {
        return new AttachmentFetchEvent(Type.FAILED, 0.0, 0, 0, Objects.requireNonNull(error, "error"), null);
    }

    /**
     * Returns the canceled event.
     *
     * @return the shared canceled event, never null
     */
    public static AttachmentFetchEvent canceled() {
        return CANCELED;
    }

    /** Returns the kind of this event, never null. */
    public Type type() {
        return type;
    }

    /** Returns the fraction fetched, 0.0 to 1.0: meaningful for progress events, 1.0 when completed. */
    public double progress() {
        return progress;
    }

    /** Returns the bytes received so far for a progress event built from byte counts, else 0. */
    public long bytesDownloaded() {
        return bytesDownloaded;
    }

    /** Returns the attachment's size for a progress event built from byte counts, else 0. */
    public long totalBytes() {
        return totalBytes;
    }

    /** Returns why the fetch failed for a failed event, else empty. */
    public Optional<Throwable> error() {
        return Optional.ofNullable(error);
    }

    /** Returns the local file of the attachment for a completed event, else empty. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /** Returns whether this is a progress event. */
    public boolean isProgress() {
        return type == Type.PROGRESS;
    }

    /** Returns whether this is a completed event. */
    public boolean isCompleted() {
        return type == Type.COMPLETED;
    }

    /** Returns whether this is a failed event. */
    public boolean isFailed() {
        return type == Type.FAILED;
    }

    /** Returns whether this is a canceled event. */
    public boolean isCanceled() {
        return type == Type.CANCELED;
    }

    /** Returns whether this event ends the fetch (completed, failed or canceled). */
    public boolean isTerminal() {
        return type != Type.PROGRESS;
    }

    /** Events are equal when all their fields are; errors are compared by identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AttachmentFetchEvent other
                && type == other.type
                && Double.compare(progress, other.progress) == 0
                && bytesDownloaded == other.bytesDownloaded
                && totalBytes == other.totalBytes
                && error == other.error
                && Objects.equals(path, other.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, progress, bytesDownloaded, totalBytes, System.identityHashCode(error), path);
    }

    /** Returns a short description for logs, for example {@code AttachmentFetchEvent[PROGRESS 40.0% (4/10 bytes)]}. */
    @Override
    public String toString() {
        String detail = switch (type) {
            case PROGRESS -> String.format(java.util.Locale.ROOT, "%.1f%%", progress * 100)
                    + (totalBytes > 0 || bytesDownloaded > 0 ? " (" + bytesDownloaded + "/" + totalBytes + " bytes)" : "");
            case COMPLETED -> path.toString();
            case FAILED -> String.valueOf(error);
            case CANCELED -> "";
        };
        return "AttachmentFetchEvent[" + type + (detail.isEmpty() ? "" : " " + detail) + "]";
    }
}
