package org.lastfmgnn.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngineProvider;

/**
 * Starts DJL's PyTorch engine the way it works inside Neo4j: offline (no downloads, no telemetry) and with
 * this plugin's class loader as the context loader, since DJL looks its engine and natives up through it.
 */
public final class Engines {
    private static volatile Engine engine;

    private Engines() {
    }

    public static Engine pytorch() {
        Engine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (Engines.class) {
            if (engine == null) {
                if (System.getProperty("ai.djl.offline") == null) {
                    System.setProperty("ai.djl.offline", "true");
                }
                if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
                    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
                }
                Thread thread = Thread.currentThread();
                ClassLoader previous = thread.getContextClassLoader();
                thread.setContextClassLoader(Engines.class.getClassLoader());
                try {
                    Engine.registerEngine(new PtEngineProvider());
                    engine = Engine.getEngine("PyTorch");
                } finally {
                    thread.setContextClassLoader(previous);
                }
            }
            return engine;
        }
    }
}
