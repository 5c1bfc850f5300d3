package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Anomaly;
import anteater.detect.Contribution;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edges of the sink that mutation testing (PIT, 2026-12-05) found unchecked: configuration bounds, TLS settings,
 * gala keywords and cause labels, password scrubbing, and the file publisher's huge events and final failures.
 */
class SinkEdgesTest {
    static final ObjectMapper M = new ObjectMapper();

    static ConfigException refused(String yaml) {
        return assertThrows(ConfigException.class, () -> AnteaterConfig.parse(null, yaml), yaml);
    }

    static void accepted(String yaml) throws ConfigException {
        AnteaterConfig.parse(null, yaml);
    }

    @Test
    void numericSettingsAreRefusedJustOutsideTheirRangesAndAcceptedAtTheirEnds() throws Exception {
        assertTrue(refused("Kafka: {server: k, port: 0}").getMessage().contains("port must be a TCP port number in [1, 65535], got '0'"));
        assertTrue(refused("Kafka: {server: k, port: 65536}").getMessage().contains("got '65536'"));
        accepted("Kafka: {server: k, port: 1}");
        accepted("Kafka: {server: k, port: 65535}");

        assertTrue(refused("Kafka: {server: k, queue_size: 0}").getMessage().contains("Kafka.queue_size must be >= 1, got 0"));
        accepted("Kafka: {server: k, queue_size: 1}");
        assertTrue(refused("Kafka: {server: k, delivery_timeout_ms: 29999}").getMessage()
                .contains("delivery_timeout_ms must be >= 30000, got 29999"));
        accepted("Kafka: {server: k, delivery_timeout_ms: 30000}");

        // range checks after parsing: a number of the right type outside the range (not a word, which Jackson refuses)
        assertTrue(refused("Suppression: {interval: -1}").getMessage().contains("Suppression.interval must be minutes in [0, 525600], got -1.0"));
        assertTrue(refused("Suppression: {interval: 525600.5}").getMessage().contains("got 525600.5"));
        accepted("Suppression: {interval: 0}");
        accepted("Suppression: {interval: 525600}");

        assertTrue(refused("Events: {queue_size: 0}").getMessage().contains("Events.queue_size must be >= 1, got 0"));
        accepted("Events: {queue_size: 1}");
    }

    @Test
    void aTlsFileThatCannotBeReadIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.pem");
        assertTrue(refused("Kafka: {server: k, auth_type: ssl, ssl_cafile: " + missing + "}").getMessage()
                .contains("Kafka.ssl_cafile " + missing + " cannot be read"));
        assertTrue(refused("Kafka: {server: k, auth_type: ssl, ssl_truststore: " + missing + "}").getMessage()
                .contains("Kafka.ssl_truststore " + missing + " cannot be read"));
    }

    @Test
    void tlsSettingsBecomeTheClientsTruststore(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        Path jks = Files.writeString(dir.resolve("trust.jks"), "x");

        var pem = KafkaProps.producer(AnteaterConfig.parse(null, "Kafka: {server: k, auth_type: ssl, ssl_cafile: ' " + ca + " '}").kafka(), "t");
        assertEquals("SSL", pem.get("security.protocol"));
        assertEquals("PEM", pem.get("ssl.truststore.type"));
        assertEquals(ca.toString(), pem.get("ssl.truststore.location"), "trimmed");
        assertEquals(null, pem.get("ssl.endpoint.identification.algorithm"), "host names are checked by default");

        var store = KafkaProps.producer(AnteaterConfig.parse(null, "Kafka: {server: k, auth_type: sasl_ssl, username: u, password: p, "
                + "ssl_truststore: " + jks + ", ssl_truststore_type: jks, ssl_truststore_password: tpw}").kafka(), "t");
        assertEquals(jks.toString(), store.get("ssl.truststore.location"));
        assertEquals("JKS", store.get("ssl.truststore.type"));
        assertEquals("tpw", store.get("ssl.truststore.password"));

        // a CA file wins over a truststore; plaintext sets no TLS property even if files are named
        var both = KafkaProps.producer(AnteaterConfig.parse(null, "Kafka: {server: k, auth_type: ssl, ssl_cafile: " + ca
                + ", ssl_truststore: " + jks + ", ssl_truststore_password: tpw}").kafka(), "t");
        assertEquals(ca.toString(), both.get("ssl.truststore.location"));
        assertEquals(null, both.get("ssl.truststore.password"));
        var plain = KafkaProps.producer(AnteaterConfig.parse(null, "Kafka: {server: k, ssl_cafile: " + ca + "}").kafka(), "t");
        assertEquals(null, plain.get("ssl.truststore.location"));

        // the consumer (RCA's input) gets the same TLS settings
        var consumer = KafkaProps.consumer(AnteaterConfig.parse(null, "Kafka: {server: k, auth_type: ssl, ssl_cafile: " + ca + "}").kafka(),
                "k:9092", "c", "g");
        assertEquals("PEM", consumer.get("ssl.truststore.type"));
        assertEquals("g", consumer.get("group.id"));
    }

    @Test
    void keywordsNameGalasFaultAreaFromTheMeasurement() {
        assertEquals(List.of("cpu"), EventJson.keywords("gala_gopher_cpu"));
        assertEquals(List.of("memory"), EventJson.keywords("mem"));
        assertEquals(List.of("memory"), EventJson.keywords("swap"));
        assertEquals(List.of("disk"), EventJson.keywords("diskio"));
        assertEquals(List.of("disk"), EventJson.keywords("gala_gopher_block"));
        for (String m : List.of("net", "gala_gopher_tcp_link", "nic", "udp", "qdisc", "endpoint")) {
            assertEquals(List.of("network"), EventJson.keywords(m), m);
        }
        for (String m : List.of("procstat", "thread", "container", "gala_gopher_sli")) {
            assertEquals(List.of("process"), EventJson.keywords(m), m);
        }
        assertEquals(List.of(), EventJson.keywords("temperatures"));
        assertEquals(List.of(), EventJson.keywords(null));
        assertEquals(List.of("cpu"), EventJson.keywords("CPU"), "case does not matter");
    }

    @Test
    void everyCauseCarriesTheGroupsLabelsAndADescription() throws Exception {
        Map<String, String> tags = Map.of("machine_id", "m-01", "host", "web1");
        Anomaly a = new Anomaly("vae", "gala_gopher_proc", tags, 1_700_000_000_000_000_000L, 300, "cpu_usage", 0.9, 7, 30,
                List.of(new Contribution("cpu_usage", 0.6, "reconstruction error share"), new Contribution("fd_count", 0.1, null)),
                "", new double[0]);
        JsonNode r = M.readTree(EventJson.toJson(new EventFactory(EntityTemplate.parse(null), "app").create(a))).get("Resource");
        for (String list : List.of("root_causes", "cause_metrics")) {
            JsonNode c = r.get(list);
            assertEquals(2, c.size(), list);
            assertEquals("web1", c.get(0).get("labels").get("host").asText(), list);
            assertEquals("m-01", c.get(1).get("labels").get("machine_id").asText(), list);
            assertEquals("reconstruction error share", c.get(0).get("description").asText(), list);
            assertTrue(c.get(1).get("description").isTextual() && c.get(1).get("description").asText().isEmpty(),
                    list + ": a missing description is \"\", not null: " + c.get(1));
        }
        assertEquals(null, r.get("recommend_metrics").get("fd_count").get("description"), "recommend_metrics leaves it out");
    }

    @Test
    void passwordsAreScrubbedAndAnEmptyOneScrubsNothing() {
        Secrets s = new Secrets("x", "", null, "hunter2");
        assertEquals("user **** ****: x=****", new Secrets("hunter2", "pw").scrub("user pw hunter2: x=hunter2"));
        assertEquals("**** marks", s.scrub("x marks"), "a one-character password is scrubbed too");
        assertEquals("no secret here", new Secrets("", null).scrub("no secret here"), "an empty password is no secret");
        assertEquals("null", new Secrets("pw").scrub(null));
    }

    @Test
    void anEventLargerThanTheBufferIsWrittenWholeAndInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("huge.jsonl");
        String huge = "{\"big\":\"" + "y".repeat(FilePublisher.BURST_BYTES + 1000) + "\"}";
        FilePublisher p = new FilePublisher(file, "t", 100);
        try {
            p.publish("t", "k", huge); // first: nothing buffered before it
            p.publish("t", "k", "{\"n\":1}");
            p.publish("t", "k", huge); // after a buffered line, which goes out first
            p.publish("t", "k", "{\"n\":3}");
        } finally {
            p.close(Duration.ofSeconds(10));
        }
        assertEquals(List.of(huge, "{\"n\":1}", huge, "{\"n\":3}"), Files.readAllLines(file));
        assertEquals(4, p.produced());
        assertEquals(0, p.failed());
    }

    @Test
    void linesStillUnwrittenAtCloseAreCountedFailed() throws Exception {
        // /dev/full answers every write with ENOSPC: the line stays in the buffer until close gives it up
        FilePublisher p = new FilePublisher(Path.of("/dev/full"), "t", 100);
        p.publish("t", "k", "{\"n\":1}");
        p.publish("t", "k", "{\"n\":2}");
        p.close(Duration.ofSeconds(2));
        assertEquals(0, p.produced());
        assertEquals(2, p.failed(), "both events given up, and counted");
    }

    static Anomaly of(String measurement, Map<String, String> tags) {
        return new Anomaly("ttest", measurement, tags, 1_000_000L, 60, "usage", 5, 3, 3, List.of(), "", new double[0]);
    }

    /** Suppression is per group: two measurements with the same tags (and metric name) are two groups. */
    @Test
    void theGroupKeyNamesTheMeasurementAndEveryTag() {
        EventFactory f = new EventFactory(EntityTemplate.parse("{host}"), "app");
        Map<String, String> tags = Map.of("host", "web1", "dev", "sda");
        AnomalyEvent cpu = f.create(of("cpu", tags));
        AnomalyEvent mem = f.create(of("mem", tags));
        assertEquals(cpu.entityId(), mem.entityId(), "the template makes them one entity");
        assertTrue(!EventSink.groupKey(cpu).equals(EventSink.groupKey(mem)), EventSink.groupKey(cpu));
        assertEquals("cpu\u0000dev=sda\u0000host=web1", EventSink.groupKey(cpu));
    }

    /** A destination that takes nothing: the queue fills, the rest is dropped, and at close every event is counted once. */
    @Test
    void aFullQueueDropsAndEveryEventIsAccountedForAtClose() throws Exception {
        String huge = "{\"big\":\"" + "y".repeat(FilePublisher.BURST_BYTES + 10) + "\"}"; // written alone, so it fails alone
        FilePublisher p = new FilePublisher(Path.of("/dev/full"), "t", 3);
        int n = 10;
        for (int k = 0; k < n; k++) p.publish("t", "k", huge);
        p.close(Duration.ofSeconds(1));
        assertEquals(0, p.produced());
        // at most 3 queued and 1 being retried: at least 6 dropped, whatever the delivery thread had taken
        assertTrue(p.dropped() >= n - 3 - 1, p.summary());
        assertEquals(n, p.dropped() + p.failed(), p.summary());
        p.publish("t", "k", "{}");
        assertEquals(n + 1, p.dropped() + p.failed(), "an event after close is dropped and counted: " + p.summary());
    }
}
