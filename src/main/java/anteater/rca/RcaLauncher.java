package anteater.rca;

import anteater.detect.OptionException;
import anteater.sink.AnteaterConfig;
import anteater.sink.ConfigException;
import anteater.sink.EventPublisher;
import anteater.sink.Sinks;

/**
 * Starts the process-wide RCA engine from the configuration file on the first task {@code init} that finds
 * {@code Rca.enabled: true} (never for {@code info}); a bad Rca section fails that init with its message.
 */
public final class RcaLauncher {
    private static boolean hookAdded;

    private RcaLauncher() {
    }

    public static synchronized void ensureStarted() throws OptionException {
        if (RcaEngine.instance() != null) return;
        AnteaterConfig cfg = Sinks.config();
        RcaConfig rc;
        try {
            rc = RcaConfig.from(cfg.tree(), cfg.kafka());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config " + cfg.source() + ": " + e.getMessage());
        }
        if (!rc.enabled()) return;
        EventPublisher publisher = Sinks.publisher(cfg);
        try {
            RcaEngine.startOnce(rc, publisher);
        } catch (RuntimeException e) {
            publisher.close();
            throw new ConfigException("config " + cfg.source() + ": Rca: " + e.getMessage());
        }
        if (!hookAdded) {
            hookAdded = true;
            Runtime.getRuntime().addShutdownHook(new Thread(RcaEngine::stopInstance, "rca-stop"));
        }
    }
}
