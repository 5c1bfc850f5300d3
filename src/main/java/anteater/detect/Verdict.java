package anteater.detect;

import java.util.Map;

/**
 * What a detector says of a window: one output point (sent back to Kapacitor) and, when the window is
 * anomalous, the anomaly for the event sinks.
 *
 * @param name    measurement name of the output point
 * @param timeNs  time of the output point (the window's tmax)
 * @param tags    tags of the output point
 * @param fields  fields of the output point: Double, Long, String or Boolean values
 * @param anomaly null when the window is normal
 */
public record Verdict(String name, long timeNs, Map<String, String> tags, Map<String, Object> fields, Anomaly anomaly) {
}
