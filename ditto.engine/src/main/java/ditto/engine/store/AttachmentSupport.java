package ditto.engine.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import ditto.api.Attachment;
import ditto.api.AttachmentFetchEvent;
import ditto.api.AttachmentFetcher;
import ditto.api.AttachmentToken;

/**
 * The attachment operations of {@link ditto.api.Store}, which the store hands over to whoever
 * implements attachments for the instance. Arguments are already null-checked and the instance
 * is open when these are called. Implementations are thread-safe.
 */
public interface AttachmentSupport {

    /** See {@link ditto.api.Store#newAttachment(Path, Map)}. */
    Attachment newAttachment(Path file, Map<String, ?> metadata);

    /** See {@link ditto.api.Store#newAttachment(byte[], Map)}. */
    Attachment newAttachment(byte[] data, Map<String, ?> metadata);

    /** See {@link ditto.api.Store#newAttachment(InputStream, Map)}. */
    Attachment newAttachment(InputStream content, Map<String, ?> metadata);

    /** See {@link ditto.api.Store#fetchAttachment(AttachmentToken, Consumer)}. */
    AttachmentFetcher fetchAttachment(AttachmentToken token, Consumer<AttachmentFetchEvent> onEvent);
}
