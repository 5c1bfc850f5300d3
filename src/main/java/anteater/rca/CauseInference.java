package anteater.rca;

import anteater.sink.AnomalyEvent;
import java.util.List;

/**
 * One inference, the same for the live engine and the offline evaluation: read the KPI entity's neighbourhood,
 * rank the anomalous neighbours, keep the top k. Failures (topology unreachable, slow, entity missing, snapshot
 * too old, no candidates) come back as a {@link CauseEvent} with a reason, never as an exception; so do a
 * StackOverflowError or OutOfMemoryError of the lookup.
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
        } catch (RuntimeException | StackOverflowError e) {
            return new CauseEvent(kpi, List.of(), null, TopologyException.Reason.UNAVAILABLE.name(),
                    topology.describe() + ": " + e);
        } catch (OutOfMemoryError e) {
            // what ran out was most likely this lookup's answer (a huge neighbourhood); it is garbage now
            return new CauseEvent(kpi, List.of(), null, TopologyException.Reason.UNAVAILABLE.name(),
                    topology.describe() + ": out of memory reading the neighbourhood of " + kpi.entityId()
                            + " within " + depth + " hops (" + e.getMessage() + ")");
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
