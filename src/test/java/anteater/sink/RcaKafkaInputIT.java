package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.rca.KafkaAnomalySource;
import anteater.rca.RcaConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RCA's Kafka input on a real broker, as several agent processes (stdio mode: one JVM per task) run it. */
class RcaKafkaInputIT {

    static String event(int i) {
        long t = 1_700_000_000_000L + i * 1000L;
        return "{\"Timestamp\": " + t + ", \"Attributes\": {\"entity_id\": \"m1_proc_" + i + "\", \"event_id\": \"" + t
                + "_m1_proc_" + i + "\", \"event_type\": \"sys\", \"event_source\": \"gala-anteater\"},"
                + " \"Resource\": {\"metric\": \"gala_gopher_proc_cpu\", \"labels\": {\"machine_id\": \"m1\"}, \"score\": 0.9}}";
    }

    static void await(BooleanSupplier cond, long seconds, String what) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError(what);
            Thread.sleep(50);
        }
    }

    @Test
    void everyAgentProcessReadsEveryEventOfTheTopic(@TempDir Path dir) throws Exception {
        // before: every process joined the consumer group Kafka.group_id, so Kafka split the topic among them: on a
        // one-partition topic one process got every event of the other agents and the others none, so their causes
        // were looked for among their own anomalies only
        KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), false);
        String topic = "it_rca_input";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", (Object) broker.bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        String[] hp = broker.bootstrap.split(":");
        AnteaterConfig cfg = AnteaterConfig.parse(null, "Kafka: {server: " + hp[0] + ", port: " + hp[1]
                + ", model_topic: " + topic + ", group_id: gala_anteater_kafka}\n");
        RcaConfig.KafkaIn in = RcaConfig.from(cfg.tree()).kafka();
        Set<String> a = ConcurrentHashMap.newKeySet();
        Set<String> b = ConcurrentHashMap.newKeySet();
        Properties pp = new Properties();
        pp.put("bootstrap.servers", broker.bootstrap);
        pp.put("key.serializer", StringSerializer.class.getName());
        pp.put("value.serializer", StringSerializer.class.getName());
        try (KafkaAnomalySource sa = KafkaAnomalySource.open(in, e -> a.add(e.eventId()));
             KafkaAnomalySource sb = KafkaAnomalySource.open(in, e -> b.add(e.eventId()));
             KafkaProducer<String, String> p = new KafkaProducer<>(pp)) {
            // the inputs start at the end of the topic: send until both read something, then count from there
            int i = 0;
            long end = System.nanoTime() + 60_000_000_000L;
            while ((a.isEmpty() || b.isEmpty()) && System.nanoTime() < end) {
                p.send(new ProducerRecord<>(topic, "k", event(i++))).get();
                Thread.sleep(200);
            }
            assertTrue(!a.isEmpty() && !b.isEmpty(), "each process reads the topic (read " + a.size() + " and " + b.size()
                    + " of " + i + " events)");
            int from = i;
            for (int k = 0; k < 20; k++) p.send(new ProducerRecord<>(topic, "k", event(i++))).get();
            int last = i;
            BooleanSupplier both = () -> {
                for (int k = from; k < last; k++) {
                    String id = (1_700_000_000_000L + k * 1000L) + "_m1_proc_" + k;
                    if (!a.contains(id) || !b.contains(id)) return false;
                }
                return true;
            };
            await(both, 60, "both processes read all 20 events");
            assertEquals(0, sa.bad() + sb.bad());
        } finally {
            broker.stop();
        }
    }
}
