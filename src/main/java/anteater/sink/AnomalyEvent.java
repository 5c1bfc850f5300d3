package anteater.sink;

import anteater.detect.Contribution;
import java.util.List;
import java.util.Map;

/**
 * An anomaly event as gala-ops sees it (topic gala_anteater_hybrid_model), whether found by this process or read
 * from Kafka. The JSON form is made by the sink package; RCA consumes these.
 *
 * @param timestampMs  window tmax, epoch ms
 * @param entityId     gala entity_id (sanitised)
 * @param eventId      {@code <timestampMs>_<entityId>}
 * @param eventType    "app" or "sys"
 * @param machineId    the machine the entity is on (may be empty)
 * @param measurement  the Kapacitor measurement
 * @param metric       the KPI metric id
 * @param labels       the group's tags
 * @param score        anomaly score (number, larger = more anomalous)
 * @param anomalyCount anomalous points in the window
 * @param totalCount   points in the window
 * @param durationSec  window span in seconds
 * @param causes       metrics behind the anomaly (recommend_metrics / root_causes), largest first
 * @param description  readable sentence
 * @param detector     detector that found it, or the event source
 * @param values       KPI values in the window (empty when read from Kafka)
 */
public record AnomalyEvent(long timestampMs, String entityId, String eventId, String eventType, String machineId,
                           String measurement, String metric, Map<String, String> labels, double score,
                           int anomalyCount, int totalCount, long durationSec, List<Contribution> causes,
                           String description, String detector, double[] values) {

    public double ratio() {
        return totalCount == 0 ? 0.0 : (double) anomalyCount / totalCount;
    }
}
