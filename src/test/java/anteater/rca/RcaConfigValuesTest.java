package anteater.rca;

import static anteater.rca.RcaConfigTest.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What an operator mistypes in the Rca section is refused with the key named, never silently taken as a default. */
class RcaConfigValuesTest {

    private static String error(String text) {
        return assertThrows(IllegalArgumentException.class, () -> RcaConfig.from(yaml(text))).getMessage();
    }

    @Test
    void kafkaInputTakesEveryHostOfTheServerList() throws Exception {
        // the producer reads 'k1,k2' + port 9093 as k1:9093,k2:9093; the RCA consumer made 'k1,k2:9093' of it
        RcaConfig c = RcaConfig.from(yaml("Kafka: {server: 'k1,k2', port: 9093}\nRca: {kafka_input: true}"));
        assertEquals("k1:9093,k2:9093", c.kafka().bootstrap());
        c = RcaConfig.from(yaml("Kafka: {server: 'k1:9094,k2', port: 9093}\nRca: {kafka_input: true}"));
        assertEquals("k1:9094,k2:9093", c.kafka().bootstrap());
    }

    @Test
    void kafkaInputWithoutAServerIsRefused() {
        // before: it consumed from localhost:9092, Kapacitor's own HTTP port
        String m = error("Rca: {enabled: true, source: file, file: t.json, kafka_input: true}");
        assertTrue(m.contains("Rca.kafka_input") && m.contains("Kafka.server"), m);
    }

    @Test
    void aBooleanThatIsNotOneIsRefused() {
        String m = error("Rca: {enabled: ture, source: file, file: t.json}");
        assertTrue(m.contains("Rca.enabled") && m.contains("true or false") && m.contains("ture"), m);
        m = error("Rca: {enabled: true, file: t.json, kafka_input: 1}");
        assertTrue(m.contains("Rca.kafka_input"), m);
    }

    @Test
    void sectionNamesAreMatchedCaseInsensitively() throws Exception {
        // as for Kafka, Arangodb, Suppression, Events (before: 'RCA:' left RCA disabled without a word)
        assertTrue(RcaConfig.from(yaml("RCA: {enabled: true, source: arangodb}")).enabled());
        assertEquals("spider2", RcaConfig.from(yaml("ARANGODB: {db_name: spider2}")).arango().dbName());
    }

    @Test
    void aSectionThatIsNotAMappingIsRefused() {
        String m = error("Rca: [enabled, true]");
        assertTrue(m.contains("Rca") && m.contains("mapping"), m);
    }

    @Test
    void weightsMustBeKnownPartsWithNumbers() {
        String m = error("Rca: {weights: {anomaly: abc}}");
        assertTrue(m.contains("Rca.weights.anomaly") && m.contains("number"), m);
        m = error("Rca: {weights: {coherense: 1}}");
        assertTrue(m.contains("Rca.weights.coherense") && m.contains("coherence"), m);
        m = error("Rca: {weights: [1, 2]}");
        assertTrue(m.contains("Rca.weights"), m);
        m = error("Rca: {weights: {reach: -1}}");
        assertTrue(m.contains("Rca.weights.reach"), m);
    }

    @Test
    void triggerMustBeAList() {
        // before: a mapping gave an empty list, so no event ever triggered inference
        String m = error("Rca: {trigger: {app: 1}}");
        assertTrue(m.contains("Rca.trigger"), m);
    }

    @Test
    void aNegativeDurationInSecondsIsRefused() {
        // '-5s' was refused, -5 (a number) was taken
        String m = error("Rca: {valid: -5}");
        assertTrue(m.contains("valid"), m);
    }

    @Test
    void anArangoTimeoutOfZeroIsRefused() throws Exception {
        // the driver takes 0 ms as no timeout at all: a server that accepts and never answers held the RCA thread
        // for ever, and with it every later inference
        for (String t : new String[] {"0", "0s", "0.0001"}) {
            String m = error("Arangodb: {timeout: " + t + "}\nRca: {enabled: true, source: arangodb}");
            assertTrue(m.contains("Arangodb.timeout"), m);
        }
        assertEquals(1, RcaConfig.from(yaml("Arangodb: {timeout: 1ms}")).arango().timeout().toMillis());
    }
}
