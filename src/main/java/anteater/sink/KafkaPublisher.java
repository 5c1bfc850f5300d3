package anteater.sink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events to Kafka: one idempotent producer (acks=all, keyed by entity_id) fed by the delivery thread of
 * {@link QueuedPublisher}, so {@code send()} (which may wait for metadata or buffer space) never runs on a
 * caller's thread. While a broker is away the producer keeps retrying for {@code delivery_timeout_ms}; an event
 * whose delivery still fails with a retriable error is queued again, so an outage costs nothing until the queue
 * fills. A broker whose name does not resolve yet is such an outage too: the producer is made once it does.
 */
final class KafkaPublisher extends QueuedPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    /** Null while no host of bootstrap.servers resolves: made by the delivery thread once one does. */
    private Producer<String, String> producer;
    private final Supplier<Producer<String, String>> factory;
    /** Whether making the producer is worth a try (a bootstrap host resolves); spares Kafka's WARN per attempt. */
    private final BooleanSupplier resolves;
    private final Secrets secrets;
    private final AtomicLong lastFailWarnNs = new AtomicLong();
    /** Responses the producer has had from any broker (-1: not known): did one answer while a send waited? */
    private final java.util.function.LongSupplier responses =
            KafkaMetrics.responseCount(() -> producer.metrics(), "producer-metrics");
    /** Why the last send stalled (delivery thread only). */
    private String lastStall = "";
    /** The client's max.block.ms: how long one send() may block on metadata or buffer space. */
    private final long maxBlockMs;
    /**
     * Whether the last send blocked for max.block.ms on buffer space (delivery thread only): the client's buffer is
     * full, so a send of any topic blocks. (No metadata blocks that topic only: its events are parked.)
     */
    private boolean clientBlocks;
    /** How long events may wait in the client with no acknowledgement before we say Kafka has stopped taking them. */
    static final long ACK_GRACE_NS = 10_000_000_000L;
    final AckWatch acks;

    KafkaPublisher(AnteaterConfig.Kafka k) throws ConfigException {
        super("kafka " + k.bootstrap(), k.queueSize);
        this.acks = new AckWatch(ACK_GRACE_NS);
        this.secrets = new Secrets(k.password, k.sslTruststorePassword);
        Properties props = KafkaProps.producer(k, "anteater-" + CLIENTS.incrementAndGet());
        this.factory = () -> new KafkaProducer<>(props);
        this.maxBlockMs = maxBlockMs(props);
        String bootstrap = k.bootstrap();
        this.resolves = () -> anyResolves(bootstrap);
        try {
            this.producer = factory.get();
            LOG.info("anomaly events go to Kafka {}", k);
        } catch (KafkaException e) {
            // KafkaProducer refuses to exist while no bootstrap host resolves ("No resolvable bootstrap urls"): a
            // broker whose name is not in DNS yet (started after kapacitord, a container not up) is a broker that is
            // away, not a bad config; the task starts, events wait in the queue and the producer is made later
            if (!anyResolves(k.bootstrap())) {
                LOG.warn("{}: no host of {} resolves (DNS) yet: anomaly events wait in the queue (at most {}) until one "
                        + "does", name, k, k.queueSize);
                lastFailWarnNs.set(System.nanoTime());
            } else {
                Throwable root = e;
                while (root.getCause() != null) root = root.getCause();
                throw new ConfigException("Kafka producer for " + k + " could not be created: "
                        + secrets.scrub(e.getMessage() + (root != e ? " (" + root.getMessage() + ")" : "")));
            }
        }
        start();
    }

    /** With a given producer (tests). */
    KafkaPublisher(String name, int queueSize, Producer<String, String> producer) {
        this(name, queueSize, () -> producer);
    }

    /** With a producer made on the delivery thread, tried again while it throws (tests). */
    KafkaPublisher(String name, int queueSize, Supplier<Producer<String, String>> factory) {
        this(name, queueSize, factory, ACK_GRACE_NS);
    }

    /** With a producer made on the delivery thread and a grace time for acknowledgements (tests). */
    KafkaPublisher(String name, int queueSize, Supplier<Producer<String, String>> factory, long ackGraceNs) {
        this(name, queueSize, factory, ackGraceNs, 5_000);
    }

    /** As above, with the client's max.block.ms (tests). */
    KafkaPublisher(String name, int queueSize, Supplier<Producer<String, String>> factory, long ackGraceNs,
            long maxBlockMs) {
        super(name, queueSize);
        this.maxBlockMs = maxBlockMs;
        this.acks = new AckWatch(ackGraceNs);
        this.secrets = new Secrets("", "");
        this.factory = factory;
        this.resolves = () -> true;
        start();
    }

    private static long maxBlockMs(Properties props) {
        try {
            return Math.max(0, Long.parseLong(props.getProperty("max.block.ms", "60000").trim()));
        } catch (NumberFormatException e) {
            return 60_000; // the client refuses it anyway
        }
    }

    /**
     * While closing, whether a send that may block for max.block.ms (the buffer was full at the last one, or
     * {@code parked}: its topic's last one got no metadata) can still end before the deadline. One that would not is not started: it overran the deadline, the close
     * then interrupted the delivery thread, and the client's own close ran interrupted (an ERROR with a stack trace,
     * and the events in the client never counted).
     */
    private boolean maySendWhileClosing(boolean parked) {
        return !closing() || !(parked || clientBlocks) || untilDeadlineMs() >= maxBlockMs;
    }

    /** Whether any host of a bootstrap.servers list resolves now. */
    static boolean anyResolves(String bootstrap) {
        for (String hp : bootstrap.split(",")) {
            String host = Utils.getHost(hp.trim());
            if (host == null) continue;
            try {
                InetAddress.getAllByName(host);
                return true;
            } catch (UnknownHostException | SecurityException e) {
                // the next one
            }
        }
        return false;
    }

    /** Makes the producer if there is none yet; false: still impossible (logged at most every 30 s). */
    private boolean haveProducer() {
        if (producer != null) return true;
        if (!resolves.getAsBoolean()) {
            warnRateLimited(lastFailWarnNs, "still no host of bootstrap.servers resolves (DNS): events wait");
            return false;
        }
        try {
            producer = factory.get();
            LOG.info("{}: a bootstrap host resolves now: anomaly events go to Kafka ({} queued)", name, queued());
            return true;
        } catch (KafkaException e) {
            warnRateLimited(lastFailWarnNs, "no producer yet (events wait): " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""));
            return false;
        }
    }

    /** What one {@code send()} did. */
    private enum Sent {
        /** Handed to the client (or failed for good and counted): next. */
        DONE,
        /** No metadata (or buffer space) within max.block.ms: keep the event and try it again later. */
        STALLED,
        /** Failed inside send() while closing (counted): the topic's other events would fail the same way. */
        FAILED_CLOSING
    }

    /**
     * Events of a topic whose send stalled, in order, and when to try its first one again. One topic that never
     * gets metadata (it does not exist and the broker does not create topics, or it is not visible to this user)
     * must not hold back the events of the other topics: before, the delivery thread retried that one event
     * for as long as the process ran and every other event waited behind it (then was dropped).
     */
    private static final class Parked {
        final ArrayDeque<Msg> msgs = new ArrayDeque<>();
        /** Why its last send stalled: said again for the events given up at close. */
        String reason = "";
        long retryAtNs;
        long backoffMs = PARK_BACKOFF_MIN_MS;
    }

    static final long PARK_BACKOFF_MIN_MS = 500;
    static final long PARK_BACKOFF_MAX_MS = 10_000;
    private final Map<String, Parked> parked = new LinkedHashMap<>();

    @Override
    protected boolean deliver(Msg m) {
        if (!haveProducer()) return false;
        if (!maySendWhileClosing(false)) return false; // it waits for the deadline, then is counted as undelivered
        Parked p = parked.get(m.topic());
        if (p != null) {
            park(p, m);
            retryParked();
            return true;
        }
        Sent s = send(m);
        if (s == Sent.STALLED) {
            p = new Parked();
            p.reason = lastStall;
            parked.put(m.topic(), p);
            park(p, m);
            p.retryAtNs = System.nanoTime() + p.backoffMs * 1_000_000L;
            // once per topic and episode (retries that stall again are not logged): not rate limited
            LOG.warn("{}: {}; its events wait ({} parked, {} queued), other topics go on ({} produced, {} failed, "
                    + "{} dropped so far)", name, p.reason, p.msgs.size(), queued(), produced(), failed(),
                    dropped());
        }
        retryParked();
        return true;
    }

    /**
     * No metadata for {@code topic} within max.block.ms: say which of the usual reasons it is, from whether any
     * broker answered while the send waited ({@code responsesBefore}: the client's response count before it). The
     * connection count alone cannot tell: a frozen broker (or a black-holed network) keeps its connections, the
     * kernel accepts them, and before such a broker was reported as one that answers without the topic.
     */
    private String stallReason(String topic, long responsesBefore, String client) {
        String detail = client == null || client.isBlank() ? "" : " (" + secrets.scrub(client) + ")";
        long after = responses.getAsLong();
        if (responsesBefore < 0 || after < 0) {
            return "broker not reachable or topic " + topic + " missing (no metadata within max.block.ms)" + detail;
        }
        if (after > responsesBefore) {
            return "topic " + topic + " not present in metadata although a broker answers: it does not exist (and "
                    + "the broker does not create topics: create it) or this user may not describe it" + detail;
        }
        long connections = KafkaMetrics.connectionCount(producer::metrics, "producer-metrics").getAsLong();
        return "no broker answered within max.block.ms: " + (connections > 0
                ? "connected but silent (a broker frozen or overloaded, or a network dropping its packets)"
                : "broker not reachable (down, or a wrong address)") + detail;
    }

    /**
     * During the close, a send of {@code topic} waited max.block.ms for metadata (it began before the close, or the
     * topic is new): its topic's next events are set aside, not sent, since each send would wait as long, past the
     * deadline; they are counted as undelivered at the end.
     */
    private void holdBack(String topic, long responsesBefore) {
        Parked p = parked.get(topic);
        if (p == null) {
            p = new Parked();
            parked.put(topic, p);
        }
        p.reason = stallReason(topic, responsesBefore, null);
    }

    private void park(Parked p, Msg m) {
        if (!hasRoom()) {
            dropAccepted("the queue and the events waiting for topic " + m.topic() + " are full");
            return;
        }
        p.msgs.add(m);
        aside(1);
    }

    @Override
    protected void idle() {
        retryParked();
        if (producer != null && acks.check(System.nanoTime())) {
            // one line per outage: the client's own per-attempt connection warnings are not shown (see Logging)
            LOG.warn("{}: Kafka has acknowledged none of the events handed to it for {} s ({} waiting in the client, "
                    + "{} queued): broker away or not accepting writes; the client retries for delivery_timeout_ms, "
                    + "then they are queued again ({} produced, {} failed, {} dropped so far)", name,
                    acks.graceNs() / 1_000_000_000L, acks.inFlight(), queued(), produced(), failed(), dropped());
        }
    }

    /** Tries the first event of each parked topic that is due; if it goes, the topic's other events follow. */
    private void retryParked() {
        if (parked.isEmpty()) return;
        long now = System.nanoTime();
        for (Iterator<Map.Entry<String, Parked>> it = parked.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Parked> e = it.next();
            Parked p = e.getValue();
            if (!closing() && now - p.retryAtNs < 0) continue;
            if (closing() && pastDeadline()) return;
            if (!maySendWhileClosing(true)) return;
            if (drain(p)) {
                it.remove();
                LOG.info("{}: topic {} takes events again", name, e.getKey());
            } else {
                p.backoffMs = Math.min(PARK_BACKOFF_MAX_MS, p.backoffMs * 2);
                p.retryAtNs = System.nanoTime() + p.backoffMs * 1_000_000L;
            }
            now = System.nanoTime();
        }
    }

    /** Sends a parked topic's events in order; true when all went, false when one stalled (it stays first). */
    private boolean drain(Parked p) {
        while (!p.msgs.isEmpty()) {
            if (closing() && (pastDeadline() || !maySendWhileClosing(false))) return false;
            Msg m = p.msgs.peek();
            Sent s = send(m);
            if (s == Sent.STALLED) {
                p.reason = lastStall;
                return false;
            }
            p.msgs.poll();
            aside(-1);
            if (s == Sent.FAILED_CLOSING) return false;
        }
        return true;
    }

    private Sent send(Msg m) {
        Thread me = Thread.currentThread();
        boolean[] stalled = {false};
        boolean[] failedInline = {false};
        String[] stallMessage = {null};
        boolean[] bufferFull = {false};
        boolean[] noMetadata = {false};
        long responsesBefore = responses.getAsLong();
        acks.sent(System.nanoTime());
        boolean handedOver = false; // send() returned: the callback reports the outcome to the watch
        try {
            producer.send(new ProducerRecord<>(m.topic(), m.key(), m.json()), (md, ex) -> {
                long stoppedNs = acks.acked(System.nanoTime(), ex == null);
                if (ex == null) {
                    succeed();
                    if (stoppedNs >= 0) {
                        LOG.info("{}: Kafka acknowledges events again, after {} s without ({} produced, {} failed, "
                                + "{} dropped so far)", name, stoppedNs / 1_000_000_000L, produced(), failed(), dropped());
                    }
                    return;
                }
                if (Thread.currentThread() == me) {
                    failedInline[0] = true;
                    // also when the close began while it waited: the next send would block as long
                    bufferFull[0] = ex instanceof BufferExhaustedException;
                    noMetadata[0] = ex instanceof org.apache.kafka.common.errors.TimeoutException && !bufferFull[0];
                }
                if (Thread.currentThread() == me && ex instanceof org.apache.kafka.common.errors.TimeoutException
                        && !closing()) {
                    // called back inside send(): metadata or buffer space did not come within max.block.ms (the
                    // client reports this through the callback, it does not throw): the broker is away, or the
                    // topic does not exist
                    stalled[0] = true;
                    stallMessage[0] = ex.getMessage();
                } else if (ex instanceof RetriableException && !closing()) {
                    warnRateLimited(lastFailWarnNs, "delivery timed out, queueing the event again: " + ex.getMessage());
                    requeue(m);
                } else {
                    fail(1);
                    warnRateLimited(lastFailWarnNs, "event to " + m.topic() + " failed: " + ex);
                }
            });
            handedOver = true;
            clientBlocks = bufferFull[0];
            if (noMetadata[0] && !stalled[0] && closing()) holdBack(m.topic(), responsesBefore);
            if (stalled[0]) {
                lastStall = stallReason(m.topic(), responsesBefore, stallMessage[0]);
                return Sent.STALLED;
            }
            return failedInline[0] && closing() ? Sent.FAILED_CLOSING : Sent.DONE;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            clientBlocks = e instanceof BufferExhaustedException;
            if (closing()) {
                if (!clientBlocks) holdBack(m.topic(), responsesBefore);
                fail(1);
                return Sent.FAILED_CLOSING;
            }
            lastStall = stallReason(m.topic(), responsesBefore, e.getMessage());
            return Sent.STALLED;
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
            return Sent.STALLED;
        } catch (KafkaException e) {
            fail(1);
            warnRateLimited(lastFailWarnNs, "event to " + m.topic() + " refused: " + e);
            return Sent.DONE;
        } finally {
            if (!handedOver) acks.acked(System.nanoTime(), false);
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
        // events still parked (their topic never got metadata before the deadline) are given up, counted
        retryParked();
        long left = 0;
        for (Map.Entry<String, Parked> e : parked.entrySet()) {
            int n = e.getValue().msgs.size();
            if (n == 0) continue;
            left += n;
            LOG.warn("{}: {} events to topic {} not delivered: {}", name, n, e.getKey(), e.getValue().reason);
        }
        parked.clear();
        if (left > 0) {
            aside((int) -left);
            undelivered.addAndGet(left);
            fail(left);
        }
        if (producer == null) return;
        // the time left now (the retry above may have taken some), and not on an interrupted thread: the client's
        // close joins its network thread, and interrupted it gives that up, with an ERROR and a stack trace, before
        // the events it still holds are failed (and counted by their callbacks)
        boolean interrupted = Thread.interrupted();
        try {
            producer.close(Duration.ofMillis(Math.max(0, untilDeadlineMs())));
        } catch (RuntimeException e) {
            LOG.warn("{}: closing the producer: {}", name, secrets.scrub(e.toString()));
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
