package anteater.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real single-node broker for integration tests, run by scripts/kafka.sh (which fetches the jars once). If it
 * cannot start, the test fails with the script's own words.
 */
final class KafkaBroker implements AutoCloseable {
    static final String SASL_USER = "anteater";
    static final String SASL_PASSWORD = "anteater-secret";

    final Path dir;
    final boolean sasl;
    String bootstrap;
    String saslBootstrap;

    private KafkaBroker(Path dir, boolean sasl) {
        this.dir = dir;
        this.sasl = sasl;
    }

    static KafkaBroker start(Path dir, boolean sasl) {
        KafkaBroker b = new KafkaBroker(dir, sasl);
        b.startAgain();
        return b;
    }

    static Path script() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path s = base.resolve("scripts/kafka.sh");
        if (!Files.isExecutable(s)) throw new AssertionError("scripts/kafka.sh not found or not executable at " + s);
        return s;
    }

    /** Starts the broker of this directory (again): same ports, same data. */
    void startAgain() {
        List<String> cmd = new ArrayList<>(List.of(script().toString(), "start", "--dir", dir.toString()));
        if (sasl) cmd.add("--sasl");
        List<String> out = run(cmd, 300);
        if (out.isEmpty()) throw new AssertionError("scripts/kafka.sh start printed no bootstrap address");
        bootstrap = out.get(0).trim();
        if (sasl) {
            if (out.size() < 2) throw new AssertionError("scripts/kafka.sh start --sasl printed no SASL address: " + out);
            saslBootstrap = out.get(1).trim();
        }
    }

    void stop() {
        run(List.of(script().toString(), "stop", "--dir", dir.toString()), 120);
    }

    private static List<String> run(List<String> cmd, int timeoutSec) {
        try {
            Path err = Files.createTempFile("kafka-sh", ".err");
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            byte[] stdout = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeoutSec + " s");
            }
            String errText = Files.readString(err);
            Files.deleteIfExists(err);
            if (p.exitValue() != 0) {
                throw new AssertionError("the Kafka broker could not be started/stopped: " + String.join(" ", cmd)
                        + " exited " + p.exitValue() + ":\n" + errText);
            }
            List<String> lines = new ArrayList<>();
            for (String l : new String(stdout, StandardCharsets.UTF_8).split("\n")) if (!l.isBlank()) lines.add(l);
            return lines;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Reads a topic from the beginning until {@code expected} records came or {@code timeout} passed. */
    List<ConsumerRecord<String, String>> read(String topic, int expected, Duration timeout) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            long end = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> parts = new ArrayList<>();
            while (parts.isEmpty() && System.nanoTime() < end) {
                Map<String, List<PartitionInfo>> topics = c.listTopics(Duration.ofSeconds(5));
                List<PartitionInfo> info = topics.get(topic);
                if (info != null) for (PartitionInfo pi : info) parts.add(new TopicPartition(topic, pi.partition()));
                else sleep(200);
            }
            if (parts.isEmpty()) return out;
            c.assign(parts);
            c.seekToBeginning(parts);
            while (out.size() < expected && System.nanoTime() < end) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) out.add(r);
            }
            // a little longer, to see anything beyond what was expected (duplicates, unsuppressed events)
            long extra = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < extra) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(300))) out.add(r);
            }
        }
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
