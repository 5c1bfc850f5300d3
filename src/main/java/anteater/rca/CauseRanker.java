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
 * <li>anomaly: its strongest anomaly score over the strongest candidate's (a plain ratio: the scores of
 *     different detectors are not brought to one scale); a strong anomaly is more likely a fault than a ripple;</li>
 * <li>correlation: |Pearson r| of its values with the KPI's over the time both windows cover; a cause moves
 *     with its effect, an unrelated anomaly that happens to be near in time does not (0.5 when unknown,
 *     e.g. events read from Kafka carry no values; 0 when both have values but their windows do not meet);</li>
 * <li>proximity: 1 / causal hops to the KPI; long chains are less likely and more often coincidence;</li>
 * <li>onset: whether its anomaly began before the KPI's, logistic in the difference over half the KPI window's
 *     length; a cause precedes its effect. An entity's onset is that of its current episode ({@link
 *     Onset#episode}: the run of adjacent anomalous windows around the one that best overlaps the KPI), so an
 *     earlier, separate anomaly of the same entity does not count;</li>
 * <li>root: 0 if one of its own causal parents was abnormal when it began, having surely begun before it (the
 *     onset intervals do not overlap), else 1;
 *     what follows an earlier anomaly upstream is more likely a symptom than the root.</li>
 * <li>reach: the share of the other abnormal entities (those that can reach the KPI, and the KPI itself) that it
 *     reaches along causal edges through abnormal entities; a root cause explains the whole incident, a symptom
 *     only what lies below it, an unrelated anomaly little.</li>
 * <li>closeness: the sum of 1 / hops to each abnormal entity it reaches that way, over their number; a root is
 *     near what it explains (its direct effects are abnormal), a symptom reaches the rest through longer chains;</li>
 * <li>live: 1 if one of its anomalies overlaps the KPI's window in time, else 0; a cause is still abnormal while
 *     its effect is, an anomaly that ended before the KPI's began explains nothing of it;</li>
 * <li>coherence: the mean |Pearson r| of its anomaly with each other abnormal entity's (and the KPI's), pooled
 *     over every window the two share ({@link Correlation#pooled}). The entities of one incident follow one
 *     fault; each hop adds its own noise and attenuates the fault, so the root carries it most clearly and
 *     correlates best with all the others. This is what orders a loop of rules (disk -> block -> proc -> disk on
 *     a host), where reach is equal for all members and window-level onsets are mostly equal too.</li>
 * </ul>
 * Default weights (anomaly .4, correlation 0, proximity .05, onset .1, root .2, reach .8, closeness .2, live .4,
 * coherence .8) were chosen on the eval-rca scenarios with seeds 1..200 and are reported on other seeds.
 * Correlation with the KPI alone is a special case of coherence and has weight 0 (still published in the score
 * parts). Proximity has a small weight because a root is by nature farther from the KPI than its symptoms; it
 * breaks ties towards short, likelier chains.
 */
public final class CauseRanker {

    /** Weights of the score's parts; they need not sum to 1 (the score is divided by their sum). */
    public record Weights(double anomaly, double correlation, double proximity, double onset, double root, double reach,
                          double closeness, double live, double coherence) {
        public static final Weights DEFAULT = new Weights(0.4, 0.0, 0.05, 0.1, 0.2, 0.8, 0.2, 0.4, 0.8);

        public Weights {
            if (anomaly < 0 || correlation < 0 || proximity < 0 || onset < 0 || root < 0 || reach < 0
                    || closeness < 0 || live < 0 || coherence < 0 || sum(anomaly, correlation, proximity, onset, root,
                    reach, closeness, live, coherence) <= 0) {
                throw new IllegalArgumentException("weights must be >= 0 with a positive sum");
            }
        }

        private static double sum(double... ws) {
            double s = 0;
            for (double w : ws) s += w;
            return s;
        }

        double sum() {
            return sum(anomaly, correlation, proximity, onset, root, reach, closeness, live, coherence);
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
        List<AnomalyEvent> kpiEvents = store.between(target, from, to);
        long[] kpiIv = Onset.episode(kpiEvents, kpi, gapMs(kpi));
        long kpiOnset = (kpiIv[0] + kpiIv[1]) / 2;
        double tau = Math.max(1000.0, kpi.durationSec() * 1000.0 / 2);

        // the anomalies of every entity in the neighbourhood (parents need them too), by onset
        Map<String, List<AnomalyEvent>> events = new LinkedHashMap<>();
        Map<String, Long> onsets = new HashMap<>();
        Map<String, long[]> starts = new HashMap<>();
        for (String id : n.entities().keySet()) {
            if (id.equals(target)) continue;
            List<AnomalyEvent> es = store.between(id, from, to);
            if (es.isEmpty()) continue;
            events.put(id, es);
            long[] iv = Onset.episode(es, anchor(es, kpi), gapMs(kpi));
            onsets.put(id, (iv[0] + iv[1]) / 2);
            starts.put(id, iv);
        }
        double maxScore = 0;
        for (String id : events.keySet()) {
            if (!hops.containsKey(id)) continue;
            for (AnomalyEvent e : events.get(id)) maxScore = Math.max(maxScore, finite(e.score()));
        }
        // the anomalous entities that can reach the KPI, plus the KPI: what a root cause should explain
        Map<String, List<String>> children = new HashMap<>();
        for (Map.Entry<String, Set<String>> pe : parents.entrySet()) {
            for (String a : pe.getValue()) children.computeIfAbsent(a, k -> new ArrayList<>()).add(pe.getKey());
        }
        Set<String> abnormal = new java.util.HashSet<>();
        for (String id : events.keySet()) if (hops.containsKey(id)) abnormal.add(id);
        abnormal.add(target);
        // each abnormal entity's anomaly as a signal: the events of the metric that best overlaps the KPI
        Map<String, List<AnomalyEvent>> signal = new HashMap<>();
        for (String id : abnormal) {
            List<AnomalyEvent> es = id.equals(target) ? withKpi(kpiEvents, kpi) : events.get(id);
            String metric = (id.equals(target) ? kpi : anchor(es, kpi)).metric();
            signal.put(id, es.stream().filter(e -> e.metric().equals(metric)).toList());
        }
        List<String> members = new ArrayList<>(abnormal);
        members.sort(null);
        Map<String, Double> coherence = new HashMap<>();
        for (String id : members) {
            double sum = 0;
            int k = 0;
            for (String j : members) {
                if (j.equals(id)) continue;
                double r = Correlation.pooled(signal.get(id), signal.get(j));
                if (Double.isNaN(r)) continue;
                sum += Math.abs(r);
                k++;
            }
            coherence.put(id, k == 0 ? 0.0 : sum / k);
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
            double anomaly = maxScore > 0 ? strongest / maxScore : 0.0;
            double r = Math.abs(Correlation.between(best, kpi));
            boolean unknown = best.values() == null || best.values().length == 0 || kpi.values() == null || kpi.values().length == 0;
            double corrPart = Double.isNaN(r) ? (unknown ? 0.5 : 0.0) : r;
            double proximity = 1.0 / h;
            double live = bestOverlap > 0 ? 1.0 : 0.0;
            long onset = onsets.get(id);
            double onsetPart = 1.0 / (1.0 + Math.exp(-(kpiOnset - onset) / tau));
            double root = 1.0;
            long[] mine = starts.get(id);
            for (String p : parents.getOrDefault(id, Set.of())) {
                long[] po = starts.get(p);
                if (po != null && po[1] < mine[0] && coversTime(events.get(p), mine[0])) {
                    root = 0.0;
                    break;
                }
            }
            double reach = reach(id, children, abnormal) / (double) (abnormal.size() - 1);
            Map<String, Integer> dist = distances(id, children, abnormal);
            double closeness = 0;
            for (Map.Entry<String, Integer> de : dist.entrySet()) if (de.getValue() > 0) closeness += 1.0 / de.getValue();
            closeness /= (abnormal.size() - 1);
            double coherent = coherence.get(id);
            double score = (weights.anomaly() * anomaly + weights.correlation() * corrPart
                    + weights.proximity() * proximity + weights.onset() * onsetPart + weights.root() * root
                    + weights.reach() * reach + weights.closeness() * closeness
                    + weights.live() * live + weights.coherence() * coherent) / weights.sum();
            List<String> path = new ArrayList<>();
            for (String x = id; x != null; x = next.get(x)) path.add(x);
            out.add(new RankedCause(n.entity(id), best, score, anomaly, r, proximity, onsetPart, root, reach, path, closeness, live, coherent));
        }
        out.sort(Comparator.comparingDouble(RankedCause::score).reversed().thenComparing(c -> c.entity().id()));
        return out;
    }

    /** How many other abnormal entities {@code id} reaches along causal edges through abnormal entities. */
    private static int reach(String id, Map<String, List<String>> children, Set<String> abnormal) {
        Set<String> seen = new java.util.HashSet<>();
        seen.add(id);
        ArrayDeque<String> q = new ArrayDeque<>(List.of(id));
        while (!q.isEmpty()) {
            for (String c : children.getOrDefault(q.poll(), List.of())) {
                if (abnormal.contains(c) && seen.add(c)) q.add(c);
            }
        }
        return seen.size() - 1;
    }

    private static List<AnomalyEvent> withKpi(List<AnomalyEvent> es, AnomalyEvent kpi) {
        if (es.contains(kpi)) return es;
        List<AnomalyEvent> out = new ArrayList<>(es);
        out.add(kpi);
        out.sort(Comparator.comparingLong(AnomalyEvent::timestampMs));
        return out;
    }

    /** GAP_WINDOWS of the KPI's window length: how far apart two windows of one episode may be. */
    static final double GAP_WINDOWS = 0.5;

    private static long gapMs(AnomalyEvent kpi) {
        return Math.round(GAP_WINDOWS * Math.max(1, kpi.durationSec()) * 1000.0);
    }

    /** The event of {@code es} that overlaps the KPI's window most (then the nearest in time, then the strongest). */
    static AnomalyEvent anchor(List<AnomalyEvent> es, AnomalyEvent kpi) {
        AnomalyEvent best = null;
        long bestKey = Long.MIN_VALUE;
        for (AnomalyEvent e : es) {
            long ov = Correlation.overlapMs(e, kpi);
            long key = ov > 0 ? ov : -Math.abs(e.timestampMs() - kpi.timestampMs());
            if (best == null || key > bestKey || key == bestKey && finite(e.score()) > finite(best.score())) {
                best = e;
                bestKey = key;
            }
        }
        return best;
    }

    /** Causal hops from {@code id} to each abnormal entity it reaches through abnormal entities (itself at 0). */
    static Map<String, Integer> distances(String id, Map<String, List<String>> children, Set<String> abnormal) {
        Map<String, Integer> d = new HashMap<>();
        d.put(id, 0);
        ArrayDeque<String> q = new ArrayDeque<>(List.of(id));
        while (!q.isEmpty()) {
            String a = q.poll();
            for (String c : children.getOrDefault(a, List.of())) {
                if (abnormal.contains(c) && !d.containsKey(c)) {
                    d.put(c, d.get(a) + 1);
                    q.add(c);
                }
            }
        }
        return d;
    }

    /** Whether one of the events' windows covers time t: the parent was still abnormal when the child began. */
    private static boolean coversTime(List<AnomalyEvent> es, long t) {
        for (AnomalyEvent e : es) {
            if (e.timestampMs() - e.durationSec() * 1000L <= t && t <= e.timestampMs()) return true;
        }
        return false;
    }

    private static double finite(double x) {
        return Double.isFinite(x) ? Math.max(0.0, x) : (x > 0 ? 1e6 : 0.0);
    }
}
