package ditto.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Anything that refers to an attachment and can give its {@link AttachmentToken}: the token
 * itself, an {@link Attachment}, or an application type that wraps one. Accepted by
 * {@link Store#fetchAttachment(AttachmentTokenLike, java.util.function.Consumer)}.
 */
@ConsumerType
public interface AttachmentTokenLike {

    /** Returns the token of the attachment this object refers to, never null. */
    AttachmentToken toToken();
}
