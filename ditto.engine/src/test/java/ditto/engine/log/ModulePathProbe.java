package ditto.engine.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.slf4j.LoggerFactory;
import org.tinylog.Logger;

import ditto.api.DittoLogger;

/**
 * Child-JVM entry point of {@link ModulePathSlf4jTest}: runs with slf4j-api and slf4j-tinylog as
 * named modules, logs through tinylog and slf4j, and prints what reached the DittoLogger callback.
 */
public final class ModulePathProbe {
    private ModulePathProbe() {
    }

    public static void main(String[] args) {
        TinylogSetup.install();
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        DittoLogger.setCustomLogCallback((level, message) -> received.add(level + " " + message));

        Logger.info("tinylog probe");
        LoggerFactory.getLogger("javax.jmdns.JmDNS").warn("slf4j probe {}", "jmdns");
        LoggerFactory.getLogger("org.java_websocket.WebSocketImpl").error("slf4j probe websocket");

        System.out.println("slf4j module: " + LoggerFactory.class.getModule().getName());
        System.out.println("slf4j factory module: " + LoggerFactory.getILoggerFactory().getClass().getModule().getName());
        for (String line : received) {
            System.out.println("received: " + line);
        }
    }
}
