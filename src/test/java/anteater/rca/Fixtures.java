package anteater.rca;

import anteater.sink.AnomalyEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small hand-made topologies and events for RCA tests. */
final class Fixtures {
    static final long T0 = 1_700_000_000_000L;

    private Fixtures() {
    }

    /**
     * One host m1: cpu, disk sda with block sda1, nic eth0, proc 1 (with sli 1 and tcp_link 1), proc 2 (sli 2).
     * Host m2 with proc 9 (a different machine).
     */
    static GraphTopology host() {
        Map<String, Entity> e = new LinkedHashMap<>();
        List<Edge> edges = new ArrayList<>();
        ent(e, "m1_host", "host", "m1");
        ent(e, "m1_cpu", "cpu", "m1");
        ent(e, "m1_disk_sda", "disk", "m1");
        ent(e, "m1_block_sda1", "block", "m1");
        ent(e, "m1_nic_eth0", "nic", "m1");
        ent(e, "m1_proc_1", "proc", "m1");
        ent(e, "m1_proc_2", "proc", "m1");
        ent(e, "m1_sli_1", "sli", "m1");
        ent(e, "m1_sli_2", "sli", "m1");
        ent(e, "m1_tcp_link_1", "tcp_link", "m1");
        ent(e, "m2_host", "host", "m2");
        ent(e, "m2_proc_9", "proc", "m2");
        edges.add(new Edge("m1_cpu", "m1_host", "belongs_to"));
        edges.add(new Edge("m1_disk_sda", "m1_host", "belongs_to"));
        edges.add(new Edge("m1_block_sda1", "m1_disk_sda", "belongs_to"));
        edges.add(new Edge("m1_nic_eth0", "m1_host", "belongs_to"));
        edges.add(new Edge("m1_proc_1", "m1_host", "runs_on"));
        edges.add(new Edge("m1_proc_2", "m1_host", "runs_on"));
        edges.add(new Edge("m1_sli_1", "m1_proc_1", "belongs_to"));
        edges.add(new Edge("m1_sli_2", "m1_proc_2", "belongs_to"));
        edges.add(new Edge("m1_tcp_link_1", "m1_proc_1", "belongs_to"));
        edges.add(new Edge("m2_proc_9", "m2_host", "runs_on"));
        edges.add(new Edge("m1_proc_1", "m2_proc_9", "connect"));
        return new GraphTopology(e, edges, "fixture");
    }

    private static void ent(Map<String, Entity> e, String id, String type, String m) {
        e.put(id, new Entity(id, type, m, Map.of("machine_id", m)));
    }

    /** An anomaly event of one window of 18 points (10 s apart) ending at {@code endMs}. */
    static AnomalyEvent event(String entity, String metric, long endMs, double score, double[] values, String type) {
        return new AnomalyEvent(endMs, entity, endMs + "_" + entity, type, entity.substring(0, 2), metric, metric,
                Map.of("entity", entity), score, values.length, values.length, 170, List.of(), metric + " of " + entity + " is abnormal",
                "ttest", values);
    }

    /** 18 values: noise, plus {@code level} * shared(t) from index {@code from} on. */
    static double[] values(long seed, double[] shared, int from, double level) {
        Random r = new Random(seed);
        double[] v = new double[18];
        for (int i = 0; i < 18; i++) v[i] = 50 + r.nextGaussian() + (i >= from ? level * shared[i] : 0);
        return v;
    }

    static double[] shared(long seed) {
        Random r = new Random(seed);
        double[] s = new double[18];
        for (int i = 0; i < 18; i++) s[i] = 1 + 0.5 * r.nextGaussian();
        return s;
    }

    /** A store holding {@code es}: 1,000 entities, 64 events each, an hour's retention. */
    static AnomalyStore store(AnomalyEvent... es) {
        AnomalyStore s = new AnomalyStore(1000, 64, 3_600_000);
        for (AnomalyEvent e : es) s.add(e);
        return s;
    }

    /** The ranked cause of entity {@code id}; fails when it is not ranked. */
    static RankedCause cause(List<RankedCause> ranked, String id) {
        return ranked.stream().filter(c -> c.entity().id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not ranked: " + ranked));
    }

    /** An event of entity m1_x, metric m, ending at {@code endMs}, its window {@code durationSec} long. */
    static AnomalyEvent window(long endMs, long durationSec, double[] values) {
        return new AnomalyEvent(endMs, "m1_x", "e" + endMs, "sys", "m1", "m", "m", Map.of(), 1, 1, 1, durationSec, List.of(),
                "", "ttest", values);
    }

    /** {@code e} with another score and values. */
    static AnomalyEvent with(AnomalyEvent e, double score, double[] values) {
        return new AnomalyEvent(e.timestampMs(), e.entityId(), e.eventId(), e.eventType(), e.machineId(), e.measurement(),
                e.metric(), e.labels(), score, e.anomalyCount(), e.totalCount(), e.durationSec(), e.causes(),
                e.description(), e.detector(), values);
    }
}
