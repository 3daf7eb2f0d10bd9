/**
 * The embedded default storage backend ({@code "mvstore"}) on H2 MVStore 2.4.
 *
 * <p><b>Files.</b> The storage directory holds {@code ditto.mv.db}, one MVStore file with one
 * map per space (keys in unsigned byte order) and a meta map with the format version and the
 * last sequence number, and, for an encrypted store, {@code ditto.mv.key}, a key verifier.
 * MVStore locks the file while it is open; a second open of the same directory fails with
 * {@code PERSISTENCE_DIRECTORY}.
 *
 * <p><b>Durability.</b> Auto-commit is off: every {@code commit} applies its batch and calls
 * {@code MVStore.commit()}, which writes one new chunk to the file; recovery uses only complete
 * chunks, so a batch survives a crash entirely or not at all, and lost commits are always a
 * suffix. {@code BUFFERED} returns once the chunk is written to the operating system (it
 * survives a killed process, not necessarily a power loss); {@code SYNC} then forces the file to
 * the device. {@code flush()} and {@code close()} force the file. A commit also forces the file
 * when the last force is more than a second old or about 4 MiB were written since, even for
 * {@code BUFFERED} batches: space of dead chunks is reused only while every version written so
 * far is forced (MVStore's own rule, a 45 s retention time, made the file grow by everything
 * written in 45 s), so this keeps the file small.
 *
 * <p><b>Damage.</b> Opening a file MVStore cannot parse is {@code STORE}. MVStore would open a
 * file whose newest chunks are unreadable at an older version (or empty), as after an interrupted
 * write; this backend refuses that with {@code STORE} when the file was closed cleanly (its
 * header then vouches for a version that must be readable) or when no chunk at all is readable.
 * After a crash, falling back to the newest intact version is accepted, as it must be; the open
 * then forces that version and writes it once more (same data), so that MVStore drops from its
 * chunk list the dead chunks the crashed process may already have overwritten. Otherwise a clean
 * close would mark that list as verified, and MVStore's next open, which checks the newest
 * listed chunks of a cleanly closed file, would fall back to an older version.
 *
 * <p><b>Options</b> (the {@code storage.*} keys of the configuration's experimental map, without
 * the prefix; numbers and booleans may be given as strings; an unknown key or a bad value is
 * {@code INVALID_CONFIG}):
 * <ul>
 * <li>{@code cacheSizeMb}: the page cache in MiB, 0 to 65536, default 16.</li>
 * <li>{@code autoCompactFillRate}: a percentage, 0 to 100, default 90. At most once a second,
 * inside a commit, if the live share of the data in the file's chunks is below this rate, up to
 * 1 MiB of the emptiest chunks is rewritten, so that whole chunks become free and are reused.
 * 0 turns this off. The file never shrinks by itself: chunks are not moved (MVStore 2.4.240's
 * chunk-moving compaction fails its own consistency checks).</li>
 * <li>{@code compress}: {@code true} to compress pages with LZF, default {@code false}.</li>
 * </ul>
 *
 * <p><b>Encryption.</b> With a key, the file is encrypted by MVStore's file encryption (AES-128
 * in XTS mode over 4 KiB blocks; the AES key is derived with PBKDF2-HMAC-SHA256, 10 iterations,
 * from a random per-file salt and the password). The password given to MVStore is the key's
 * lower-case hexadecimal form, so the same key bytes always open the same file. The key
 * verifier is HMAC-SHA256 over a fixed context and a random salt, so a wrong key is reported as
 * {@code ENCRYPTION} before any data is read (and, should the verifier be lost, MVStore's failure
 * to read its header is reported as {@code ENCRYPTION} too); a missing key on an encrypted file,
 * or a key for a plain file, is {@code ENCRYPTION} as well. XTS hides the data but does not
 * authenticate it: damage or tampering is detected only where MVStore's checksums of headers,
 * chunks and page positions catch it, and is then reported as {@code ENCRYPTION}. MVStore does
 * not checksum page contents, so a changed byte inside stored keys or values is not detected,
 * encrypted or not (a flipped bit in a plain file's value reads back flipped). An existing plain
 * store cannot be encrypted in place.
 *
 * <p>Internal: the bundle exports no package and is reached through
 * {@link ditto.store.mvstore.MvStoreStorageProvider} as a service.
 */
package ditto.store.mvstore;
