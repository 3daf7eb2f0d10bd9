package ditto.engine.plugin;

import java.util.List;

/**
 * Where a bootstrap finds plug-ins outside OSGi: {@link ServiceLoaderProviderSource} in production,
 * a fixed list in tests. Implementations never throw for a single broken provider: they log it and
 * leave it out.
 */
public interface ProviderSource {

    /**
     * Returns every provider of a service interface this source can find, each instantiated once.
     *
     * @param service the SPI interface, never null
     * @param <S> the service type
     * @return the providers, possibly empty, never null
     */
    <S> List<S> load(Class<S> service);
}
