package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnteaterConfigTest {

    static final String GALA_STYLE = """
            Global:
              data_source: "prometheus"
            Kafka:
              server: "kafka.example"
              port: "9093"
              model_topic: "gala_anteater_hybrid_model"
              rca_topic: "gala_cause_inference"
              meta_topic: "gala_gopher_metadata"
              group_id: "gala_anteater_kafka"
              auth_type: "sasl_plaintext"
              username: "alice"
              password: "s3cr3t-pw"
            Arangodb:
              url: "http://arango:8529"
              db_name: "spider"
            Suppression:
              interval: 5
            Topology:
              tolerance: 120
            """;

    @Test
    void readsGalaAnteatersFileIncludingUnknownSections() throws Exception {
        AnteaterConfig c = AnteaterConfig.parse(null, GALA_STYLE);
        assertTrue(c.kafka().enabled());
        assertEquals("kafka.example:9093", c.kafka().bootstrap());
        assertEquals("SASL_PLAINTEXT", c.kafka().protocol());
        assertEquals("gala_cause_inference", c.kafka().rcaTopic);
        assertEquals("http://arango:8529", c.arangodb().url);
        assertEquals(Duration.ofMinutes(5), c.suppression().duration());
        // other capabilities read their own sections, as a tree or a POJO
        assertEquals(120, c.sectionTree("topology").path("tolerance").asInt());
        assertEquals(120, c.section("Topology", Topo.class).tolerance);
        assertNull(c.section("Nothing", Topo.class));
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Topo {
        @JsonProperty("tolerance") public int tolerance;
    }

    @Test
    void defaultsMeanTheEventsFile() {
        AnteaterConfig c = AnteaterConfig.defaults();
        assertFalse(c.kafka().enabled());
        assertEquals("gala_anteater_hybrid_model", c.kafka().modelTopic);
        assertEquals(Duration.ofMinutes(10), c.suppression().duration());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "anteater-events.jsonl"), c.events().path());
    }

    @Test
    void serverMayCarryPorts() throws Exception {
        AnteaterConfig c = AnteaterConfig.parse(null, "Kafka: {server: 'a:1, b', port: 2}");
        assertEquals("a:1,b:2", c.kafka().bootstrap());
    }

    @Test
    void badFilesFailWithClearMessagesThatNeverShowThePassword(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "Kafka:\n  server: x\n  password: hunter2\n  auth_type: kerberos\n  username: bob\n");
        ConfigException e = assertThrows(ConfigException.class, () -> AnteaterConfig.load(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("auth_type must be one of: plaintext, sasl_plaintext, sasl_ssl"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));

        Files.writeString(f, "Kafka:\n  server: x\n  port: [1\n");
        e = assertThrows(ConfigException.class, () -> AnteaterConfig.load(f));
        assertTrue(e.getMessage().contains("not valid YAML") && e.getMessage().contains("line"), e.getMessage());

        Files.writeString(f, "Kafka:\n  server: x\n  port: http\n");
        e = assertThrows(ConfigException.class, () -> AnteaterConfig.load(f));
        assertTrue(e.getMessage().contains("port must be a TCP port number"), e.getMessage());

        Files.writeString(f, "Kafka:\n  server: x\n  auth_type: sasl_plaintext\n  password: hunter2\n");
        e = assertThrows(ConfigException.class, () -> AnteaterConfig.load(f));
        assertTrue(e.getMessage().contains("username is required"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));

        Files.writeString(f, "Suppression:\n  interval: soon\n");
        e = assertThrows(ConfigException.class, () -> AnteaterConfig.load(f));
        assertTrue(e.getMessage().contains("Suppression"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> AnteaterConfig.load(dir.resolve("missing.yaml")));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("ANTEATER_CONFIG"), e.getMessage());

        Files.writeString(f, "- just\n- a list\n");
        e = assertThrows(ConfigException.class, () -> AnteaterConfig.load(f));
        assertTrue(e.getMessage().contains("mapping of sections"), e.getMessage());
    }

    @Test
    void toStringNeverShowsThePassword() throws Exception {
        AnteaterConfig c = AnteaterConfig.parse(null, GALA_STYLE);
        assertFalse(c.kafka().toString().contains("s3cr3t-pw"));
        assertTrue(c.kafka().toString().contains("alice"));
    }

    @Test
    void producerIsDurableAndAuthenticates() throws Exception {
        AnteaterConfig c = AnteaterConfig.parse(null, GALA_STYLE + "  \n");
        Properties p = KafkaProps.producer(c.kafka(), "t");
        assertEquals("all", p.get("acks"));
        assertEquals("true", p.get("enable.idempotence"));
        assertEquals("SASL_PLAINTEXT", p.get("security.protocol"));
        assertEquals("PLAIN", p.get("sasl.mechanism"));
        assertTrue(((String) p.get("sasl.jaas.config")).contains("username=\"alice\" password=\"s3cr3t-pw\""));
        assertTrue(Long.parseLong((String) p.get("delivery.timeout.ms")) >= 120_000);

        AnteaterConfig ssl = AnteaterConfig.parse(null,
                "Kafka: {server: k, auth_type: sasl_ssl, username: u, password: p, sasl_mechanism: scram-sha-512, "
                        + "ssl_check_hostname: false, properties: {compression.type: lz4}}");
        Properties q = KafkaProps.producer(ssl.kafka(), "t");
        assertEquals("SASL_SSL", q.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", q.get("sasl.mechanism"));
        assertTrue(((String) q.get("sasl.jaas.config")).startsWith("org.apache.kafka.common.security.scram.ScramLoginModule"));
        assertEquals("", q.get("ssl.endpoint.identification.algorithm"));
        assertEquals("lz4", q.get("compression.type"));
    }

    /** A SASL password given as YAML null is an empty password (not "null", not a crash); the arangodb line names its user only when set. */
    @Test
    void nullSaslPasswordIsEmptyAndArangodbDescribesItself() throws Exception {
        AnteaterConfig c = AnteaterConfig.parse(null, "Kafka: {server: k, auth_type: sasl_plaintext, username: u, password: ~}");
        assertEquals("", c.kafka().password);
        assertTrue(((String) KafkaProps.producer(c.kafka(), "t").get("sasl.jaas.config")).contains("password=\"\""));

        assertEquals("http://localhost:8529/spider", AnteaterConfig.defaults().arangodb().toString());
        AnteaterConfig a = AnteaterConfig.parse(null, "Arangodb: {url: 'http://db:1', db_name: d, username: bob, password: pw}");
        assertEquals("http://db:1/d user bob", a.arangodb().toString(), "the password is never shown");
    }
}
