package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Anomaly;
import anteater.detect.OptionException;
import anteater.detect.Options;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: no Kafka configured, events as JSON lines in a file. */
class FileSinkTest {
    static final ObjectMapper M = new ObjectMapper();

    static AnteaterConfig fileConfig(Path file) throws ConfigException {
        return AnteaterConfig.parse(null, "Events:\n  file: " + file + "\n");
    }

    static List<JsonNode> lines(Path p) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(p)) out.add(M.readTree(l));
        return out;
    }

    @Test
    void everyAnomalousWindowIsOnTheBusAndSuppressionAppliesToTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventBus bus = new EventBus();
        List<AnomalyEvent> seen = new ArrayList<>();
        List<Boolean> published = new ArrayList<>();
        bus.subscribe((e, pub) -> {
            seen.add(e);
            published.add(pub);
        });
        // 12 anomalous 5-minute windows of one group: with 10-minute suppression every other one goes out
        List<Anomaly> found = TestAnomalies.ttest("cpu", Map.of("host", "h1"), "usage", 3, 12, 11);
        assertEquals(12, found.size());
        AnomalySink sink = Sinks.forTask(Options.of("field", "usage"), fileConfig(file), bus);
        for (Anomaly a : found) sink.publish(a);
        sink.close(Duration.ofSeconds(5));

        assertEquals(12, seen.size(), "RCA sees every anomalous window");
        assertEquals(6, published.stream().filter(b -> b).count(), "and knows which were published (may trigger)");
        List<JsonNode> events = lines(file);
        assertEquals(6, events.size(), "window tmax advances 5 min per window; 10 min suppression");
        long prev = -1;
        for (JsonNode e : events) {
            long t = e.get("Timestamp").asLong();
            assertTrue(prev < 0 || t - prev >= 600_000, "at least the interval apart");
            prev = t;
            assertEquals("cpu_h1", e.get("Attributes").get("entity_id").asText());
            assertEquals("usage", e.get("Resource").get("metric").asText());
        }
        assertEquals(6, ((EventSink) sink).suppressed.get());
    }

    @Test
    void taskOptionsOverrideTopicEntitySuppressionAndType(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("e.jsonl");
        List<Anomaly> found = TestAnomalies.ttest("disk", Map.of("host", "h2", "device", "sda"), "util", 2, 4, 3);
        AnomalySink sink = Sinks.forTask(Options.of("field", "util", "topic", "my_topic", "entity", "{host}-{device}",
                "suppress", Duration.ZERO, "eventType", "sys"), fileConfig(file), new EventBus());
        for (Anomaly a : found) sink.publish(a);
        sink.close(Duration.ofSeconds(5));
        assertEquals(0, Files.size(file), "nothing in the model topic's file");
        List<JsonNode> events = lines(dir.resolve("e.my_topic.jsonl"));
        assertEquals(4, events.size(), "suppress 0s sends every window");
        assertEquals("h2-sda", events.get(0).get("Attributes").get("entity_id").asText());
        assertEquals("sys", events.get(0).get("Attributes").get("event_type").asText());
    }

    @Test
    void badTaskOptionsAreRefused(@TempDir Path dir) throws Exception {
        AnteaterConfig cfg = fileConfig(dir.resolve("x.jsonl"));
        assertTrue(assertThrows(OptionException.class, () -> Sinks.forTask(Options.of("eventType", "kpi"), cfg,
                new EventBus())).getMessage().contains("'app' or 'sys'"));
        assertTrue(assertThrows(OptionException.class, () -> Sinks.forTask(Options.of("entity", "{host"), cfg,
                new EventBus())).getMessage().startsWith("option 'entity'"));
        assertTrue(assertThrows(OptionException.class, () -> Sinks.forTask(Options.of("topic", "a b"), cfg,
                new EventBus())).getMessage().contains("not a valid Kafka topic"));
        assertEquals(0, PublisherRegistry.open(), "refused tasks hold no publisher");
    }

    @Test
    void tasksShareOnePublisherAndTheLastOneClosesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shared.jsonl");
        AnteaterConfig cfg = fileConfig(file);
        int before = PublisherRegistry.open();
        EventSink a = (EventSink) Sinks.forTask(Options.of("suppress", Duration.ZERO), cfg, new EventBus());
        EventSink b = (EventSink) Sinks.forTask(Options.of("suppress", Duration.ZERO), cfg, new EventBus());
        QueuedPublisher shared = ((PublisherRegistry.Handle) a.publisher()).shared();
        assertSame(shared, ((PublisherRegistry.Handle) b.publisher()).shared());
        assertEquals(before + 1, PublisherRegistry.open());
        Anomaly x = TestAnomalies.vaeLike(Map.of("tgid", "1"), TestAnomalies.T0_NS);
        a.publish(x);
        a.close(Duration.ofSeconds(5));
        a.close(Duration.ofSeconds(5)); // twice is harmless
        b.publish(x);
        // the RCA helper's path: the same publisher, another topic
        EventPublisher rca = Sinks.publisher(cfg);
        assertSame(shared, ((PublisherRegistry.Handle) rca).shared());
        rca.publish(cfg.kafka().rcaTopic, "k", "{\"Timestamp\":1}");
        b.close(Duration.ofSeconds(5));
        assertEquals(before + 1, PublisherRegistry.open(), "still open for the RCA handle");
        rca.close(Duration.ofSeconds(5));
        assertEquals(before, PublisherRegistry.open());
        assertEquals(2, lines(file).size());
        assertEquals(1, lines(dir.resolve("shared.gala_cause_inference.jsonl")).size());
        assertEquals(3, shared.produced());
    }

    @Test
    void anUnwritableFileFailsInit(@TempDir Path dir) throws Exception {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "");
        AnteaterConfig cfg = fileConfig(blocker.resolve("sub").resolve("e.jsonl"));
        ConfigException e = assertThrows(ConfigException.class, () -> Sinks.forTask(new Options(), cfg, new EventBus()));
        assertTrue(e.getMessage().contains("cannot be written"), e.getMessage());
    }

    @Test
    void linesReachTheFileWhileTrafficIsSteady(@TempDir Path dir) throws Exception {
        // a queue that is never empty for long: lines must still be written as they come, not at the end
        Path file = dir.resolve("steady.jsonl");
        FilePublisher p = new FilePublisher(file, "t", 10_000);
        try {
            // one small event every 50 ms (the queue never waits the 200 ms that counted as idle; the 64 KiB
            // buffer, about 6,000 of these events, never fills): up to 30 s of it, so a loaded machine has time
            int sent = 0;
            long onDisk = 0;
            for (int k = 0; k < 600 && onDisk == 0; k++) {
                p.publish("t", "k", "{\"n\":" + sent++ + "}");
                Thread.sleep(50);
                onDisk = Files.size(file);
            }
            assertTrue(onDisk > 0, "nothing on disk after " + sent + " events of steady traffic");
        } finally {
            p.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRotatedFileIsReplacedByANewOne(@TempDir Path dir) throws Exception {
        // logrotate's default: the file is moved away (then compressed and deleted); new lines belong in a new file
        Path file = dir.resolve("rot.jsonl");
        Path moved = dir.resolve("rot.jsonl.1");
        FilePublisher p = new FilePublisher(file, "t", 100);
        try {
            p.publish("t", "k", "{\"n\":1}");
            long until = System.nanoTime() + 60_000_000_000L;
            while (p.produced() < 1 && System.nanoTime() < until) Thread.sleep(20); // produced: written to the file
            assertEquals(1, p.produced());
            Files.move(file, moved);
            p.publish("t", "k", "{\"n\":2}");
        } finally {
            p.close(Duration.ofSeconds(5));
        }
        assertEquals(List.of("{\"n\":1}"), Files.readAllLines(moved));
        assertTrue(Files.exists(file), "no new file at the path: the line went into the moved one");
        assertEquals(List.of("{\"n\":2}"), Files.readAllLines(file));
    }

    @Test
    void groupsWhoseEntityIdsCoincideAreSuppressedApart(@TempDir Path dir) throws Exception {
        // gala's entity_id joins tag values with '_': {dev a_b, part c} and {dev a, part b_c} render alike
        Path file = dir.resolve("collide.jsonl");
        AnomalySink sink = Sinks.forTask(Options.of("field", "usage"), fileConfig(file), new EventBus());
        List<Anomaly> a = TestAnomalies.ttest("disk", Map.of("dev", "a_b", "part", "c"), "usage", 3, 1, 5);
        List<Anomaly> b = TestAnomalies.ttest("disk", Map.of("dev", "a", "part", "b_c"), "usage", 3, 1, 5);
        sink.publish(a.get(0));
        sink.publish(b.get(0));
        sink.close(Duration.ofSeconds(5));
        List<JsonNode> events = lines(file);
        assertEquals(2, events.size(), "two groups, two events");
        assertEquals(events.get(0).get("Attributes").get("entity_id").asText(),
                events.get(1).get("Attributes").get("entity_id").asText(), "the ids do coincide");
    }
}
