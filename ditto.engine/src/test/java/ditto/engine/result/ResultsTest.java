package ditto.engine.result;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.QueryResultItem;

class ResultsTest {

    /**
     * A record to decode into. Surefire opens test packages to the modules on the module path, so
     * Jackson reaches it; {@code DecodeAcrossModulesTest} covers application modules.
     */
    public record Car(String _id, String color, int doors, double price) { }

    /** A bean-style class to decode into. */
    public static class Boat {
        private String name;
        private long length;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public long getLength() {
            return length;
        }

        public void setLength(long length) {
            this.length = length;
        }
    }

    /** Not bindable: no creator Jackson can use. */
    public abstract static class Shape {
        public abstract double area();
    }

    private static Map<String, Object> car() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_id", "c1");
        m.put("color", "red");
        m.put("doors", 4L);
        m.put("price", 12000.5);
        m.put("photo", new byte[] {1, 2, (byte) 0xff});
        m.put("tags", List.of("a", "b"));
        m.put("owner", Map.of("name", "Ann"));
        m.put("nothing", null);
        return m;
    }

    private static byte[] cbor(Object value) throws Exception {
        return new ObjectMapper(new CBORFactory()).writeValueAsBytes(value);
    }

    @Test
    void anEncodedItemMaterializesLazilyAndCanBeDematerialized() throws Exception {
        // given
        QueryResult result = Results.ofEncoded(List.of(cbor(Map.of("_id", "x", "n", 5))));
        QueryResultItem item = result.item(0);
        // then it starts compact
        assertFalse(item.isMaterialized());
        // when read
        Map<String, Object> value = item.value();
        // then it decodes to the JSON model and keeps the map
        assertEquals(Map.of("_id", "x", "n", 5L), value);
        assertTrue(item.isMaterialized());
        assertSame(value, item.value());
        // when dematerialized, it decodes again on next use
        item.dematerialize();
        assertFalse(item.isMaterialized());
        Map<String, Object> again = item.value();
        assertNotSame(value, again);
        assertEquals(value, again);
    }

    @Test
    void aRowItemKeepsItsContentThroughDematerialization() {
        // given
        QueryResultItem item = Results.ofRows(List.of(car())).item(0);
        assertTrue(item.isMaterialized());
        // when
        item.dematerialize();
        // then
        assertFalse(item.isMaterialized());
        Map<String, Object> again = item.value();
        assertEquals("red", again.get("color"));
        assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, (byte[]) again.get("photo"));
        assertEquals(List.of("a", "b"), again.get("tags"));
        assertEquals(Map.of("name", "Ann"), again.get("owner"));
        assertTrue(again.containsKey("nothing"));
        assertThrows(UnsupportedOperationException.class, () -> again.put("x", 1));
    }

    @Test
    void valuesAreUnmodifiable() {
        QueryResult result = Results.ofRows(List.of(new HashMap<>(Map.of("_id", 1L))));
        assertThrows(UnsupportedOperationException.class, () -> result.item(0).value().put("x", 1));
        assertThrows(UnsupportedOperationException.class, () -> result.values().add(Map.of()));
        assertThrows(UnsupportedOperationException.class, () -> result.items().clear());
    }

    @Test
    void writesJsonWithBase64BytesAndTheSameTextTwice() {
        QueryResultItem item = Results.ofRows(List.of(car())).item(0);
        String json = item.jsonString();
        assertEquals("{\"_id\":\"c1\",\"color\":\"red\",\"doors\":4,\"price\":12000.5,\"photo\":\"AQL/\","
                + "\"tags\":[\"a\",\"b\"],\"owner\":{\"name\":\"Ann\"},\"nothing\":null}", json);
        assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), item.jsonData());
    }

    @Test
    void cborRoundTripsEveryJsonModelType() throws Exception {
        // given
        Map<String, Object> row = car();
        row.put("big", new BigInteger("123456789012345678901234567890"));
        row.put("dec", new BigDecimal("1.25"));
        row.put("neg", -7L);
        row.put("t", true);
        QueryResultItem item = Results.ofRows(List.of(row)).item(0);
        // when
        byte[] cbor = item.cborData();
        QueryResultItem decoded = Results.ofEncoded(List.of(cbor)).item(0);
        // then
        Map<String, Object> v = decoded.value();
        assertEquals(new ArrayList<>(row.keySet()), new ArrayList<>(v.keySet()));
        assertEquals(new BigInteger("123456789012345678901234567890"), v.get("big"));
        assertEquals(0, new BigDecimal("1.25").compareTo((BigDecimal) v.get("dec")));
        assertEquals(-7L, v.get("neg"));
        assertEquals(12000.5, v.get("price"));
        assertEquals(4L, v.get("doors"));
        assertArrayEquals((byte[]) row.get("photo"), (byte[]) v.get("photo"));
        // and the CBOR of an encoded item is its bytes, copied
        byte[] again = decoded.cborData();
        assertArrayEquals(cbor, again);
        again[0] = 0;
        assertArrayEquals(cbor, decoded.cborData());
    }

    @Test
    void jsonOfAnEncodedItemDoesNotMaterializeIt() throws Exception {
        QueryResultItem item = Results.ofEncoded(List.of(cbor(Map.of("a", 1)))).item(0);
        assertEquals("{\"a\":1}", item.jsonString());
        assertFalse(item.isMaterialized());
    }

    @Test
    void corruptStoredBytesFailWithAStoreError() {
        QueryResultItem item = Results.ofEncoded(List.of(new byte[] {(byte) 0x82, 1})).item(0);
        DittoException e = assertThrows(DittoException.class, item::value);
        assertEquals(ErrorCode.STORE, e.code());
        assertTrue(e.getMessage().contains("not valid CBOR"), e.getMessage());
    }

    @Test
    void decodesIntoRecordsAndBeans() {
        QueryResultItem item = Results.ofRows(List.of(car())).item(0);
        assertEquals(new Car("c1", "red", 4, 12000.5), item.decode(Car.class));
        Boat boat = Results.ofRows(List.of(Map.of("name", "Mary", "length", 12L, "extra", true))).item(0).decode(Boat.class);
        assertEquals("Mary", boat.getName());
        assertEquals(12L, boat.getLength());
    }

    @Test
    void decodesIntoMapStringAndBytes() throws Exception {
        QueryResultItem item = Results.ofRows(List.of(Map.of("a", 1L))).item(0);
        assertEquals(Map.of("a", 1L), item.decode(Map.class));
        assertEquals(Map.of("a", 1L), item.decode(Object.class));
        assertEquals("{\"a\":1}", item.decode(String.class));
        assertEquals(Map.of("a", 1), new ObjectMapper(new CBORFactory()).readValue(item.decode(byte[].class), Map.class));
    }

    @Test
    void decodeRejectsContentThatDoesNotFitNamingTheClass() {
        QueryResultItem item = Results.ofRows(List.of(Map.of("_id", "c", "doors", "many"))).item(0);
        DittoException e = assertThrows(DittoException.class, () -> item.decode(Car.class));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains(Car.class.getName()), e.getMessage());
        QueryResultItem huge = Results.ofRows(List.of(Map.of("doors", 1L << 40))).item(0);
        assertEquals(ErrorCode.INVALID_ARGUMENTS, assertThrows(DittoException.class, () -> huge.decode(Car.class)).code());
    }

    @Test
    void decodeRefusesTypesTheBindingCannotCreate() {
        QueryResultItem item = Results.ofRows(List.of(Map.of("area", 1.0))).item(0);
        DittoException e = assertThrows(DittoException.class, () -> item.decode(Shape.class));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertTrue(e.getMessage().contains(Shape.class.getName()), e.getMessage());
        assertThrows(NullPointerException.class, () -> item.decode(null));
    }

    @Test
    void aClosedItemThrowsClosedExceptForCloseAndIsMaterialized() {
        QueryResultItem item = Results.ofRows(List.of(Map.of("a", 1L))).item(0);
        item.close();
        item.close();
        assertFalse(item.isMaterialized());
        for (Runnable call : List.<Runnable>of(item::value, item::materialize, item::dematerialize, item::cborData,
                item::jsonData, item::jsonString, () -> item.decode(Map.class))) {
            assertEquals(ErrorCode.CLOSED, assertThrows(DittoException.class, call::run).code());
        }
    }

    @Test
    void aClosedResultThrowsClosedButItemsAlreadyTakenStayUsable() {
        // given
        QueryResult result = Results.ofRows(List.of(Map.of("a", 1L), Map.of("a", 2L)), 7);
        QueryResultItem taken = result.item(1);
        // when
        result.close();
        result.close();
        // then
        assertEquals(Map.of("a", 2L), taken.value());
        for (Runnable call : List.<Runnable>of(result::itemCount, result::items, result::values,
                result::mutatedDocumentIds, result::commitId, () -> result.item(0), result::iterator, result::stream)) {
            assertEquals(ErrorCode.CLOSED, assertThrows(DittoException.class, call::run).code());
        }
    }

    @Test
    void exposesItemsByIndexIterationStreamAndValues() {
        QueryResult result = Results.ofRows(List.of(Map.of("a", 1L), Map.of("a", 2L), Map.of("a", 3L)), 42);
        assertEquals(3, result.itemCount());
        assertEquals(OptionalLong.of(42), result.commitId());
        assertEquals(List.of(), result.mutatedDocumentIds());
        List<Object> seen = new ArrayList<>();
        for (QueryResultItem item : result) {
            seen.add(item.value().get("a"));
        }
        assertEquals(List.of(1L, 2L, 3L), seen);
        assertEquals(6L, result.stream().mapToLong(i -> (Long) i.value().get("a")).sum());
        assertEquals(List.of(Map.of("a", 1L), Map.of("a", 2L), Map.of("a", 3L)), result.values());
        assertSame(result.item(2), result.items().get(2));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> result.item(3));
        assertTrue(e.getMessage().contains("index 3") && e.getMessage().contains("3 items"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> result.item(-1));
    }

    @Test
    void aMutationHasNoItemsItsIdsAndItsCommit() {
        QueryResult result = Results.ofMutation(List.of("a", 2L, Map.of("k", 1L)), 9);
        assertEquals(0, result.itemCount());
        assertEquals(List.of(), result.items());
        assertEquals(List.of("a", 2L, Map.of("k", 1L)), result.mutatedDocumentIds());
        assertEquals(OptionalLong.of(9), result.commitId());
        assertEquals(OptionalLong.empty(), Results.ofMutation(List.of("a"), OptionalLong.empty()).commitId());
        assertEquals(OptionalLong.empty(), Results.ofRows(List.of()).commitId());
    }

    @Test
    void rejectsValuesOutsideTheJsonModelWhenEncoding() {
        QueryResultItem item = Results.ofRows(List.of(Map.of("when", new Object()))).item(0);
        DittoException e = assertThrows(DittoException.class, item::jsonString);
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertInstanceOf(Map.class, item.value());
        assertTrue(Arrays.asList(e.getMessage().split(" ")).contains("java.lang.Object"), e.getMessage());
    }
}
