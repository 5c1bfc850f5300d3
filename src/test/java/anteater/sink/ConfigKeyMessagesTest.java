package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A value of the wrong type names its key; a mistyped key is not silently lost. */
class ConfigKeyMessagesTest {

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> AnteaterConfig.parse(Path.of("/etc/anteater.yaml"), yaml))
                .getMessage();
    }

    @Test
    void aWrongTypeNamesTheKey() {
        // before: "section Kafka: Cannot deserialize value of type `java.lang.Integer` from String "abc"": which key?
        String m = error("Kafka: {server: k1, queue_size: abc}");
        assertTrue(m.contains("Kafka.queue_size") && m.contains("/etc/anteater.yaml"), m);
        m = error("Kafka: {server: [k1, k2]}");
        assertTrue(m.contains("Kafka.server"), m);
        m = error("Suppression: {interval: 10m}");
        assertTrue(m.contains("Suppression.interval"), m);
    }

    @Test
    void aYamlSyntaxErrorOnAPasswordsLineDoesNotQuoteIt() {
        // before: SnakeYAML's message quotes the line of the error, so init's error (Kapacitor's log, kapacitor show)
        // carried the password, over several lines
        String m = error("Kafka:\n  server: k1\n  auth_type: sasl_plaintext\n  username: u\n  password: \"s3cret-pw\n  port: 9092\n");
        assertFalse(m.contains("s3cret"), m);
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.contains("(line 5)") && m.contains("while scanning a quoted scalar (line 5, column 13)")
                && m.contains("found unexpected end of stream"), m);
        m = error("Kafka:\n  server: k1\n  password: s3cret-pw: x\n");
        assertFalse(m.contains("s3cret") || m.contains("\n"), m);
        assertTrue(m.contains("mapping values are not allowed here (line 3, column 22)"), m);
    }

    @Test
    void anInvalidTopicNameIsRefusedNamingTheKey() {
        // before: accepted, and every event then failed at the broker with InvalidTopicException
        String m = error("Kafka: {server: k1, model_topic: 'gala anteater'}");
        assertTrue(m.contains("Kafka.model_topic") && m.contains("not a valid Kafka topic name"), m);
        m = error("Kafka: {server: k1, rca_topic: 'causes/rca'}");
        assertTrue(m.contains("Kafka.rca_topic") && m.contains("A-Z a-z 0-9 . _ -"), m);
        m = error("Kafka: {server: k1, model_topic: '..'}");
        assertTrue(m.contains("Kafka.model_topic"), m);
    }

    @Test
    void aMistypedKeyIsLoggedWithTheValidOnes() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            AnteaterConfig c = AnteaterConfig.parse(Path.of("/etc/anteater.yaml"),
                    "Kafka: {bootstrap_servers: 'k1:9092', port: 9092, password: s3cret}\n"
                            + "Arangodb: {url: 'http://a:8529', timeout: 3s}\nOther: {x: 1}");
            assertFalse(c.kafka().enabled(), "still ignored: gala-anteater's files carry keys this agent does not read");
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("Kafka.bootstrap_servers") && log.contains("server, "), log);
        assertFalse(log.contains("Kafka.port") || log.contains("Arangodb.timeout") || log.contains("Other"),
                "known keys (also RCA's Arangodb.timeout) and other sections are not reported: " + log);
        assertFalse(log.contains("s3cret"), log);
    }

    /** Older gala-anteater files carry Kafka keys this agent has no use for: said once, not taken for a typo. */
    @Test
    void galaAnteatersOwnKafkaKeysAreNotTakenForTypos() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            AnteaterConfig.parse(Path.of("/etc/gala-anteater.yaml"),
                    "Kafka: {server: 'k1', port: '9092', model_group_id: gala_anteater_1, meta_group_id: gala_anteater_2,"
                            + " meta_entity_name: observe_entity}\n");
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("is not a key of section"), log);
        assertTrue(log.contains("Kafka.model_group_id is a key of gala-anteater's configuration that anteater does not use"), log);
    }
}
