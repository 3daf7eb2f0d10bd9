package ditto.engine.result;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Internal: maps a JSON-model map onto records and classes with Jackson databind, for
 * {@code QueryResultItem.decode(Class)}.
 *
 * <p>Document fields map to record components, setters, or fields of any visibility (field by
 * field); unknown document fields are ignored (a record may pick the fields it needs); numbers
 * are converted to the target's numeric types, failing on overflow. Public constructors and
 * setters of a public class in an exported package are used as they are, so records and
 * bean-style classes need nothing more; private fields or constructors need the package to be
 * open to {@code com.fasterxml.jackson.databind} on the module path. The mapper is shared and
 * thread-safe.
 */
final class Binding {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.OVERRIDE_PUBLIC_ACCESS_MODIFIERS)
            .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .build();

    private Binding() {
    }

    /**
     * Converts a document to {@code type}.
     *
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the content does not fit the
     *         type, {@link ErrorCode#UNSUPPORTED} if the type cannot be bound (no usable
     *         constructor, abstract, or not accessible to the data binding)
     */
    static <T> T convert(Map<String, Object> value, Class<T> type) {
        try {
            T decoded = MAPPER.convertValue(value, type);
            if (decoded == null) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                        "decode to " + type.getName() + ": the data binding produced no object");
            }
            return decoded;
        } catch (IllegalArgumentException e) {
            throw translate(type, e);
        }
    }

    private static DittoException translate(Class<?> type, IllegalArgumentException e) {
        String detail = e.getCause() instanceof com.fasterxml.jackson.core.JacksonException je
                ? je.getOriginalMessage() : e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof IllegalAccessException || t instanceof java.lang.reflect.InaccessibleObjectException
                    || m.contains("does not \"opens") || m.contains("does not \"exports")
                    || m.contains("setAccess") || m.contains("cannot access")) {
                String pkg = type.getPackageName();
                return new DittoException(ErrorCode.UNSUPPORTED, "decode to " + type.getName()
                        + ": the data binding cannot access the class; on the module path, open its package to"
                        + " Jackson (in module-info: opens " + pkg + " to com.fasterxml.jackson.databind;)", e);
            }
        }
        if (e.getCause() instanceof InvalidDefinitionException) {
            return new DittoException(ErrorCode.UNSUPPORTED, "decode to " + type.getName()
                    + ": the class cannot be bound: " + detail, e);
        }
        return new DittoException(ErrorCode.INVALID_ARGUMENTS, "decode to " + type.getName()
                + ": the document does not fit the class: " + detail, e);
    }
}
