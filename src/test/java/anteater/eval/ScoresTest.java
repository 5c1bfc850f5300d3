package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScoresTest {

    @Test
    void pointWiseEventsFalseAlarmsAndAucPr() {
        int[] label = {0, 0, 1, 1, 1, 0, 0, 0, 1, 1};
        boolean[] flag = {true, false, false, true, false, false, false, false, false, false};
        double[] score = {0.9, 0.1, 0.5, 0.95, 0.6, 0.2, 0.1, 0.1, 0.3, 0.4};
        Scores s = Scores.of(score, flag, label, 1.0);
        assertEquals(0.5, s.precision(), 1e-12);
        assertEquals(0.2, s.recall(), 1e-12);
        assertEquals(2 * 0.5 * 0.2 / 0.7, s.f1(), 1e-12);
        assertEquals(2, s.events());
        assertEquals(0.5, s.eventRecall(), 1e-12);
        assertEquals(1.0, s.falseAlarmsPerDay(), 1e-12, "one flagged run outside the labels in one day");
        // ranking: .95(1) .9(0) .6(1) .5(1) .4(1) .3(1) -> AP = 1/5*(1 + 2/3 + 3/4 + 4/5 + 5/6)
        assertEquals((1 + 2.0 / 3 + 3.0 / 4 + 4.0 / 5 + 5.0 / 6) / 5, s.aucPr(), 1e-12);
        // point adjustment: the first segment is found, so all 3 of its points count
        assertEquals(2 * 0.75 * 0.6 / 1.35, s.pointAdjustedF1(), 1e-12);
    }

    @Test
    void aRecoveryRunIsNoFalseAlarmButEachOfItsRowsIsAFalsePositive() {
        // the flags go on for 4 rows after the labelled segment ends: one run touching the labels
        int[] label = {0, 1, 1, 0, 0, 0, 0, 0};
        boolean[] flag = {false, true, true, true, true, true, true, false};
        Scores s = Scores.of(new double[8], flag, label, 0.5);
        assertEquals(0.0, s.falseAlarmsPerDay(), 1e-12, "the run touches the labelled segment");
        assertEquals(8.0, s.falsePositivesPerDay(), 1e-12, "4 flagged rows outside the labels in half a day");
    }
}
