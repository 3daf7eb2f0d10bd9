package ditto.api;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One node of a disk-usage tree reported by {@link DiskUsage}: a part of the persistence
 * directory (a component directory or a file), its size, and the nodes below it. Immutable and
 * thread-safe.
 *
 * @param path the node's path relative to the persistence directory, with {@code /} as the
 *        separator; the empty string for the root; never null
 * @param sizeInBytes the bytes this node occupies, including everything below it; never negative
 * @param fileSystemType the part of the directory this node belongs to, or null when it is not
 *        the top node of a part (for example a file inside the store)
 * @param children the nodes directly below this one, in the order reported; an unmodifiable
 *        copy, never null, empty for a file
 * @param metadata additional information about the node (JSON-model values); an unmodifiable
 *        copy, never null
 */
public record DiskUsageItem(String path, long sizeInBytes, FileSystemType fileSystemType,
        List<DiskUsageItem> children, Map<String, Object> metadata) {

    /**
     * Checks and copies the arguments.
     *
     * @param path the relative path, {@code /}-separated
     * @param sizeInBytes the size including everything below
     * @param fileSystemType the part of the directory, or null
     * @param children the nodes directly below; copied
     * @param metadata JSON-model metadata; copied
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if {@code sizeInBytes} is
     *         negative or metadata holds a value that is not a JSON-model value
     * @throws NullPointerException if {@code path}, {@code children}, an element of it, or
     *         {@code metadata} is null
     */
    public DiskUsageItem {
        Objects.requireNonNull(path, "path");
        if (sizeInBytes < 0) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "disk usage item '" + path + "': size " + sizeInBytes + " is negative");
        }
        children = List.copyOf(children);
        metadata = JsonModelValues.freezeMap(Objects.requireNonNull(metadata, "metadata"),
                ErrorCode.INVALID_ARGUMENTS, "disk usage metadata");
    }

    /**
     * Creates a node without metadata.
     *
     * @param path the relative path, {@code /}-separated
     * @param sizeInBytes the size including everything below
     * @param fileSystemType the part of the directory, or null
     * @param children the nodes directly below; copied
     * @see #DiskUsageItem(String, long, FileSystemType, List, Map)
     */
    public DiskUsageItem(String path, long sizeInBytes, FileSystemType fileSystemType, List<DiskUsageItem> children) {
        this(path, sizeInBytes, fileSystemType, children, Map.of());
    }

    /** Returns the metadata; byte arrays in it are fresh copies. */
    @Override
    public Map<String, Object> metadata() {
        return JsonModelValues.copyMap(metadata);
    }

    /**
     * Finds the node with exactly the given path in this tree (this node included), searching
     * depth-first in child order, and returns the first match.
     *
     * @param path the relative path to look for, never null
     * @return the node, or empty if no node in this tree has that path
     * @throws NullPointerException if {@code path} is null
     */
    public Optional<DiskUsageItem> findByPath(String path) {
        Objects.requireNonNull(path, "path");
        Deque<DiskUsageItem> stack = new ArrayDeque<>();
        stack.push(this);
        while (!stack.isEmpty()) {
            DiskUsageItem item = stack.pop();
            if (item.path.equals(path)) {
                return Optional.of(item);
            }
            for (int i = item.children.size() - 1; i >= 0; i--) {
                stack.push(item.children.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Recomputes this node's size from the leaves of its tree: a node without children counts
     * its {@link #sizeInBytes()}, a node with children the sum of its children's total sizes.
     * For a consistent tree this equals {@link #sizeInBytes()}; it differs when a directory node
     * reports bytes that belong to no listed child.
     *
     * @return the total in bytes, never negative (saturates at {@link Long#MAX_VALUE})
     */
    public long totalSize() {
        if (children.isEmpty()) {
            return sizeInBytes;
        }
        long total = 0;
        for (DiskUsageItem child : children) {
            long size = child.totalSize();
            total = total > Long.MAX_VALUE - size ? Long.MAX_VALUE : total + size;
        }
        return total;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiskUsageItem other
                && path.equals(other.path)
                && sizeInBytes == other.sizeInBytes
                && fileSystemType == other.fileSystemType
                && children.equals(other.children)
                && JsonModelValues.deepEquals(metadata, other.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, sizeInBytes, fileSystemType, children) * 31 + JsonModelValues.deepHashCode(metadata);
    }

    @Override
    public String toString() {
        return "DiskUsageItem[path=" + path + ", sizeInBytes=" + sizeInBytes + ", fileSystemType=" + fileSystemType
                + ", children=" + children + ", metadata=" + JsonModelValues.describe(metadata) + "]";
    }
}
