package anteater.rca;

import anteater.sink.AnomalyEvent;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads anomaly events of all agents (gala JSON) from the Kafka anomaly topic as a consumer group member and
 * hands them to the engine, so causes found by other agents count as candidates too. Own thread; unparseable
 * messages are counted and logged once per minute.
 */
public final class KafkaAnomalySource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAnomalySource.class);

    private final org.apache.kafka.clients.consumer.Consumer<String, String> consumer;
    private final String topic;
    private final Consumer<AnomalyEvent> sink;
    private final Thread thread;
    private final RateLimitedLog warnings = new RateLimitedLog(LOG, 60_000);
    private volatile boolean running = true;
    private volatile long parsed;
    private volatile long bad;

    public KafkaAnomalySource(org.apache.kafka.clients.consumer.Consumer<String, String> consumer, String topic,
                              Consumer<AnomalyEvent> sink) {
        this.consumer = consumer;
        this.topic = topic;
        this.sink = sink;
        this.thread = new Thread(this::loop, "rca-kafka");
        this.thread.setDaemon(true);
    }

    public static KafkaAnomalySource open(RcaConfig.KafkaIn cfg, Consumer<AnomalyEvent> sink) {
        Properties p = new Properties();
        p.put("bootstrap.servers", cfg.bootstrap());
        p.put("group.id", cfg.groupId());
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("auto.offset.reset", "latest");
        p.put("enable.auto.commit", "true");
        p.put("client.id", "anteater-rca");
        String auth = cfg.authType() == null ? "" : cfg.authType().toLowerCase(java.util.Locale.ROOT);
        if (auth.equals("sasl_plaintext")) {
            p.put("security.protocol", "SASL_PLAINTEXT");
            p.put("sasl.mechanism", "PLAIN");
            p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                    + cfg.username().replace("\"", "\\\"") + "\" password=\"" + cfg.password().replace("\"", "\\\"") + "\";");
        } else if (!auth.isEmpty() && !auth.equals("plaintext")) {
            throw new IllegalArgumentException("Kafka.auth_type must be empty, plaintext or sasl_plaintext, got '" + cfg.authType() + "'");
        }
        KafkaAnomalySource s = new KafkaAnomalySource(new KafkaConsumer<>(p), cfg.topic(), sink);
        s.start();
        return s;
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(topic));
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) continue;
                    try {
                        sink.accept(GalaAnomalyJson.parse(r.value()));
                        parsed++;
                    } catch (IllegalArgumentException e) {
                        bad++;
                        warnings.warn("bad", System.currentTimeMillis(), "rca: unreadable event on " + topic + " (offset "
                                + r.offset() + "): " + e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.warn("rca: kafka input stopped: {}", e.toString());
        } finally {
            try {
                consumer.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.debug("rca: kafka close: {}", e.toString());
            }
        }
    }

    public long parsed() {
        return parsed;
    }

    public long bad() {
        return bad;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
