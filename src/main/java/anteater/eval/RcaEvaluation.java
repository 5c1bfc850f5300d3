package anteater.eval;

import anteater.detect.Anomaly;
import anteater.detect.Detector;
import anteater.detect.OptionException;
import anteater.detect.Options;
import anteater.detect.TTestDetector;
import anteater.detect.Verdict;
import anteater.detect.Window;
import anteater.rca.AnomalyStore;
import anteater.rca.CauseEvent;
import anteater.rca.CauseInference;
import anteater.rca.CausalRules;
import anteater.rca.Entity;
import anteater.rca.RankedCause;
import anteater.rca.RcaConfig;
import anteater.sink.AnomalyEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Offline evaluation of the RCA ranking: for each generated scenario, detect anomalies in every series with the
 * t-test detector (windows of {@link RcaScenarioGenerator#WINDOW} points), take the first anomaly of an affected
 * SLI at or after the fault as the KPI event, store the anomalies the live engine would have seen by then
 * (up to t + future), and run the live path's {@link CauseInference} on the scenario's topology. A hit is the
 * injected root among the first k cause entities. Scenarios whose KPI anomaly is never detected count as misses.
 */
public final class RcaEvaluation {

    /** One scenario's outcome: rank of the root among the causes (1-based, 0 = absent), -1 = no KPI detected. */
    public record Outcome(long seed, String rootType, int rank, boolean rootDetected, int candidates, String failure) {
    }

    private final RcaConfig cfg;
    private final double alpha;
    private final RcaScenarioGenerator generator;

    public RcaEvaluation(RcaConfig cfg, double alpha) {
        this.cfg = cfg;
        this.alpha = alpha;
        this.generator = new RcaScenarioGenerator(CausalRules.parse(cfg.rules()));
    }

    /** A scenario with its detected anomalies: the KPI event (null if never detected) and the store at inference. */
    public record Case(long seed, RcaScenario scenario, AnomalyEvent kpi, AnomalyStore store) {
    }

    public Outcome run(long seed) {
        return judge(prepare(seed), cfg.ranker());
    }

    /** Generates the scenario and detects its anomalies, as the live engine would have stored them by inference. */
    public Case prepare(long seed) {
        RcaScenario sc = generator.generate(seed);
        List<AnomalyEvent> events = detect(sc);
        AnomalyEvent kpi = events.stream()
                .filter(e -> sc.kpiEntities().contains(e.entityId()) && e.timestampMs() >= sc.onsetMs())
                .min(Comparator.comparingLong(AnomalyEvent::timestampMs)
                        .thenComparingInt(e -> sc.affected().get(e.entityId())))
                .orElse(null);
        if (kpi == null) return new Case(seed, sc, null, null);
        long until = kpi.timestampMs() + cfg.future().toMillis();
        AnomalyStore store = new AnomalyStore(100_000, 64, cfg.valid().toMillis() + cfg.future().toMillis() + 60_000);
        for (AnomalyEvent e : events) if (e.timestampMs() <= until) store.add(e);
        return new Case(seed, sc, kpi, store);
    }

    /** Runs the live inference on a prepared case with the given ranker. */
    public Outcome judge(Case c, anteater.rca.CauseRanker ranker) {
        RcaScenario sc = c.scenario();
        String rootType = sc.topology().entities().get(sc.root()).type();
        if (c.kpi() == null) return new Outcome(c.seed(), rootType, -1, false, 0, "KPI not detected");
        AnomalyEvent kpi = c.kpi();
        boolean rootDetected = !c.store().between(sc.root(), kpi.timestampMs() - cfg.valid().toMillis(),
                kpi.timestampMs() + cfg.future().toMillis()).isEmpty();
        CauseInference inf = new CauseInference(sc.topology(), ranker, cfg.depth(), Math.max(3, cfg.topK()));
        CauseEvent ce = inf.infer(kpi, c.store());
        int rank = 0;
        for (int i = 0; i < ce.causes().size(); i++) {
            if (ce.causes().get(i).entity().id().equals(sc.root())) {
                rank = i + 1;
                break;
            }
        }
        return new Outcome(c.seed(), rootType, rank, rootDetected, ce.causes().size(), ce.failure());
    }

    /**
     * The cause list of a prepared case, for a readable trace: each line with the truth (hops from the root). Reads the
     * case's store, as {@link #judge} does, with the first 10 causes.
     */
    public List<String> explain(Case c) {
        RcaScenario sc = c.scenario();
        AnomalyEvent kpi = c.kpi();
        List<String> out = new ArrayList<>();
        out.add("root " + sc.root() + ", fault at +" + (sc.onsetMs() - sc.startMs()) / 1000 + " s, KPI "
                + (kpi == null ? "not detected" : kpi.metric() + " of " + kpi.entityId() + " onset "
                + (anteater.rca.Onset.of(kpi) - sc.onsetMs()) / 1000 + " s after the fault"));
        if (kpi == null) return out;
        AnomalyStore store = c.store();
        for (RankedCause rc : new CauseInference(sc.topology(), cfg.ranker(), cfg.depth(), 10).infer(kpi, store).causes()) {
            Integer hop = sc.affected().get(rc.entity().id());
            long onset = anteater.rca.Onset.of(store.between(rc.entity().id(), kpi.timestampMs() - cfg.valid().toMillis(),
                    kpi.timestampMs() + cfg.future().toMillis()).get(0));
            out.add(String.format(java.util.Locale.ROOT,
                    "  %-20s %-14s score %.3f | a %.2f r %.2f p %.2f o %.2f root %.0f reach %.2f close %.2f live %.0f"
                    + " coh %.2f | truth %s, onset %+d s%s",
                    rc.entity().id(), rc.event().metric(), rc.score(), rc.anomaly(), rc.correlation(), rc.proximity(),
                    rc.onset(), rc.root(), rc.reach(), rc.closeness(), rc.live(), rc.coherence(), hop == null ? "unaffected" : "hop " + hop, (onset - sc.onsetMs()) / 1000,
                    sc.noise().contains(rc.entity().id()) ? " (+noise)" : ""));
        }
        return out;
    }

    /** Runs the t-test on every (entity, metric) series window by window; anomalous windows become events. */
    List<AnomalyEvent> detect(RcaScenario sc) {
        Detector d;
        try {
            d = TTestDetector.create(Options.of("field", "value", "size", (long) RcaScenarioGenerator.WINDOW * 20,
                    "alpha", alpha, "maxGroups", 100_000L));
        } catch (OptionException e) {
            throw new IllegalStateException(e);
        }
        List<AnomalyEvent> out = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        Map<String, Entity> ents = sc.topology().entities();
        for (Map.Entry<String, Map<String, double[]>> en : sc.series().entrySet()) {
            Entity ent = ents.get(en.getKey());
            for (Map.Entry<String, double[]> m : en.getValue().entrySet()) {
                double[] x = m.getValue();
                Map<String, String> tags = new LinkedHashMap<>(ent.tags());
                tags.put("entity", ent.id());
                for (int w = 0; w + RcaScenarioGenerator.WINDOW <= x.length; w += RcaScenarioGenerator.WINDOW) {
                    Window win = new Window(m.getKey(), ent.id() + "|" + m.getKey(), tags, false, RcaScenarioGenerator.WINDOW);
                    long tmax = 0;
                    for (int i = w; i < w + RcaScenarioGenerator.WINDOW; i++) {
                        long tNs = (sc.startMs() + i * sc.stepMs()) * 1_000_000L;
                        win.notePoint(tNs);
                        win.add("value", tNs, x[i]);
                        tmax = tNs;
                    }
                    win.end(m.getKey(), ent.id() + "|" + m.getKey(), tags, false, tmax);
                    verdicts.clear();
                    d.process(win, verdicts);
                    for (Verdict v : verdicts) {
                        Anomaly a = v.anomaly();
                        if (a == null) continue;
                        long ts = a.timeNs() / 1_000_000L;
                        out.add(new AnomalyEvent(ts, ent.id(), ts + "_" + ent.id(), ent.type().equals("sli") ? "app" : "sys",
                                ent.machineId(), m.getKey(), m.getKey(), tags, a.score(), a.anomalyCount(), a.totalCount(),
                                a.durationSec(), a.contributions(), a.description(), "ttest", a.values()));
                    }
                }
            }
        }
        out.sort(Comparator.comparingLong(AnomalyEvent::timestampMs));
        return out;
    }
}
