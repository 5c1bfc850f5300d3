package anteater.rca;

import anteater.sink.AnomalyEvent;
import java.util.List;

/**
 * One likely cause of a KPI anomaly, with the parts of its score.
 *
 * @param entity      the cause entity
 * @param event       its anomaly event that best overlaps the KPI's window (its metric is the cause metric)
 * @param score       the combined score in [0, 1]
 * @param anomaly     its strongest anomaly score over the strongest candidate's, in [0, 1]
 * @param correlation |Pearson r| of its values with the KPI's where both windows overlap (NaN when unknown)
 * @param proximity   1 / causal hops to the KPI
 * @param onset       how much earlier than the KPI its anomaly began, squashed to [0, 1] (0.5 = same time)
 * @param root        1 if no anomalous causal parent began before it, else 0
 * @param reach       share of the other abnormal entities (that can reach the KPI, and the KPI) it reaches along
 *                    causal edges through abnormal entities: how much of the incident it explains
 * @param path        entity ids from the cause to the KPI entity, along causal edges
 * @param closeness   sum of 1 / hops to the abnormal entities it reaches, over the other abnormal entities' number
 * @param live        1 if one of its anomalies overlaps the KPI's window, else 0
 * @param coherence   mean |Pearson r| of its anomaly with each other abnormal entity's, over the windows they share
 */
public record RankedCause(Entity entity, AnomalyEvent event, double score, double anomaly, double correlation,
                          double proximity, double onset, double root, double reach, List<String> path,
                          double closeness, double live,
                          double coherence) {

    public String keyword() {
        return Keywords.of(entity.type(), event.metric());
    }
}
