package anteater.eval;

import anteater.rca.GraphTopology;
import java.util.List;
import java.util.Map;

/**
 * One generated fault: a topology, every entity's metric series (evenly spaced), the injected root cause and
 * the entities the fault reached (with their causal hop count from the root).
 *
 * @param topology    hosts, cpus, disks, blocks, nics, containers, processes, tcp links, SLIs and their edges
 * @param series      entity id -> metric name -> values
 * @param startMs     time of the first value
 * @param stepMs      spacing of values
 * @param root        the injected root-cause entity
 * @param onsetMs     when the fault began at the root
 * @param affected    entity id -> causal hops from the root (root = 0)
 * @param kpiEntities affected SLIs, nearest first: the KPIs whose anomalies the evaluation explains
 * @param noise       entity ids given unrelated anomalies
 */
public record RcaScenario(GraphTopology topology, Map<String, Map<String, double[]>> series, long startMs, long stepMs,
                          String root, long onsetMs, Map<String, Integer> affected, List<String> kpiEntities,
                          List<String> noise) {
}
