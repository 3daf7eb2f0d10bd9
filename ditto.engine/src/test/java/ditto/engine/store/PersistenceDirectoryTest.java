package ditto.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.DiskUsageItem;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.FileSystemType;

class PersistenceDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void createsTheDirectoryWithOneFolderPerPartAndALockFile() {
        // given a directory that does not exist yet, two levels deep
        Path dir = temp.resolve("a").resolve("db");

        // when it is opened
        try (PersistenceDirectory pd = PersistenceDirectory.open(dir)) {
            // then it exists with its parts and the lock file holding this process id
            for (String part : List.of("store", "auth", "replication", "attachments")) {
                assertTrue(Files.isDirectory(dir.resolve(part)), part);
            }
            assertEquals(pd.path().resolve("store"), pd.folder(FileSystemType.STORE));
            assertEquals(pd.path(), pd.folder(FileSystemType.ROOT));
            assertEquals(Long.toString(ProcessHandle.current().pid()), read(dir.resolve(PersistenceDirectory.LOCK_FILE)));
        }
    }

    @Test
    void secondOpenInTheSameProcessFailsUntilTheFirstIsClosed() {
        // given an open directory
        Path dir = temp.resolve("db");
        PersistenceDirectory first = PersistenceDirectory.open(dir);

        // when it is opened again
        DittoException e = assertThrows(DittoException.class, () -> PersistenceDirectory.open(dir));

        // then the error names the directory and says it is in use
        assertEquals(ErrorCode.PERSISTENCE_DIRECTORY, e.code());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("already in use"), e.getMessage());

        // and once closed (twice: idempotent) it can be opened again
        first.close();
        first.close();
        assertTrue(first.isClosed());
        PersistenceDirectory.open(dir).close();
    }

    @Test
    void aSymbolicLinkToAnOpenDirectoryIsTheSameDirectory() throws IOException {
        // given an open directory and a link to it
        Path dir = temp.resolve("db");
        Path link = temp.resolve("link");
        try (PersistenceDirectory first = PersistenceDirectory.open(dir)) {
            Files.createSymbolicLink(link, dir);

            // when opened through the link, then it is refused
            DittoException e = assertThrows(DittoException.class, () -> PersistenceDirectory.open(link));
            assertEquals(ErrorCode.PERSISTENCE_DIRECTORY, e.code());
            assertEquals(link.toRealPath(), first.path());
        }
    }

    @Test
    void refusesAPathThatIsAFile() throws IOException {
        // given a regular file where the directory should be
        Path file = Files.writeString(temp.resolve("file"), "x");

        // when opened, then the error names it and says what is wrong
        DittoException e = assertThrows(DittoException.class, () -> PersistenceDirectory.open(file));
        assertEquals(ErrorCode.PERSISTENCE_DIRECTORY, e.code());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not a directory"),
                e.getMessage());
    }

    @Test
    void refusesADirectoryBelowAFile() throws IOException {
        // given a file in the parent chain
        Path file = Files.writeString(temp.resolve("file"), "x");

        // when a directory below it is opened, then it cannot be created
        DittoException e = assertThrows(DittoException.class, () -> PersistenceDirectory.open(file.resolve("db")));
        assertEquals(ErrorCode.PERSISTENCE_DIRECTORY, e.code());
        assertTrue(e.getMessage().contains("cannot be created"), e.getMessage());
    }

    @Test
    void measuresEachPartAsATreeOfFiles() throws IOException {
        // given a directory with files in two parts
        Path dir = temp.resolve("db");
        try (PersistenceDirectory pd = PersistenceDirectory.open(dir)) {
            Files.write(dir.resolve("store").resolve("data.bin"), new byte[1000]);
            Path nested = Files.createDirectories(dir.resolve("attachments").resolve("ab"));
            Files.write(nested.resolve("blob1"), new byte[300]);
            Files.write(nested.resolve("blob2"), new byte[200]);
            long lockSize = Files.size(dir.resolve(PersistenceDirectory.LOCK_FILE));

            // when measured
            DiskUsageItem root = pd.measure(FileSystemType.ROOT);
            DiskUsageItem attachments = pd.measure(FileSystemType.ATTACHMENTS);
            DiskUsageItem auth = pd.measure(FileSystemType.AUTH);

            // then sizes add up, parts carry their type, and paths are relative with '/'
            assertEquals("", root.path());
            assertEquals(FileSystemType.ROOT, root.fileSystemType());
            assertEquals(1500 + lockSize, root.sizeInBytes());
            assertEquals(root.sizeInBytes(), root.totalSize());
            assertEquals(FileSystemType.STORE, root.findByPath("store").orElseThrow().fileSystemType());
            assertEquals(1000, root.findByPath("store/data.bin").orElseThrow().sizeInBytes());
            assertNull(root.findByPath("store/data.bin").orElseThrow().fileSystemType());
            assertEquals(lockSize, root.findByPath(PersistenceDirectory.LOCK_FILE).orElseThrow().sizeInBytes());
            assertEquals("attachments", attachments.path());
            assertEquals(FileSystemType.ATTACHMENTS, attachments.fileSystemType());
            assertEquals(500, attachments.sizeInBytes());
            assertEquals(List.of("attachments/ab/blob1", "attachments/ab/blob2"),
                    attachments.findByPath("attachments/ab").orElseThrow().children().stream()
                            .map(DiskUsageItem::path).toList());
            assertEquals(0, auth.sizeInBytes());
            assertTrue(auth.children().isEmpty());
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
