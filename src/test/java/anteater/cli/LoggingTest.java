package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The agent's logging set-up, in a JVM of its own (slf4j-simple reads its settings once, at the first logger). */
class LoggingTest {
    /** Logs as Kafka's client does during an outage, and as the rest of the client does. */
    public static void main(String[] args) {
        Logging.init();
        LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient")
                .warn("[Producer clientId=anteater-1] Connection to node 1 could not be established. Node may not be available.");
        LoggerFactory.getLogger("org.apache.kafka.clients.producer.KafkaProducer").warn("a producer warning");
        LoggerFactory.getLogger("org.apache.kafka.clients.producer.KafkaProducer").info("a producer info line");
        LoggerFactory.getLogger("anteater.sink.KafkaPublisher").info("ours");
    }

    @Test
    void kafkasPerAttemptConnectionWarningsAreNotShownItsOtherWarningsAre() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                LoggingTest.class.getName())).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertEquals("", out, "nothing on stdout");
        assertFalse(err.contains("could not be established"), err);
        assertTrue(err.contains("a producer warning"), err);
        assertFalse(err.contains("a producer info line"), err);
        assertTrue(err.contains("ours"), err);
    }
}
