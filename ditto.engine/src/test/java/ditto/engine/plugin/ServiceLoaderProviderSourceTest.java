package ditto.engine.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.ServiceConfigurationError;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ServiceLoaderProviderSourceTest {

    /** Mimics ServiceLoader's iterator: a step is either a provider or an error thrown from next(). */
    private static Iterator<Object> steps(Object... steps) {
        Deque<Object> queue = new ArrayDeque<>(List.of(steps));
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !queue.isEmpty();
            }

            @Override
            public Object next() {
                if (queue.isEmpty()) {
                    throw new NoSuchElementException();
                }
                Object step = queue.removeFirst();
                if (step instanceof Error error) {
                    throw error;
                }
                return step;
            }
        };
    }

    @Test
    void aBrokenProviderIsSkippedAndTheOthersStillLoad() {
        // given a loader whose second provider cannot be instantiated
        List<Object> sink = new ArrayList<>();
        Iterator<Object> loader = steps("first", new ServiceConfigurationError("Provider x could not be instantiated"),
                new NoClassDefFoundError("missing/Dependency"), 42L);

        // when collected
        ServiceLoaderProviderSource.collect(loader, Object.class, new HashSet<>(), sink);

        // then the working providers are there, in order
        assertEquals(List.of("first", 42L), sink);
    }

    @Test
    void aProviderClassFoundTwiceIsKeptOnce() {
        // given two loaders that both yield an instance of the same class (the engine's loader and the context loader)
        List<Object> sink = new ArrayList<>();
        Set<String> seen = new HashSet<>();

        // when both are collected
        ServiceLoaderProviderSource.collect(steps("a"), Object.class, seen, sink);
        ServiceLoaderProviderSource.collect(steps("b", 1), Object.class, seen, sink);

        // then only the first String and the Integer are kept
        assertEquals(List.of("a", 1), sink);
    }

    @Test
    void aLoaderThatKeepsFailingIsAbandoned() {
        // given a loader that fails on every step, forever
        Iterator<Object> broken = new Iterator<>() {
            @Override
            public boolean hasNext() {
                throw new ServiceConfigurationError("corrupt META-INF/services file");
            }

            @Override
            public Object next() {
                throw new NoSuchElementException();
            }
        };
        List<Object> sink = new ArrayList<>();

        // when collected, then it returns (instead of looping) with nothing
        ServiceLoaderProviderSource.collect(broken, Object.class, new HashSet<>(), sink);
        assertEquals(List.of(), sink);
    }
}
