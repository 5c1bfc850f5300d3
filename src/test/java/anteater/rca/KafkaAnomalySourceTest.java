package anteater.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.sink.AnomalyEvent;
import anteater.sink.AnteaterConfig;
import anteater.sink.KafkaProps;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.junit.jupiter.api.Test;

class KafkaAnomalySourceTest {
    static final String NEW_FORM = """
            {"Timestamp": 1700000000000,
             "Attributes": {"entity_id": "m1_sli_42", "event_id": "1700000000000_m1_sli_42", "event_type": "app",
                            "event_source": "gala-anteater"},
             "Resource": {"metric": "gala_gopher_sli_rtt_nsec", "labels": {"machine_id": "m1", "tgid": "42"},
                          "score": "0.93", "description": "rtt is abnormal",
                          "cause_metrics": [{"metric": "gala_gopher_tcp_link_srtt", "score": 0.8, "description": "srtt"}]},
             "SeverityText": "WARN", "SeverityNumber": 14, "Body": "body text"}
            """;
    static final String OLD_FORM = """
            {"Timestamp": 1700000060000,
             "Attributes": {"entity_id": "m2_proc_7", "event_id": "1700000060000_m2_proc_7", "event_type": "sys"},
             "Resource": {"anomaly_score": 3.5, "anomaly_count": 4, "total_count": 10, "duration": 60,
                          "anomaly_ratio": 0.4, "metric_label": {"pid": "7"},
                          "recommend_metrics": {"gala_gopher_proc_cpu": {"label": {}, "score": 2.0}},
                          "metric_id": "gala_gopher_proc_io_wait"},
             "SeverityText": "WARN", "SeverityNumber": 13, "Body": "older body"}
            """;

    @Test
    void parsesBothGalaForms() {
        AnomalyEvent a = GalaAnomalyJson.parse(NEW_FORM);
        assertEquals(1_700_000_000_000L, a.timestampMs());
        assertEquals("m1_sli_42", a.entityId());
        assertEquals("app", a.eventType());
        assertEquals("gala_gopher_sli_rtt_nsec", a.metric());
        assertEquals(0.93, a.score(), 1e-12);
        assertEquals("m1", a.machineId());
        assertEquals("rtt is abnormal", a.description());
        assertEquals("gala_gopher_tcp_link_srtt", a.causes().get(0).metric());
        assertEquals(0, a.values().length);
        AnomalyEvent b = GalaAnomalyJson.parse(OLD_FORM);
        assertEquals("gala_gopher_proc_io_wait", b.metric());
        assertEquals(3.5, b.score());
        assertEquals(60, b.durationSec());
        assertEquals(4, b.anomalyCount());
        assertEquals(Map.of("pid", "7"), b.labels());
        assertEquals("older body", b.description());
        assertEquals("gala_gopher_proc_cpu", b.causes().get(0).metric());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GalaAnomalyJson.parse("{\"Timestamp\": 1}"))
                .getMessage().contains("entity_id"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GalaAnomalyJson.parse("[1,")).getMessage().contains("not JSON"));
    }

    @Test
    void consumesTheTopicAndSkipsBadMessages() throws Exception {
        String topic = "gala_anteater_hybrid_model";
        MockConsumer<String, String> mc = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        TopicPartition tp = new TopicPartition(topic, 0);
        mc.schedulePollTask(() -> {
            mc.rebalance(List.of(tp));
            mc.updateBeginningOffsets(Map.of(tp, 0L));
            mc.addRecord(new ConsumerRecord<>(topic, 0, 0, "k", NEW_FORM));
            mc.addRecord(new ConsumerRecord<>(topic, 0, 1, "k", "garbage"));
            mc.addRecord(new ConsumerRecord<>(topic, 0, 2, "k", OLD_FORM));
        });
        List<AnomalyEvent> got = new CopyOnWriteArrayList<>();
        try (KafkaAnomalySource s = new KafkaAnomalySource(mc, topic, got::add)) {
            s.start();
            RcaEngineTest.await(() -> got.size() == 2, "two events");
            assertEquals(1, s.bad());
            assertEquals(2, s.parsed());
        }
        assertTrue(mc.closed(), "consumer closed on close()");
        assertEquals("m1_sli_42", got.get(0).entityId());
        assertEquals("m2_proc_7", got.get(1).entityId());
    }

    /**
     * A broker that stops answering says so once, and once when it answers again. The input watches the client's
     * response count: a frozen broker (kill -STOP) or a black-holed network keeps the consumer's connection open (the
     * kernel accepts it), so before, watching the connection count, such an outage was never reported.
     */
    @Test
    void aBrokerThatStopsAnsweringSaysSoOnceAndOnceWhenItAnswersAgain() throws Exception {
        String topic = "gala_anteater_hybrid_model";
        MockConsumer<String, String> mc = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        java.util.concurrent.atomic.AtomicBoolean answering = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong responses = new java.util.concurrent.atomic.AtomicLong(1);
        // one connection all along; responses come while the broker answers, none while it is frozen
        java.util.function.LongSupplier responseCount = () -> answering.get() ? responses.incrementAndGet() : responses.get();
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        String log;
        try (KafkaAnomalySource s = new KafkaAnomalySource(mc, topic, e -> { }, responseCount, 1)) {
            s.start();
            Thread.sleep(20);
            assertFalse(s.disconnected(), "answering");
            answering.set(false);
            RcaEngineTest.await(s::disconnected, "no answer reported");
            Thread.sleep(20);
            answering.set(true);
            RcaEngineTest.await(() -> !s.disconnected(), "answering again");
        } finally {
            System.setErr(err);
        }
        log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        err.print(log);
        assertEquals(1, log.split("no answer from any broker", -1).length - 1, log);
        assertEquals(1, log.split("a broker answers again", -1).length - 1, log);
    }

    @Test
    void aFailingPollIsRetriedNotTheEndOfTheInput() throws Exception {
        String topic = "gala_anteater_hybrid_model";
        MockConsumer<String, String> mc = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        TopicPartition tp = new TopicPartition(topic, 0);
        mc.schedulePollTask(() -> mc.setPollException(new AuthenticationException("SASL authentication failed")));
        mc.schedulePollTask(() -> {
            mc.rebalance(List.of(tp));
            mc.updateBeginningOffsets(Map.of(tp, 0L));
            mc.addRecord(new ConsumerRecord<>(topic, 0, 0, "k", NEW_FORM));
        });
        List<AnomalyEvent> got = new CopyOnWriteArrayList<>();
        try (KafkaAnomalySource s = new KafkaAnomalySource(mc, topic, got::add)) {
            s.start();
            RcaEngineTest.await(() -> got.size() == 1, "the event after the failed poll");
            assertEquals(1, s.failures());
        }
    }

    @Test
    void theConsumerUsesTheProducersSecuritySettings() throws Exception {
        java.nio.file.Path ca = java.nio.file.Files.createTempFile("ca", ".pem");
        ca.toFile().deleteOnExit();
        AnteaterConfig k = AnteaterConfig.parse(null, ("""
                Kafka: {server: kafka1, port: 9093, auth_type: sasl_ssl, sasl_mechanism: SCRAM-SHA-512, username: u,
                        password: p, ssl_cafile: CA, group_id: g,
                        properties: {compression.type: lz4, fetch.max.bytes: 1048576}}
                Rca: {kafka_input: true}
                """).replace("CA", ca.toString()));
        RcaConfig.KafkaIn in = RcaConfig.from(k.tree()).kafka();
        Properties p = KafkaProps.consumer(in.connection(), in.bootstrap(), "anteater-rca", in.groupId());
        assertEquals("kafka1:9093", p.get("bootstrap.servers"));
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
        assertTrue(p.get("sasl.jaas.config").toString().startsWith("org.apache.kafka.common.security.scram.ScramLoginModule"));
        assertEquals(ca.toString(), p.get("ssl.truststore.location"));
        assertEquals("1048576", p.get("fetch.max.bytes"), "extra properties a consumer knows are passed on");
        assertFalse(p.containsKey("compression.type"), "producer-only properties are not");
        assertEquals("g", p.get("group.id"));
    }
}
