package ditto.api;

import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Measures the disk space a Ditto instance uses in its persistence directory, as a tree of
 * {@link DiskUsageItem}s; obtained from {@link Ditto#diskUsage()}. All methods are thread-safe;
 * after the instance closes they throw {@link ErrorCode#CLOSED}.
 */
@ProviderType
public interface DiskUsage {

    /**
     * Measures the whole persistence directory now. Blocks while the directory is walked.
     *
     * @return the tree, rooted at an item of type {@link FileSystemType#ROOT}; never null
     * @throws DittoException {@link ErrorCode#STORE} if the directory cannot be read,
     *         {@link ErrorCode#CLOSED} if the instance is closed
     */
    DiskUsageItem exec();

    /**
     * Measures one part of the persistence directory now.
     *
     * @param type the part to measure, never null
     * @return the tree of that part; never null (size 0 and no children if the part holds nothing)
     * @throws DittoException {@link ErrorCode#STORE} if the directory cannot be read,
     *         {@link ErrorCode#CLOSED} if the instance is closed
     * @throws NullPointerException if {@code type} is null
     */
    DiskUsageItem exec(FileSystemType type);

    /**
     * Registers a callback that receives the whole tree soon after registration and then each
     * time the usage changes, measured on an engine interval. Calls are in order and never
     * concurrent with each other.
     *
     * @param callback receives each new tree, never null
     * @return the handle that stops the callbacks
     * @throws DittoException {@link ErrorCode#CLOSED} if the instance is closed
     * @throws NullPointerException if {@code callback} is null
     */
    DiskUsageObserver registerObserver(Consumer<DiskUsageItem> callback);
}
