package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.rca.CausalRules;
import anteater.rca.RcaConfig;
import org.junit.jupiter.api.Test;

class RcaEvaluationTest {

    @Test
    void generatorInjectsAFaultThatReachesAnSli() {
        RcaScenarioGenerator g = new RcaScenarioGenerator(CausalRules.defaults());
        for (long seed = 1; seed <= 20; seed++) {
            RcaScenario sc = g.generate(seed);
            assertEquals(0, sc.affected().get(sc.root()));
            assertFalse(sc.kpiEntities().isEmpty());
            assertTrue(sc.topology().entities().containsKey(sc.root()));
            for (var ms : sc.series().values()) {
                for (double[] x : ms.values()) assertEquals(RcaScenarioGenerator.WINDOW * RcaScenarioGenerator.WINDOWS, x.length);
            }
        }
        // deterministic per seed
        assertEquals(g.generate(7).root(), g.generate(7).root());
    }

    @Test
    void rankingFindsInjectedRootsFromDetectedAnomalies() {
        RcaEvaluation ev = new RcaEvaluation(RcaConfig.defaults(), 0.001);
        int n = 30, top1 = 0, top3 = 0;
        for (long seed = 5000; seed < 5000 + n; seed++) {
            RcaEvaluation.Outcome o = ev.run(seed);
            if (o.rank() == 1) top1++;
            if (o.rank() >= 1 && o.rank() <= 3) top3++;
        }
        // far above chance (about 8 anomalous candidates per inference); the full figures come from eval-rca
        assertTrue(top1 >= n / 2, "top-1 " + top1 + "/" + n);
        assertTrue(top3 >= n * 8 / 10, "top-3 " + top3 + "/" + n);
    }
}
