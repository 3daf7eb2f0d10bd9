package ditto.engine.plugin;

/**
 * Receives the changes of a {@link PluginRegistry}. Called synchronously on the thread that
 * changed the registry (in OSGi, the Declarative Services thread binding or unbinding the
 * provider), in the order the changes happened, never concurrently with another change. A
 * listener must therefore be done with a departing provider when it returns: once the unbind
 * returns, the provider's bundle may stop.
 */
@FunctionalInterface
public interface PluginListener {

    /**
     * Reacts to one change. An exception thrown here is logged and does not stop delivery to other
     * listeners.
     *
     * @param change what changed, never null
     */
    void onPluginChange(PluginChange change);
}
