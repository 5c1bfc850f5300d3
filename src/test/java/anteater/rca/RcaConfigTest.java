package anteater.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RcaConfigTest {
    static JsonNode yaml(String s) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(s);
    }

    @Test
    void defaults() {
        RcaConfig c = RcaConfig.defaults();
        assertFalse(c.enabled());
        assertEquals("file", c.source());
        assertEquals(4, c.depth());
        assertEquals(Duration.ofMinutes(10), c.valid());
        assertEquals(Duration.ofMinutes(3), c.future());
        assertEquals(Duration.ofSeconds(120), c.tolerance());
        assertEquals(3, c.topK());
        assertEquals("gala_cause_inference", c.topic());
        assertEquals(List.of("app"), c.trigger());
        assertEquals("http://localhost:8529", c.arango().url());
        assertEquals("spider", c.arango().dbName());
        assertEquals(CausalRules.DEFAULTS, c.rules());
        assertEquals("localhost:9092", c.kafka().bootstrap());
        assertEquals("gala_anteater_hybrid_model", c.kafka().topic());
    }

    @Test
    void aMistypedRcaKeyIsLoggedWithTheValidOnes() throws Exception {
        // before: ignored in silence, so 'enable: true' (or 'Enabled: true') left RCA off and nothing said why
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        RcaConfig c;
        try {
            c = RcaConfig.from(yaml("Rca: {enable: true, Kafka_Input: true, file: t.json, depth: 3, log_interval: 2m}"));
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(c.enabled());
        assertTrue(log.contains("Rca.enable is not a key") && log.contains("Rca.Kafka_Input is not a key")
                && log.contains("enabled, source, file"), log);
        assertFalse(log.contains("Rca.file") || log.contains("Rca.depth") || log.contains("Rca.log_interval"), log);
    }

    @Test
    void readsGalaKeysAndTheRcaSection() throws Exception {
        RcaConfig c = RcaConfig.from(yaml("""
                Kafka: {server: kafka1, port: 9093, model_topic: mt, rca_topic: rt, group_id: g}
                Arangodb: {url: "http://arango:8529", db_name: spider2, username: root, password: "pw-123", timeout: 3s}
                Rca:
                  enabled: true
                  source: arangodb
                  depth: 3
                  valid: 5m
                  future: 90
                  tolerance: PT1M
                  top_k: 5
                  trigger: [app, sys]
                  on_failure: mark
                  rules: ["cpu->proc@host", "proc->sli@edge"]
                  weights: {reach: 0}
                """));
        assertTrue(c.enabled());
        assertEquals("arangodb", c.source());
        assertEquals(3, c.depth());
        assertEquals(Duration.ofMinutes(5), c.valid());
        assertEquals(Duration.ofSeconds(90), c.future());
        assertEquals(Duration.ofMinutes(1), c.tolerance());
        assertEquals(5, c.topK());
        assertTrue(c.markFailures());
        assertEquals(List.of("app", "sys"), c.trigger());
        assertEquals(2, c.rules().size());
        assertEquals(0.0, c.weights().reach());
        assertEquals(CauseRanker.Weights.DEFAULT.anomaly(), c.weights().anomaly());
        assertEquals("rt", c.topic());
        assertEquals("kafka1:9093", c.kafka().bootstrap());
        assertEquals("mt", c.kafka().topic());
        assertEquals("spider2", c.arango().dbName());
        assertEquals(Duration.ofSeconds(3), c.arango().timeout());
        assertFalse(c.toString().contains("pw-123"), c.toString());
    }

    @Test
    void badValuesNameTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RcaConfig.from(yaml("Rca: {source: neo4j}")))
                .getMessage().contains("Rca.source"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RcaConfig.from(yaml("Rca: {depth: 0}")))
                .getMessage().contains("depth"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RcaConfig.from(yaml("Rca: {valid: soon}")))
                .getMessage().contains("valid"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RcaConfig.from(yaml("Rca: {rules: [cpu]}")))
                .getMessage().contains("cause->effect@scope"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RcaConfig.from(yaml("Rca: {enabled: true, source: file}")))
                .getMessage().contains("Rca.file"));
    }
}
