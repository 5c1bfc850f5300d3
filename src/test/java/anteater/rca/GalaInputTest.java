package anteater.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;

import anteater.sink.AnomalyEvent;
import org.junit.jupiter.api.Test;

/** Reading gala-anteater's events as gala-inference does, and naming a cause's fault area. */
class GalaInputTest {
    /**
     * gala-anteater publishes json.dumps(message) (provider/kafka.py): Python writes a NaN or infinite float as the
     * bare tokens NaN / Infinity, which gala-inference's json.loads accepts.
     */
    @Test
    void aGalaAnteaterEventWithANaNScoreIsRead() {
        String json = """
                {"Timestamp": 1700000000000,
                 "Attributes": {"entity_id": "m1_sli_42", "event_id": "1700000000000_m1_sli_42", "event_type": "app"},
                 "Resource": {"metric": "gala_gopher_sli_rtt_nsec", "labels": {"machine_id": "m1"}, "score": 0.9,
                              "cause_metrics": [{"metric": "gala_gopher_tcp_link_srtt", "labels": {}, "score": NaN}],
                              "description": "rtt"},
                 "SeverityText": "WARN", "SeverityNumber": 13, "Body": "b"}
                """;
        AnomalyEvent e = GalaAnomalyJson.parse(json);
        assertEquals("m1_sli_42", e.entityId());
        assertEquals(0.9, e.score(), 0.0);
        assertEquals(0.0, e.causes().get(0).score(), 0.0, "NaN is read as 0");
        AnomalyEvent inf = GalaAnomalyJson.parse(json.replace("0.9", "Infinity"));
        assertEquals(Double.MAX_VALUE, inf.score(), 0.0);
    }

    /** A host's connection count is a network metric, not a disk one. */
    @Test
    void aHostsConnectionMetricIsNetwork() {
        assertEquals("network", Keywords.of("host", "gala_gopher_tcp_connection_count"));
        assertEquals("process", Keywords.of("host", "gala_gopher_session_version_ratio"));
        // "io" as a word of the name is still disk
        assertEquals("disk", Keywords.of("host", "gala_gopher_cpu_io_wait".replace("cpu_", "")));
        assertEquals("disk", Keywords.of("host", "gala_gopher_bio_latency"));
        assertEquals("disk", Keywords.of("host", "node_disk_read_bytes"));
    }

    /** gala-inference queues an event as a KPI only when Attributes.event_type == "app" (abnormal_event.py). */
    @Test
    void anEventWithoutEventTypeIsNoKpi() {
        AnomalyEvent e = GalaAnomalyJson.parse("""
                {"Timestamp": 1700000000000, "Attributes": {"entity_id": "m1_disk_sda"},
                 "Resource": {"metric": "gala_gopher_disk_util", "score": 0.5}}""");
        assertEquals("", e.eventType(), "not 'app': it must not trigger inference");
    }
}
