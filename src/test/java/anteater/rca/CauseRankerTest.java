package anteater.rca;

import static anteater.rca.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.sink.AnomalyEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class CauseRankerTest {
    final CauseRanker ranker = new CauseRanker(CausalRules.defaults(), CauseRanker.Weights.DEFAULT, 600_000, 180_000);
    final double[] fault = Fixtures.shared(7);

    @Test
    void diskFaultIsRankedAboveItsSymptomsWithThePathToTheKpi() throws Exception {
        long end = T0 + 180_000;
        // the disk went first (a full window earlier) and hardest; block, proc and the KPI follow the same profile
        AnomalyEvent disk0 = Fixtures.event("m1_disk_sda", "disk_await", end - 180_000, 30, Fixtures.values(1, fault, 9, 8), "sys");
        AnomalyEvent disk = Fixtures.event("m1_disk_sda", "disk_await", end, 40, Fixtures.values(2, fault, 0, 8), "sys");
        AnomalyEvent block = Fixtures.event("m1_block_sda1", "block_latency", end, 20, Fixtures.values(3, fault, 3, 6), "sys");
        AnomalyEvent proc = Fixtures.event("m1_proc_1", "proc_io_wait", end, 12, Fixtures.values(4, fault, 6, 4), "sys");
        AnomalyEvent kpi = Fixtures.event("m1_sli_1", "sli_rtt", end, 8, Fixtures.values(5, fault, 8, 3), "app");
        // unrelated: a nic blip long before (outside the window) and a proc on another machine (no causal path)
        AnomalyEvent oldNic = Fixtures.event("m1_nic_eth0", "nic_drops", end - 3_600_000, 50, Fixtures.values(6, fault, 0, 5), "sys");
        AnomalyEvent remote = Fixtures.event("m2_proc_9", "proc_cpu", end, 50, Fixtures.values(7, fault, 0, 5), "sys");
        Neighbourhood n = Fixtures.host().around("m1_sli_1", end, 4);
        List<RankedCause> ranked = ranker.rank(kpi, n, Fixtures.store(disk0, disk, block, proc, kpi, oldNic, remote));

        assertEquals("m1_disk_sda", ranked.get(0).entity().id(), ranked.toString());
        assertEquals(List.of("m1_disk_sda", "m1_block_sda1", "m1_proc_1", "m1_sli_1"), ranked.get(0).path());
        assertEquals("disk", ranked.get(0).keyword());
        assertEquals(disk, ranked.get(0).event(), "the event overlapping the KPI's window");
        assertEquals(1.0, ranked.get(0).reach(), 1e-9, "the disk explains block, proc and KPI");
        assertEquals(3, ranked.size());
        assertTrue(ranked.stream().noneMatch(c -> c.entity().id().equals("m1_nic_eth0")), "outside [t-valid, t+future]");
        assertTrue(ranked.stream().noneMatch(c -> c.entity().id().equals("m2_proc_9")), "no causal rule leads from it");
        for (int i = 1; i < ranked.size(); i++) assertTrue(ranked.get(i - 1).score() >= ranked.get(i).score());
        assertFalse(Double.isNaN(ranked.get(0).correlation()), "both have values over the same window");
    }

    @Test
    void correlatedNeighbourBeatsAnEqualButUncorrelatedOne() throws Exception {
        long end = T0 + 180_000;
        // cpu and the tcp link both can cause the KPI (cpu -> proc -> sli; tcp_link -> sli), same time, same score
        double[] other = Fixtures.shared(99);
        AnomalyEvent cpu = Fixtures.event("m1_cpu", "cpu_usage", end, 10, Fixtures.values(11, other, 0, 6), "sys");
        AnomalyEvent link = Fixtures.event("m1_tcp_link_1", "tcp_rtt", end, 10, Fixtures.values(12, fault, 0, 6), "sys");
        AnomalyEvent kpi = Fixtures.event("m1_sli_1", "sli_rtt", end, 8, Fixtures.values(13, fault, 0, 6), "app");
        Neighbourhood n = Fixtures.host().around("m1_sli_1", end, 4);
        List<RankedCause> ranked = ranker.rank(kpi, n, Fixtures.store(cpu, link, kpi));
        assertEquals("m1_tcp_link_1", ranked.get(0).entity().id(), ranked.toString());
        assertEquals("network", ranked.get(0).keyword());
        assertEquals(List.of("m1_tcp_link_1", "m1_sli_1"), ranked.get(0).path());
        assertEquals(List.of("m1_cpu", "m1_proc_1", "m1_sli_1"), ranked.get(1).path());
    }

    @Test
    void noAnomalousNeighbourGivesNoCandidate() throws Exception {
        long end = T0;
        AnomalyEvent kpi = Fixtures.event("m1_sli_1", "sli_rtt", end, 8, Fixtures.values(13, fault, 0, 6), "app");
        Neighbourhood n = Fixtures.host().around("m1_sli_1", end, 4);
        assertTrue(ranker.rank(kpi, n, Fixtures.store(kpi)).isEmpty());
        CauseEvent ce = new CauseInference(Fixtures.host(), ranker, 4, 3).infer(kpi, Fixtures.store(kpi));
        assertEquals(CauseInference.NO_CANDIDATES, ce.failure());
    }

    @Test
    void eventsWithoutValuesStillRankWithNeutralCorrelation() throws Exception {
        long end = T0;
        AnomalyEvent kpi = Fixtures.event("m1_sli_1", "sli_rtt", end, 8, new double[0], "app");
        AnomalyEvent cpu = Fixtures.event("m1_cpu", "cpu_usage", end, 10, new double[0], "sys");
        List<RankedCause> ranked = ranker.rank(kpi, Fixtures.host().around("m1_sli_1", end, 4), Fixtures.store(cpu, kpi));
        assertEquals(1, ranked.size());
        assertTrue(Double.isNaN(ranked.get(0).correlation()));
        assertEquals("cpu", ranked.get(0).keyword());
    }

    @Test
    void rulesDecideWhoCanCauseWhom() throws Exception {
        Neighbourhood n = Fixtures.host().around("m1_sli_1", T0, 4);
        var parents = CausalRules.defaults().parents(n);
        assertTrue(parents.get("m1_sli_1").containsAll(List.of("m1_proc_1", "m1_tcp_link_1")), parents.toString());
        assertFalse(parents.get("m1_sli_1").contains("m1_proc_2"), "proc->sli is along an edge only");
        assertTrue(parents.get("m1_proc_1").containsAll(List.of("m1_cpu", "m1_block_sda1", "m1_host")));
        assertTrue(parents.get("m1_tcp_link_1").contains("m1_nic_eth0"));
        assertTrue(parents.get("m1_block_sda1").contains("m1_disk_sda"));
        assertFalse(parents.containsKey("m1_cpu"));
        assertEquals("proc->host@cross:runs_on", CausalRule.parse("proc -> host @ cross:runs_on").toString());
        assertEquals(CausalRule.Scope.SIBLING, CausalRule.parse("tcp_link->sli@sibling").scope());
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> CausalRule.parse("cpu proc"));
        assertTrue(e.getMessage().contains("cause->effect@scope"));
    }

    @Test
    void onsetFindsTheChangeInsideTheWindow() {
        double[] v = new double[18];
        for (int i = 0; i < 18; i++) v[i] = i < 10 ? 50 + (i % 2) * 0.5 : 60 + (i % 2) * 0.5;
        AnomalyEvent e = Fixtures.event("m1_cpu", "cpu", T0, 5, v, "sys");
        long[] iv = Onset.interval(e);
        long at = T0 - 170_000 + 10 * 10_000;
        assertEquals(at, iv[1]);
        assertTrue(iv[0] < iv[1]);
        double[] flat = new double[18];
        for (int i = 0; i < 18; i++) flat[i] = 60 + (i % 3);
        long[] fi = Onset.interval(Fixtures.event("m1_cpu", "cpu", T0, 5, flat, "sys"));
        assertEquals(T0 - 170_000, fi[1], "no change inside: it began at or before the window's start");
    }

    @Test
    void correlationAlignsWindowsByTime() {
        double[] x = new double[18], y = new double[18];
        for (int i = 0; i < 18; i++) x[i] = Math.sin(i);
        // y covers the same span shifted by 9 steps: its first half lines up with x's second half
        for (int i = 0; i < 18; i++) y[i] = i < 9 ? Math.sin(i + 9) : 0.3 * i;
        AnomalyEvent a = Fixtures.event("a_x", "m", T0, 1, x, "sys");
        AnomalyEvent b = Fixtures.event("b_x", "m", T0 + 90_000, 1, y, "sys");
        assertEquals(1.0, Correlation.between(a, b), 1e-9);
        AnomalyEvent far = Fixtures.event("c_x", "m", T0 + 3_600_000, 1, y, "sys");
        assertTrue(Double.isNaN(Correlation.between(a, far)));
    }
}
