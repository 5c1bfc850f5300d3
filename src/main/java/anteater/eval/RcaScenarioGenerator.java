package anteater.eval;

import anteater.rca.CausalRules;
import anteater.rca.Edge;
import anteater.rca.Entity;
import anteater.rca.GraphTopology;
import anteater.rca.Neighbourhood;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates RCA scenarios: 2-3 hosts with a cpu, disks with blocks, nics, containers, processes (some inside
 * containers), each process with tcp links and an SLI; tcp links peer across hosts, hosts may store_in each other.
 * Every entity has metrics with AR(1) noise. A fault is injected at a random root (cpu, disk, block, nic, host,
 * container, proc or tcp_link) and propagates along the causal rules, each hop taken with a probability (lower
 * for host-wide rules: a busy cpu slows some processes, not all), with a delay and an attenuation per hop; the
 * affected metrics follow one shared fault profile (a step with fluctuating severity) plus their own noise. Then
 * unrelated anomalies (level shifts and spikes of 1-4 windows) land on random entities around the fault's time.
 *
 * <p>The propagation uses the same causal rules the ranker is given: this measures the ranking under the rule
 * table's assumptions, with detection noise, attenuation, partial propagation and distractors; it says nothing
 * of faults that break the rules.
 */
public final class RcaScenarioGenerator {
    public static final long STEP_MS = 10_000;
    public static final int WINDOW = 18;
    public static final int WINDOWS = 60;
    private static final long START_MS = 1_700_000_000_000L;
    private static final String[] ROOT_TYPES = {"cpu", "disk", "block", "nic", "host", "container", "proc", "tcp_link"};
    private static final Map<String, String[]> METRICS = Map.of(
            "host", new String[] {"mem_usage", "load1"},
            "cpu", new String[] {"cpu_usage", "cpu_iowait"},
            "disk", new String[] {"disk_util", "disk_await"},
            "block", new String[] {"block_latency"},
            "nic", new String[] {"nic_drops", "nic_tx_errs"},
            "container", new String[] {"container_cpu", "container_mem"},
            "proc", new String[] {"proc_cpu", "proc_io_wait"},
            "tcp_link", new String[] {"tcp_rtt", "tcp_retrans"},
            "sli", new String[] {"sli_rtt"});

    private final CausalRules rules;

    public RcaScenarioGenerator(CausalRules rules) {
        this.rules = rules;
    }

    public RcaScenario generate(long seed) {
        Random rnd = new Random(mixed(seed));
        Map<String, Entity> ents = new LinkedHashMap<>();
        List<Edge> edges = new ArrayList<>();
        int hosts = 2 + rnd.nextInt(2);
        List<String> hostIds = new ArrayList<>();
        List<String> links = new ArrayList<>();
        for (int h = 1; h <= hosts; h++) {
            String m = "m" + h;
            String host = add(ents, m, "host", "");
            hostIds.add(host);
            edges.add(new Edge(add(ents, m, "cpu", "0"), host, "belongs_to"));
            int disks = 1 + rnd.nextInt(2);
            for (int d = 0; d < disks; d++) {
                String disk = add(ents, m, "disk", "sd" + (char) ('a' + d));
                edges.add(new Edge(disk, host, "belongs_to"));
                int blocks = 1 + rnd.nextInt(2);
                for (int b = 1; b <= blocks; b++) edges.add(new Edge(add(ents, m, "block", "sd" + (char) ('a' + d) + b), disk, "belongs_to"));
            }
            int nics = 1 + rnd.nextInt(2);
            for (int n = 0; n < nics; n++) edges.add(new Edge(add(ents, m, "nic", "eth" + n), host, "belongs_to"));
            List<String> containers = new ArrayList<>();
            int cs = rnd.nextInt(3);
            for (int c = 0; c < cs; c++) {
                String ct = add(ents, m, "container", "c" + c);
                containers.add(ct);
                edges.add(new Edge(ct, host, "runs_on"));
            }
            int procs = 3 + rnd.nextInt(3);
            for (int p = 0; p < procs; p++) {
                String pid = String.valueOf(100 + p);
                String proc = add(ents, m, "proc", pid);
                edges.add(new Edge(proc, host, "runs_on"));
                if (!containers.isEmpty() && rnd.nextBoolean()) {
                    edges.add(new Edge(proc, containers.get(rnd.nextInt(containers.size())), "belongs_to"));
                }
                int tl = 1 + rnd.nextInt(2);
                for (int l = 0; l < tl; l++) {
                    String link = add(ents, m, "tcp_link", pid + "_" + l);
                    links.add(link);
                    edges.add(new Edge(link, proc, "belongs_to"));
                }
                edges.add(new Edge(add(ents, m, "sli", pid), proc, "belongs_to"));
            }
        }
        for (int i = 0; i < links.size(); i++) {
            String a = links.get(i), b = links.get(rnd.nextInt(links.size()));
            if (!ents.get(a).machineId().equals(ents.get(b).machineId()) && rnd.nextDouble() < 0.5) edges.add(new Edge(a, b, "is_peer"));
        }
        for (String a : hostIds) {
            for (String b : hostIds) if (!a.equals(b) && rnd.nextDouble() < 0.2) edges.add(new Edge(a, b, "store_in"));
        }
        GraphTopology topo = new GraphTopology(ents, edges, "scenario " + seed);
        Neighbourhood whole = new Neighbourhood(hostIds.get(0), START_MS, ents, edges);
        Map<String, Set<String>> parents = rules.parents(whole);
        Map<String, List<String>> children = new HashMap<>();
        parents.forEach((b, ps) -> ps.forEach(a -> children.computeIfAbsent(a, k -> new ArrayList<>()).add(b)));
        for (List<String> l : children.values()) l.sort(null);

        // the fault: a root whose propagation reaches at least one SLI
        String root = null;
        Map<String, Integer> hops = null;
        Map<String, Long> delay = null;
        Map<String, Double> gain = null;
        for (int attempt = 0; attempt < 1000 && root == null; attempt++) {
            String type = ROOT_TYPES[rnd.nextInt(ROOT_TYPES.length)];
            List<String> ofType = ents.values().stream().filter(e -> e.type().equals(type)).map(Entity::id).toList();
            if (ofType.isEmpty()) continue;
            String r = ofType.get(rnd.nextInt(ofType.size()));
            hops = new LinkedHashMap<>();
            delay = new HashMap<>();
            gain = new HashMap<>();
            hops.put(r, 0);
            delay.put(r, 0L);
            gain.put(r, 1.0);
            ArrayDeque<String> q = new ArrayDeque<>(List.of(r));
            while (!q.isEmpty()) {
                String a = q.poll();
                for (String b : children.getOrDefault(a, List.of())) {
                    if (hops.containsKey(b)) continue;
                    boolean broad = isBroad(ents.get(a).type(), ents.get(b).type());
                    if (rnd.nextDouble() > (broad ? 0.5 : 0.9)) continue;
                    hops.put(b, hops.get(a) + 1);
                    delay.put(b, delay.get(a) + (long) (rnd.nextDouble() * 90_000));
                    gain.put(b, gain.get(a) * (0.6 + 0.3 * rnd.nextDouble()));
                    q.add(b);
                }
            }
            boolean reachesSli = hops.keySet().stream().anyMatch(id -> ents.get(id).type().equals("sli"));
            if (reachesSli) root = r;
        }
        if (root == null) throw new IllegalStateException("no fault reaching an SLI in scenario " + seed);

        int n = WINDOW * WINDOWS;
        long onsetMs = START_MS + (long) ((WINDOW * (36 + rnd.nextInt(10)) + rnd.nextInt(WINDOW)) * STEP_MS);
        // the shared fault profile: severity ramps up over a minute and fluctuates (a mean-reverting walk)
        double[] profile = new double[n + 200];
        double s = 1.0;
        for (int i = 0; i < profile.length; i++) {
            s += 0.3 * (1.0 - s) + 0.35 * rnd.nextGaussian();
            profile[i] = Math.max(0.1, s);
        }
        Map<String, Map<String, double[]>> series = new LinkedHashMap<>();
        for (Entity e : ents.values()) {
            Map<String, double[]> ms = new LinkedHashMap<>();
            String[] names = METRICS.getOrDefault(e.type(), new String[] {"value"});
            for (int k = 0; k < names.length; k++) {
                double mu = 20 + 60 * rnd.nextDouble(), sigma = 1 + 4 * rnd.nextDouble();
                double[] x = new double[n];
                double ar = 0;
                for (int i = 0; i < n; i++) {
                    ar = 0.3 * ar + rnd.nextGaussian();
                    x[i] = mu + sigma * ar;
                }
                Integer h = hops.get(e.id());
                // an affected entity shows the fault on its first metric, sometimes on the second too
                if (h != null && (k == 0 || rnd.nextDouble() < 0.4)) {
                    double amp = (4 + 4 * rnd.nextDouble()) * gain.get(e.id()) * sigma;
                    // the entity joins the fault after its delay (ramping up over a minute); from then on it
                    // follows the fault's severity at the same moment (fluctuations travel fast, onsets do not)
                    long start = onsetMs + delay.get(e.id());
                    for (int i = 0; i < n; i++) {
                        long t = START_MS + i * STEP_MS;
                        if (t < start) continue;
                        double ramp = Math.min(1.0, ((t - start) / STEP_MS + 1) / 6.0);
                        x[i] += amp * ramp * profile[(int) ((t - onsetMs) / STEP_MS)];
                    }
                }
                ms.put(names[k], x);
            }
            series.put(e.id(), ms);
        }
        // unrelated anomalies on random entities, from 10 windows before the fault to 4 after
        List<String> all = new ArrayList<>(ents.keySet());
        List<String> noise = new ArrayList<>();
        int count = 3 + rnd.nextInt(4);
        for (int c = 0; c < count; c++) {
            String id = all.get(rnd.nextInt(all.size()));
            noise.add(id);
            Map<String, double[]> ms = series.get(id);
            String metric = new ArrayList<>(ms.keySet()).get(rnd.nextInt(ms.size()));
            double[] x = ms.get(metric);
            double sd = Math.sqrt(anteater.detect.Stats.meanAndVariance(x, WINDOW * 20)[1]);
            int at = (int) ((onsetMs - START_MS) / STEP_MS) + (int) ((rnd.nextDouble() * 14 - 10) * WINDOW);
            int len = WINDOW * (1 + rnd.nextInt(4));
            boolean spike = rnd.nextBoolean();
            double amp = (3 + 5 * rnd.nextDouble()) * sd * (rnd.nextBoolean() ? 1 : -1);
            for (int i = Math.max(0, at); i < Math.min(n, at + len); i++) {
                x[i] += spike ? (rnd.nextDouble() < 0.3 ? 2 * amp : 0) : amp;
            }
        }
        Map<String, Integer> affected = hops;
        List<String> slis = affected.keySet().stream().filter(id -> ents.get(id).type().equals("sli"))
                .sorted((a, b) -> Integer.compare(affected.get(a), affected.get(b))).toList();
        return new RcaScenario(topo, series, START_MS, STEP_MS, root, onsetMs, affected, slis, noise);
    }

    /**
     * The seed scrambled by SplitMix64's finaliser. {@code java.util.Random}'s first draws of consecutive seeds are
     * nearly the same: seeded with 1..200, 1001..1200 and 2001..2500 as they are, every scenario had 3 hosts (the first
     * draw), none 2.
     */
    static long mixed(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Rules of host scope: a host-wide resource reaches only some of the host's processes. */
    private boolean isBroad(String causeType, String effectType) {
        for (var r : rules.rules()) {
            if (r.cause().equals(causeType) && r.effect().equals(effectType)) {
                return r.scope() == anteater.rca.CausalRule.Scope.HOST || r.scope() == anteater.rca.CausalRule.Scope.RELATION;
            }
        }
        return false;
    }

    private static String add(Map<String, Entity> ents, String machine, String type, String key) {
        String id = key.isEmpty() ? machine + "_" + type : machine + "_" + type + "_" + key;
        Map<String, String> tags = new LinkedHashMap<>();
        if (!key.isEmpty()) tags.put("key", key);
        tags.put("machine_id", machine);
        ents.put(id, new Entity(id, type, machine, tags));
        return id;
    }
}
