package anteater.sink;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events to Kafka: one idempotent producer (acks=all, keyed by entity_id) fed by the delivery thread of
 * {@link QueuedPublisher}, so {@code send()} (which may wait for metadata or buffer space) never runs on a
 * caller's thread. While a broker is away the producer keeps retrying for {@code delivery_timeout_ms}; an event
 * whose delivery still fails with a retriable error is queued again, so an outage costs nothing until the queue
 * fills.
 */
final class KafkaPublisher extends QueuedPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final Producer<String, String> producer;
    private final Secrets secrets;
    private final AtomicLong lastFailWarnNs = new AtomicLong();
    private final AtomicLong lastStallWarnNs = new AtomicLong();

    KafkaPublisher(AnteaterConfig.Kafka k) throws ConfigException {
        super("kafka " + k.bootstrap(), k.queueSize);
        this.secrets = new Secrets(k.password, k.sslTruststorePassword);
        try {
            this.producer = new KafkaProducer<>(KafkaProps.producer(k, "anteater-" + CLIENTS.incrementAndGet()));
        } catch (KafkaException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            throw new ConfigException("Kafka producer for " + k + " could not be created: "
                    + secrets.scrub(e.getMessage() + (root != e ? " (" + root.getMessage() + ")" : "")));
        }
        LOG.info("anomaly events go to Kafka {}", k);
        start();
    }

    @Override
    protected boolean deliver(Msg m) {
        Thread me = Thread.currentThread();
        boolean[] stalled = {false};
        try {
            producer.send(new ProducerRecord<>(m.topic(), m.key(), m.json()), (md, ex) -> {
                if (ex == null) {
                    succeed();
                } else if (Thread.currentThread() == me && ex instanceof org.apache.kafka.common.errors.TimeoutException
                        && !closing()) {
                    // called back inside send(): metadata or buffer space did not come within max.block.ms (the
                    // client reports this through the callback, it does not throw): the broker is away
                    stalled[0] = true;
                } else if (ex instanceof RetriableException && !closing()) {
                    warnRateLimited(lastFailWarnNs, "delivery timed out, queueing the event again: " + ex.getMessage());
                    requeue(m);
                } else {
                    fail(1);
                    warnRateLimited(lastFailWarnNs, "event to " + m.topic() + " failed: " + ex);
                }
            });
            if (stalled[0]) {
                // keep the event in hand and try it again after a pause, ahead of the queue: no reordering
                warnRateLimited(lastStallWarnNs, "broker not reachable, events wait in the queue (" + queued() + " queued)");
                return false;
            }
            return true;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // metadata or buffer space did not come within max.block.ms: the broker is away; keep the event
            warnRateLimited(lastStallWarnNs, "broker not reachable, events wait in the queue (" + queued()
                    + " queued): " + e.getMessage());
            return false;
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (KafkaException e) {
            fail(1);
            warnRateLimited(lastFailWarnNs, "event to " + m.topic() + " refused: " + e);
            return true;
        }
    }

    private void warnRateLimited(AtomicLong last, String what) {
        long now = System.nanoTime();
        long l = last.get();
        if ((l == 0 || now - l >= WARN_EVERY_NS) && last.compareAndSet(l, now)) {
            LOG.warn("{}: {} ({} produced, {} failed, {} dropped so far)", name, secrets.scrub(what), produced(),
                    failed(), dropped());
        }
    }

    @Override
    protected void finish(Duration remaining) {
        try {
            producer.close(remaining);
        } catch (RuntimeException e) {
            LOG.warn("{}: closing the producer: {}", name, secrets.scrub(e.toString()));
        }
    }
}
