package ditto.engine;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import ditto.api.Attachment;
import ditto.api.AttachmentFetchEvent;
import ditto.api.AttachmentFetcher;
import ditto.api.AttachmentToken;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.store.AttachmentSupport;

/**
 * The one place that names what this build of the engine cannot do yet. Every API method whose
 * behaviour belongs to later engine work throws {@link #unsupported(String, Area)} instead of
 * pretending; the later work replaces those calls, and when an {@link Area} has no caller left it
 * is deleted. {@link PendingAttachments} is what {@link DittoInstance} hands out until then: the
 * store throws {@link ErrorCode#CLOSED} if the instance is closed before it calls it, then each
 * method throws {@link ErrorCode#UNSUPPORTED}. Nothing here is meant to last.
 */
final class NotYetAvailable {

    private NotYetAvailable() {
    }

    /** The pieces of engine work not in this build; each names the later issue that brings it. */
    enum Area {
        /** Attachments: creating, reading and fetching blobs. */
        ATTACHMENTS("engine issue: attachments");

        private final String issue;

        Area(String issue) {
            this.issue = issue;
        }

        /** Returns the later issue that brings this area, as the message prints it. */
        String issue() {
            return issue;
        }
    }

    /**
     * Returns the exception an API method throws when its behaviour is not in this build.
     *
     * @param method the API method as the application sees it, for example {@code "store.execute"}
     * @param area the engine work that brings it
     * @return an {@link ErrorCode#UNSUPPORTED} exception reading
     *         {@code "<method>: not available in this build yet (<issue>)"}
     */
    static DittoException unsupported(String method, Area area) {
        return new DittoException(ErrorCode.UNSUPPORTED,
                method + ": not available in this build yet (" + area.issue() + ")");
    }

    /** The attachment operations of the store until attachments arrive. */
    static final class PendingAttachments implements AttachmentSupport {

        @Override
        public Attachment newAttachment(Path file, Map<String, ?> metadata) {
            throw NotYetAvailable.unsupported("store.newAttachment", Area.ATTACHMENTS);
        }

        @Override
        public Attachment newAttachment(byte[] data, Map<String, ?> metadata) {
            throw NotYetAvailable.unsupported("store.newAttachment", Area.ATTACHMENTS);
        }

        @Override
        public Attachment newAttachment(InputStream content, Map<String, ?> metadata) {
            throw NotYetAvailable.unsupported("store.newAttachment", Area.ATTACHMENTS);
        }

        @Override
        public AttachmentFetcher fetchAttachment(AttachmentToken token, Consumer<AttachmentFetchEvent> onEvent) {
            throw NotYetAvailable.unsupported("store.fetchAttachment", Area.ATTACHMENTS);
        }
    }
}
