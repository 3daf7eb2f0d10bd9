package ditto.engine.store;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.tinylog.Logger;

import ditto.api.DiskUsageItem;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.FileSystemType;

/**
 * The persistence directory of one open instance, created with its part folders and held under an
 * exclusive lock until {@link #close()}.
 *
 * <p>Layout: {@code <dir>/ditto.lock} (the lock file, holding the owner's process id),
 * {@code <dir>/store}, {@code <dir>/auth}, {@code <dir>/replication}, {@code <dir>/attachments}
 * (one folder per {@link FileSystemType} other than ROOT).
 *
 * <p>Exclusivity has two layers. Across processes, a {@link FileChannel#tryLock()} on the lock file:
 * the operating system releases it if the process dies. Inside one JVM, {@code FileLock} cannot
 * express "already locked by this JVM" (it throws {@link OverlappingFileLockException}, and some
 * platforms would even grant it), so {@link #HELD} records the canonical paths this JVM holds. That
 * set is the only process-wide state of the store layer; it exists because the file lock itself is
 * process-wide. Invariant: a path is in {@link #HELD} exactly while an open PersistenceDirectory
 * owns its file lock (or is acquiring it).
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class PersistenceDirectory implements AutoCloseable {

    /** The name of the lock file inside the directory. */
    public static final String LOCK_FILE = "ditto.lock";

    /** Canonical directories held by open instances of this JVM. */
    private static final Map<Path, Boolean> HELD = new ConcurrentHashMap<>();

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private PersistenceDirectory(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates (if needed) and locks a persistence directory with its part folders.
     *
     * @param directory an absolute path, never null
     * @return the locked directory; close it to release the lock
     * @throws DittoException {@link ErrorCode#PERSISTENCE_DIRECTORY} naming the directory if it
     *         cannot be created, is not a directory, is not writable, or is in use by another open
     *         instance in this or another process
     */
    public static PersistenceDirectory open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        if (!directory.isAbsolute()) {
            throw new IllegalArgumentException("persistence directory must be absolute: " + directory);
        }
        Path canonical = createDirectory(directory);
        if (HELD.putIfAbsent(canonical, Boolean.TRUE) != null) {
            throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY, "persistence directory " + directory
                    + ": already in use by another open Ditto instance in this process"
                    + " (close it first, or choose another directory)");
        }
        FileChannel channel = null;
        try {
            for (FileSystemType type : FileSystemType.values()) {
                if (type != FileSystemType.ROOT) {
                    createDirectory(canonical.resolve(folderName(type)));
                }
            }
            Path lockFile = canonical.resolve(LOCK_FILE);
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String owner = readOwner(lockFile);
                throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY, "persistence directory " + directory
                        + ": already in use by another open Ditto instance"
                        + (owner.isEmpty() ? " in another process" : " in process " + owner)
                        + " (close it first, or choose another directory)");
            }
            writeOwner(channel);
            Logger.debug("persistence directory {} locked", canonical);
            return new PersistenceDirectory(canonical, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            HELD.remove(canonical);
            throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY,
                    "persistence directory " + directory + ": cannot lock " + LOCK_FILE + ": " + describe(e), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            HELD.remove(canonical);
            throw e;
        }
    }

    /** Returns the folder name of a part of the directory; the empty string for ROOT. */
    public static String folderName(FileSystemType type) {
        return switch (type) {
            case ROOT -> "";
            case STORE -> "store";
            case AUTH -> "auth";
            case REPLICATION -> "replication";
            case ATTACHMENTS -> "attachments";
        };
    }

    /** Returns the canonical absolute directory (symbolic links resolved). */
    public Path path() {
        return directory;
    }

    /**
     * Returns the folder of one part of the directory; the directory itself for ROOT.
     *
     * @param type the part, never null
     * @return an absolute path, never null
     */
    public Path folder(FileSystemType type) {
        return type == FileSystemType.ROOT ? directory : directory.resolve(folderName(type));
    }

    /**
     * Measures the bytes of regular files under one part of the directory, as a tree: the part's
     * top node carries {@code type}, nodes below it carry none. Paths are relative to the
     * directory with {@code /} separators (the root's is empty); children are sorted by name; a
     * directory's size is the sum of its children's. Symbolic links are not followed and count
     * zero; files that vanish during the walk are left out.
     *
     * @param type the part to measure, never null
     * @return the tree, never null
     * @throws DittoException {@link ErrorCode#STORE} if a directory cannot be read
     */
    public DiskUsageItem measure(FileSystemType type) {
        Objects.requireNonNull(type, "type");
        try {
            DiskUsageItem item = measure(folder(type), type);
            return item != null ? item : new DiskUsageItem(folderName(type), 0, type, List.of());
        } catch (IOException e) {
            throw new DittoException(ErrorCode.STORE,
                    "disk usage of " + directory + ": cannot read the directory: " + describe(e), e);
        }
    }

    /** Returns the node for {@code path}, or null if it vanished. */
    private DiskUsageItem measure(Path path, FileSystemType type) throws IOException {
        String relative = directory.relativize(path).toString().replace(File.separatorChar, '/');
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!attributes.isDirectory()) {
            return new DiskUsageItem(relative, attributes.isRegularFile() ? attributes.size() : 0, type, List.of());
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
            stream.forEach(entries::add);
        } catch (NoSuchFileException e) {
            return null;
        }
        entries.sort(Comparator.comparing(p -> p.getFileName().toString()));
        List<DiskUsageItem> children = new ArrayList<>(entries.size());
        long total = 0;
        for (Path entry : entries) {
            FileSystemType childType = type == FileSystemType.ROOT ? partOf(entry.getFileName().toString()) : null;
            DiskUsageItem child = measure(entry, childType);
            if (child != null) {
                children.add(child);
                total += child.sizeInBytes();
            }
        }
        return new DiskUsageItem(relative, total, type, children);
    }

    /** Returns the part a top-level entry named {@code name} is, or null for other entries. */
    private static FileSystemType partOf(String name) {
        for (FileSystemType type : FileSystemType.values()) {
            if (type != FileSystemType.ROOT && folderName(type).equals(name)) {
                return type;
            }
        }
        return null;
    }

    /** Tells whether {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Releases the lock; the lock file stays (deleting it would race with another opener). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } catch (IOException e) {
            Logger.warn(e, "persistence directory {}: releasing the lock failed", directory);
        } finally {
            closeQuietly(channel);
            HELD.remove(directory);
        }
        Logger.debug("persistence directory {} released", directory);
    }

    @Override
    public String toString() {
        return "PersistenceDirectory[" + directory + (isClosed() ? ", closed]" : "]");
    }

    // ---- internals -------------------------------------------------------------------------

    /** Creates the directory (and parents) and returns its canonical path. */
    private static Path createDirectory(Path dir) {
        try {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
                throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY,
                        "persistence directory " + dir + ": exists but is not a directory");
            }
            Files.createDirectories(dir);
            Path real = dir.toRealPath();
            if (!Files.isWritable(real)) {
                throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY,
                        "persistence directory " + dir + ": not writable by this process");
            }
            return real;
        } catch (FileAlreadyExistsException e) {
            throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY,
                    "persistence directory " + dir + ": cannot be created, " + e.getFile() + " is not a directory", e);
        } catch (IOException e) {
            throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY,
                    "persistence directory " + dir + ": cannot be created: " + describe(e), e);
        }
    }

    private static void writeOwner(FileChannel channel) throws IOException {
        byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
        channel.force(false);
    }

    /** Reads the owner's process id from the lock file; empty if it cannot be read (some systems forbid it). */
    private static String readOwner(Path lockFile) {
        try {
            byte[] content = Files.readAllBytes(lockFile);
            String text = new String(content, StandardCharsets.US_ASCII).trim();
            return text.length() <= 20 && text.chars().allMatch(Character::isDigit) ? text : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied (" + e.getMessage() + ")";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory (" + e.getMessage() + ")";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            Logger.debug(e, "closing lock file channel failed");
        }
    }
}
