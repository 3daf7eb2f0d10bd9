package ditto.engine.wire;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message of the replication protocol (see {@code docs/protocol.md}). Immutable values;
 * byte arrays are not copied, so neither side may change them after handing them over.
 */
public sealed interface Message {

    /** The protocol version this build speaks. */
    int PROTOCOL_VERSION = 1;

    /** Returns the message type number written on the wire. */
    int type();

    /**
     * The first message each side sends.
     *
     * @param protocolVersion the highest protocol version the sender speaks
     * @param databaseId the sender's database id; peers of different databases never sync
     * @param peerKey the sender's peer key string
     * @param deviceName the sender's device name
     * @param siteId the sender's store identity (its CRDT site id), never 0
     * @param flags bit 0: the sender is a server ("big") peer; other bits are reserved (0)
     */
    record Hello(long protocolVersion, String databaseId, String peerKey, String deviceName, long siteId, long flags)
            implements Message {
        /** Type number 1. */
        public static final int TYPE = 1;
        /** The flag of a server peer. */
        public static final long FLAG_SERVER = 1;

        /** Checks that the texts are present. */
        public Hello {
            Objects.requireNonNull(databaseId, "databaseId");
            Objects.requireNonNull(peerKey, "peerKey");
            Objects.requireNonNull(deviceName, "deviceName");
        }

        @Override
        public int type() {
            return TYPE;
        }
    }

    /**
     * The sender's complete current set of subscriptions; replaces every earlier set.
     *
     * @param version increases with every set the sender sends over this session
     * @param subscriptions the subscriptions, unique keys
     */
    record Subscriptions(long version, List<Subscription> subscriptions) implements Message {
        /** Type number 2. */
        public static final int TYPE = 2;

        /** Copies the list. */
        public Subscriptions {
            subscriptions = List.copyOf(subscriptions);
        }

        @Override
        public int type() {
            return TYPE;
        }
    }

    /**
     * One subscription as its owner sends it.
     *
     * @param key 16 bytes naming the subscription and the checkpoint it resumes from
     * @param query the DQL SELECT text
     * @param arguments the query arguments (JSON-model values), never null
     * @param since the owner's checkpoint for this key: every change of the receiving peer up to
     *        this commit id that matches was already received; 0 for none
     */
    record Subscription(byte[] key, String query, Map<String, Object> arguments, long since) {
        /** Checks the parts. */
        public Subscription {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(arguments, "arguments");
        }
    }

    /**
     * A batch of documents matching the receiver's subscriptions, and how far the sender's change
     * log was covered.
     *
     * @param subscriptionsVersion the version of the receiver's subscription set this batch serves
     * @param upTo every change of the sender up to this commit id that matches that set was sent
     *        in this batch or before it
     * @param groups the documents by collection, possibly none (a progress report)
     */
    record Documents(long subscriptionsVersion, long upTo, List<Group> groups) implements Message {
        /** Type number 3. */
        public static final int TYPE = 3;

        /** Copies the list. */
        public Documents {
            groups = List.copyOf(groups);
        }

        /** Returns how many documents the batch holds. */
        public int documentCount() {
            int n = 0;
            for (Group g : groups) {
                n += g.entries().size();
            }
            return n;
        }

        @Override
        public int type() {
            return TYPE;
        }
    }

    /**
     * The documents of one collection in a batch.
     *
     * @param collection the collection name
     * @param entries the documents
     */
    record Group(String collection, List<Entry> entries) {
        /** Copies the list. */
        public Group {
            Objects.requireNonNull(collection, "collection");
            entries = List.copyOf(entries);
        }
    }

    /**
     * One document in a batch.
     *
     * @param commit the sender's commit id of the change being sent
     * @param document the document's canonical CRDT encoding, or null for "the document assembled
     *        from the {@link DocumentPart}s sent just before this batch"
     */
    record Entry(long commit, byte[] document) {
    }

    /**
     * A slice of one document too large for a frame; the parts come in order, then a
     * {@link Documents} batch whose single entry has a null document.
     *
     * @param total the document's length in bytes
     * @param offset where this slice starts
     * @param bytes the slice
     */
    record DocumentPart(long total, long offset, byte[] bytes) implements Message {
        /** Type number 4. */
        public static final int TYPE = 4;

        /** Checks the slice. */
        public DocumentPart {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public int type() {
            return TYPE;
        }
    }

    /**
     * Confirms that a batch was durably applied.
     *
     * @param subscriptionsVersion the version the batch carried
     * @param upTo the batch's {@code upTo}
     */
    record Ack(long subscriptionsVersion, long upTo) implements Message {
        /** Type number 5. */
        public static final int TYPE = 5;

        @Override
        public int type() {
            return TYPE;
        }
    }

    /** Keeps an idle session alive; no reply. */
    record Ping() implements Message {
        /** Type number 6. */
        public static final int TYPE = 6;

        @Override
        public int type() {
            return TYPE;
        }
    }

    /**
     * What one peer says about itself for the presence graph (see {@code docs/protocol.md},
     * "Presence"): sent by that peer after its hello and whenever it changes, and relayed by every
     * peer that learns a newer version, so that each peer knows the graph across hops.
     *
     * @param peerKey the described peer's key string (the origin, not necessarily the sender)
     * @param version increases with every change the origin publishes; a receiver keeps the
     *        highest version per origin and drops older ones
     * @param deviceName the origin's device name
     * @param os the origin's {@link ditto.api.PeerOS#wireName()}
     * @param sdkVersion the origin's SDK version
     * @param protocolVersion the highest replication protocol version the origin speaks
     * @param peerMetadata the origin's peer metadata as UTF-8 JSON (an object), at most
     *        {@link WireLimits#MAX_PRESENCE_METADATA_BYTES}
     * @param identityMetadata the origin's identity service metadata as UTF-8 JSON (an object), at
     *        most {@link WireLimits#MAX_PRESENCE_METADATA_BYTES}
     * @param connections the origin's direct connections: the peer at the other end and the type
     */
    record Presence(String peerKey, long version, String deviceName, String os, String sdkVersion,
            long protocolVersion, byte[] peerMetadata, byte[] identityMetadata, List<PresenceLink> connections)
            implements Message {
        /** Type number 8. */
        public static final int TYPE = 8;

        /** Checks the parts and copies the list. */
        public Presence {
            Objects.requireNonNull(peerKey, "peerKey");
            Objects.requireNonNull(deviceName, "deviceName");
            Objects.requireNonNull(os, "os");
            Objects.requireNonNull(sdkVersion, "sdkVersion");
            Objects.requireNonNull(peerMetadata, "peerMetadata");
            Objects.requireNonNull(identityMetadata, "identityMetadata");
            connections = List.copyOf(connections);
        }

        @Override
        public int type() {
            return TYPE;
        }
    }

    /**
     * One direct connection in a {@link Presence}.
     *
     * @param peerKey the key of the peer at the other end
     * @param connectionType the {@link ditto.api.ConnectionType#wireName()} of the link
     */
    record PresenceLink(String peerKey, String connectionType) {
        /** Checks the texts. */
        public PresenceLink {
            Objects.requireNonNull(peerKey, "peerKey");
            Objects.requireNonNull(connectionType, "connectionType");
        }
    }

    /**
     * The sender is closing the session.
     *
     * @param code an {@link ditto.api.ErrorCode#wireName()} or {@code "stopped"}
     * @param reason a human-readable explanation
     */
    record Goodbye(String code, String reason) implements Message {
        /** Type number 7. */
        public static final int TYPE = 7;

        /** Checks the texts. */
        public Goodbye {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public int type() {
            return TYPE;
        }
    }
}
