/**
 * The CRDT document model: how documents are stamped, merged, encoded and decoded.
 *
 * <h2>Time and identity</h2>
 * Each peer has a random 64-bit {@link ditto.engine.crdt.SiteId} and a
 * {@link ditto.engine.crdt.HybridClock} (48 bits of milliseconds, 16 logical bits) that never
 * goes backwards and refuses received timestamps more than 10 minutes (configurable) ahead of
 * local time. A {@link ditto.engine.crdt.Timestamp} (hlc, site) stamps each write; timestamps
 * are totally ordered and the greatest wins last-writer-wins conflicts. The timestamp doubles as
 * the write's <em>dot</em>; a document's {@link ditto.engine.crdt.VersionVector} (site to
 * greatest clock value seen) is its causal context and what delta replication compares.
 *
 * <h2>Merge rules</h2>
 * <ul>
 *   <li><b>REGISTER</b> (scalars, arrays, objects declared REGISTER or written in strict mode):
 *       last writer wins by timestamp; concurrent writes are all kept until a later write has
 *       seen them, so an UNSET removes only what it had seen.</li>
 *   <li><b>MAP</b> (objects, by default): add-wins; each key merges by its own type; an update
 *       concurrent with an UNSET of the key (or a DELETE of the document) survives.</li>
 *   <li><b>COUNTER</b>: increments are summed; RESTART is last-writer-wins among restarts and
 *       discards exactly the increments it had seen. <b>PN_COUNTER</b> shares the state.</li>
 *   <li><b>ATTACHMENT</b>: a register holding the token map (any object carrying the token
 *       marker is stored this way).</li>
 *   <li><b>DELETE</b>: a tombstone (the delete's timestamp, {@link ditto.engine.crdt.CrdtDocument#deletedAt()})
 *       that replicates; {@link ditto.engine.crdt.CrdtDocument#isExpired(long, long)} tells the
 *       reaper when it may drop it.</li>
 *   <li><b>INITIAL</b> documents are written at {@link ditto.engine.crdt.Timestamp#ZERO}; any real
 *       write supersedes them and identical ones merge into one.</li>
 * </ul>
 * Merge is a join (commutative, associative, idempotent) and the CBOR encoding is canonical, so
 * replicas that saw the same changes hold byte-identical documents. See {@code docs/crdt.md}.
 *
 * <h2>Threading</h2>
 * Every public type is immutable (or, for the clock, lock-free) and safe to share between threads.
 * This package is engine-internal: nothing here is exported from the module.
 */
package ditto.engine.crdt;
