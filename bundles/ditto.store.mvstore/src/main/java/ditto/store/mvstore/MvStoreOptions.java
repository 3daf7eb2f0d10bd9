package ditto.store.mvstore;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * The validated backend options of one mvstore storage (see the package documentation for
 * their meaning). Values may arrive as numbers or booleans, or as strings when they come from
 * a configuration file; anything else, an out-of-range value or an unknown key is refused with
 * {@code INVALID_CONFIG}.
 *
 * @param cacheSizeMb the page cache size in MiB, 0 to 65536
 * @param autoCompactFillRate the chunk fill rate in percent below which housekeeping rewrites
 *        chunks, 0 (off) to 100
 * @param compress whether pages are compressed (LZF)
 */
record MvStoreOptions(int cacheSizeMb, int autoCompactFillRate, boolean compress) {

    static final String CACHE_SIZE_MB = "cacheSizeMb";
    static final String AUTO_COMPACT_FILL_RATE = "autoCompactFillRate";
    static final String COMPRESS = "compress";

    static final int DEFAULT_CACHE_SIZE_MB = 16;
    static final int DEFAULT_AUTO_COMPACT_FILL_RATE = 90;

    private static final Set<String> KNOWN = Set.of(CACHE_SIZE_MB, AUTO_COMPACT_FILL_RATE, COMPRESS);

    static MvStoreOptions parse(Map<String, Object> options) {
        for (String key : options.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new DittoException(ErrorCode.INVALID_CONFIG, "mvstore storage: unknown option '" + key
                        + "'; known options are " + CACHE_SIZE_MB + ", " + AUTO_COMPACT_FILL_RATE + " and " + COMPRESS);
            }
        }
        return new MvStoreOptions(
                integer(options, CACHE_SIZE_MB, DEFAULT_CACHE_SIZE_MB, 0, 65_536),
                integer(options, AUTO_COMPACT_FILL_RATE, DEFAULT_AUTO_COMPACT_FILL_RATE, 0, 100),
                bool(options, COMPRESS, false));
    }

    private static int integer(Map<String, Object> options, String key, int defaultValue, int min, int max) {
        Object raw = options.get(key);
        if (raw == null) {
            return defaultValue;
        }
        long value;
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            value = ((Number) raw).longValue();
        } else if (raw instanceof String text) {
            try {
                value = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw invalid(key, raw, "an integer from " + min + " to " + max);
            }
        } else {
            throw invalid(key, raw, "an integer from " + min + " to " + max);
        }
        if (value < min || value > max) {
            throw invalid(key, raw, "an integer from " + min + " to " + max);
        }
        return (int) value;
    }

    private static boolean bool(Map<String, Object> options, String key, boolean defaultValue) {
        Object raw = options.get(key);
        if (raw == null) {
            return defaultValue;
        }
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String text) {
            switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    break;
            }
        }
        throw invalid(key, raw, "true or false");
    }

    private static DittoException invalid(String key, Object raw, String expected) {
        return new DittoException(ErrorCode.INVALID_CONFIG,
                "mvstore storage: option '" + key + "' is '" + raw + "', expected " + expected);
    }
}
