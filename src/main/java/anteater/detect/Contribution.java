package anteater.detect;

/** One metric behind an anomaly, with how much it contributed (detector-specific scale, larger = more). */
public record Contribution(String metric, double score, String description) {
}
