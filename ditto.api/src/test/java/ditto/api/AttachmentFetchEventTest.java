package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class AttachmentFetchEventTest {

    @Test
    void progressFromFractionHasNoByteCounts() {
        AttachmentFetchEvent e = AttachmentFetchEvent.progress(0.25);
        assertEquals(AttachmentFetchEvent.Type.PROGRESS, e.type());
        assertEquals(0.25, e.progress());
        assertEquals(0, e.bytesDownloaded());
        assertEquals(0, e.totalBytes());
        assertTrue(e.isProgress());
        assertFalse(e.isTerminal() || e.isCompleted() || e.isFailed() || e.isCanceled());
        assertEquals(Optional.empty(), e.error());
        assertEquals(Optional.empty(), e.path());
        assertEquals("AttachmentFetchEvent[PROGRESS 25.0%]", e.toString());
    }

    @Test
    void progressFromBytesComputesFraction() {
        AttachmentFetchEvent e = AttachmentFetchEvent.progress(4, 10);
        assertEquals(0.4, e.progress(), 1e-12);
        assertEquals(4, e.bytesDownloaded());
        assertEquals(10, e.totalBytes());
        assertEquals("AttachmentFetchEvent[PROGRESS 40.0% (4/10 bytes)]", e.toString());
        assertEquals(1.0, AttachmentFetchEvent.progress(0, 0).progress());
    }

    @Test
    void rejectsInvalidProgress() {
        for (double bad : new double[] {-0.1, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
            DittoException e = assertThrows(DittoException.class, () -> AttachmentFetchEvent.progress(bad));
            assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        }
        assertThrows(DittoException.class, () -> AttachmentFetchEvent.progress(11, 10));
        assertThrows(DittoException.class, () -> AttachmentFetchEvent.progress(-1, 10));
        assertThrows(DittoException.class, () -> AttachmentFetchEvent.progress(0, -1));
    }

    @Test
    void completedCarriesPathAndFullProgress() {
        Path path = Path.of("attachments", "abc");
        AttachmentFetchEvent e = AttachmentFetchEvent.completed(path);
        assertTrue(e.isCompleted() && e.isTerminal());
        assertEquals(Optional.of(path), e.path());
        assertEquals(1.0, e.progress());
        assertThrows(NullPointerException.class, () -> AttachmentFetchEvent.completed(null));
    }

    @Test
    void failedCarriesError() {
        IOException cause = new IOException("peer went away");
        AttachmentFetchEvent e = AttachmentFetchEvent.failed(cause);
        assertTrue(e.isFailed() && e.isTerminal());
        assertSame(cause, e.error().orElseThrow());
        assertTrue(e.toString().contains("peer went away"), e.toString());
        assertThrows(NullPointerException.class, () -> AttachmentFetchEvent.failed(null));
    }

    @Test
    void canceledIsTerminal() {
        AttachmentFetchEvent e = AttachmentFetchEvent.canceled();
        assertTrue(e.isCanceled() && e.isTerminal());
        assertEquals(AttachmentFetchEvent.Type.CANCELED, e.type());
        assertEquals("AttachmentFetchEvent[CANCELED]", e.toString());
    }

    @Test
    void equalityComparesFields() {
        assertEquals(AttachmentFetchEvent.progress(1, 2), AttachmentFetchEvent.progress(1, 2));
        assertEquals(AttachmentFetchEvent.progress(1, 2).hashCode(), AttachmentFetchEvent.progress(1, 2).hashCode());
        assertNotEquals(AttachmentFetchEvent.progress(1, 2), AttachmentFetchEvent.progress(0.5));
        assertEquals(AttachmentFetchEvent.completed(Path.of("a")), AttachmentFetchEvent.completed(Path.of("a")));
        assertNotEquals(AttachmentFetchEvent.failed(new RuntimeException()), AttachmentFetchEvent.failed(new RuntimeException()));
    }
}
