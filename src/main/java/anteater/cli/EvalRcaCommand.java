package anteater.cli;

import anteater.eval.RcaEvaluation;
import anteater.rca.RcaConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eval-rca}: top-1 / top-3 accuracy of the root-cause ranking on generated fault scenarios. */
@Command(name = "eval-rca", description = "Evaluate root-cause ranking on generated fault scenarios (t-test detection, live ranking code).")
final class EvalRcaCommand implements Callable<Integer> {

    @Option(names = "--scenarios", description = "scenarios to generate (default ${DEFAULT-VALUE})")
    int scenarios = 200;

    @Option(names = "--seed", description = "seed of the first scenario; scenario i uses seed+i (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--alpha", description = "t-test alpha for detection (default ${DEFAULT-VALUE})")
    double alpha = 0.001;

    @Option(names = "--config", description = "YAML config whose Rca section (rules, weights, depth, windows) to use")
    Path config;

    @Option(names = "--explain", description = "print the ranked causes of this many scenarios")
    int explain = 0;

    @Override
    public Integer call() throws Exception {
        if (scenarios < 1) {
            System.err.println("--scenarios must be >= 1, got " + scenarios);
            return 2;
        }
        if (!(alpha > 0 && alpha < 1)) {
            System.err.println("--alpha must be in (0, 1), got " + alpha);
            return 2;
        }
        if (seed > Long.MAX_VALUE - scenarios) {
            System.err.println("--seed " + seed + " + --scenarios " + scenarios + " overflows a long");
            return 2;
        }
        JsonNode tree;
        try {
            // the agent's own loader: the same checks (a mapping of sections), the same messages
            tree = config == null ? null : anteater.sink.AnteaterConfig.load(config).tree();
        } catch (anteater.sink.ConfigException e) {
            // the parser's own message spans several lines (a caret under the spot): its first line names file and line
            String m = e.getMessage() == null ? "" : e.getMessage().strip().lines().findFirst().orElse("");
            throw new java.io.IOException(m);
        }
        RcaConfig cfg = RcaConfig.from(tree);
        RcaEvaluation ev = new RcaEvaluation(cfg, alpha);
        int top1 = 0, top3 = 0, kpiSeen = 0, rootSeen = 0;
        long candidates = 0;
        Map<String, int[]> byType = new TreeMap<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < scenarios; i++) {
            RcaEvaluation.Case prepared = ev.prepare(seed + i);
            RcaEvaluation.Outcome o = ev.judge(prepared, cfg.ranker());
            int[] c = byType.computeIfAbsent(o.rootType(), k -> new int[3]);
            c[0]++;
            if (o.rank() >= 0) kpiSeen++;
            if (o.rootDetected()) rootSeen++;
            candidates += o.candidates();
            if (o.rank() == 1) {
                top1++;
                c[1]++;
            }
            if (o.rank() >= 1 && o.rank() <= 3) {
                top3++;
                c[2]++;
            }
            if (i < explain) {
                System.out.printf(Locale.ROOT, "scenario seed %d: root %s, rank %d%n", o.seed(), o.rootType(), o.rank());
                for (String line : ev.explain(prepared)) System.out.println(line);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "eval-rca: %d scenarios (seeds %d..%d), t-test alpha %s, windows of %d points, depth %d, window -%ds/+%ds%n",
                scenarios, seed, seed + scenarios - 1, alpha, anteater.eval.RcaScenarioGenerator.WINDOW, cfg.depth(),
                cfg.valid().toSeconds(), cfg.future().toSeconds());
        System.out.printf(Locale.ROOT, "KPI anomaly detected: %d/%d; root anomalous in the window: %d/%d; mean causes listed %.1f%n",
                kpiSeen, scenarios, rootSeen, scenarios, kpiSeen == 0 ? 0.0 : (double) candidates / kpiSeen);
        System.out.printf(Locale.ROOT, "top-1 accuracy: %.3f (%d/%d)%n", (double) top1 / scenarios, top1, scenarios);
        System.out.printf(Locale.ROOT, "top-3 accuracy: %.3f (%d/%d)%n", (double) top3 / scenarios, top3, scenarios);
        for (Map.Entry<String, int[]> e : byType.entrySet()) {
            int[] c = e.getValue();
            System.out.printf(Locale.ROOT, "  root %-10s %4d scenarios: top-1 %.3f top-3 %.3f%n", e.getKey(), c[0],
                    (double) c[1] / c[0], (double) c[2] / c[0]);
        }
        System.out.printf(Locale.ROOT, "time: %.1f s%n", secs);
        return 0;
    }
}
