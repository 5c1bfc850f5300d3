package anteater.sink;

import anteater.detect.OptionException;
import anteater.detect.Options;
import java.time.Duration;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Chooses the event sinks of a task from its options and the process configuration.
 *
 * <p>The configuration ({@code --config FILE} or {@code ANTEATER_CONFIG}) is read on the first {@code init}, never
 * for {@code info}; a bad file makes {@code init} fail with its message (and is read again on the next init, so
 * it can be fixed without a restart). With a Kafka server configured events go to Kafka, otherwise to a
 * JSON-lines file. Publishers are shared by every task of the process with the same destination.
 */
public final class Sinks {
    private static AnteaterConfig config;

    private Sinks() {
    }

    /** The process configuration, read once (lazily). */
    public static synchronized AnteaterConfig config() throws ConfigException {
        if (config == null) config = AnteaterConfig.fromEnvironment();
        return config;
    }

    /** Forgets the cached configuration (tests, or after the file changed). */
    public static synchronized void reset() {
        config = null;
    }

    /** The sink for one task node. */
    public static AnomalySink forTask(Options options) throws OptionException {
        return forTask(options, config(), EventBus.global());
    }

    /** The sink for one task node with an explicit configuration and bus. */
    public static AnomalySink forTask(Options options, AnteaterConfig cfg, EventBus bus) throws OptionException {
        EntityTemplate template;
        try {
            template = EntityTemplate.parse(options.getString("entity"));
        } catch (IllegalArgumentException e) {
            throw new OptionException("option 'entity': " + e.getMessage());
        }
        String eventType = options.getString("eventType");
        eventType = eventType == null ? "app" : eventType.trim().toLowerCase(Locale.ROOT);
        if (!eventType.equals("app") && !eventType.equals("sys")) {
            throw new OptionException("option 'eventType' must be 'app' or 'sys', got '" + options.getString("eventType") + "'");
        }
        Duration interval = options.getDuration("suppress");
        if (interval == null) interval = cfg.suppression().duration();
        if (interval.isNegative()) throw new OptionException("option 'suppress' must be >= 0s, got " + interval);
        String topic = options.getString("topic");
        if (topic == null || topic.isBlank()) topic = cfg.kafka().modelTopic;
        else if (!AnteaterConfig.Kafka.validTopic(topic)) {
            throw new OptionException("option 'topic': '" + topic + "' is not a valid Kafka topic name "
                    + "(1 to 249 of A-Z a-z 0-9 . _ -)");
        }
        EventPublisher publisher = publisher(cfg);
        return new EventSink(new EventFactory(template, eventType), new Suppressor(interval), topic, publisher, bus);
    }

    /**
     * A handle on the process-wide publisher of the configured destination (Kafka, or the events file), shared
     * with the anomaly sinks. For other capabilities, e.g. RCA publishing cause events to
     * {@code config().kafka().rcaTopic}. {@link EventPublisher#publish} never blocks; close the handle when done
     * (the last handle closes the producer after flushing).
     */
    public static EventPublisher publisher() throws ConfigException {
        return publisher(config());
    }

    public static EventPublisher publisher(AnteaterConfig cfg) throws ConfigException {
        AnteaterConfig.Kafka k = cfg.kafka();
        if (k.enabled()) {
            return PublisherRegistry.acquire(kafkaKey(k), () -> new KafkaPublisher(k));
        }
        AnteaterConfig.Events ev = cfg.events();
        java.nio.file.Path path = ev.path().toAbsolutePath().normalize();
        return PublisherRegistry.acquire("file|" + path + "|" + k.modelTopic,
                () -> new FilePublisher(path, k.modelTopic, ev.queueSize));
    }

    /** Everything that makes two Kafka sections different producers (never logged: it holds secrets). */
    private static String kafkaKey(AnteaterConfig.Kafka k) {
        return String.join("|", "kafka", k.bootstrap(), k.protocol(), k.saslMechanism, k.username, k.password,
                k.sslCafile, k.sslTruststore, k.sslTruststorePassword, k.sslTruststoreType,
                String.valueOf(k.sslCheckHostname), String.valueOf(k.queueSize), String.valueOf(k.deliveryTimeoutMs),
                String.valueOf(new TreeMap<>(k.properties)));
    }
}
