package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.rca.CausalRules;
import anteater.rca.Edge;
import anteater.rca.Entity;
import anteater.rca.Neighbourhood;
import anteater.rca.TopologyException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The scenarios behind {@code eval-rca}'s figure, checked against what the generator's documentation promises: the
 * shape of each host's topology, a fault that spreads from the root one causal hop at a time along the rule table,
 * the KPIs as the affected SLIs nearest first, every entity's metrics, a fault visible where it landed and only
 * after its onset, and unrelated anomalies on the entities named as noise.
 */
class RcaScenarioTest {
    private static final int N = RcaScenarioGenerator.WINDOW * RcaScenarioGenerator.WINDOWS;
    private static final CausalRules RULES = CausalRules.defaults();
    private static final Map<String, List<String>> METRICS = Map.of(
            "host", List.of("mem_usage", "load1"), "cpu", List.of("cpu_usage", "cpu_iowait"),
            "disk", List.of("disk_util", "disk_await"), "block", List.of("block_latency"),
            "nic", List.of("nic_drops", "nic_tx_errs"), "container", List.of("container_cpu", "container_mem"),
            "proc", List.of("proc_cpu", "proc_io_wait"), "tcp_link", List.of("tcp_rtt", "tcp_retrans"),
            "sli", List.of("sli_rtt"));

    /** Every edge of the scenario's topology: the union of each host's whole neighbourhood. */
    private static Neighbourhood whole(RcaScenario sc) throws TopologyException {
        Set<Edge> edges = new LinkedHashSet<>();
        for (Entity e : sc.topology().entities().values()) {
            if (e.type().equals("host")) edges.addAll(sc.topology().around(e.id(), sc.startMs(), 100).edges());
        }
        return new Neighbourhood(sc.root(), sc.startMs(), sc.topology().entities(), new ArrayList<>(edges));
    }

    private static List<Edge> edgesFrom(Neighbourhood n, String id, String relation) {
        return n.incident(id).stream().filter(e -> e.from().equals(id) && e.relation().equals(relation)).toList();
    }

    private static double mean(double[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += x[i];
        return s / (to - from);
    }

    private static double sd(double[] x, int from, int to) {
        double m = mean(x, from, to), s = 0;
        for (int i = from; i < to; i++) s += (x[i] - m) * (x[i] - m);
        return Math.sqrt(s / (to - from - 1));
    }

    @Test
    void eachHostHasTheDocumentedShape() throws TopologyException {
        RcaScenarioGenerator g = new RcaScenarioGenerator(RULES);
        Set<Integer> hostCounts = new HashSet<>(), procCounts = new HashSet<>(), containerCounts = new HashSet<>();
        for (long seed = 1; seed <= 40; seed++) {
            RcaScenario sc = g.generate(seed);
            Map<String, Entity> ents = sc.topology().entities();
            Neighbourhood n = whole(sc);
            List<Entity> hosts = ents.values().stream().filter(e -> e.type().equals("host")).toList();
            hostCounts.add(hosts.size());
            for (Entity h : hosts) {
                String m = h.machineId();
                assertEquals(m + "_host", h.id());
                Map<String, Integer> count = new HashMap<>();
                for (Entity e : ents.values()) if (e.machineId().equals(m)) count.merge(e.type(), 1, Integer::sum);
                assertEquals(1, count.get("cpu"));
                assertTrue(between(count.get("disk"), 1, 2) && between(count.get("nic"), 1, 2), count.toString());
                assertTrue(between(count.get("block"), count.get("disk"), 2 * count.get("disk")), count.toString());
                assertTrue(between(count.getOrDefault("container", 0), 0, 2), count.toString());
                assertTrue(between(count.get("proc"), 3, 5), count.toString());
                assertEquals(count.get("proc"), count.get("sli"));
                assertTrue(between(count.get("tcp_link"), count.get("proc"), 2 * count.get("proc")), count.toString());
                procCounts.add(count.get("proc"));
                containerCounts.add(count.getOrDefault("container", 0));
            }
            for (Entity e : ents.values()) {
                String key = e.tags().get("key");
                assertEquals(e.machineId() + "_" + e.type() + (key == null ? "" : "_" + key), e.id());
                assertEquals(e.machineId(), e.tags().get("machine_id"));
                String host = e.machineId() + "_host";
                switch (e.type()) {
                    case "cpu", "disk", "nic" -> assertEquals(List.of(host), targets(edgesFrom(n, e.id(), "belongs_to")), e.id());
                    case "container" -> assertEquals(List.of(host), targets(edgesFrom(n, e.id(), "runs_on")), e.id());
                    case "block" -> {
                        List<String> to = targets(edgesFrom(n, e.id(), "belongs_to"));
                        assertEquals(1, to.size());
                        assertEquals("disk", ents.get(to.get(0)).type());
                        assertTrue(key.startsWith(ents.get(to.get(0)).tags().get("key")), e.id() + " in " + to);
                    }
                    case "proc" -> {
                        assertEquals(List.of(host), targets(edgesFrom(n, e.id(), "runs_on")), e.id());
                        List<String> in = targets(edgesFrom(n, e.id(), "belongs_to"));
                        assertTrue(in.size() <= 1, e.id() + " in " + in);
                        for (String c : in) assertEquals("container", ents.get(c).type());
                        for (String c : in) assertEquals(e.machineId(), ents.get(c).machineId());
                    }
                    case "tcp_link", "sli" -> {
                        List<String> to = targets(edgesFrom(n, e.id(), "belongs_to"));
                        assertEquals(1, to.size(), e.id());
                        assertEquals("proc", ents.get(to.get(0)).type());
                        assertEquals(e.machineId(), ents.get(to.get(0)).machineId());
                        for (Edge p : edgesFrom(n, e.id(), "is_peer")) {
                            assertEquals("tcp_link", ents.get(p.to()).type());
                            assertNotEquals(e.machineId(), ents.get(p.to()).machineId(), "peers are on another host");
                        }
                    }
                    case "host" -> {
                        for (Edge s : edgesFrom(n, e.id(), "store_in")) {
                            assertEquals("host", ents.get(s.to()).type());
                            assertNotEquals(e.id(), s.to());
                        }
                    }
                    default -> throw new AssertionError("unexpected type " + e.type());
                }
            }
        }
        assertEquals(Set.of(2, 3), hostCounts);
        assertEquals(Set.of(3, 4, 5), procCounts);
        assertEquals(Set.of(0, 1, 2), containerCounts);
    }

    private static boolean between(Integer v, int lo, int hi) {
        return v != null && v >= lo && v <= hi;
    }

    private static List<String> targets(List<Edge> edges) {
        return edges.stream().map(Edge::to).toList();
    }

    @Test
    void theFaultSpreadsOneCausalHopAtATime() throws TopologyException {
        RcaScenarioGenerator g = new RcaScenarioGenerator(RULES);
        Set<String> rootTypes = new HashSet<>();
        int partial = 0;
        for (long seed = 1; seed <= 60; seed++) {
            RcaScenario sc = g.generate(seed);
            Map<String, Entity> ents = sc.topology().entities();
            Map<String, Set<String>> parents = RULES.parents(whole(sc));
            rootTypes.add(ents.get(sc.root()).type());
            assertEquals(0, sc.affected().get(sc.root()));
            for (Map.Entry<String, Integer> a : sc.affected().entrySet()) {
                if (a.getKey().equals(sc.root())) continue;
                assertTrue(a.getValue() > 0, a.toString());
                boolean fromParent = parents.getOrDefault(a.getKey(), Set.of()).stream()
                        .anyMatch(p -> Integer.valueOf(a.getValue() - 1).equals(sc.affected().get(p)));
                assertTrue(fromParent, "seed " + seed + ": " + a + " has no affected causal parent one hop nearer the root");
            }
            // an affected entity's causal children not affected: propagation is partial
            for (String a : sc.affected().keySet()) {
                for (Map.Entry<String, Set<String>> c : parents.entrySet()) {
                    if (c.getValue().contains(a) && !sc.affected().containsKey(c.getKey())) partial++;
                }
            }
            List<String> slis = sc.affected().keySet().stream().filter(id -> ents.get(id).type().equals("sli")).toList();
            assertEquals(new HashSet<>(slis), new HashSet<>(sc.kpiEntities()), "seed " + seed);
            assertEquals(slis.size(), sc.kpiEntities().size());
            for (int i = 1; i < sc.kpiEntities().size(); i++) {
                assertTrue(sc.affected().get(sc.kpiEntities().get(i - 1)) <= sc.affected().get(sc.kpiEntities().get(i)),
                        "nearest first: " + sc.kpiEntities());
            }
        }
        assertEquals(Set.of("cpu", "disk", "block", "nic", "host", "container", "proc", "tcp_link"), rootTypes);
        assertTrue(partial > 0, "some causal children are never reached");
    }

    @Test
    void theFaultShowsWhereItLandedAndOnlyAfterItsOnset() {
        RcaScenarioGenerator g = new RcaScenarioGenerator(RULES);
        long step = RcaScenarioGenerator.STEP_MS;
        int w = RcaScenarioGenerator.WINDOW;
        Set<Integer> onsetWindows = new HashSet<>();
        for (long seed = 1; seed <= 60; seed++) {
            RcaScenario sc = g.generate(seed);
            assertEquals(step, sc.stepMs());
            assertEquals(1_700_000_000_000L, sc.startMs());
            int onset = (int) ((sc.onsetMs() - sc.startMs()) / step);
            assertEquals(0, (sc.onsetMs() - sc.startMs()) % step);
            onsetWindows.add(onset / w);
            assertTrue(onset >= 36 * w && onset < 46 * w, "onset row " + onset);
            Set<String> noise = new HashSet<>(sc.noise());
            assertTrue(sc.noise().size() >= 3 && sc.noise().size() <= 6, sc.noise().toString());
            for (Entity e : sc.topology().entities().values()) {
                Map<String, double[]> ms = sc.series().get(e.id());
                assertEquals(METRICS.get(e.type()), new ArrayList<>(ms.keySet()), e.id());
                for (double[] x : ms.values()) assertEquals(N, x.length);
                if (noise.contains(e.id())) continue;
                Integer hop = sc.affected().get(e.id());
                double[] x = ms.values().iterator().next();
                // the 20 windows before the fault are noise: their level and spread as the first 20 windows'
                double before = mean(x, onset - 20 * w, onset), sd = sd(x, 0, 20 * w);
                double base = mean(x, 0, 20 * w);
                assertTrue(Math.abs(before - base) < sd, e.id() + " moved before the onset");
                assertTrue(sd > 0.8 && sd < 6.5, e.id() + " sd " + sd);
                double after = mean(x, onset + 90 / 10 * (hop == null ? 0 : hop) + 12, N);
                if (hop == null) {
                    assertTrue(Math.abs(after - before) < sd, "seed " + seed + ": unaffected " + e.id() + " moved");
                } else if (hop <= 1) {
                    // 4 to 8 spreads, attenuated at most to 0.6 a hop, times the severity (about 1 on average)
                    assertTrue(after - before > 1.2 * sd, "seed " + seed + ": " + e.id() + " (hop " + hop + ") rose "
                            + (after - before) / sd + " spreads");
                }
            }
            // deterministic per seed
            RcaScenario again = g.generate(seed);
            assertEquals(sc.root(), again.root());
            assertEquals(sc.affected(), again.affected());
            assertArrayEquals(sc.series().get(sc.root()).values().iterator().next(),
                    again.series().get(sc.root()).values().iterator().next());
        }
        assertTrue(onsetWindows.size() >= 8, "onsets spread over windows 36 to 45: " + onsetWindows);
    }

    @Test
    void unrelatedAnomaliesLandOnTheNoiseEntities() {
        RcaScenarioGenerator g = new RcaScenarioGenerator(RULES);
        int w = RcaScenarioGenerator.WINDOW, seen = 0, unaffectedNoise = 0;
        for (long seed = 1; seed <= 60; seed++) {
            RcaScenario sc = g.generate(seed);
            int onset = (int) ((sc.onsetMs() - sc.startMs()) / sc.stepMs());
            for (String id : new LinkedHashSet<>(sc.noise())) {
                if (sc.affected().containsKey(id)) continue;
                unaffectedNoise++;
                // some window from 10 before the fault to 4 after departs from the entity's early level on one metric
                boolean found = false;
                for (double[] x : sc.series().get(id).values()) {
                    double base = mean(x, 0, 20 * w), sd = sd(x, 0, 20 * w);
                    for (int k = Math.max(0, onset / w - 11); k <= Math.min(RcaScenarioGenerator.WINDOWS - 1, onset / w + 5); k++) {
                        double dev = 0;
                        for (int i = k * w; i < (k + 1) * w; i++) dev = Math.max(dev, Math.abs(x[i] - base));
                        if (dev > 3 * sd) found = true;
                    }
                }
                if (found) seen++;
            }
        }
        assertTrue(unaffectedNoise > 100, "noise entities " + unaffectedNoise);
        assertTrue(seen >= unaffectedNoise * 9 / 10, seen + " of " + unaffectedNoise + " noise entities show an anomaly");
    }
}
