package anteater.rca;

import static anteater.rca.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.sink.AnomalyEvent;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The parts of the cause score added for loops of rules: live, coherence, closeness, episode onsets. */
class CauseScorePartsTest {
    final CauseRanker ranker = new CauseRanker(CausalRules.defaults(), CauseRanker.Weights.DEFAULT, 600_000, 180_000);
    static final long W = 180_000; // one window of 18 points, 10 s apart

    static double[] flat(long seed) {
        return Fixtures.values(seed, new double[18], 0, 0);
    }

    @Test
    void episodeOnsetIgnoresAnEarlierSeparateAnomaly() {
        AnomalyEvent old = Fixtures.event("m1_cpu", "cpu", T0, 5, flat(1), "sys");
        AnomalyEvent first = Fixtures.event("m1_cpu", "cpu", T0 + 5 * W, 5, flat(2), "sys");
        AnomalyEvent next = Fixtures.event("m1_cpu", "cpu_iowait", T0 + 6 * W, 5, flat(3), "sys");
        List<AnomalyEvent> es = List.of(old, first, next);
        assertArrayEquals(Onset.interval(first), Onset.episode(es, next, W / 2),
                "adjacent windows (any metric) are one episode; the one 4 windows earlier is another");
        assertArrayEquals(Onset.interval(old), Onset.episode(es, old, W / 2));
        assertArrayEquals(Onset.interval(old), Onset.episode(es, next, 5 * W), "a wide gap joins them");
    }

    @Test
    void pooledCorrelationUsesEveryWindowTheTwoShare() {
        double[] s1 = Fixtures.shared(1), s2 = Fixtures.shared(2);
        AnomalyEvent a1 = Fixtures.event("a_x", "m", T0, 1, Fixtures.values(3, s1, 0, 5), "sys");
        AnomalyEvent a2 = Fixtures.event("a_x", "m", T0 + W, 1, Fixtures.values(4, s2, 0, 5), "sys");
        AnomalyEvent b1 = Fixtures.event("b_x", "m", T0, 1, Fixtures.values(5, s1, 0, 5), "sys");
        AnomalyEvent b2 = Fixtures.event("b_x", "m", T0 + W, 1, Fixtures.values(6, s2, 0, 5), "sys");
        double[] x = new double[36], y = new double[36];
        for (int i = 0; i < 18; i++) {
            x[i] = a1.values()[i];
            x[18 + i] = a2.values()[i];
            y[i] = b1.values()[i];
            y[18 + i] = b2.values()[i];
        }
        assertEquals(Correlation.pearson(x, y, 36), Correlation.pooled(List.of(a1, a2), List.of(b1, b2)), 1e-12);
        assertEquals(Correlation.between(a1, b1), Correlation.pooled(List.of(a1), List.of(b1)), 1e-12);
        assertTrue(Double.isNaN(Correlation.pooled(List.of(a1), List.of(b2))), "disjoint windows");
    }

    @Test
    void aCauseStillAbnormalDuringTheKpiOutranksOneThatHadEnded() throws Exception {
        long end = T0 + 10 * W;
        double[] fault = Fixtures.shared(7);
        // the cpu was abnormal 3 windows before the KPI (earlier, so the onset part favours it) and then recovered;
        // the block is abnormal with the KPI and its process
        AnomalyEvent cpu = Fixtures.event("m1_cpu", "cpu_usage", end - 3 * W, 30, Fixtures.values(1, fault, 0, 6), "sys");
        AnomalyEvent block = Fixtures.event("m1_block_sda1", "block_latency", end, 30, Fixtures.values(2, fault, 0, 6), "sys");
        AnomalyEvent proc = Fixtures.event("m1_proc_1", "proc_io_wait", end, 20, Fixtures.values(3, fault, 0, 4), "sys");
        AnomalyEvent kpi = Fixtures.event("m1_sli_1", "sli_rtt", end, 10, Fixtures.values(4, fault, 0, 3), "app");
        List<RankedCause> ranked = ranker.rank(kpi, Fixtures.host().around("m1_sli_1", end, 4), Fixtures.store(cpu, block, proc, kpi));
        assertEquals(1.0, Fixtures.cause(ranked, "m1_block_sda1").live());
        assertEquals(0.0, Fixtures.cause(ranked, "m1_cpu").live());
        assertTrue(Fixtures.cause(ranked, "m1_cpu").onset() > Fixtures.cause(ranked, "m1_block_sda1").onset());
        assertTrue(Fixtures.cause(ranked, "m1_block_sda1").score() > Fixtures.cause(ranked, "m1_cpu").score(), ranked.toString());
    }

    @Test
    void inALoopTheStrongestExpressionOfTheSharedFaultLeads() throws Exception {
        long end = T0 + 10 * W;
        double[] fault = Fixtures.shared(11);
        // disk -> block -> proc -> disk is a loop: same window, same detector score, all reach each other; the disk
        // carries the fault most clearly (little noise for its size), its block and the process are attenuated
        AnomalyEvent disk = Fixtures.event("m1_disk_sda", "disk_await", end, 30, Fixtures.values(1, fault, 0, 8), "sys");
        AnomalyEvent block = Fixtures.event("m1_block_sda1", "block_latency", end, 30, Fixtures.values(2, fault, 0, 2), "sys");
        AnomalyEvent proc = Fixtures.event("m1_proc_1", "proc_io_wait", end, 30, Fixtures.values(3, fault, 0, 2), "sys");
        AnomalyEvent kpi = Fixtures.event("m1_sli_1", "sli_rtt", end, 10, Fixtures.values(4, fault, 0, 3), "app");
        List<RankedCause> ranked = ranker.rank(kpi, Fixtures.host().around("m1_sli_1", end, 4), Fixtures.store(disk, block, proc, kpi));
        RankedCause d = Fixtures.cause(ranked, "m1_disk_sda"), b = Fixtures.cause(ranked, "m1_block_sda1");
        assertEquals(d.reach(), b.reach(), 1e-12, "structure alone cannot order a loop");
        assertTrue(d.coherence() > b.coherence(), d + " vs " + b);
        assertEquals("m1_disk_sda", ranked.get(0).entity().id(), ranked.toString());
        assertTrue(b.closeness() > d.closeness(), "the block is one hop from the process, the disk two");
    }

    @Test
    void coherenceIsTheMeanAbsoluteCorrelationWithTheOtherAbnormalEntities() throws Exception {
        long end = T0 + 10 * W;
        double[] fault = Fixtures.shared(5);
        Random r = new Random(9);
        double[] noise = new double[18];
        for (int i = 0; i < 18; i++) noise[i] = r.nextGaussian();
        AnomalyEvent cpu = Fixtures.event("m1_cpu", "cpu_usage", end, 30, Fixtures.values(1, fault, 0, 6), "sys");
        AnomalyEvent proc = Fixtures.event("m1_proc_1", "proc_cpu", end, 30, Fixtures.values(2, fault, 0, 6), "sys");
        AnomalyEvent kpi = Fixtures.event("m1_sli_1", "sli_rtt", end, 10, noise, "app");
        List<RankedCause> ranked = ranker.rank(kpi, Fixtures.host().around("m1_sli_1", end, 4), Fixtures.store(cpu, proc, kpi));
        double expected = (Math.abs(Correlation.between(cpu, proc)) + Math.abs(Correlation.between(cpu, kpi))) / 2;
        assertEquals(expected, Fixtures.cause(ranked, "m1_cpu").coherence(), 1e-12);
    }
}
