package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Anomaly;
import anteater.detect.Options;
import anteater.detect.Window;
import anteater.udf.AnomalyHandler;
import anteater.udf.proto.Udf;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Anomaly events on a real broker (scripts/kafka.sh), read back by a real consumer. */
class KafkaEventsIT {
    static final ObjectMapper M = new ObjectMapper();
    static final Duration READ = Duration.ofSeconds(60);

    @TempDir
    static Path brokerDir;
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(brokerDir.resolve("kafka"), true);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.stop();
    }

    @AfterEach
    void forgetConfig() {
        System.clearProperty(AnteaterConfig.PROPERTY);
        Sinks.reset();
    }

    static void useConfig(Path dir, String yaml) throws Exception {
        Path f = dir.resolve("anteater.yaml");
        Files.writeString(f, yaml);
        System.setProperty(AnteaterConfig.PROPERTY, f.toString());
        Sinks.reset();
    }

    static String plainKafka() {
        String[] hp = broker.bootstrap.split(":");
        return "Kafka:\n  server: " + hp[0] + "\n  port: " + hp[1] + "\n";
    }

    static Udf.Option opt(String name, String s) {
        return Udf.Option.newBuilder().setName(name).addValues(Udf.OptionValue.newBuilder().setStringValue(s)).build();
    }

    static Udf.Option dur(String name, Duration d) {
        return Udf.Option.newBuilder().setName(name).addValues(Udf.OptionValue.newBuilder().setDurationValue(d.toNanos())).build();
    }

    /** Drives the real handler (options -> t-test -> sink) with normal then clearly anomalous windows. */
    static int runHandler(List<Udf.Option> options, Map<String, String> tags, int normal, int anomalous) {
        AnomalyHandler h = new AnomalyHandler();
        Udf.InitResponse r = h.init(Udf.InitRequest.newBuilder().addAllOptions(options).build());
        assertTrue(r.getSuccess(), r.getError());
        Random rnd = new Random(5);
        List<Udf.Response> points = new ArrayList<>();
        for (int i = 0; i < normal + anomalous; i++) {
            Window w = TestAnomalies.window("cpu", tags, "usage_user", i, i < normal ? 10.0 : 60.0, rnd);
            h.window(w, points::add);
        }
        h.close();
        return points.size();
    }

    @Test
    void ttestAnomaliesArriveAsGalaEvents(@TempDir Path dir) throws Exception {
        useConfig(dir, plainKafka());
        Map<String, String> tags = Map.of("machine_id", "m-01", "host", "web1");
        int points = runHandler(List.of(opt("field", "usage_user"), opt("topic", "it_ttest"), dur("suppress", Duration.ZERO)),
                tags, 3, 2);
        assertEquals(4, points, "one point per window after the first");
        List<ConsumerRecord<String, String>> got = broker.read("it_ttest", 2, READ);
        assertEquals(2, got.size());
        ConsumerRecord<String, String> rec = got.get(0);
        JsonNode j = M.readTree(rec.value());
        assertEquals("m-01_cpu_web1", rec.key(), "keyed by entity_id");
        long tmaxMs = (TestAnomalies.T0_NS + 3L * TestAnomalies.POINTS * TestAnomalies.STEP_NS
                + (TestAnomalies.POINTS - 1) * TestAnomalies.STEP_NS) / 1_000_000;
        assertEquals(tmaxMs, j.get("Timestamp").asLong(), "window tmax in ms");
        assertTrue(j.get("Timestamp").isIntegralNumber());
        assertEquals("m-01_cpu_web1", j.at("/Attributes/entity_id").asText());
        assertEquals(tmaxMs + "_m-01_cpu_web1", j.at("/Attributes/event_id").asText());
        assertEquals("app", j.at("/Attributes/event_type").asText());
        JsonNode r = j.get("Resource");
        for (String k : List.of("anomaly_score", "anomaly_ratio", "score")) assertTrue(r.get(k).isNumber(), k);
        for (String k : List.of("anomaly_count", "total_count", "duration")) assertTrue(r.get(k).isIntegralNumber(), k);
        assertEquals(30, r.get("anomaly_count").asInt());
        assertEquals(290, r.get("duration").asInt());
        assertEquals("web1", r.at("/metric_label/host").asText());
        assertTrue(r.at("/recommend_metrics/usage_user/score").isNumber());
        assertTrue(r.at("/recommend_metrics/usage_user/description").asText().startsWith("p-value"));
        assertEquals("usage_user", r.at("/root_causes/0/metric").asText());
        assertEquals("usage_user", r.get("metric_id").asText());
        assertEquals("usage_user", r.get("metric").asText());
        assertEquals("WARN", j.get("SeverityText").asText());
        assertEquals(13, j.get("SeverityNumber").asInt());
        assertTrue(j.get("Body").asText().contains("is abnormal"));
    }

    @Test
    void multivariateAnomaliesToo(@TempDir Path dir) throws Exception {
        AnteaterConfig cfg = AnteaterConfig.parse(null, plainKafka());
        AnomalySink sink = Sinks.forTask(Options.of("topic", "it_vae"), cfg, new EventBus());
        sink.publish(TestAnomalies.vaeLike(Map.of("machine_id", "m2", "tgid", "42"), TestAnomalies.T0_NS));
        sink.close(Duration.ofSeconds(30));
        List<ConsumerRecord<String, String>> got = broker.read("it_vae", 1, READ);
        assertEquals(1, got.size());
        JsonNode r = M.readTree(got.get(0).value()).get("Resource");
        assertEquals(3, r.get("root_causes").size());
        assertEquals(0.61, r.at("/recommend_metrics/gala_gopher_proc_cpu_usage/score").asDouble());
        assertEquals("vae", r.get("detector").asText());
    }

    @Test
    void sameEntityAndMetricIsSuppressedForTenMinutes(@TempDir Path dir) throws Exception {
        useConfig(dir, plainKafka());
        // 12 anomalous 5-minute windows, default suppression (10 minutes of event time): 6 events
        runHandler(List.of(opt("field", "usage_user"), opt("topic", "it_suppress")), Map.of("host", "h"), 3, 12);
        List<ConsumerRecord<String, String>> got = broker.read("it_suppress", 6, READ);
        assertEquals(6, got.size());
        long prev = -1;
        for (ConsumerRecord<String, String> rec : got) {
            long t = M.readTree(rec.value()).get("Timestamp").asLong();
            if (prev >= 0) assertEquals(600_000, t - prev);
            prev = t;
        }
    }

    @Test
    void saslPlainWithTheBrokersJaasUser(@TempDir Path dir) throws Exception {
        String[] hp = broker.saslBootstrap.split(":");
        AnteaterConfig cfg = AnteaterConfig.parse(null, "Kafka:\n  server: " + hp[0] + "\n  port: " + hp[1]
                + "\n  auth_type: sasl_plaintext\n  username: " + KafkaBroker.SASL_USER + "\n  password: "
                + KafkaBroker.SASL_PASSWORD + "\n");
        AnomalySink sink = Sinks.forTask(Options.of("topic", "it_sasl", "suppress", Duration.ZERO), cfg, new EventBus());
        for (int i = 0; i < 3; i++) {
            sink.publish(TestAnomalies.vaeLike(Map.of("tgid", "" + i), TestAnomalies.T0_NS));
        }
        sink.close(Duration.ofSeconds(30));
        assertEquals(3, broker.read("it_sasl", 3, READ).size());
    }

    @Test
    void aWrongPasswordFailsCountedAndUnlogged(@TempDir Path dir) throws Exception {
        String wrong = "not-the-password-9f8e";
        String[] hp = broker.saslBootstrap.split(":");
        AnteaterConfig cfg = AnteaterConfig.parse(null, "Kafka:\n  server: " + hp[0] + "\n  port: " + hp[1]
                + "\n  auth_type: sasl_plaintext\n  username: " + KafkaBroker.SASL_USER + "\n  password: " + wrong + "\n");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        QueuedPublisher shared;
        try {
            EventSink sink = (EventSink) Sinks.forTask(Options.of("topic", "it_badpw", "suppress", Duration.ZERO), cfg,
                    new EventBus());
            shared = ((PublisherRegistry.Handle) sink.publisher()).shared();
            for (int i = 0; i < 3; i++) sink.publish(TestAnomalies.vaeLike(Map.of("tgid", "" + i), TestAnomalies.T0_NS));
            sink.close(Duration.ofSeconds(15));
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        err.println(log);
        assertEquals(0, shared.produced());
        assertEquals(3, shared.failed(), "each event is counted as failed");
        assertTrue(log.toLowerCase().contains("authentication"), "the log says why");
        assertFalse(log.contains(wrong), "the password is never logged");
    }

    @Test
    void withoutKafkaEventsGoToTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.jsonl");
        useConfig(dir, "Events:\n  file: " + file + "\n");
        runHandler(List.of(opt("field", "usage_user"), dur("suppress", Duration.ZERO)), Map.of("host", "h"), 3, 2);
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertEquals("cpu_h", M.readTree(lines.get(0)).at("/Attributes/entity_id").asText());
    }
}
