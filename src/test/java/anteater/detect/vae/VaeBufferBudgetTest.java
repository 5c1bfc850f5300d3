package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Many groups warming up at once share the rows kept for training, instead of each keeping up to 8 MB. */
class VaeBufferBudgetTest {
    @Test
    void warmingUpGroupsKeepTheirShareOfTheBudgetNewestRowsFirstAndItIsLoggedAsItHalves() throws Exception {
        VaeDetector d = VaeDetector.create(VaeDetectorTest.onlineOptions(1000, 0)); // no training during the test
        int groups = 5;
        d.bufferBudget = 2L * groups * 30 * Synthetic.D; // 30 rows per buffer once 5 groups are kept
        double[][] x = Synthetic.rows(2000, 3);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            List<Verdict> out = new ArrayList<>();
            d.process(VaeQueueFullTest.window("h0", 0, x), out);
            d.process(VaeQueueFullTest.window("h0", 1, x), out);
            assertEquals(40, d.bufferedRows("host=h0"), "one group alone keeps all its rows (share 150)");
            for (int w = 2; w < 5; w++) for (int g = 0; g < groups; g++) d.process(VaeQueueFullTest.window("h" + g, w, x), out);
            for (int g = 0; g < groups; g++) {
                assertEquals(30, d.bufferedRows("host=h" + g), "group h" + g + " keeps its share (all its rows without it)");
            }
        } finally {
            System.setErr(err);
            d.close();
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        // logged at the first cut (one group: 150 rows) and as the share halves (groups 2 and 4 join: 75, 37), not at
        // every row or window of the 17
        int warnings = log.split("rows kept for training", -1).length - 1;
        assertEquals(3, warnings, log);
        int at = 0;
        for (String part : new String[] {"shared by 1 groups: each keeps at most 150 rows", "shared by 2 groups: each keeps at most 75 rows",
                "shared by 4 groups: each keeps at most 37 rows"}) {
            int i = log.indexOf(part, at);
            assertTrue(i >= 0, "'" + part + "' after the previous line in: " + log);
            at = i;
        }
    }

    /**
     * Groups of different widths: the share was logged when a buffer's rows halved, one figure for all widths, so after
     * a wide group's line (few rows) a narrow group's cut (many more rows of fewer metrics) was not logged at all. The
     * halvings are now of the values a buffer holds, the same for every width.
     */
    @Test
    void aNarrowGroupsCutIsLoggedAfterAWideGroupsOne() throws Exception {
        VaeDetector d = VaeDetector.create(VaeDetectorTest.onlineOptions(1000, 0));
        d.bufferBudget = 2L * 150 * Synthetic.D; // one group: 150 rows of D metrics
        double[][] x = Synthetic.rows(2000, 3);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            List<Verdict> out = new ArrayList<>();
            for (int w = 0; w < 8; w++) d.process(VaeQueueFullTest.window("wide", w, x), out); // 160 rows: cut to 150
            for (int w = 8; w < 8 + 60; w++) d.process(narrow("thin", w, x), out); // 2 groups: 75 x D values, 1 metric
        } finally {
            System.setErr(err);
            d.close();
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("shared by 1 groups: each keeps at most 150 rows of " + Synthetic.D + " metrics"), log);
        assertTrue(log.contains("shared by 2 groups: each keeps at most " + 75 * Synthetic.D + " rows of 1 metrics"), log);
    }

    /**
     * A wide group that stopped sending, while only narrow groups (not cut themselves) send: the cut came only when a
     * group that is cut asked for rows, so the wide group kept its rows above the share (a review finding).
     */
    @Test
    void anIdleWideGroupIsCutWhenOnlyUncutNarrowGroupsSend() throws Exception {
        VaeDetector d = VaeDetector.create(VaeDetectorTest.onlineOptions(1000, 0));
        d.bufferBudget = 2L * 2 * VaeDetector.MAX_BUFFER; // 2 groups: 20,000 values a buffer, a 1-metric group's maximum
        double[][] x = Synthetic.rows(2000, 3);
        PrintStream err = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            List<Verdict> out = new ArrayList<>();
            for (int w = 0; w < 300; w++) d.process(VaeQueueFullTest.window("wide", w, x), out); // 6,000 rows of 6
            assertEquals(6000, d.bufferedRows("host=wide"));
            d.process(narrow("thin", 300, x), out); // 2 groups: the wide one's share is 20,000 / 6 = 3,333 rows
            assertEquals(20_000 / Synthetic.D, d.bufferedRows("host=wide"));
        } finally {
            System.setErr(err);
            d.close();
        }
    }

    static anteater.detect.Window narrow(String host, int w, double[][] x) {
        anteater.detect.Window win = new anteater.detect.Window("node", "host=" + host, java.util.Map.of("host", host), false, 20);
        long t = 0;
        for (int i = 0; i < 20; i++) {
            t = (w * 20L + i) * Synthetic.STEP;
            win.notePoint(t);
            win.add(Synthetic.METRICS.get(0), t, x[(w * 20 + i) % x.length][0]);
        }
        win.end(null, null, null, false, t);
        return win;
    }

    /**
     * A group that sends no more windows (a host gone) kept its rows above the share for good: a buffer was cut only
     * at its own group's next row. Each cut of the share now cuts every group's buffers.
     */
    @Test
    void anIdleGroupsRowsAreCutWhenTheShareHalves() throws Exception {
        VaeDetector d = VaeDetector.create(VaeDetectorTest.onlineOptions(1000, 0));
        d.bufferBudget = 2L * 5 * 30 * Synthetic.D; // 150 rows per buffer for one group, 37 for four, 30 for five
        double[][] x = Synthetic.rows(2000, 3);
        PrintStream err = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            List<Verdict> out = new ArrayList<>();
            for (int w = 0; w < 5; w++) d.process(VaeQueueFullTest.window("idle", w, x), out); // 100 rows, then no more
            assertEquals(100, d.bufferedRows("host=idle"));
            for (int w = 5; w < 8; w++) for (int g = 1; g < 5; g++) d.process(VaeQueueFullTest.window("h" + g, w, x), out);
            assertEquals(37, d.bufferedRows("host=idle"), "cut with the others when the share halved to 37 rows");
        } finally {
            System.setErr(err);
            d.close();
        }
    }

    /**
     * A share below the rows a fine-tuning needs ({@value VaeDetector#MIN_FINE_TUNE_ROWS}) means no group fine-tunes
     * (or relearns) any more: the buffer never reaches the rows asked for. The line said only how many rows are kept.
     */
    @Test
    void aShareTooSmallToFineTuneSaysThatFineTuningStops() throws Exception {
        VaeDetector d = VaeDetector.create(VaeDetectorTest.onlineOptions(1000, 10));
        d.bufferBudget = 2L * 30 * Synthetic.D; // one group: 30 rows
        double[][] x = Synthetic.rows(2000, 3);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            d.process(VaeQueueFullTest.window("h0", 0, x), new ArrayList<>());
        } finally {
            System.setErr(err);
            d.close();
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("each keeps at most 30 rows") && log.contains("no group fine-tunes or relearns"), log);
    }
}
