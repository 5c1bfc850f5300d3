package anteater.detect;

import java.util.List;
import java.util.Map;

/**
 * An anomalous window as a detector judged it: what sinks turn into gala-anteater events.
 *
 * @param detector     detector name (ttest, vae, ...)
 * @param measurement  the window's measurement name
 * @param tags         the group's tags (metric_label)
 * @param timeNs       the window's tmax, ns since the epoch
 * @param durationSec  the window's span in seconds
 * @param metric       the KPI metric (a field name or metric id)
 * @param score        anomaly score, larger is more anomalous
 * @param anomalyCount anomalous points (or steps) in the window
 * @param totalCount   points (or steps) in the window
 * @param contributions metrics behind the anomaly, largest first
 * @param description  one readable sentence
 * @param values       the KPI metric's values in the window, in time order (for correlation in RCA); may be empty
 */
public record Anomaly(String detector, String measurement, Map<String, String> tags, long timeNs, long durationSec,
                      String metric, double score, int anomalyCount, int totalCount,
                      List<Contribution> contributions, String description, double[] values) {

    public double ratio() {
        return totalCount == 0 ? 0.0 : (double) anomalyCount / totalCount;
    }
}
