package ditto.engine.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.storage.Durability;
import ditto.api.spi.storage.Entry;
import ditto.engine.crdt.CrdtDocument;
import ditto.engine.crdt.HybridClock;
import ditto.engine.dql.DqlCache;
import ditto.engine.dql.DqlSettings;

/**
 * The store as the sync engine sees it: the change log ("which documents changed after commit
 * N", a range scan), applying documents received from a peer, the per-peer replication records
 * and the eviction generations. Obtained from {@link StoreImpl#replication()}.
 *
 * <pre>
 *  readChanges(from) ── snapshot ── scan "changes" [from, ∞) ── filter by collection/origin ──
 *        (value needed? decode, WHERE) ── stored bytes, as committed (never re-encoded)
 *  apply(docs)  ── writer lock ── per document: local.merge(remote) ── changed? put + indexes
 *        + change log entry (origin = remote site if the result equals what it sent) ── + peer
 *        record ── one commit (SYNC if a document changed) ── commit event (observers, sessions)
 * </pre>
 *
 * <p>Thread-safe: reads use their own snapshot, writes take the store's writer lock.
 */
public final class Replication {

    /** Decides, entry by entry, which changes a reader wants; used by one thread per call. */
    public interface ChangeFilter {

        /** How much of an entry the filter needs to decide. */
        enum Interest {
            /** Not wanted. */
            NONE,
            /** Wanted whatever the document holds: the stored bytes are taken as they are. */
            WHOLE,
            /** Wanted if {@link ChangeFilter#matches} accepts the live document; tombstones are wanted. */
            VALUE
        }

        /**
         * Returns what the filter needs for one change log entry.
         *
         * @param collection the document's collection
         * @param commit the commit that last changed it
         * @param origin the remote site whose state it equals, or 0
         */
        Interest interest(String collection, long commit, long origin);

        /**
         * Decides on the entry of the last {@link #interest} call that returned {@link Interest#VALUE}.
         *
         * @param value the live document's materialized value ({@code _id} included)
         * @return whether it is wanted
         */
        boolean matches(Map<String, Object> value);

        /**
         * Decides on the id of the entry of the last {@link #interest} call that returned
         * {@link Interest#VALUE}, before {@link #matches}, also for tombstones.
         *
         * @param id the document id
         * @return whether a document with this id may be read at all
         */
        default boolean allowsId(Object id) {
            return true;
        }
    }

    /**
     * One change read from the log.
     *
     * @param collection the collection
     * @param commit the local commit id of the change
     * @param document the document's stored canonical encoding; never modified
     */
    public record Change(String collection, long commit, byte[] document) {
    }

    /**
     * The result of one {@link #readChanges} call.
     *
     * @param changes the wanted changes, in commit order
     * @param nextKey where the next call continues (inclusive), never null
     * @param completeThrough every entry with a commit id up to this one was considered by this
     *        or an earlier call from the same start
     * @param exhausted whether the log was read to its end at this snapshot
     */
    public record Changes(List<Change> changes, byte[] nextKey, long completeThrough, boolean exhausted) {
    }

    /**
     * A document received from a peer, decoded and clock-checked.
     *
     * @param collection its collection
     * @param document its state as the peer sent it
     * @param writable whether the sending peer may change this document here (its write
     *        permission); a document it may not change is applied only if it adds nothing
     *        (an echo), otherwise counted as {@link Applied#forbidden()} and dropped
     */
    public record Incoming(String collection, CrdtDocument document, boolean writable) {
        /** Checks the parts. */
        public Incoming {
            Objects.requireNonNull(collection, "collection");
            Objects.requireNonNull(document, "document");
        }

        /**
         * A document from a peer that may write it.
         *
         * @param collection its collection
         * @param document its state
         */
        public Incoming(String collection, CrdtDocument document) {
            this(collection, document, true);
        }
    }

    /**
     * The outcome of {@link #apply}.
     *
     * @param commitId the commit that stored the batch, or the latest one if nothing was written
     * @param applied documents whose local state changed
     * @param unchanged documents that added nothing (already known: a duplicate or an echo)
     * @param refused documents refused: above DOCUMENT_SIZE_HARD_LIMIT_BYTES after the merge, or
     *        in a collection name that cannot be written
     * @param forbidden documents that would have changed local state but that the sending peer
     *        may not write (not stored, so never relayed)
     * @param firstForbidden the collection and id of the first forbidden document, or null
     */
    public record Applied(long commitId, int applied, int unchanged, int refused, int forbidden,
            String firstForbidden) {
    }

    private final StoreImpl store;

    Replication(StoreImpl store) {
        this.store = store;
    }

    /** Returns the key where a scan of the changes after commit {@code commit} starts. */
    public static byte[] startAfter(long commit) {
        return Keys.longValue(commit + 1);
    }

    /** Returns this store's site id (its replica identity). */
    public long siteId() {
        return store.clock().site().value();
    }

    /** Returns the store's hybrid logical clock. */
    public HybridClock clock() {
        return store.clock();
    }

    /** Returns the store's DQL settings (sync scopes, subscription restrictions, size limits). */
    public DqlSettings settings() {
        return store.settings();
    }

    /** Returns the store's statement cache. */
    public DqlCache cache() {
        return store.cache();
    }

    /**
     * Reads wanted changes from the log, starting at a key.
     *
     * @param from the first key to consider (from {@link #startAfter} or a previous
     *        {@link Changes#nextKey()}), never null
     * @param filter decides per entry, never null
     * @param maxChanges stop after this many wanted changes
     * @param maxBytes stop once the wanted documents reach this many bytes (at least one is returned)
     * @param maxScanned stop after considering this many entries
     * @return the changes and where to continue, never null
     * @throws DittoException {@code STORE} or {@code CLOSED} from the storage
     */
    public Changes readChanges(byte[] from, ChangeFilter filter, int maxChanges, long maxBytes, int maxScanned) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(filter, "filter");
        store.checkOpen();
        try (TxState tx = store.readOnlyState()) {
            WorkingSet ws = tx.workingSet();
            long snapshotSequence = ws.sequence();
            Iterator<Entry> entries = ws.entries(Keys.CHANGES, from, null);
            List<Change> out = new ArrayList<>();
            long bytes = 0;
            int scanned = 0;
            byte[] next = from;
            Entry pending = null;
            while (entries.hasNext()) {
                Entry e = entries.next();
                if (out.size() >= maxChanges || (bytes >= maxBytes && !out.isEmpty()) || scanned >= maxScanned) {
                    pending = e;
                    break;
                }
                scanned++;
                byte[] key = e.key();
                next = Keys.withByte(key, 0);
                if (key.length <= 8) {
                    continue;
                }
                long commit = Keys.longOf(Arrays.copyOf(key, 8), "change log commit id");
                byte[] docKey = Arrays.copyOfRange(key, 8, key.length);
                int[] pos = {0};
                String collection = new String(KeyCodec.readEscaped(docKey, pos), StandardCharsets.UTF_8);
                long origin = e.value().length == 8 ? Keys.longOf(e.value(), "change origin") : 0;
                ChangeFilter.Interest interest = filter.interest(collection, commit, origin);
                if (interest == ChangeFilter.Interest.NONE) {
                    continue;
                }
                byte[] stored;
                if (interest == ChangeFilter.Interest.WHOLE) {
                    stored = ws.get(Keys.DOCS, docKey);
                } else {
                    CrdtDocument doc = ws.document(docKey);
                    if (doc == null) {
                        continue;
                    }
                    if (!filter.allowsId(doc.id())) {
                        continue;
                    }
                    Optional<Map<String, Object>> value = doc.value();
                    if (value.isPresent() && !filter.matches(value.get())) {
                        continue;
                    }
                    stored = doc.encode();
                }
                if (stored == null) {
                    continue;
                }
                out.add(new Change(collection, commit, stored));
                bytes += stored.length + collection.length() + 16;
            }
            long completeThrough;
            boolean exhausted;
            if (pending == null) {
                completeThrough = snapshotSequence;
                exhausted = true;
            } else {
                byte[] k = pending.key();
                completeThrough = k.length >= 8 ? Keys.longOf(Arrays.copyOf(k, 8), "change log commit id") - 1 : 0;
                exhausted = false;
            }
            ws.closeCursors();
            return new Changes(Collections.unmodifiableList(out), next, completeThrough, exhausted);
        } catch (RuntimeException e) {
            throw store.translate(e);
        }
    }

    /**
     * Merges documents received from a peer in one transaction, together with that peer's record.
     * Each document is merged into the local copy ({@link CrdtDocument#merge}); one that adds
     * nothing is skipped, so duplicates and echoes write nothing. The commit is forced to disk
     * when a document changed (and only buffered when just the record changed), then published
     * to live queries and replication listeners like any commit.
     *
     * @param originSite the site id of the peer the documents came from
     * @param documents the documents, decoded and clock-checked by the caller
     * @param peerSite the site whose record to write, ignored when {@code peerRecord} is null
     * @param peerRecord the new record of that peer, or null to leave it
     * @return what happened, never null
     * @throws DittoException {@code STORE}, {@code CLOSED} from the storage
     */
    public Applied apply(long originSite, List<Incoming> documents, long peerSite, byte[] peerRecord) {
        Objects.requireNonNull(documents, "documents");
        store.lockWriter("sync: applying documents from a peer");
        try (TxState tx = store.writableState()) {
            WorkingSet ws = tx.workingSet();
            long hardLimit = store.settings().documentSizeHardLimitBytes();
            int applied = 0;
            int unchanged = 0;
            int refused = 0;
            int forbidden = 0;
            String firstForbidden = null;
            for (Incoming in : documents) {
                String collection = in.collection();
                if (collection.isEmpty() || collection.startsWith("system:")) {
                    refused++;
                    continue;
                }
                byte[] prefix = Keys.collectionPrefix(collection);
                byte[] key = Keys.documentKey(prefix, in.document().id());
                CrdtDocument local = ws.document(key);
                CrdtDocument merged = local == null ? in.document() : local.merge(in.document());
                if (merged == local) {
                    unchanged++;
                    continue;
                }
                if (!in.writable()) {
                    if (forbidden++ == 0) {
                        firstForbidden = collection + " " + in.document().id();
                    }
                    continue;
                }
                if (merged.encode().length > hardLimit) {
                    refused++;
                    continue;
                }
                long origin = merged.equals(in.document()) ? originSite : 0;
                Statements.replicate(tx, collection, prefix, key, local, merged, origin);
                applied++;
            }
            if (peerRecord != null) {
                ws.put(Keys.SYNC_PEERS, Keys.longValue(peerSite), peerRecord);
            }
            long commitId = store.commit(tx, applied > 0 ? Durability.SYNC : Durability.BUFFERED);
            return new Applied(commitId, applied, unchanged, refused, forbidden, firstForbidden);
        } catch (RuntimeException e) {
            throw store.translate(e);
        } finally {
            store.writer.unlock();
        }
    }

    /**
     * Writes one peer's record alone, buffered (not forced to disk: losing it only costs a resend).
     *
     * @param peerSite the peer's site id
     * @param record the record bytes, never null
     */
    public void putPeerRecord(long peerSite, byte[] record) {
        apply(0, List.of(), peerSite, Objects.requireNonNull(record, "record"));
    }

    /**
     * Reads one peer's record.
     *
     * @param peerSite the peer's site id
     * @return the record bytes, or empty if none was written
     */
    public Optional<byte[]> peerRecord(long peerSite) {
        store.checkOpen();
        try (TxState tx = store.readOnlyState()) {
            return Optional.ofNullable(tx.workingSet().get(Keys.SYNC_PEERS, Keys.longValue(peerSite)));
        } catch (RuntimeException e) {
            throw store.translate(e);
        }
    }

    /**
     * Reads every peer record.
     *
     * @return site id to record bytes, sorted by site id (unsigned order of the key bytes)
     */
    public SortedMap<Long, byte[]> peerRecords() {
        store.checkOpen();
        try (TxState tx = store.readOnlyState()) {
            SortedMap<Long, byte[]> out = new TreeMap<>(Long::compareUnsigned);
            Iterator<Entry> it = tx.workingSet().entries(Keys.SYNC_PEERS, null, null);
            while (it.hasNext()) {
                Entry e = it.next();
                if (e.key().length == 8) {
                    out.put(Keys.longOf(e.key(), "peer site id"), e.value());
                }
            }
            tx.workingSet().closeCursors();
            return out;
        } catch (RuntimeException e) {
            throw store.translate(e);
        }
    }

    /**
     * Returns how many commits evicted documents from a collection: a subscription on it asks
     * peers for everything again when this changes, so evicted documents it still matches come back.
     *
     * @param collection the collection
     * @return the generation, 0 if never evicted
     */
    public long evictionGeneration(String collection) {
        store.checkOpen();
        try (TxState tx = store.readOnlyState()) {
            byte[] v = tx.workingSet().get(Keys.EVICT_GENERATION, Keys.collectionPrefix(collection));
            return v == null ? 0 : Keys.longOf(v, "eviction generation");
        } catch (RuntimeException e) {
            throw store.translate(e);
        }
    }

    /**
     * Reads every stored document of a collection, tombstones included, in key order: the full
     * replicated state, for diagnostics and convergence checks.
     *
     * @param collection the collection
     * @return the documents, never null
     */
    public List<CrdtDocument> documents(String collection) {
        store.checkOpen();
        try (TxState tx = store.readOnlyState()) {
            byte[] prefix = Keys.collectionPrefix(collection);
            List<CrdtDocument> out = new ArrayList<>();
            Iterator<WorkingSet.Stored> it = tx.workingSet().documents(prefix, Keys.end(prefix), false);
            while (it.hasNext()) {
                out.add(it.next().document());
            }
            tx.workingSet().closeCursors();
            return out;
        } catch (RuntimeException e) {
            throw store.translate(e);
        }
    }

    /**
     * Returns the id of the latest commit.
     *
     * @return the commit id, 0 for a new store
     */
    public long lastCommitId() {
        store.checkOpen();
        try (TxState tx = store.readOnlyState()) {
            return tx.workingSet().sequence();
        } catch (RuntimeException e) {
            throw store.translate(e);
        }
    }

    /**
     * Throws {@code PROTOCOL} unless a collection name may be written by a peer.
     *
     * @param collection the name received
     * @throws DittoException {@code PROTOCOL} for an empty or {@code system:} name
     */
    public static void checkReplicableCollection(String collection) {
        if (collection.isEmpty() || collection.startsWith("system:")) {
            throw new DittoException(ErrorCode.PROTOCOL, "a peer sent a document for collection '" + collection
                    + "', which cannot be replicated (empty or a system collection)");
        }
    }
}
