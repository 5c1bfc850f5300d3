package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** NAB scores checked against values worked out by hand from NAB's rules. */
class NabScoreTest {
    private static final double EPS = 1e-9;

    /** 20 rows at times 0..19, probation 3 rows, one window [10, 14] (5 rows). */
    private static NabScore.File file() {
        long[] t = new long[20];
        for (int i = 0; i < t.length; i++) t[i] = i;
        return new NabScore.File(t, List.<long[]>of(new long[] {10, 14}));
    }

    private static boolean[] flags(int... rows) {
        boolean[] f = new boolean[20];
        for (int r : rows) f[r] = true;
        return f;
    }

    @Test
    void probationLength() {
        assertEquals(3, NabScore.probation(20));
        assertEquals(600, NabScore.probation(4000));
        assertEquals(750, NabScore.probation(22_000));
    }

    @Test
    void detectionAtTheWindowStartScoresTheFullTpWeight() {
        NabScore.Result r = file().score(flags(10), NabScore.STANDARD);
        assertEquals(1.0, r.raw(), EPS);
        assertEquals(1, r.tp());
        assertEquals(0, r.fn());
        assertEquals(100.0, NabScore.normalised(r, 1, NabScore.STANDARD), EPS);
    }

    @Test
    void onlyTheEarliestDetectionOfAWindowCounts() {
        // row 12: position -(14-12+1)/5 = -0.6 -> (2/(1+e^-3)-1)/(2/(1+e^-5)-1) = 0.9174286804
        assertEquals(0.9174286804284079, file().score(flags(12, 13, 14), NabScore.STANDARD).raw(), EPS);
        // row 14 alone: position -0.2 -> 0.4683868439
        assertEquals(0.46838684390227814, file().score(flags(14), NabScore.STANDARD).raw(), EPS);
    }

    @Test
    void falsePositivesAreWeightedByDistanceFromThePrecedingWindow() {
        // row 16: 2 rows after the window's right edge, p = 2/(5-1) = 0.5, sigma = -0.8482836400; fp 0.11
        NabScore.Result r = file().score(flags(16), NabScore.STANDARD);
        assertEquals(-1.0 - 0.09331120039532642, r.raw(), EPS);
        assertEquals(1, r.fp());
        // before the first window (after probation): -fpWeight; the low-FP profile doubles it
        assertEquals(-1.0 - 0.11, file().score(flags(5), NabScore.STANDARD).raw(), EPS);
        assertEquals(-1.0 - 0.22, file().score(flags(5), NabScore.LOW_FP).raw(), EPS);
        // 3 or more window widths after: -fpWeight
        long[] t = new long[40];
        for (int i = 0; i < t.length; i++) t[i] = i;
        NabScore.File f = new NabScore.File(t, List.<long[]>of(new long[] {10, 14}));
        boolean[] fl = new boolean[40];
        fl[30] = true; // p = 16/4 = 4
        assertEquals(-1.0 - 0.11, f.score(fl, NabScore.STANDARD).raw(), EPS);
    }

    @Test
    void aWindowEndsAtTheFirstRowWithItsEndTime() {
        // times 0..10, 10, 11..18 (row 11 repeats time 10); window [6, 10] is rows 6..10, as NAB's
        // timestamps.index(end) gives, so a detection at row 11 is a false positive just after the window
        long[] t = new long[20];
        for (int i = 0; i < t.length; i++) t[i] = i <= 10 ? i : i - 1;
        NabScore.File f = new NabScore.File(t, List.<long[]>of(new long[] {6, 10}));
        boolean[] fl = new boolean[20];
        fl[11] = true;
        NabScore.Result r = f.score(fl, NabScore.STANDARD);
        assertEquals(0, r.tp());
        assertEquals(1, r.fp());
        // p = 1/(5-1) = 0.25: sigma = 2/(1+e^1.25)-1
        assertEquals(-1.0 + 0.11 * (2 / (1 + Math.exp(1.25)) - 1), r.raw(), EPS);
        // an end time between two rows still ends the window at the row before it
        NabScore.File g = new NabScore.File(new long[] {0, 2, 4, 6, 8, 10, 12, 14, 16, 18},
                List.<long[]>of(new long[] {4, 9}));
        boolean[] gl = new boolean[10];
        gl[4] = true; // time 8: the window's last row
        assertEquals(1, g.score(gl, NabScore.STANDARD).tp());
    }

    @Test
    void probationRowsAreIgnoredAndMissesCostTheFnWeight() {
        NabScore.Result none = file().score(flags(), NabScore.STANDARD);
        assertEquals(-1.0, none.raw(), EPS);
        assertEquals(0.0, NabScore.normalised(none, 1, NabScore.STANDARD), EPS);
        assertEquals(-1.0, file().score(flags(0, 1, 2), NabScore.STANDARD).raw(), EPS);
        assertEquals(-2.0, file().score(flags(), NabScore.LOW_FN).raw(), EPS);
    }

    @Test
    void corpusScoreIsNormalisedBetweenNullAndPerfect() {
        NabScore.File f = file();
        // file 1: window found at its start (+1); file 2: missed (-1) and a false positive before it (-0.11)
        NabScore.Corpus c = NabScore.corpus(List.of(f, f), List.of(flags(10), flags(5)), NabScore.STANDARD);
        // raw -0.11; null -2, perfect 2: 100 * (-0.11 + 2) / 4
        assertEquals(100 * 1.89 / 4, c.score(), EPS);
        assertEquals(1, c.total().tp());
        assertEquals(1, c.total().fn());
        assertEquals(1, c.total().fp());
    }

    @Test
    void bestThresholdSweepsTheCorpus() {
        NabScore.File f = file();
        double[] s1 = new double[20], s2 = new double[20];
        s1[10] = 0.9; // window start of file 1
        s2[5] = 0.8;  // a false positive in file 2
        s2[12] = 0.7; // file 2's window at -0.6
        s1[1] = 5.0;  // in probation: ignored
        NabScore.Corpus c = NabScore.bestThreshold(List.of(f, f), List.of(s1, s2), NabScore.STANDARD);
        // threshold 0.7 takes all three: 1 + 0.9174286804 - 0.11, better than 0.9 (1 - 1) or 0.8 (1 - 1 - 0.11)
        assertEquals(0.7, c.threshold(), EPS);
        assertEquals(100 * (1 + 0.9174286804284079 - 0.11 + 2) / 4, c.score(), EPS);
        // the sweep agrees with scoring the flags of that threshold
        boolean[] f1 = new boolean[20], f2 = new boolean[20];
        for (int i = 0; i < 20; i++) {
            f1[i] = s1[i] >= 0.7;
            f2[i] = s2[i] >= 0.7;
        }
        assertEquals(NabScore.corpus(List.of(f, f), List.of(f1, f2), NabScore.STANDARD).score(), c.score(), EPS);
    }
}
