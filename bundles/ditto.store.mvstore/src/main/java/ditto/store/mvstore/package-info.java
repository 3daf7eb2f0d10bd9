/**
 * The embedded default storage backend ({@code "mvstore"}) on H2 MVStore.
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
 * survives a killed process, not a power loss); {@code SYNC} then forces the file to the device.
 * {@code flush()} forces the file. Chunks that no longer hold live data are reused only after
 * MVStore's retention time (45 s) and once no open snapshot needs them.
 *
 * <p><b>Options</b> (the {@code storage.*} keys of the configuration's experimental map, without
 * the prefix; numbers may be given as strings; an unknown key or bad value is
 * {@code INVALID_CONFIG}):
 * <ul>
 * <li>{@code cacheSizeMb}: the page cache in MiB, 0 to 65536, default 16.</li>
 * <li>{@code autoCompactFillRate}: a percentage, 0 to 100, default 90. At most once a second,
 * inside a commit, if the live share of the data in the file's chunks is below this rate, up to
 * 1 MiB of the emptiest chunks is rewritten; on close, up to 200 ms are spent compacting the file
 * with the same threshold. 0 turns the periodic rewriting off.</li>
 * <li>{@code compress}: {@code true} to compress pages with LZF, default {@code false}.</li>
 * </ul>
 *
 * <p><b>Encryption.</b> With a key, the file is encrypted by MVStore's file encryption (AES-128
 * in XTS mode over 4 KiB blocks; the AES key is derived with PBKDF2-HMAC-SHA256, 10 iterations,
 * from a random per-file salt and the password). The password given to MVStore is the key's
 * lower-case hexadecimal form, so the same key bytes always open the same file. XTS hides the
 * data but does not authenticate it: damage or tampering is detected only through MVStore's own
 * checksums of headers, chunks and pages, and is then reported as {@code ENCRYPTION}. The key
 * verifier is HMAC-SHA256 over a fixed context and a random salt, so a wrong key is reported as
 * {@code ENCRYPTION} before any data is read; a missing key on an encrypted file, or a key for a
 * plain file, is {@code ENCRYPTION} as well. An existing plain store cannot be encrypted in place.
 *
 * <p>Internal: the bundle exports no package and is reached through
 * {@link ditto.store.mvstore.MvStoreStorageProvider} as a service.
 */
package ditto.store.mvstore;
