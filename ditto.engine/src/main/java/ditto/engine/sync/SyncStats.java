package ditto.engine.sync;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one sync engine since it was created, for diagnostics and the reliability suites
 * (which check, for instance, that every corrupt frame closed a session and that clock-drift
 * rejections are counted). Updated on the engine's executor, readable from any thread.
 */
public final class SyncStats {

    final AtomicLong sessionsOpened = new AtomicLong();
    final AtomicLong sessionsClosed = new AtomicLong();
    final AtomicLong protocolErrors = new AtomicLong();
    final AtomicLong internalErrors = new AtomicLong();
    final AtomicLong framesSent = new AtomicLong();
    final AtomicLong framesReceived = new AtomicLong();
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong bytesReceived = new AtomicLong();
    final AtomicLong duplicateFrames = new AtomicLong();
    final AtomicLong documentsSent = new AtomicLong();
    final AtomicLong documentsReceived = new AtomicLong();
    final AtomicLong documentsApplied = new AtomicLong();
    final AtomicLong documentsUnchanged = new AtomicLong();
    final AtomicLong documentsRefused = new AtomicLong();
    final AtomicLong clockDriftRejected = new AtomicLong();
    final AtomicLong writesForbidden = new AtomicLong();
    final AtomicLong batchesApplied = new AtomicLong();

    /** Sessions whose hello exchange completed. */
    public long sessionsOpened() {
        return sessionsOpened.get();
    }

    /** Sessions that ended, for any reason. */
    public long sessionsClosed() {
        return sessionsClosed.get();
    }

    /** Sessions closed because the peer broke the protocol (malformed, corrupt or out-of-order frames). */
    public long protocolErrors() {
        return protocolErrors.get();
    }

    /** Unexpected failures inside the engine (bugs); each closed its session. */
    public long internalErrors() {
        return internalErrors.get();
    }

    /** Frames sent. */
    public long framesSent() {
        return framesSent.get();
    }

    /** Frames received and accepted (duplicates excluded). */
    public long framesReceived() {
        return framesReceived.get();
    }

    /** Bytes of frames sent. */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** Bytes of frames received. */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /** Frames received again (same sequence number) and ignored. */
    public long duplicateFrames() {
        return duplicateFrames.get();
    }

    /** Documents sent to peers. */
    public long documentsSent() {
        return documentsSent.get();
    }

    /** Documents received from peers. */
    public long documentsReceived() {
        return documentsReceived.get();
    }

    /** Received documents that changed the local store. */
    public long documentsApplied() {
        return documentsApplied.get();
    }

    /** Received documents that added nothing (duplicates, echoes). */
    public long documentsUnchanged() {
        return documentsUnchanged.get();
    }

    /** Received documents refused by the store (too large after merging). */
    public long documentsRefused() {
        return documentsRefused.get();
    }

    /** Received documents rejected because their timestamps are too far ahead of the local clock. */
    public long clockDriftRejected() {
        return clockDriftRejected.get();
    }

    /** Received documents rejected because the sending peer's write permission does not cover them. */
    public long writesForbidden() {
        return writesForbidden.get();
    }

    /** Received batches applied (each in one store transaction). */
    public long batchesApplied() {
        return batchesApplied.get();
    }

    /** Returns every counter by name, for logs and test reports. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("sessionsOpened", sessionsOpened());
        m.put("sessionsClosed", sessionsClosed());
        m.put("protocolErrors", protocolErrors());
        m.put("internalErrors", internalErrors());
        m.put("framesSent", framesSent());
        m.put("framesReceived", framesReceived());
        m.put("bytesSent", bytesSent());
        m.put("bytesReceived", bytesReceived());
        m.put("duplicateFrames", duplicateFrames());
        m.put("documentsSent", documentsSent());
        m.put("documentsReceived", documentsReceived());
        m.put("documentsApplied", documentsApplied());
        m.put("documentsUnchanged", documentsUnchanged());
        m.put("documentsRefused", documentsRefused());
        m.put("clockDriftRejected", clockDriftRejected());
        m.put("writesForbidden", writesForbidden());
        m.put("batchesApplied", batchesApplied());
        return m;
    }

    @Override
    public String toString() {
        return "SyncStats" + asMap();
    }
}
