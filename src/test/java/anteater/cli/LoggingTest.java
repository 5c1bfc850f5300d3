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
        if (args.length == 0) return;
        // a line quoting what the peer sent (an option value of 100 KB, here in 3-byte characters)
        LoggerFactory.getLogger("anteater.udf.AnomalyHandler").warn("init refused: detector '{}' is unknown", "\u20ac".repeat(100_000));
        LoggerFactory.getLogger("anteater.udf.AnomalyHandler").info("after");
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

    /**
     * Kapacitor reads a UDF's stderr with a line scanner that stops for good at a line over 64 KiB (then the pipe
     * fills and every log call of the agent blocks): a line quoting 100 KB of input is cut, on a whole character.
     */
    @Test
    void aLineQuotingHugeInputIsCutShortOfKapacitorsLimit() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Dfile.encoding=UTF-8", "-cp", System.getProperty("java.class.path"),
                LoggingTest.class.getName(), "long")).start();
        p.getOutputStream().close();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        String text = new String(err, StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        for (String l : lines) {
            int bytes = l.getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes <= Logging.MAX_LINE_BYTES + 40, "a stderr line of " + bytes + " bytes");
        }
        String cut = lines.stream().filter(l -> l.contains("init refused")).findFirst().orElseThrow();
        assertTrue(cut.endsWith(" more bytes]"), cut.substring(cut.length() - 60));
        assertFalse(text.contains("\uFFFD"), "no character is split");
        assertTrue(lines.get(lines.size() - 1).endsWith("after"), "the next line is whole");
    }

    /**
     * slf4j-simple takes a level it does not know (ANTEATER_LOG_LEVEL=warning, verbose) as info without a word: an
     * operator who asked for fewer lines got every info line and no hint why.
     */
    @Test
    void anUnknownLevelIsNamedWithTheValidOnes() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder b = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                LoggingTest.class.getName()));
        b.environment().put("ANTEATER_LOG_LEVEL", "warning");
        Process p = b.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertEquals("", out, "nothing on stdout");
        assertTrue(err.contains("ANTEATER_LOG_LEVEL 'warning' is not a level (trace, debug, info, warn, error, off); using info"), err);
    }
}
