package anteater.rca;

import anteater.sink.AnomalyEvent;
import java.util.List;

/**
 * One inference, the same for the live engine and the offline evaluation: read the KPI entity's neighbourhood,
 * rank the anomalous neighbours, keep the top k. Failures (topology unreachable, slow, entity missing, snapshot
 * too old, no candidates) come back as a {@link CauseEvent} with a reason, never as an exception.
 */
public final class CauseInference {
    public static final String NO_CANDIDATES = "NO_CANDIDATES";

    private final Topology topology;
    private final CauseRanker ranker;
    private final int depth;
    private final int topK;

    public CauseInference(Topology topology, CauseRanker ranker, int depth, int topK) {
        this.topology = topology;
        this.ranker = ranker;
        this.depth = depth;
        this.topK = topK;
    }

    public CauseEvent infer(AnomalyEvent kpi, AnomalyStore store) {
        Neighbourhood n;
        try {
            n = topology.around(kpi.entityId(), kpi.timestampMs(), depth);
        } catch (TopologyException e) {
            return new CauseEvent(kpi, List.of(), null, e.reason().name(), e.getMessage());
        } catch (RuntimeException e) {
            return new CauseEvent(kpi, List.of(), null, TopologyException.Reason.UNAVAILABLE.name(),
                    topology.describe() + ": " + e);
        }
        List<RankedCause> ranked = ranker.rank(kpi, n, store);
        if (ranked.isEmpty()) {
            return new CauseEvent(kpi, List.of(), n, NO_CANDIDATES, "no neighbour within " + depth
                    + " hops that can cause it had an anomaly in the window");
        }
        return new CauseEvent(kpi, List.copyOf(ranked.subList(0, Math.min(topK, ranked.size()))), n, null, "");
    }

    public Topology topology() {
        return topology;
    }
}
