package anteater.rca;

import static anteater.rca.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.sink.AnomalyEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every part of a cause's score worked out by hand on a small incident, and the score as their weighted mean.
 * Mutation testing found the ranker's arithmetic reached only through orderings (which cause comes first); these
 * pin the numbers. Entity types are their own names and the rules are the test's, so the causal graph is exactly:
 * p -> x -> y -> k (the KPI) and z -> y; u is abnormal too but no rule leads from it.
 */
class CauseScoreByHandTest {
    static final long D = 170_000; // an event's window: 18 points 10 s apart
    static final long E = T0 + 10 * D; // the KPI window's end
    static final double TAU = D / 2.0; // the onset's scale: half the KPI window
    static final List<String> RULES = List.of("x->y@edge", "z->y@edge", "y->k@edge", "p->x@edge");

    static Neighbourhood incident() {
        Map<String, Entity> es = new LinkedHashMap<>();
        for (String t : List.of("k", "y", "x", "z", "p", "u")) es.put("m1_" + t, new Entity("m1_" + t, t, "m1", Map.of()));
        List<Edge> edges = new ArrayList<>(List.of(new Edge("m1_x", "m1_y", "r"), new Edge("m1_z", "m1_y", "r"),
                new Edge("m1_y", "m1_k", "r"), new Edge("m1_p", "m1_x", "r"), new Edge("m1_u", "m1_k", "r")));
        return new Neighbourhood("m1_k", E, es, edges);
    }

    static CauseRanker ranker(CauseRanker.Weights w) {
        return new CauseRanker(CausalRules.parse(RULES), w, 600_000, 180_000);
    }

    /** Pearson's r written out, for windows that cover the same span (pairs by index). */
    static double r(double[] a, double[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return Math.abs(ab / Math.sqrt(aa * bb));
    }

    static double logistic(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    final double[] fault = Fixtures.shared(21);
    final double[] vk = Fixtures.values(1, fault, 0, 3);
    final double[] vy = Fixtures.values(2, fault, 0, 6);
    final double[] vz = Fixtures.values(3, fault, 0, 4);
    final AnomalyEvent kpi = Fixtures.event("m1_k", "k_m", E, 10, vk, "app");
    final AnomalyEvent y = Fixtures.event("m1_y", "y_m", E, 20, vy, "sys");
    final AnomalyEvent y2 = Fixtures.event("m1_y", "y_other", E, 15, Fixtures.values(4, fault, 0, 0), "sys");
    final AnomalyEvent z = Fixtures.event("m1_z", "z_m", E, 30, vz, "sys");
    final AnomalyEvent x = Fixtures.event("m1_x", "x_m", E - D, 40, Fixtures.values(5, fault, 0, 5), "sys"); // the window before
    final AnomalyEvent p = Fixtures.event("m1_p", "p_m", E - 2 * D, 5, Fixtures.values(6, fault, 0, 5), "sys"); // two before
    final AnomalyEvent u = Fixtures.event("m1_u", "u_m", E, 100, Fixtures.values(7, fault, 0, 9), "sys");

    @Test
    void everyPartAndTheWeightedScoreOfASmallIncident() throws Exception {
        for (AnomalyEvent e : List.of(kpi, y, y2, z, x, p, u)) {
            assertEquals(-1, Onset.changePoint(e.values()), "no step inside " + e.metric() + ": its onset is its window's start");
        }
        CauseRanker.Weights w = new CauseRanker.Weights(1, 2, 3, 4, 5, 6, 7, 8, 9);
        List<RankedCause> ranked = ranker(w).rank(kpi, incident(), Fixtures.store(kpi, y, y2, z, x, p, u));
        assertEquals(4, ranked.size(), "y, x, z, p: u reaches the KPI by no rule");

        double ryk = r(vy, vk), rzk = r(vz, vk), ryz = r(vy, vz);
        // strongest score over the strongest candidate's (40, x's; u's 100 is no candidate's)
        // hops; share of the 4 other abnormal entities reached; sum of 1/hops to them over 4
        // onset: the KPI's and y's and z's windows start at E - D, x's at E - 2D, p's at E - 3D
        // root: y follows x (began before, still abnormal at y's start), x follows p; z and p have no abnormal parent
        // coherence: windows that only touch (x with y, z, k; p with x) give one pair: no correlation
        Object[][] expected = {
            // id, anomaly, corr part, proximity, onset, root, reach, closeness, live, coherence, path
            {"m1_y", 20 / 40.0, ryk, 1.0, 0.5, 0.0, 1 / 4.0, 1 / 4.0, 1.0, (ryk + ryz) / 2, List.of("m1_y", "m1_k")},
            {"m1_x", 1.0, 0.0, 1 / 2.0, logistic(D / TAU), 0.0, 2 / 4.0, (1 + 1 / 2.0) / 4, 0.0, 0.0, List.of("m1_x", "m1_y", "m1_k")},
            {"m1_z", 30 / 40.0, rzk, 1 / 2.0, 0.5, 1.0, 2 / 4.0, (1 + 1 / 2.0) / 4, 1.0, (rzk + ryz) / 2, List.of("m1_z", "m1_y", "m1_k")},
            {"m1_p", 5 / 40.0, 0.0, 1 / 3.0, logistic(2 * D / TAU), 1.0, 3 / 4.0, (1 + 1 / 2.0 + 1 / 3.0) / 4, 0.0, 0.0,
                    List.of("m1_p", "m1_x", "m1_y", "m1_k")},
        };
        List<Double> scores = new ArrayList<>();
        for (Object[] row : expected) {
            RankedCause c = Fixtures.cause(ranked, (String) row[0]);
            String at = c.entity().id() + ": ";
            assertEquals((double) row[1], c.anomaly(), 1e-12, at + "anomaly");
            if ((double) row[2] > 0) assertEquals((double) row[2], c.correlation(), 1e-12, at + "correlation");
            else assertTrue(Double.isNaN(c.correlation()), at + "windows that touch give no correlation");
            assertEquals((double) row[3], c.proximity(), 1e-12, at + "proximity");
            assertEquals((double) row[4], c.onset(), 1e-12, at + "onset");
            assertEquals((double) row[5], c.root(), 0, at + "root");
            assertEquals((double) row[6], c.reach(), 1e-12, at + "reach");
            assertEquals((double) row[7], c.closeness(), 1e-12, at + "closeness");
            assertEquals((double) row[8], c.live(), 0, at + "live");
            assertEquals((double) row[9], c.coherence(), 1e-12, at + "coherence");
            assertEquals(row[10], c.path(), at + "path");
            double score = (1 * (double) row[1] + 2 * (double) row[2] + 3 * (double) row[3] + 4 * (double) row[4]
                    + 5 * (double) row[5] + 6 * (double) row[6] + 7 * (double) row[7] + 8 * (double) row[8]
                    + 9 * (double) row[9]) / 45;
            assertEquals(score, c.score(), 1e-12, at + "score");
            scores.add(score);
        }
        for (int i = 1; i < ranked.size(); i++) assertTrue(ranked.get(i - 1).score() >= ranked.get(i).score(), ranked.toString());
        assertSame(y, Fixtures.cause(ranked, "m1_y").event(), "both y events cover the KPI's window: the stronger is y's cause event");
        assertTrue(scores.stream().distinct().count() == 4, "the parts were chosen so that no two scores tie: " + scores);
    }

    @Test
    void ofEventsCoveringTheKpiEquallyTheStrongerIsTheCauseEventWhateverTheirOrder() throws Exception {
        CauseRanker rk = ranker(CauseRanker.Weights.DEFAULT);
        AnomalyEvent weakFirst = Fixtures.event("m1_y", "y_a", E, 15, Fixtures.values(8, fault, 0, 0), "sys");
        AnomalyEvent strongLater = Fixtures.event("m1_y", "y_b", E, 20, vy, "sys");
        assertSame(strongLater, Fixtures.cause(rk.rank(kpi, incident(), Fixtures.store(kpi, weakFirst, strongLater)), "m1_y").event());
        AnomalyEvent strongFirst = Fixtures.event("m1_y", "y_a", E, 20, vy, "sys");
        AnomalyEvent weakLater = Fixtures.event("m1_y", "y_b", E, 15, Fixtures.values(8, fault, 0, 0), "sys");
        assertSame(strongFirst, Fixtures.cause(rk.rank(kpi, incident(), Fixtures.store(kpi, strongFirst, weakLater)), "m1_y").event());
        // equal overlap and strength: the first in time order (then as stored)
        AnomalyEvent twin1 = Fixtures.event("m1_y", "y_a", E, 20, vy, "sys");
        AnomalyEvent twin2 = Fixtures.event("m1_y", "y_b", E, 20, vy, "sys");
        assertSame(twin1, Fixtures.cause(rk.rank(kpi, incident(), Fixtures.store(kpi, twin1, twin2)), "m1_y").event());
        assertSame(twin1, CauseRanker.anchor(List.of(twin1, twin2), kpi));
        // more overlap wins over strength: the window before touches the KPI's only at its end
        AnomalyEvent before = Fixtures.event("m1_y", "y_c", E - D / 2, 90, vy, "sys");
        RankedCause c = Fixtures.cause(rk.rank(kpi, incident(), Fixtures.store(kpi, before, weakLater)), "m1_y");
        assertSame(weakLater, c.event());
        assertEquals(1.0, c.anomaly(), "its strongest anomaly is still the 90");
    }

    @Test
    void withOnlyTheCorrelationWeightedTheScoreIsTheCorrelationPart() throws Exception {
        CauseRanker rk = ranker(new CauseRanker.Weights(0, 1, 0, 0, 0, 0, 0, 0, 0));
        // unknown (no values on one side): 0.5; known but the windows only touch: 0; known and shared: |r|
        AnomalyEvent zNull = Fixtures.with(z, z.score(), null);
        AnomalyEvent yEmpty = Fixtures.with(y, y.score(), new double[0]);
        List<RankedCause> ranked = rk.rank(kpi, incident(), Fixtures.store(kpi, zNull, yEmpty, x));
        assertEquals(0.5, Fixtures.cause(ranked, "m1_z").score(), 1e-12, "no values");
        assertEquals(0.5, Fixtures.cause(ranked, "m1_y").score(), 1e-12, "no values (an empty array)");
        assertEquals(0.0, Fixtures.cause(ranked, "m1_x").score(), 1e-12, "values on both sides, no shared time");
        // the KPI without values: every candidate's correlation is unknown
        AnomalyEvent kpiNull = Fixtures.with(kpi, kpi.score(), null);
        List<RankedCause> tied = rk.rank(kpiNull, incident(), Fixtures.store(kpiNull, y, x));
        for (RankedCause c : tied) assertEquals(0.5, c.score(), 1e-12, c.entity().id());
        assertEquals(List.of("m1_x", "m1_y"), tied.stream().map(c -> c.entity().id()).toList(), "equal scores: by entity id");
        AnomalyEvent kpiEmpty = Fixtures.with(kpi, kpi.score(), new double[0]);
        for (RankedCause c : rk.rank(kpiEmpty, incident(), Fixtures.store(kpiEmpty, y, x))) assertEquals(0.5, c.score(), 1e-12, c.entity().id());
        assertEquals(r(vy, vk), Fixtures.cause(rk.rank(kpi, incident(), Fixtures.store(kpi, y)), "m1_y").score(), 1e-12);
    }

    @Test
    void scoresThatAreNotFiniteOrNegativeCountAsAMillionOrZero() throws Exception {
        CauseRanker rk = ranker(new CauseRanker.Weights(1, 0, 0, 0, 0, 0, 0, 0, 0));
        List<RankedCause> ranked = rk.rank(kpi, incident(), Fixtures.store(kpi, Fixtures.with(y, Double.POSITIVE_INFINITY, y.values()),
                Fixtures.with(z, 10, z.values()), Fixtures.with(x, Double.NaN, x.values()), Fixtures.with(p, -5, p.values())));
        assertEquals(1.0, Fixtures.cause(ranked, "m1_y").score(), 0);
        assertEquals(10 / 1e6, Fixtures.cause(ranked, "m1_z").score(), 1e-15);
        assertEquals(0.0, Fixtures.cause(ranked, "m1_x").score(), 0);
        assertEquals(0.0, Fixtures.cause(ranked, "m1_p").score(), 0);
        List<RankedCause> none = rk.rank(kpi, incident(), Fixtures.store(kpi, Fixtures.with(y, Double.NaN, y.values()), Fixtures.with(z, -1, z.values())));
        for (RankedCause c : none) assertEquals(0.0, c.anomaly(), 0, "no positive score: 0, not NaN");
    }

    @Test
    void aKpiEventNotInTheStoreIsRankedAsIfItWere() throws Exception {
        CauseRanker rk = ranker(CauseRanker.Weights.DEFAULT);
        List<RankedCause> stored = rk.rank(kpi, incident(), Fixtures.store(kpi, y, z, x, p));
        List<RankedCause> notStored = rk.rank(kpi, incident(), Fixtures.store(y, z, x, p));
        assertEquals(stored.toString(), notStored.toString());
        assertEquals((r(vy, vk) + r(vy, vz)) / 2, Fixtures.cause(notStored, "m1_y").coherence(), 1e-12, "the KPI's values count");
        // an earlier KPI window of the same episode, stored with it: the episode (and so the KPI's onset) begins there
        AnomalyEvent kpiBefore = Fixtures.event("m1_k", "k_m", E - D, 9, Fixtures.values(9, fault, 0, 3), "app");
        RankedCause x2 = Fixtures.cause(rk.rank(kpi, incident(), Fixtures.store(kpiBefore, kpi, y, z, x, p)), "m1_x");
        assertEquals(0.5, x2.onset(), 1e-12, "x began with the KPI's episode");
    }

    @Test
    void weightsMayBeZeroButNotNegativeAndNotAllZero() {
        for (int i = 0; i < 9; i++) {
            double[] w = new double[9];
            w[i] = 1;
            weights(w); // one positive weight, the rest exactly 0: accepted
            double[] neg = new double[9];
            java.util.Arrays.fill(neg, 1);
            neg[i] = -1e-9;
            assertThrows(IllegalArgumentException.class, () -> weights(neg), "weight " + i + " negative");
        }
        assertThrows(IllegalArgumentException.class, () -> weights(new double[9]), "all zero");
        assertEquals(45, new CauseRanker.Weights(1, 2, 3, 4, 5, 6, 7, 8, 9).sum(), 0);
    }

    static CauseRanker.Weights weights(double[] w) {
        return new CauseRanker.Weights(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8]);
    }

    @Test
    void ofTwoEqualRoutesThePathTakesTheFirstByEntityId() throws Exception {
        // a -> b1 -> k and a -> b2 -> k: a hash set holds b2 before b1, the path must not depend on it
        Map<String, Entity> es = new LinkedHashMap<>();
        for (String id : List.of("k", "b2", "b1", "a")) es.put(id, new Entity(id, id.startsWith("b") ? "b" : id, "m1", Map.of()));
        Neighbourhood n = new Neighbourhood("k", E, es, List.of(new Edge("b2", "k", "r"), new Edge("b1", "k", "r"),
                new Edge("a", "b2", "r"), new Edge("a", "b1", "r")));
        CauseRanker rk = new CauseRanker(CausalRules.parse(List.of("a->b@edge", "b->k@edge")), CauseRanker.Weights.DEFAULT,
                600_000, 180_000);
        AnomalyEvent ka = new AnomalyEvent(E, "k", "k1", "app", "m1", "k_m", "k_m", Map.of(), 5, 18, 18, 170, List.of(), "k", "ttest", vk);
        AnomalyEvent aa = new AnomalyEvent(E, "a", "a1", "sys", "m1", "a_m", "a_m", Map.of(), 5, 18, 18, 170, List.of(), "a", "ttest", vy);
        RankedCause c = Fixtures.cause(rk.rank(ka, n, Fixtures.store(ka, aa)), "a");
        assertEquals(List.of("a", "b1", "k"), c.path());
        assertEquals(0.5, c.proximity(), 0);
    }

    @Test
    void windowsHalfAKpiWindowApartAreOneEpisode() throws Exception {
        CauseRanker rk = ranker(CauseRanker.Weights.DEFAULT);
        long gap = D / 2; // GAP_WINDOWS = 0.5 of the KPI's 170 s
        // z's current window covers the KPI's; an earlier one ends exactly gap before it starts: the same episode
        AnomalyEvent earlier = Fixtures.event("m1_z", "z_m", E - D - gap, 30, Fixtures.values(10, fault, 0, 4), "sys");
        double joined = logistic((D + gap) / TAU);
        assertEquals(joined, Fixtures.cause(rk.rank(kpi, incident(), Fixtures.store(kpi, earlier, z)), "m1_z").onset(), 1e-12);
        // one second more and it is another incident: z's onset is its current window's
        AnomalyEvent apart = Fixtures.event("m1_z", "z_m", E - D - gap - 1000, 30, Fixtures.values(10, fault, 0, 4), "sys");
        assertEquals(0.5, Fixtures.cause(rk.rank(kpi, incident(), Fixtures.store(kpi, apart, z)), "m1_z").onset(), 1e-12);
    }

    @Test
    void aParentThatRecoveredBeforeTheChildBeganDoesNotMakeItASymptom() throws Exception {
        CauseRanker rk = ranker(CauseRanker.Weights.DEFAULT);
        // x's onset lies in [its start - D/2, its start] (no step inside its window: it may have begun up to half a
        // window earlier); p's window ends one second before the earliest of those: p was no longer abnormal
        long xEarliest = E - 2 * D - D / 2;
        AnomalyEvent pGone = Fixtures.event("m1_p", "p_m", xEarliest - 1000, 5, Fixtures.values(6, fault, 0, 5), "sys");
        assertEquals(1.0, Fixtures.cause(rk.rank(kpi, incident(), Fixtures.store(kpi, y, x, pGone)), "m1_x").root(), 0);
        // p's window ends exactly then: still abnormal when x may have begun
        AnomalyEvent pThen = Fixtures.event("m1_p", "p_m", xEarliest, 5, Fixtures.values(6, fault, 0, 5), "sys");
        assertEquals(0.0, Fixtures.cause(rk.rank(kpi, incident(), Fixtures.store(kpi, y, x, pThen)), "m1_x").root(), 0);
        // p's onset interval ends exactly where x's begins (p's window starts at x's earliest onset): not surely before
        AnomalyEvent pAt = Fixtures.event("m1_p", "p_m", xEarliest + D, 5, Fixtures.values(6, fault, 0, 5), "sys");
        assertEquals(1.0, Fixtures.cause(rk.rank(kpi, incident(), Fixtures.store(kpi, y, x, pAt)), "m1_x").root(), 0);
        // p's episode began well before (an earlier window, joined within half a window) and its current window
        // starts exactly at x's earliest onset: abnormal then
        AnomalyEvent pEarly = Fixtures.event("m1_p", "p_m", xEarliest - 1000, 5, Fixtures.values(6, fault, 0, 5), "sys");
        AnomalyEvent pNext = Fixtures.event("m1_p", "p_m", xEarliest + D, 5, Fixtures.values(7, fault, 0, 5), "sys");
        assertEquals(0.0, Fixtures.cause(rk.rank(kpi, incident(), Fixtures.store(kpi, y, x, pEarly, pNext)), "m1_x").root(), 0);
        // a parent that began at the same time is no reason either (y and z both start at E - D)
        assertEquals(1.0, Fixtures.cause(rk.rank(kpi, incident(), Fixtures.store(kpi, y, z)), "m1_y").root(), 0);
    }

    @Test
    void theAnchorIsTheEventOverlappingTheKpiMostThenTheNearestThenTheStrongest() {
        AnomalyEvent full = Fixtures.event("m1_y", "a", E, 1, vy, "sys");
        AnomalyEvent half = Fixtures.event("m1_y", "b", E - D / 2, 9, vy, "sys");
        assertSame(full, CauseRanker.anchor(List.of(half, full), kpi));
        assertSame(full, CauseRanker.anchor(List.of(full, half), kpi));
        // none overlaps: the nearest in time, before or after
        AnomalyEvent farBefore = Fixtures.event("m1_y", "c", E - 3 * D, 9, vy, "sys");
        AnomalyEvent nearAfter = Fixtures.event("m1_y", "d", E + 2 * D, 1, vy, "sys");
        assertSame(nearAfter, CauseRanker.anchor(List.of(farBefore, nearAfter), kpi));
        AnomalyEvent nearBefore = Fixtures.event("m1_y", "e", E - 2 * D + 1, 1, vy, "sys");
        assertSame(nearBefore, CauseRanker.anchor(List.of(nearAfter, nearBefore), kpi));
        // overlap of any length beats the nearest that does not overlap
        AnomalyEvent touchesBy1s = Fixtures.event("m1_y", "f", E - D + 1000, 1, vy, "sys");
        AnomalyEvent justAfter = Fixtures.event("m1_y", "g", E + D + 1, 9, vy, "sys");
        assertSame(touchesBy1s, CauseRanker.anchor(List.of(justAfter, touchesBy1s), kpi));
        // ties: the stronger, whichever comes first
        AnomalyEvent weak = Fixtures.event("m1_y", "h", E, 1, vy, "sys");
        AnomalyEvent strong = Fixtures.event("m1_y", "i", E, 2, vy, "sys");
        assertSame(strong, CauseRanker.anchor(List.of(weak, strong), kpi));
        assertSame(strong, CauseRanker.anchor(List.of(strong, weak), kpi));
        AnomalyEvent weakBefore = Fixtures.event("m1_y", "j", E - 2 * D, 1, vy, "sys");
        AnomalyEvent strongAfter = Fixtures.event("m1_y", "k", E + 2 * D, 2, vy, "sys");
        assertSame(strongAfter, CauseRanker.anchor(List.of(weakBefore, strongAfter), kpi), "equally near: the stronger");
        assertSame(strongAfter, CauseRanker.anchor(List.of(strongAfter, weakBefore), kpi));
    }
}
