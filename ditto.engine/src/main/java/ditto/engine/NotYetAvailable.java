package ditto.engine;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import ditto.api.Attachment;
import ditto.api.AttachmentFetchEvent;
import ditto.api.AttachmentFetcher;
import ditto.api.AttachmentToken;
import ditto.api.AuthenticationExpirationHandler;
import ditto.api.AuthenticationProvider;
import ditto.api.AuthenticationStatus;
import ditto.api.AuthenticationStatusObserver;
import ditto.api.Authenticator;
import ditto.api.Ditto;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.store.AttachmentSupport;

/**
 * The one place that names what this build of the engine cannot do yet. Every API method whose
 * behaviour belongs to later engine work throws {@link #unsupported(String, Area)} instead of
 * pretending; the later work replaces those calls, and when an {@link Area} has no caller left it
 * is deleted. The components below ({@link PendingAttachments}, {@link PendingAuthenticator})
 * are what {@link DittoInstance} hands
 * out until then: each method first throws {@link ErrorCode#CLOSED} if the instance is closed
 * (the store checks that before it calls {@link PendingAttachments}), then {@link ErrorCode#UNSUPPORTED}. Methods that can answer truthfully without the missing work
 * do. Nothing here is meant to last.
 */
final class NotYetAvailable {

    private NotYetAvailable() {
    }

    /** The pieces of engine work not in this build; each names the later issue that brings it. */
    enum Area {
        /** Attachments: creating, reading and fetching blobs. */
        ATTACHMENTS("engine issue: attachments"),
        /** Authentication against a server peer. */
        AUTH("engine issue: authentication");

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

    /** The authenticator of a server connection until authentication arrives. */
    static final class PendingAuthenticator implements Authenticator {
        private final Runnable checkOpen;

        PendingAuthenticator(Runnable checkOpen) {
            this.checkOpen = checkOpen;
        }

        private DittoException unsupported(String method) {
            checkOpen.run();
            return NotYetAvailable.unsupported(method, Area.AUTH);
        }

        @Override
        public String login(String token, AuthenticationProvider provider) {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(provider, "provider");
            throw unsupported("auth.login");
        }

        @Override
        public void loginWithCredentials(String username, String password, AuthenticationProvider provider) {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(provider, "provider");
            throw unsupported("auth.loginWithCredentials");
        }

        @Override
        public void logout(Consumer<Ditto> cleanup) {
            throw unsupported("auth.logout");
        }

        @Override
        public AuthenticationStatusObserver observeStatus(Consumer<AuthenticationStatus> observer) {
            Objects.requireNonNull(observer, "observer");
            throw unsupported("auth.observeStatus");
        }

        @Override
        public void setExpirationHandler(AuthenticationExpirationHandler handler) {
            throw unsupported("auth.setExpirationHandler");
        }

        @Override
        public AuthenticationExpirationHandler expirationHandler() {
            throw unsupported("auth.expirationHandler");
        }

        @Override
        public AuthenticationStatus status() {
            throw unsupported("auth.status");
        }
    }
}
