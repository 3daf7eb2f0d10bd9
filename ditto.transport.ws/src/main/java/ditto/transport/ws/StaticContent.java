package ditto.transport.ws;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The files of the {@code static_content_path} folder, served read-only by the listener.
 *
 * <p>Role and invariants: stateless apart from the configured folder, so any thread may use it.
 * Nothing outside the folder is ever served: a request path is refused before it touches the
 * file system when, decoded once, it holds a NUL, a backslash, a colon, a {@code .} or
 * {@code ..} segment, or when its raw form holds an encoded slash, backslash or NUL
 * ({@code %2f}, {@code %5c}, {@code %00}); segments starting with a dot (hidden files) are not
 * served either. The remaining non-empty segments are resolved one by one under the folder's
 * real path; the file's real path (symbolic links followed) must still lie inside the folder's
 * real path, and the file is then opened without following links. Directories are served by
 * their {@code index.html} (a directory path without its trailing slash is redirected to it);
 * there are no listings. Files above {@value #MAX_FILE_BYTES} bytes are refused with 413.
 */
final class StaticContent {
    /** The largest file served: 32 MiB, read whole into memory. */
    static final long MAX_FILE_BYTES = 32L << 20;
    /** The file that stands for a directory. */
    static final String INDEX = "index.html";

    private final String folder;

    /**
     * @param folder the configured folder, as the configuration gives it
     */
    StaticContent(String folder) {
        this.folder = folder;
    }

    /** Returns the configured folder. */
    String folder() {
        return folder;
    }

    /**
     * What a request path resolves to: a file to read, or the reply to send instead.
     *
     * @param file the file's real path, or null when {@code reply} is set
     * @param size the file's size in bytes when it was resolved
     * @param reply the reply (refusal, 404, redirect), or null when {@code file} is set
     * @param refusal why the path was refused, for the debug log, or null
     */
    record Resolution(Path file, long size, HttpReply reply, String refusal) {
        static Resolution of(HttpReply reply, String refusal) {
            return new Resolution(null, 0, reply, refusal);
        }
    }

    /**
     * Resolves a request path to a file of the folder.
     *
     * @param rawPath the path as sent, without the query, still percent-encoded
     * @param path the same path decoded once, starting with {@code /}
     * @return the file, or a 301, 403, 404 or 413 reply
     */
    Resolution resolve(String rawPath, String path) {
        String lowerRaw = rawPath.toLowerCase(Locale.ROOT);
        if (lowerRaw.contains("%2f") || lowerRaw.contains("%5c") || lowerRaw.contains("%00")) {
            return forbidden(path, "an encoded slash, backslash or NUL");
        }
        if (path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0 || path.indexOf(':') >= 0) {
            return forbidden(path, "a backslash, NUL or colon");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return forbidden(path, "a dot segment");
            }
            if (segment.startsWith(".")) {
                return Resolution.of(notFound(path), "a hidden name");
            }
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        Path root;
        try {
            root = Path.of(folder).toRealPath();
        } catch (IOException | InvalidPathException e) {
            return Resolution.of(notFound(path), "the static content folder " + folder + " is unusable: " + e);
        }
        if (!Files.isDirectory(root)) {
            return Resolution.of(notFound(path), "the static content folder " + folder + " is not a directory");
        }
        Path candidate = root;
        try {
            for (String segment : segments) {
                Path next = candidate.resolve(segment);
                if (next.getNameCount() != candidate.getNameCount() + 1 || !next.startsWith(candidate)
                        || !next.getFileName().toString().equals(segment)) {
                    return forbidden(path, "a segment the file system does not read as one name");
                }
                candidate = next;
            }
            Path real = candidate.toRealPath();
            if (!real.startsWith(root)) {
                return Resolution.of(notFound(path), "it leads outside the folder, to " + real);
            }
            if (Files.isDirectory(real)) {
                if (!path.endsWith("/")) {
                    return Resolution.of(HttpReply.text(301, "moved to " + encode(segments) + "/")
                            .withHeader("Location", encode(segments) + "/"), null);
                }
                real = real.resolve(INDEX).toRealPath();
                if (!real.startsWith(root)) {
                    return Resolution.of(notFound(path), "its index leads outside the folder, to " + real);
                }
            }
            if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) || path.endsWith("/") && !Files.isDirectory(candidate)) {
                return Resolution.of(notFound(path), "not a regular file");
            }
            long size = Files.size(real);
            if (size > MAX_FILE_BYTES) {
                return Resolution.of(HttpReply.text(413, "the file is larger than " + MAX_FILE_BYTES + " bytes"),
                        "the file has " + size + " bytes");
            }
            return new Resolution(real, size, null, null);
        } catch (NoSuchFileException e) {
            return Resolution.of(notFound(path), null);
        } catch (AccessDeniedException e) {
            return forbidden(path, "access denied by the file system");
        } catch (IOException | InvalidPathException e) {
            return Resolution.of(notFound(path), "it cannot be resolved: " + e);
        }
    }

    /**
     * Reads a resolved file as it is now (it may have changed since it was resolved).
     *
     * @param resolved a resolution with a file
     * @return the reply with the file's bytes and its media type
     * @throws IOException if the file cannot be read
     */
    HttpReply read(Resolution resolved) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(resolved.file(),
                Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            long size = channel.size();
            if (size > MAX_FILE_BYTES) {
                return HttpReply.text(413, "the file is larger than " + MAX_FILE_BYTES + " bytes");
            }
            ByteBuffer content = ByteBuffer.allocate((int) size);
            while (content.hasRemaining() && channel.read(content) >= 0) {
                // read until full or end of file
            }
            byte[] bytes = content.position() == content.capacity() ? content.array()
                    : Arrays.copyOf(content.array(), content.position());
            return new HttpReply(200, contentType(resolved.file().getFileName().toString()), bytes, Map.of());
        }
    }

    /** Returns the media type for a file name's extension, {@code application/octet-stream} if unknown. */
    static String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return switch (extension) {
            case "html", "htm" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "json", "map" -> "application/json";
            case "txt" -> "text/plain; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "gif" -> "image/gif";
            case "ico" -> "image/x-icon";
            case "wasm" -> "application/wasm";
            default -> "application/octet-stream";
        };
    }

    private static Resolution forbidden(String path, String why) {
        return Resolution.of(HttpReply.text(403, "forbidden path"), "the path " + printable(path) + " holds " + why);
    }

    private static HttpReply notFound(String path) {
        return HttpReply.text(404, "not found: " + printable(path));
    }

    /** Shows a path with control characters escaped, for a text reply or a log line. */
    static String printable(String path) {
        StringBuilder out = new StringBuilder(path.length());
        path.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7F) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** Percent-encodes segments into an absolute path for a Location header (ASCII only). */
    private static String encode(List<String> segments) {
        StringBuilder out = new StringBuilder();
        for (String segment : segments) {
            out.append('/');
            for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xFF);
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=@".indexOf(c) >= 0) {
                    out.append(c);
                } else {
                    out.append('%').append(String.format("%02X", (int) c));
                }
            }
        }
        return out.toString();
    }
}
