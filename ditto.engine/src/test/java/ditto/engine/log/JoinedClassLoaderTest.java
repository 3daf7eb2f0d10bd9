package ditto.engine.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JoinedClassLoaderTest {
    @TempDir
    Path dir;

    private static URLClassLoader over(Path root) throws IOException {
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    }

    private static Path withResource(Path root, String name, String content) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return root;
    }

    @Test
    void listsResourcesOfBothLoadersOnce() throws IOException {
        // given two loaders that each hold a service file, the second also seeing the first's
        Path a = withResource(dir.resolve("a"), "META-INF/services/x.Y", "a");
        Path b = withResource(dir.resolve("b"), "META-INF/services/x.Y", "b");
        try (URLClassLoader first = over(a);
                URLClassLoader second = new URLClassLoader(new URL[] {a.toUri().toURL(), b.toUri().toURL()}, null)) {
            JoinedClassLoader joined = new JoinedClassLoader(first, second);

            // when both are asked through the joined loader
            List<URL> urls = Collections.list(joined.getResources("META-INF/services/x.Y"));

            // then each file appears once, the first loader's first
            assertEquals(2, urls.size());
            assertEquals(a.resolve("META-INF/services/x.Y").toUri().toURL().toExternalForm(), urls.get(0).toExternalForm());
            assertEquals(first.getResource("META-INF/services/x.Y").toExternalForm(),
                    joined.getResource("META-INF/services/x.Y").toExternalForm());
        }
    }

    @Test
    void loadsClassesTheFirstLoaderCannotSeeFromTheSecond() throws Exception {
        try (URLClassLoader empty = over(dir)) {
            JoinedClassLoader joined = new JoinedClassLoader(empty, JoinedClassLoaderTest.class.getClassLoader());

            assertSame(TinylogBridgeWriter.class, Class.forName(TinylogBridgeWriter.class.getName(), false, joined));
            assertSame(String.class, joined.loadClass("java.lang.String"));
            assertThrows(ClassNotFoundException.class, () -> joined.loadClass("no.such.Type"));
        }
    }
}
