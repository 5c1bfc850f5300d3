package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import anteater.detect.Options;
import anteater.eval.Method;
import org.junit.jupiter.api.Test;

class HoldoffMaskTest {

    @Test
    void knncadScoresAfterAFlagAreCappedForNabsProtocolOnly() throws Exception {
        EvalCommand e = new EvalCommand();
        e.window = 1;
        double[] score = {0.2, 0.999, 0.998, 0.97, 0.3, 0.999};
        boolean[] flag = {false, true, false, false, false, true};
        Method.Result r = new Method.Result(score, flag, Double.NaN, null);
        Method.Result m = e.holdoffMasked(Options.of("detector", "knncad", "field", "v", "kHoldoff", 2L), r);
        // the 2 values after the flag at 1 are capped at 0.5; the flag at 5 is outside the hold-off and kept
        assertArrayEquals(new double[] {0.2, 0.999, 0.5, 0.5, 0.3, 0.999}, m.score(), 0.0);
        assertSame(flag, m.flag());
        assertArrayEquals(new double[] {0.2, 0.999, 0.998, 0.97, 0.3, 0.999}, score, 0.0); // input untouched
        // a flag on the last training row holds off the first 2 test rows too (hold-off 2)
        boolean[] late = {false, false, false, false, false, true};
        Method.Result t = new Method.Result(score, late, Double.NaN, null, 0);
        assertArrayEquals(new double[] {0.2, 0.5, 0.998, 0.97, 0.3, 0.999},
                e.holdoffMasked(Options.of("detector", "knncad", "field", "v", "kHoldoff", 2L), t).score(), 0.0);
        // one long past: nothing carried over
        Method.Result old = new Method.Result(score, flag, Double.NaN, null, 5);
        assertArrayEquals(m.score(),
                e.holdoffMasked(Options.of("detector", "knncad", "field", "v", "kHoldoff", 2L), old).score(), 0.0);
        // other detectors, or several values per window: unchanged
        assertSame(r, e.holdoffMasked(Options.of("detector", "robustz", "field", "v"), r));
        e.window = 10;
        assertSame(r, e.holdoffMasked(Options.of("detector", "knncad", "field", "v"), r));
    }
}
