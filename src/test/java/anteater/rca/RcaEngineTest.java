package anteater.rca;

import static anteater.rca.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.sink.AnomalyEvent;
import anteater.sink.EventBus;
import anteater.sink.EventPublisher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RcaEngineTest {
    record Sent(String topic, String key, String json) {
    }

    static final class Recorder implements EventPublisher {
        final List<Sent> sent = new CopyOnWriteArrayList<>();

        @Override
        public void publish(String topic, String key, String json) {
            sent.add(new Sent(topic, key, json));
        }

        @Override
        public void close(Duration deadline) {
        }
    }

    static RcaConfig cfg(String rca) throws Exception {
        return RcaConfig.from(new ObjectMapper(new YAMLFactory()).readTree("Rca: {" + rca + "}"));
    }

    static void await(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    /**
     * Returns once the engine has accepted every event offered before this call and run its due-check after them:
     * {@code dup} (a copy of an event already offered, so it neither moves event time nor triggers) is offered twice,
     * and the second copy is only taken in a batch after the one that held the first copy has been processed. Every
     * duplicate offered before must have been counted already.
     */
    static void drained(RcaEngine e, AnomalyEvent dup) throws InterruptedException {
        long d = e.stats().duplicates();
        assertTrue(e.offer(dup, false));
        await(() -> e.stats().duplicates() == d + 1, "the first marker");
        assertTrue(e.offer(dup, false));
        await(() -> e.stats().duplicates() == d + 2, "the second marker");
    }

    final double[] f = Fixtures.shared(5);

    @Test
    void aSuppressedWindowIsEvidenceButNoTrigger() throws Exception {
        Recorder pub = new Recorder();
        AtomicLong wall = new AtomicLong(T0 + 3_600_000); // an hour on: event time is not held back by the clock
        EventBus bus = new EventBus();
        try (RcaEngine e = new RcaEngine(cfg("future: 3m, grace: 1h"), Fixtures.host(), pub, wall::get)) {
            e.start();
            e.subscribe(bus);
            // the cpu anomaly was suppressed (not on the anomaly topic) but is still a candidate cause;
            // the second sli window was suppressed too: it must not get a cause event of its own
            bus.post(Fixtures.event("m1_cpu", "cpu_usage", T0, 9, Fixtures.values(1, f, 0, 5), "sys"), false);
            bus.post(Fixtures.event("m1_sli_1", "sli_rtt", T0, 8, Fixtures.values(2, f, 0, 5), "app"), true);
            bus.post(Fixtures.event("m1_sli_1", "sli_rtt", T0 + 60_000, 8, Fixtures.values(2, f, 0, 5), "app"), false);
            bus.post(Fixtures.event("m2_proc_9", "proc_cpu", T0 + 600_000, 3, new double[0], "sys"), true);
            await(() -> pub.sent.size() == 1, "a cause event");
            drained(e, Fixtures.event("m1_cpu", "cpu_usage", T0, 9, Fixtures.values(1, f, 0, 5), "sys"));
            assertEquals(1, pub.sent.size(), "only the published window triggers");
            assertEquals(1, e.stats().inferred());
            JsonNode j = new ObjectMapper().readTree(pub.sent.get(0).json());
            assertEquals("m1_cpu", j.path("Resource").path("cause_metrics").get(0).path("entity_id").asText(),
                    "a suppressed anomaly still counts as a cause");
        }
    }

    @Test
    void busEventsLeadToACauseEventOnceTheFutureWindowHasPassedInEventTime() throws Exception {
        Recorder pub = new Recorder();
        AtomicLong wall = new AtomicLong(T0 + 3_600_000); // an hour on: event time is not held back by the clock
        EventBus bus = new EventBus();
        try (RcaEngine e = new RcaEngine(cfg("future: 3m, grace: 1h"), Fixtures.host(), pub, wall::get)) {
            e.start();
            e.subscribe(bus);
            bus.post(Fixtures.event("m1_cpu", "cpu_usage", T0, 9, Fixtures.values(1, f, 0, 5), "sys"));
            bus.post(Fixtures.event("m1_sli_1", "sli_rtt", T0, 8, Fixtures.values(2, f, 0, 5), "app"));
            bus.post(Fixtures.event("m1_sli_1", "sli_rtt", T0, 8, Fixtures.values(2, f, 0, 5), "app")); // duplicate
            await(() -> e.stats().duplicates() == 1, "the duplicate window taken as one");
            drained(e, Fixtures.event("m1_cpu", "cpu_usage", T0, 9, Fixtures.values(1, f, 0, 5), "sys"));
            assertTrue(pub.sent.isEmpty(), "waits for t + future");
            // a later event (any entity) moves event time past t + future
            bus.post(Fixtures.event("m2_proc_9", "proc_cpu", T0 + 181_000, 3, new double[0], "sys"));
            await(() -> pub.sent.size() == 1, "a cause event");
            Sent s = pub.sent.get(0);
            assertEquals("gala_cause_inference", s.topic());
            assertEquals("m1_sli_1", s.key());
            JsonNode j = new ObjectMapper().readTree(s.json());
            CauseEventJsonTest.assertSchema(j);
            assertEquals("m1_cpu", j.path("Resource").path("cause_metrics").get(0).path("entity_id").asText());
            assertEquals(1 + 2, e.stats().duplicates(), "the duplicate window and the two markers");
            assertEquals(1, e.stats().inferred(), "sys events do not trigger");
        }
    }

    @Test
    void anotherAnteatersKpiEventFromKafkaIsEvidenceNotATrigger() throws Exception {
        // every agent process reads the whole topic, and stdio mode runs one per task node: the process that found an
        // anomaly infers its causes from its bus; before, each other process that read it back from Kafka did too,
        // and one KPI event got as many cause events as there were processes
        Recorder pub = new Recorder();
        AtomicLong wall = new AtomicLong(T0 + 3_600_000);
        try (RcaEngine e = new RcaEngine(cfg("future: 3m, grace: 1h, on_failure: mark"), Fixtures.host(), pub, wall::get)) {
            e.start();
            AnomalyEvent cpu = Fixtures.event("m1_cpu", "cpu_usage", T0, 9, Fixtures.values(1, f, 0, 5), "sys");
            AnomalyEvent ours = Fixtures.event("m1_sli_1", "sli_rtt", T0, 8, Fixtures.values(2, f, 0, 5), "app");
            // as another anteater process publishes them, read back as the Kafka input reads them
            e.offerFromKafka(GalaAnomalyJson.parse(anteater.sink.EventJson.toJson(cpu)));
            e.offerFromKafka(GalaAnomalyJson.parse(anteater.sink.EventJson.toJson(ours)));
            // gala-anteater's KPI events still trigger
            e.offerFromKafka(GalaAnomalyJson.parse("{\"Timestamp\": " + T0 + ", \"Attributes\": {\"entity_id\": \"m1_sli_2\","
                    + " \"event_id\": \"" + T0 + "_m1_sli_2\", \"event_type\": \"app\", \"event_source\": \"gala-anteater\"},"
                    + " \"Resource\": {\"metric\": \"gala_gopher_sli_rtt_nsec\", \"labels\": {\"machine_id\": \"m1\"}, \"score\": \"0.9\"}}"));
            e.offerFromKafka(GalaAnomalyJson.parse(anteater.sink.EventJson.toJson(
                    Fixtures.event("m2_proc_9", "proc_cpu", T0 + 181_000, 3, new double[0], "sys"))));
            await(() -> !pub.sent.isEmpty(), "the cause event of gala-anteater's KPI event");
            drained(e, cpu);
            assertEquals(List.of("m1_sli_2"), pub.sent.stream().map(Sent::key).toList(),
                    "no cause event for the KPI event another anteater process published (and infers itself)");
            assertEquals(1, e.stats().inferred());
        }
    }

    @Test
    void wallClockGraceReleasesAKpiWhenNoLaterEventComes() throws Exception {
        Recorder pub = new Recorder();
        AtomicLong wall = new AtomicLong(1_000);
        try (RcaEngine e = new RcaEngine(cfg("future: 3m, grace: 30s"), Fixtures.host(), pub, wall::get)) {
            e.start();
            e.offer(Fixtures.event("m1_cpu", "cpu_usage", T0, 9, Fixtures.values(1, f, 0, 5), "sys"));
            e.offer(Fixtures.event("m1_sli_1", "sli_rtt", T0, 8, Fixtures.values(2, f, 0, 5), "app"));
            drained(e, Fixtures.event("m1_cpu", "cpu_usage", T0, 9, Fixtures.values(1, f, 0, 5), "sys"));
            assertTrue(pub.sent.isEmpty(), "waits for the grace");
            assertEquals(0, e.stats().inferred());
            wall.addAndGet(30_000);
            await(() -> pub.sent.size() == 1, "a cause event after the grace");
        }
    }

    @Test
    void anEventAheadOfTheClockNeitherReleasesKpisEarlyNorAgesTheStore() throws Exception {
        // one agent's clock is a day ahead (or its Timestamp is in the wrong unit): event time must not jump to it,
        // or every KPI after it would be inferred at once, before its future window, and the store's time pruning
        // would drop all evidence behind that time, for as long as the process runs
        Recorder pub = new Recorder();
        AtomicLong wall = new AtomicLong(T0 + 10_000);
        try (RcaEngine e = new RcaEngine(cfg("future: 3m, grace: 1h"), Fixtures.host(), pub, wall::get)) {
            e.start();
            e.offer(Fixtures.event("m2_proc_9", "proc_cpu", T0 + 86_400_000L, 3, new double[0], "sys"));
            e.offer(Fixtures.event("m1_sli_1", "sli_rtt", T0, 8, Fixtures.values(2, f, 0, 5), "app"));
            // enough later events for the store's amortised time pruning to run
            for (int i = 0; i < 300; i++) e.offer(Fixtures.event("m2_host", "load", T0 + i, 1, new double[0], "sys"));
            drained(e, Fixtures.event("m1_sli_1", "sli_rtt", T0, 8, Fixtures.values(2, f, 0, 5), "app"));
            assertEquals(0, e.stats().inferred(), "the KPI waits for its future window");
            // the cause arrives a minute later, inside the KPI's window
            e.offer(Fixtures.event("m1_cpu", "cpu_usage", T0 + 60_000, 9, Fixtures.values(1, f, 0, 5), "sys"));
            drained(e, Fixtures.event("m1_cpu", "cpu_usage", T0 + 60_000, 9, Fixtures.values(1, f, 0, 5), "sys"));
            wall.addAndGet(3_600_000);
            await(() -> pub.sent.size() == 1, "a cause event after the grace");
            assertEquals(1, e.stats().inferred());
            JsonNode j = new ObjectMapper().readTree(pub.sent.get(0).json());
            assertEquals("m1_cpu", j.path("Resource").path("cause_metrics").get(0).path("entity_id").asText(), j.toString());
        }
    }

    /** A topology that fails as configured, counting calls. */
    static final class Failing implements Topology {
        final TopologyException.Reason reason;
        final AtomicInteger calls = new AtomicInteger();

        Failing(TopologyException.Reason reason) {
            this.reason = reason;
        }

        @Override
        public Neighbourhood around(String entityId, long timeMs, int depth) throws TopologyException {
            calls.incrementAndGet();
            throw new TopologyException(reason, "arangodb http://x:8529/spider: stub says " + reason);
        }

        @Override
        public String describe() {
            return "failing";
        }
    }

    @Test
    void topologyFailuresAreSkippedByDefaultAndMarkedOnRequest() throws Exception {
        for (TopologyException.Reason r : TopologyException.Reason.values()) {
            Recorder skipPub = new Recorder();
            Failing t = new Failing(r);
            try (RcaEngine e = new RcaEngine(cfg("grace: 0s"), t, skipPub, System::currentTimeMillis)) {
                e.start();
                for (int i = 0; i < 5; i++) e.offer(Fixtures.event("m1_sli_1", "sli_rtt", T0 + i, 8, new double[0], "app"));
                await(() -> e.stats().inferred() == 5, "inferences");
                assertEquals(5, e.stats().failed());
                assertEquals(0, e.stats().published());
                assertTrue(skipPub.sent.isEmpty());
            }
            Recorder markPub = new Recorder();
            try (RcaEngine e = new RcaEngine(cfg("grace: 0s, on_failure: mark"), new Failing(r), markPub, System::currentTimeMillis)) {
                e.start();
                e.offer(Fixtures.event("m1_sli_1", "sli_rtt", T0, 8, new double[0], "app"));
                await(() -> markPub.sent.size() == 1, "a marked event");
                JsonNode j = new ObjectMapper().readTree(markPub.sent.get(0).json());
                assertEquals(r.name(), j.path("Resource").path("reason").asText());
                CauseEventJsonTest.assertSchema(j);
            }
        }
    }

    @Test
    void slowTopologyNeverBlocksTheCallerAndAFullQueueDrops() throws Exception {
        // the lookup of the first KPI event is held until the offers are done: offer() must not wait for it, and the
        // engine takes no event out of the queue meanwhile, so exactly the queue's capacity is accepted
        Recorder pub = new Recorder();
        java.util.concurrent.CountDownLatch inLookup = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean lookupReturned = new java.util.concurrent.atomic.AtomicBoolean();
        Topology slow = new Topology() {
            @Override
            public Neighbourhood around(String entityId, long timeMs, int depth) throws TopologyException {
                inLookup.countDown();
                try {
                    // bounded only so that an offer() that waits for the lookup ends as a failure, not a hang
                    release.await(120, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                lookupReturned.set(true);
                throw new TopologyException(TopologyException.Reason.TIMEOUT, "slow");
            }

            @Override
            public String describe() {
                return "slow";
            }
        };
        try (RcaEngine e = new RcaEngine(cfg("grace: 0s, queue: 4"), slow, pub, System::currentTimeMillis)) {
            e.start();
            e.offer(Fixtures.event("m1_sli_1", "sli_rtt", T0, 8, new double[0], "app"));
            assertTrue(inLookup.await(60, java.util.concurrent.TimeUnit.SECONDS), "the engine never looked up the KPI");
            int accepted = 0;
            for (int i = 1; i <= 100; i++) if (e.offer(Fixtures.event("m1_cpu", "cpu", T0 + i, 1, new double[0], "sys"))) accepted++;
            assertFalse(lookupReturned.get(), "offer() waited for the topology lookup to end");
            assertEquals(4, accepted, "queue capacity");
            assertEquals(96, e.stats().dropped());
            assertEquals(5, e.stats().received());
            release.countDown();
            await(() -> e.stats().inferred() == 1 && e.stats().failed() == 1, "the held lookup to end");
        }
    }

    @Test
    void theQueueIsTakenInBetweenSlowLookups() throws Exception {
        // an ArangoDB that answers only at its timeout (5 s) costs that much per KPI event: with many KPI events due
        // at once (an incident), the queue used to wait for all of their lookups, so it filled and dropped evidence
        Recorder pub = new Recorder();
        java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);
        java.util.concurrent.Semaphore release = new java.util.concurrent.Semaphore(0);
        Topology slow = new Topology() {
            @Override
            public Neighbourhood around(String entityId, long timeMs, int depth) throws TopologyException {
                entered.release();
                try {
                    // bounded only so that a broken engine fails the test instead of hanging it
                    release.tryAcquire(120, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                throw new TopologyException(TopologyException.Reason.TIMEOUT, "slow");
            }

            @Override
            public String describe() {
                return "slow";
            }
        };
        try (RcaEngine e = new RcaEngine(cfg("grace: 0s, queue: 4"), slow, pub, System::currentTimeMillis)) {
            // two KPI events taken in one batch, both due at once
            e.offer(Fixtures.event("m1_sli_1", "sli_rtt", T0, 8, new double[0], "app"));
            e.offer(Fixtures.event("m1_sli_2", "sli_rtt", T0, 8, new double[0], "app"));
            e.start();
            assertTrue(entered.tryAcquire(60, java.util.concurrent.TimeUnit.SECONDS), "the first lookup");
            int accepted = 0;
            for (int i = 1; i <= 4; i++) if (e.offer(Fixtures.event("m1_cpu", "cpu", T0 + i, 1, new double[0], "sys"))) accepted++;
            assertEquals(4, accepted, "queue capacity");
            release.release();
            assertTrue(entered.tryAcquire(60, java.util.concurrent.TimeUnit.SECONDS), "the second lookup");
            // the four events were taken out of the queue before the second lookup began
            for (int i = 5; i <= 8; i++) {
                assertTrue(e.offer(Fixtures.event("m1_cpu", "cpu", T0 + i, 1, new double[0], "sys")), "event " + i + ": " + e.stats());
            }
            release.release();
            await(() -> e.stats().inferred() == 2, "both lookups to end");
            assertEquals(0, e.stats().dropped());
        }
    }

    @Test
    void failuresAreLoggedOncePerInterval() {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("test");
        RateLimitedLog r = new RateLimitedLog(log, 60_000);
        assertTrue(r.warn("UNAVAILABLE", 0, "down"));
        assertFalse(r.warn("UNAVAILABLE", 1_000, "down"));
        assertTrue(r.warn("TIMEOUT", 1_000, "slow"), "another reason has its own interval");
        assertFalse(r.warn("UNAVAILABLE", 59_999, "down"));
        assertTrue(r.warn("UNAVAILABLE", 60_000, "down"));
    }

    @Test
    void aFailedStartLeavesNothingRunning() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("topo", ".json");
        java.nio.file.Files.writeString(f, GraphTopologyTest.FILE);
        try {
            // the Kafka input cannot be made (port out of range): the start fails with the reason
            RcaConfig c = RcaConfig.from(new ObjectMapper(new YAMLFactory()).readTree(
                    "Kafka: {server: 'localhost:99999'}\nRca: {enabled: true, kafka_input: true, file: '" + f + "'}"));
            long before = rcaThreads();
            for (int i = 0; i < 3; i++) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> RcaEngine.startOnce(c, new Recorder()));
                assertTrue(e.getMessage().startsWith("Kafka input: "), e.getMessage());
            }
            assertEquals(null, RcaEngine.instance());
            assertEquals(before, rcaThreads(), "no engine thread left running after failed starts");
        } finally {
            RcaEngine.stopInstance();
            java.nio.file.Files.deleteIfExists(f);
        }
    }

    private static long rcaThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && (t.getName().equals("rca") || t.getName().equals("rca-kafka"))).count();
    }

    @Test
    void startOnceMakesOneEnginePerJvmAndNoneWhenDisabled() throws Exception {
        assertEquals(null, RcaEngine.startOnce(RcaConfig.defaults(), new Recorder()));
        java.nio.file.Path f = java.nio.file.Files.createTempFile("topo", ".json");
        java.nio.file.Files.writeString(f, GraphTopologyTest.FILE);
        try {
            RcaConfig c = cfg("enabled: true, file: '" + f + "', grace: 0s");
            Recorder pub = new Recorder();
            RcaEngine a = RcaEngine.startOnce(c, pub);
            RcaEngine b = RcaEngine.startOnce(c, new Recorder());
            assertTrue(a == b);
            EventBus.global().post(Fixtures.event("m1_sli_42", "sli_rtt", T0, 8, new double[0], "app"));
            await(() -> a.stats().inferred() == 1, "inference from the global bus");
        } finally {
            RcaEngine.stopInstance();
            java.nio.file.Files.deleteIfExists(f);
        }
    }
}
