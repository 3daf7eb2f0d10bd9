/**
 * Implementation helpers of the API module: the JSON and CBOR codecs over the JSON value model.
 *
 * <p>This package is not exported to applications. {@link ditto.api.internal.Json} and
 * {@link ditto.api.internal.Cbor} read and write the value model that documents, presence
 * metadata and configuration use: {@code null}, {@code Boolean}, {@code Long}, {@code Double},
 * {@code BigInteger}/{@code BigDecimal} (only when a number does not fit), {@code String},
 * {@code byte[]}, {@code List<Object>} and {@code Map<String, Object>} (insertion order kept).
 * Both codecs treat their input as hostile: lengths and nesting depth are checked before
 * anything is allocated, and every malformed input is reported as a
 * {@link ditto.api.DittoException} with {@link ditto.api.ErrorCode#INVALID_ARGUMENTS} naming
 * the offset of the fault. All methods are static, stateless and thread-safe.
 */
package ditto.api.internal;
