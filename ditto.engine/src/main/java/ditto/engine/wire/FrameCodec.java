package ditto.engine.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Encodes and decodes frames: {@code format byte ‖ CBOR message ‖ CRC-32C}. The message is a
 * CBOR array {@code [type, sequence, fields…]} (see {@code docs/protocol.md}); the sequence
 * numbers a session's frames from 0 so that the receiver notices lost, repeated or reordered
 * frames; the checksum (big-endian, over everything before it) catches corruption on links
 * without their own integrity (TLS already has one; the cost is four bytes).
 *
 * <p>Decoding treats the frame as hostile: size, format, checksum, every length, count and depth
 * are checked before allocation ({@link WireLimits}); a newer sender's extra trailing fields are
 * skipped (bounded). Every problem is a {@link DittoException} with {@link ErrorCode#PROTOCOL}.
 * Stateless and thread-safe.
 */
public final class FrameCodec {

    /** The frame format this build writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /**
     * A decoded frame.
     *
     * @param sequence the frame's number within its session
     * @param message the message
     */
    public record Frame(long sequence, Message message) {
    }

    private FrameCodec() {
    }

    /**
     * Encodes one frame.
     *
     * @param sequence the frame's number within its session, from 0
     * @param message the message, never null
     * @return the frame bytes, never null
     * @throws DittoException {@code INVALID_ARGUMENTS} if a subscription argument cannot be encoded
     */
    public static byte[] encode(long sequence, Message message) {
        int estimate = 64;
        if (message instanceof Message.Documents d) {
            for (Message.Group g : d.groups()) {
                estimate += g.collection().length() * 3 + 16;
                for (Message.Entry e : g.entries()) {
                    estimate += 18 + (e.document() == null ? 0 : e.document().length);
                }
            }
        } else if (message instanceof Message.DocumentPart p) {
            estimate += p.bytes().length + 32;
        } else if (message instanceof Message.Presence p) {
            estimate += p.peerMetadata().length + p.identityMetadata().length + 64 * p.connections().size() + 256;
        }
        CborWriter w = new CborWriter(estimate);
        w.rawByte(FORMAT_VERSION);
        if (message instanceof Message.Hello h) {
            w.arrayHeader(8).uint(Message.Hello.TYPE).uint(sequence).uint(h.protocolVersion())
                    .text(h.databaseId()).text(h.peerKey()).text(h.deviceName()).integer(h.siteId())
                    .uint(h.flags());
        } else if (message instanceof Message.Subscriptions s) {
            w.arrayHeader(4).uint(Message.Subscriptions.TYPE).uint(sequence).uint(s.version());
            w.arrayHeader(s.subscriptions().size());
            for (Message.Subscription sub : s.subscriptions()) {
                w.arrayHeader(4).bytes(sub.key()).text(sub.query()).value(sub.arguments(),
                        WireLimits.MAX_ARGUMENT_DEPTH).uint(sub.since());
            }
        } else if (message instanceof Message.Documents d) {
            w.arrayHeader(5).uint(Message.Documents.TYPE).uint(sequence).uint(d.subscriptionsVersion())
                    .uint(d.upTo());
            w.arrayHeader(d.groups().size());
            for (Message.Group g : d.groups()) {
                w.arrayHeader(2).text(g.collection()).arrayHeader(g.entries().size() * 2);
                for (Message.Entry e : g.entries()) {
                    w.uint(e.commit());
                    if (e.document() == null) {
                        w.nil();
                    } else {
                        w.bytes(e.document());
                    }
                }
            }
        } else if (message instanceof Message.DocumentPart p) {
            w.arrayHeader(5).uint(Message.DocumentPart.TYPE).uint(sequence).uint(p.total()).uint(p.offset())
                    .bytes(p.bytes());
        } else if (message instanceof Message.Ack a) {
            w.arrayHeader(4).uint(Message.Ack.TYPE).uint(sequence).uint(a.subscriptionsVersion()).uint(a.upTo());
        } else if (message instanceof Message.Ping) {
            w.arrayHeader(2).uint(Message.Ping.TYPE).uint(sequence);
        } else if (message instanceof Message.Presence p) {
            w.arrayHeader(11).uint(Message.Presence.TYPE).uint(sequence).text(p.peerKey()).uint(p.version())
                    .text(p.deviceName()).text(p.os()).text(p.sdkVersion()).uint(p.protocolVersion())
                    .bytes(p.peerMetadata()).bytes(p.identityMetadata());
            w.arrayHeader(p.connections().size() * 2);
            for (Message.PresenceLink l : p.connections()) {
                w.text(l.peerKey()).text(l.connectionType());
            }
        } else if (message instanceof Message.Goodbye g) {
            w.arrayHeader(4).uint(Message.Goodbye.TYPE).uint(sequence).text(g.code()).text(g.reason());
        } else {
            throw new DittoException(ErrorCode.INTERNAL, "wire: unknown message " + message);
        }
        CRC32C crc = new CRC32C();
        crc.update(w.buffer(), 0, w.size());
        int c = (int) crc.getValue();
        w.rawByte(c >>> 24).rawByte(c >>> 16).rawByte(c >>> 8).rawByte(c);
        return w.toByteArray();
    }

    /**
     * Decodes one frame.
     *
     * @param frame the bytes between position and limit; read, not changed or kept
     * @return the frame, never null
     * @throws DittoException {@link ErrorCode#PROTOCOL} naming what is wrong and where
     */
    public static Frame decode(ByteBuffer frame) {
        int length = frame.remaining();
        if (length > WireLimits.MAX_FRAME_BYTES) {
            throw error("frame of " + length + " bytes, above the limit of " + WireLimits.MAX_FRAME_BYTES);
        }
        if (length < WireLimits.ENVELOPE_BYTES + 2) {
            throw error("frame of " + length + " bytes is too short");
        }
        byte[] bytes;
        int offset;
        if (frame.hasArray()) {
            bytes = frame.array();
            offset = frame.arrayOffset() + frame.position();
        } else {
            bytes = new byte[length];
            frame.duplicate().get(bytes);
            offset = 0;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length - 4);
        int expected = (int) crc.getValue();
        int end = offset + length;
        int actual = ((bytes[end - 4] & 0xFF) << 24) | ((bytes[end - 3] & 0xFF) << 16) | ((bytes[end - 2] & 0xFF) << 8)
                | (bytes[end - 1] & 0xFF);
        if (expected != actual) {
            throw error("checksum mismatch (frame corrupted or truncated)");
        }
        int format = bytes[offset] & 0xFF;
        if (format != FORMAT_VERSION) {
            throw error("unsupported frame format " + format + " (this peer reads format " + FORMAT_VERSION + ")");
        }
        CborReader r = new CborReader(bytes, offset + 1, length - WireLimits.ENVELOPE_BYTES, "frame");
        int fields = r.arrayHeader(2, 8 + WireLimits.MAX_EXTRA_FIELDS);
        int typeAt = r.position();
        long type = r.uint();
        long sequence = r.uint();
        Message message;
        int known;
        if (type == Message.Hello.TYPE) {
            known = 8;
            require(r, fields, known, "hello");
            message = new Message.Hello(r.uint(), r.text(WireLimits.MAX_NAME_BYTES), r.text(WireLimits.MAX_NAME_BYTES),
                    r.text(WireLimits.MAX_DEVICE_NAME_BYTES), r.int64(), r.uint());
        } else if (type == Message.Subscriptions.TYPE) {
            known = 4;
            require(r, fields, known, "subscriptions");
            long version = r.uint();
            int n = r.arrayHeader(0, WireLimits.MAX_SUBSCRIPTIONS);
            List<Message.Subscription> subs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                r.arrayHeader(4, 4);
                int keyAt = r.position();
                byte[] key = r.bytes(WireLimits.SUBSCRIPTION_KEY_BYTES);
                if (key.length != WireLimits.SUBSCRIPTION_KEY_BYTES) {
                    throw r.error("subscription key of " + key.length + " bytes, expected "
                            + WireLimits.SUBSCRIPTION_KEY_BYTES, keyAt);
                }
                String query = r.text(WireLimits.MAX_QUERY_BYTES);
                int argsAt = r.position();
                Object args = r.value(WireLimits.MAX_ARGUMENT_DEPTH, WireLimits.MAX_QUERY_BYTES);
                if (!(args instanceof Map<?, ?>)) {
                    throw r.error("subscription arguments are not a map", argsAt);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> arguments = (Map<String, Object>) args;
                subs.add(new Message.Subscription(key, query, arguments, r.uint()));
            }
            message = new Message.Subscriptions(version, subs);
        } else if (type == Message.Documents.TYPE) {
            known = 5;
            require(r, fields, known, "documents");
            long version = r.uint();
            long upTo = r.uint();
            int groupCount = r.arrayHeader(0, WireLimits.MAX_GROUPS);
            List<Message.Group> groups = new ArrayList<>(groupCount);
            int total = 0;
            for (int i = 0; i < groupCount; i++) {
                r.arrayHeader(2, 2);
                String collection = r.text(WireLimits.MAX_COLLECTION_BYTES);
                int entriesAt = r.position();
                int pairs = r.arrayHeader(0, 2 * WireLimits.MAX_DOCUMENTS);
                if (pairs % 2 != 0) {
                    throw r.error("odd number of items in a document group", entriesAt);
                }
                total += pairs / 2;
                if (total > WireLimits.MAX_DOCUMENTS) {
                    throw r.error("more than " + WireLimits.MAX_DOCUMENTS + " documents in a batch", entriesAt);
                }
                List<Message.Entry> entries = new ArrayList<>(pairs / 2);
                for (int j = 0; j < pairs / 2; j++) {
                    long commit = r.uint();
                    byte[] doc;
                    if (r.peekNull()) {
                        r.nil();
                        doc = null;
                    } else {
                        doc = r.bytes(WireLimits.MAX_FRAME_BYTES);
                    }
                    entries.add(new Message.Entry(commit, doc));
                }
                groups.add(new Message.Group(collection, entries));
            }
            message = new Message.Documents(version, upTo, groups);
        } else if (type == Message.DocumentPart.TYPE) {
            known = 5;
            require(r, fields, known, "document part");
            long total = r.uint(WireLimits.MAX_DOCUMENT_BYTES);
            long partOffset = r.uint(WireLimits.MAX_DOCUMENT_BYTES);
            byte[] slice = r.bytes(WireLimits.MAX_FRAME_BYTES);
            if (partOffset + slice.length > total) {
                throw error("document part [" + partOffset + ", " + (partOffset + slice.length)
                        + ") beyond the document's " + total + " bytes");
            }
            message = new Message.DocumentPart(total, partOffset, slice);
        } else if (type == Message.Ack.TYPE) {
            known = 4;
            require(r, fields, known, "ack");
            message = new Message.Ack(r.uint(), r.uint());
        } else if (type == Message.Ping.TYPE) {
            known = 2;
            message = new Message.Ping();
        } else if (type == Message.Goodbye.TYPE) {
            known = 4;
            require(r, fields, known, "goodbye");
            message = new Message.Goodbye(r.text(WireLimits.MAX_NAME_BYTES), r.text(WireLimits.MAX_REASON_BYTES));
        } else if (type == Message.Presence.TYPE) {
            known = 11;
            require(r, fields, known, "presence");
            String peerKey = r.text(WireLimits.MAX_NAME_BYTES);
            long version = r.uint();
            String deviceName = r.text(WireLimits.MAX_DEVICE_NAME_BYTES);
            String os = r.text(WireLimits.MAX_NAME_BYTES);
            String sdkVersion = r.text(WireLimits.MAX_NAME_BYTES);
            long protocolVersion = r.uint();
            byte[] peerMetadata = r.bytes(WireLimits.MAX_PRESENCE_METADATA_BYTES);
            byte[] identityMetadata = r.bytes(WireLimits.MAX_PRESENCE_METADATA_BYTES);
            int linksAt = r.position();
            int items = r.arrayHeader(0, 2 * WireLimits.MAX_PRESENCE_CONNECTIONS);
            if (items % 2 != 0) {
                throw r.error("odd number of items in a presence connection list", linksAt);
            }
            List<Message.PresenceLink> links = new ArrayList<>(items / 2);
            for (int i = 0; i < items / 2; i++) {
                links.add(new Message.PresenceLink(r.text(WireLimits.MAX_NAME_BYTES), r.text(WireLimits.MAX_NAME_BYTES)));
            }
            message = new Message.Presence(peerKey, version, deviceName, os, sdkVersion, protocolVersion, peerMetadata,
                    identityMetadata, links);
        } else {
            throw r.error("unknown message type " + type, typeAt);
        }
        for (int i = known; i < fields; i++) {
            r.skip(WireLimits.MAX_SKIP_DEPTH);
        }
        r.requireEnd();
        return new Frame(sequence, message);
    }

    private static void require(CborReader r, int fields, int known, String what) {
        if (fields < known) {
            throw r.error(what + " message with " + fields + " fields, expected at least " + known, r.position());
        }
    }

    private static DittoException error(String problem) {
        return new DittoException(ErrorCode.PROTOCOL, "decode frame: " + problem);
    }
}
