package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.eval.Dataset;
import anteater.eval.Method;
import anteater.eval.Scores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** eval --seeds: per seed the means over the series, then mean and sample standard deviation over the seeds. */
class SeedTableTest {
    static Scores s(double f1, double aucPr) {
        return new Scores(0, 0, f1, 0, 0, 0, aucPr, f1 + 0.1, 0, 0);
    }

    static Method named(String name) {
        return new Method() {
            public String name() { return name; }
            public Result run(Dataset d) { throw new UnsupportedOperationException(); }
        };
    }

    @Test
    void meansPerSeedThenMeanAndSpreadOverSeeds() {
        Map<String, Map<String, Scores>> table = new LinkedHashMap<>();
        table.put("vae-seed42", new LinkedHashMap<>(Map.of("a", s(0.4, 0.6), "b", s(0.2, 0.4)))); // means 0.3, 0.5
        table.put("vae-seed1", new LinkedHashMap<>(Map.of("a", s(0.6, 0.8), "b", s(0.4, 0.6)))); // means 0.5, 0.7
        table.put("pca", new LinkedHashMap<>(Map.of("a", s(0.5, 0.5), "b", s(0.1, 0.1))));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        EvalCommand.printSeeds(new PrintStream(b, true, StandardCharsets.UTF_8), table,
                List.of(named("vae-seed42"), named("vae-seed1")));
        String out = b.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("| vae-seed42 | 0.300 | 0.500 | 0.400 | 1 of 2 |"), out);
        assertTrue(out.contains("| vae-seed1 | 0.500 | 0.700 | 0.600 | 2 of 2 |"), out);
        // mean 0.4, sample sd of {0.3, 0.5} = 0.141
        assertTrue(out.contains("| **mean ± sd over 2 seeds** | **0.400** ± 0.141 | **0.600** ± 0.141 | **0.500** ± 0.141 |"), out);
    }

    @Test
    void anUndefinedScoreIsLeftOutOfItsMeanNotCountedAsZero() {
        Map<String, Scores> t = new LinkedHashMap<>();
        t.put("a", new Scores(0.5, 0.5, 0.5, 1.0, 2, 0.2, 0.8, 0.9, 0.7, 30));
        // no labelled anomaly: event recall, AUC-PR and oracle F1 undefined
        t.put("quiet", new Scores(0, 0, 0, Double.NaN, 0, 0.4, Double.NaN, Double.NaN, 0, 10));
        double[] m = EvalCommand.means(t);
        assertEquals(1.0, m[3], 1e-12, "event recall");
        assertEquals(0.8, m[5], 1e-12, "AUC-PR");
        assertEquals(0.9, m[6], 1e-12, "oracle F1");
        assertEquals(0.25, m[2], 1e-12, "F1 is defined on both");
        assertEquals(0.3, m[4], 1e-12, "false alarms per day too");
        assertEquals(20, m[8], 1e-12, "false-positive rows per day too");
        assertEquals(1, EvalCommand.undefined(t));
    }
}
