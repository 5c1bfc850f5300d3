package anteater.rca;

import anteater.sink.AnomalyEvent;
import anteater.sink.KafkaMetrics;
import anteater.sink.KafkaProps;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads anomaly events of all agents (gala JSON) from the Kafka anomaly topic as a consumer group member and
 * hands them to the engine, so causes found by other agents count as candidates too. Own thread; unparseable
 * messages are counted and logged once per minute; a failing poll (authentication, a broker away) is retried
 * with a backoff of 1 to 30 s, so the input comes back when Kafka does.
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
    private volatile long failures;
    /**
     * Responses the consumer has had from any broker so far (-1: not known); none for {@code graceMs} is an outage.
     * Not its open connections: a frozen broker or a black-holed network keeps them (the kernel accepts them).
     */
    private final LongSupplier responses;
    private final long graceMs;
    private long lastResponses = -1;
    private long unansweredSinceMs = -1;
    private volatile boolean disconnected;

    public KafkaAnomalySource(org.apache.kafka.clients.consumer.Consumer<String, String> consumer, String topic,
                              Consumer<AnomalyEvent> sink) {
        this(consumer, topic, sink, KafkaMetrics.responseCount(consumer::metrics, "consumer-metrics"), 10_000);
    }

    /** With a given count of responses received and grace time (tests). */
    KafkaAnomalySource(org.apache.kafka.clients.consumer.Consumer<String, String> consumer, String topic,
                       Consumer<AnomalyEvent> sink, LongSupplier responses, long graceMs) {
        this.responses = responses;
        this.graceMs = graceMs;
        this.consumer = consumer;
        this.topic = topic;
        this.sink = sink;
        this.thread = new Thread(this::loop, "rca-kafka");
        this.thread.setDaemon(true);
    }

    /**
     * A consumer with the Kafka section's connection and security settings; its thread is started. It is the only
     * member of a consumer group of its own ({@link #ownGroup}), so every agent process reads every event of the
     * topic: in a group shared by several processes (stdio mode runs one per task node, and other hosts run their
     * own) Kafka splits the topic among them, and each saw only its share of the other agents' anomalies (on a topic
     * of one partition one process saw them all and the others none).
     */
    public static KafkaAnomalySource open(RcaConfig.KafkaIn cfg, Consumer<AnomalyEvent> sink) {
        Properties p = KafkaProps.consumer(cfg.connection(), cfg.bootstrap(), "anteater-rca", ownGroup(cfg.groupId()));
        // nothing to resume from: the store of recent anomalies starts empty with the process, and a group that commits
        // no offsets leaves nothing behind on the broker when the process ends
        p.put("enable.auto.commit", "false");
        KafkaAnomalySource s = new KafkaAnomalySource(new KafkaConsumer<>(p), cfg.topic(), sink);
        s.start();
        return s;
    }

    /**
     * {@code Kafka.group_id}, this process's id and a random part: a group no other consumer joins (the pid alone is
     * not enough: in containers every agent may be pid 1).
     */
    static String ownGroup(String base) {
        return base + "-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        long backoffMs = 0;
        try {
            consumer.subscribe(List.of(topic));
            while (running) {
                ConsumerRecords<String, String> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                    backoffMs = 0;
                    watchConnections(System.currentTimeMillis());
                } catch (WakeupException | InterruptException e) {
                    break;
                } catch (KafkaException e) {
                    // authentication, authorisation, a broker away: keep trying, slower each time, up to 30 s
                    backoffMs = Math.min(30_000, Math.max(1_000, backoffMs * 2));
                    failures++;
                    warnings.warn("poll", System.currentTimeMillis(), "rca: kafka input on " + topic + ": " + e
                            + " (retrying in " + backoffMs / 1000 + " s)");
                    if (!pause(backoffMs)) break;
                    continue;
                }
                for (ConsumerRecord<String, String> r : records) {
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

    /**
     * A broker away does not make poll() fail: it returns nothing, and the client's own per-attempt connection
     * warnings are not shown (see Logging). So say once when no broker has answered the consumer for the grace time,
     * and once when one answers again. A live broker answers a polling consumer at least every fetch.max.wait.ms
     * (500 ms) and every heartbeat (3 s), even with nothing to read.
     */
    private void watchConnections(long nowMs) {
        long n = responses.getAsLong();
        if (n < 0) return;
        if (n > lastResponses) {
            if (disconnected) {
                LOG.info("rca: kafka input on {}: a broker answers again after {} s", topic, (nowMs - unansweredSinceMs) / 1000);
            }
            disconnected = false;
            lastResponses = n;
            unansweredSinceMs = nowMs;
            return;
        }
        if (!disconnected && nowMs - unansweredSinceMs >= graceMs) {
            disconnected = true;
            LOG.warn("rca: kafka input on {}: no answer from any broker for {} s (down, frozen or unreachable?); events "
                    + "of other agents wait in Kafka until it answers", topic, (nowMs - unansweredSinceMs) / 1000);
        }
    }

    /** Whether no broker has answered the consumer for the grace time (and none since). */
    public boolean disconnected() {
        return disconnected;
    }

    /** Sleeps up to {@code ms}, waking early on close; false when closing. */
    private boolean pause(long ms) {
        synchronized (this) {
            long end = System.currentTimeMillis() + ms;
            try {
                for (long left = ms; running && left > 0; left = end - System.currentTimeMillis()) wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return running;
    }

    /** Polls that failed (and were retried). */
    public long failures() {
        return failures;
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
        synchronized (this) {
            notifyAll();
        }
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
