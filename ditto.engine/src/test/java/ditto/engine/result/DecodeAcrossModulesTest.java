package ditto.engine.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResultItem;

/**
 * {@code decode(Class)} into classes of an application module, as on the module path: a module
 * {@code app} is compiled and loaded into its own layer with a given {@code module-info}.
 */
class DecodeAcrossModulesTest {
    private static final String RECORD = "package app; public record Car(String _id, String color, int doors) { }";
    private static final String PRIVATE_FIELDS = "package app; public class Car {"
            + " private String _id; private String color; private int doors; private Car() { }"
            + " @Override public String toString() { return \"Car[_id=\" + _id + \", color=\" + color + \", doors=\" + doors + \"]\"; } }";

    @TempDir
    Path dir;

    private final QueryResultItem item = Results.ofRows(List.of(Map.of("_id", "c1", "color", "red", "doors", 4L,
            "extra", true))).item(0);

    private Class<?> compileAndLoad(String moduleInfo, String car) throws IOException, ClassNotFoundException {
        Path src = dir.resolve("src");
        Path out = dir.resolve("out");
        Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), moduleInfo);
        Files.writeString(src.resolve("app/Car.java"), car);
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(messages, true, StandardCharsets.UTF_8);
        int rc = ToolProvider.findFirst("javac").orElseThrow().run(print, print, "--release", "17", "-nowarn",
                "-d", out.toString(), src.resolve("module-info.java").toString(), src.resolve("app/Car.java").toString());
        assertEquals(0, rc, messages.toString(StandardCharsets.UTF_8));
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolve(ModuleFinder.of(out), ModuleFinder.of(), Set.of("app"));
        ModuleLayer layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
        return layer.findLoader("app").loadClass("app.Car");
    }

    @Test
    void bindsAPublicRecordOfAnExportedPackageWithoutOpens() throws Exception {
        Class<?> car = compileAndLoad("module app { exports app; }", RECORD);
        assertEquals("Car[_id=c1, color=red, doors=4]", item.decode(car).toString());
    }

    @Test
    void bindsPrivateFieldsOfAPackageOpenedToJackson() throws Exception {
        Class<?> car = compileAndLoad("module app { opens app to com.fasterxml.jackson.databind; }", PRIVATE_FIELDS);
        assertEquals("Car[_id=c1, color=red, doors=4]", item.decode(car).toString());
    }

    @Test
    void explainsTheOpensNeededForAClosedPackage() throws Exception {
        Class<?> car = compileAndLoad("module app { }", RECORD);
        DittoException e = assertThrows(DittoException.class, () -> item.decode(car));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertTrue(e.getMessage().contains("decode to app.Car"), e.getMessage());
        assertTrue(e.getMessage().contains("opens app to com.fasterxml.jackson.databind"), e.getMessage());
    }
}
