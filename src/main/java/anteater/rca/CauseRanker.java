package anteater.rca;

import anteater.sink.AnomalyEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranks the likely causes of one KPI anomaly among the misbehaving neighbours of its entity.
 *
 * <p>Candidates: entities of the neighbourhood from which a chain of causal rules leads to the KPI entity and
 * that had anomalies in [t - valid, t + future]. Each gets a score in [0, 1], a weighted sum of:
 * <ul>
 * <li>anomaly: its strongest anomaly score, log-scaled against the strongest candidate's, so detectors with
 *     different scales compare; a strong anomaly is more likely a fault than a ripple;</li>
 * <li>correlation: |Pearson r| of its values with the KPI's over the time both windows cover; a cause moves
 *     with its effect, an unrelated anomaly that happens to be near in time does not (0.5 when unknown,
 *     e.g. events read from Kafka carry no values);</li>
 * <li>proximity: 1 / causal hops to the KPI; long chains are less likely and more often coincidence;</li>
 * <li>onset: whether its anomaly began before the KPI's, logistic in the difference over the KPI window's length;
 *     a cause precedes its effect;</li>
 * <li>root: 1 if none of its own anomalous causal parents began strictly before it; what is downstream of an
 *     earlier anomaly is more likely a symptom than the root.</li>
 * </ul>
 */
public final class CauseRanker {

    /** Weights of the score's parts; they need not sum to 1 (the score is divided by their sum). */
    public record Weights(double anomaly, double correlation, double proximity, double onset, double root) {
        public static final Weights DEFAULT = new Weights(0.15, 0.3, 0.1, 0.2, 0.25);

        public Weights {
            if (anomaly < 0 || correlation < 0 || proximity < 0 || onset < 0 || root < 0
                    || anomaly + correlation + proximity + onset + root <= 0) {
                throw new IllegalArgumentException("weights must be >= 0 with a positive sum");
            }
        }

        double sum() {
            return anomaly + correlation + proximity + onset + root;
        }
    }

    private final CausalRules rules;
    private final Weights weights;
    private final long validMs;
    private final long futureMs;

    public CauseRanker(CausalRules rules, Weights weights, long validMs, long futureMs) {
        this.rules = rules;
        this.weights = weights;
        this.validMs = validMs;
        this.futureMs = futureMs;
    }

    /** All candidates, best first (ties: by entity id, so the order is deterministic). */
    public List<RankedCause> rank(AnomalyEvent kpi, Neighbourhood n, AnomalyStore store) {
        String target = n.center();
        Map<String, Set<String>> parents = rules.parents(n);
        // backward BFS from the KPI entity: hops and the next entity towards the KPI
        Map<String, Integer> hops = new HashMap<>();
        Map<String, String> next = new HashMap<>();
        hops.put(target, 0);
        ArrayDeque<String> queue = new ArrayDeque<>();
        queue.add(target);
        while (!queue.isEmpty()) {
            String b = queue.poll();
            List<String> ps = new ArrayList<>(parents.getOrDefault(b, Set.of()));
            ps.sort(null);
            for (String a : ps) {
                if (hops.containsKey(a)) continue;
                hops.put(a, hops.get(b) + 1);
                next.put(a, b);
                queue.add(a);
            }
        }
        long from = kpi.timestampMs() - validMs;
        long to = kpi.timestampMs() + futureMs;
        long kpiOnset = onsetOf(kpi);
        double tau = Math.max(1000.0, kpi.durationSec() * 1000.0 / 2);

        // the anomalies of every entity in the neighbourhood (parents need them too), by onset
        Map<String, List<AnomalyEvent>> events = new LinkedHashMap<>();
        Map<String, Long> onsets = new HashMap<>();
        for (String id : n.entities().keySet()) {
            if (id.equals(target)) continue;
            List<AnomalyEvent> es = store.between(id, from, to);
            if (es.isEmpty()) continue;
            events.put(id, es);
            long o = Long.MAX_VALUE;
            for (AnomalyEvent e : es) o = Math.min(o, onsetOf(e));
            onsets.put(id, o);
        }
        double maxScore = 0;
        for (String id : events.keySet()) {
            if (!hops.containsKey(id)) continue;
            for (AnomalyEvent e : events.get(id)) maxScore = Math.max(maxScore, finite(e.score()));
        }
        List<RankedCause> out = new ArrayList<>();
        for (Map.Entry<String, List<AnomalyEvent>> en : events.entrySet()) {
            String id = en.getKey();
            Integer h = hops.get(id);
            if (h == null) continue;
            AnomalyEvent best = null;
            long bestOverlap = -1;
            double strongest = 0;
            for (AnomalyEvent e : en.getValue()) {
                strongest = Math.max(strongest, finite(e.score()));
                long ov = Correlation.overlapMs(e, kpi);
                if (ov > bestOverlap || ov == bestOverlap && finite(e.score()) > finite(best.score())) {
                    best = e;
                    bestOverlap = ov;
                }
            }
            double anomaly = maxScore > 0 ? Math.log1p(strongest) / Math.log1p(maxScore) : 0.0;
            double r = Math.abs(Correlation.between(best, kpi));
            double corrPart = Double.isNaN(r) ? 0.5 : r;
            double proximity = 1.0 / h;
            long onset = onsets.get(id);
            double onsetPart = 1.0 / (1.0 + Math.exp(-(kpiOnset - onset) / tau));
            double root = 1.0;
            for (String p : parents.getOrDefault(id, Set.of())) {
                Long po = onsets.get(p);
                if (po != null && po < onset) {
                    root = 0.0;
                    break;
                }
            }
            double score = (weights.anomaly() * anomaly + weights.correlation() * corrPart
                    + weights.proximity() * proximity + weights.onset() * onsetPart + weights.root() * root) / weights.sum();
            List<String> path = new ArrayList<>();
            for (String x = id; x != null; x = next.get(x)) path.add(x);
            out.add(new RankedCause(n.entity(id), best, score, anomaly, r, proximity, onsetPart, root, path));
        }
        out.sort(Comparator.comparingDouble(RankedCause::score).reversed().thenComparing(c -> c.entity().id()));
        return out;
    }

    /** When an event's anomaly began: the start of its window. */
    static long onsetOf(AnomalyEvent e) {
        return e.timestampMs() - e.durationSec() * 1000L;
    }

    private static double finite(double x) {
        return Double.isFinite(x) ? Math.max(0.0, x) : (x > 0 ? 1e6 : 0.0);
    }
}
