package ditto.engine.plugin;

import java.util.Objects;
import java.util.Optional;

/**
 * One change of the provider that serves an id: a provider appeared ({@code previous} empty), went
 * away ({@code current} empty), or was replaced by a standby with the same id (both present).
 *
 * @param kind the plug-in kind, never null
 * @param id the provider id, never null
 * @param previous the provider that served the id before the change, if any
 * @param current the provider that serves the id after the change, if any
 */
public record PluginChange(PluginKind kind, String id, Optional<Object> previous, Optional<Object> current) {

    /** Checks that no component is null and that something changed. */
    public PluginChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        if (previous.isEmpty() && current.isEmpty()) {
            throw new IllegalArgumentException("plug-in change of " + kind.key() + " '" + id + "' changes nothing");
        }
    }

    /** Returns the previous provider cast to {@code type}, if there was one of that type. */
    public <P> Optional<P> previous(Class<P> type) {
        return previous.filter(type::isInstance).map(type::cast);
    }

    /** Returns the current provider cast to {@code type}, if there is one of that type. */
    public <P> Optional<P> current(Class<P> type) {
        return current.filter(type::isInstance).map(type::cast);
    }
}
