package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input too large for the heap ends train with one line saying so and what to do: before, the JVM's
 * OutOfMemoryError and its stack trace (a 2 GB CSV of 250 M values needs about 14 GB of heap to train at lags 10).
 */
class TrainMemoryTest {

    static String[] train(Path input, Path out) throws Exception {
        return train(input, out, "-Xmx64m");
    }

    static String[] train(Path input, Path out, String heap, String... more) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java.toString(), heap, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "train", "--input", input.toString(), "--out", out.toString(), "-o", "epochs=1"));
        cmd.addAll(List.of(more));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new String[] {String.valueOf(p.exitValue()), err};
    }

    static void assertOneLine(String[] r, Path input, Path out, String doing) {
        assertEquals("1", r[0], r[1]);
        assertFalse(r[1].contains("\tat "), "no stack trace: " + r[1]);
        String last = r[1].strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("anteater train: " + input + ": not enough memory " + doing) && last.contains("-Xmx"), r[1]);
        assertFalse(Files.exists(out));
    }

    @Test
    void aCsvTooLargeToTrainOnIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("big.csv");
        // 200,000 rows x 10 metrics: about 120 MB for the training at lags 10, on a heap of 64 MB
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("m0,m1,m2,m3,m4,m5,m6,m7,m8,m9\n");
            for (int i = 0; i < 200_000; i++) {
                for (int j = 0; j < 10; j++) w.write((j == 0 ? "" : ",") + ((i * 7 + j * 13) % 101) / 10.0);
                w.write('\n');
            }
        }
        Path out = dir.resolve("m.vae");
        assertOneLine(train(csv, out), csv, out, "training on 200000 rows x 10 metrics");
    }

    /** 200,000 lines of 10 fields: about 30 MB of rows (a double[] per time); about 240 MB before TimeRows. */
    static Path lineProtocol(Path dir) throws Exception {
        Path lp = dir.resolve("big.lp");
        try (BufferedWriter w = Files.newBufferedWriter(lp)) {
            for (int i = 0; i < 200_000; i++) {
                w.write("cpu ");
                for (int j = 0; j < 10; j++) w.write((j == 0 ? "" : ",") + "field" + j + "=" + ((i * 7 + j * 13) % 101) / 10.0);
                w.write(" " + (1_700_000_000_000_000_000L + i * 1_000_000_000L) + "\n");
            }
        }
        return lp;
    }

    @Test
    void lineProtocolTooLargeToReadIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path lp = lineProtocol(dir);
        Path out = dir.resolve("m.vae");
        assertOneLine(train(lp, out, "-Xmx16m"), lp, out, "reading it");
    }

    /** The file the test above cannot read at 16 MB is read at 64 MB and fails only in the training (before: "reading it"). */
    @Test
    void lineProtocolIsReadAtEightBytesAValue(@TempDir Path dir) throws Exception {
        Path lp = lineProtocol(dir);
        Path out = dir.resolve("m.vae");
        assertOneLine(train(lp, out), lp, out, "training on 200000 rows x 10 metrics");
    }

    /**
     * A fleet's query_range answer (30 instances x 10 metrics x 2,000 samples, 600,000 samples, 18 MB) trains one
     * instance's model at 64 MB: the answer is streamed and the other instances' series skipped. Read as a JSON tree
     * (about 400 bytes a sample) it ran out of memory while reading.
     */
    @Test
    void aFleetsPrometheusAnswerTrainsOneInstanceInASmallHeap(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("fleet.json");
        try (BufferedWriter w = Files.newBufferedWriter(json)) {
            w.write("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
            for (int h = 0; h < 30; h++) {
                for (int m = 0; m < 10; m++) {
                    w.write((h + m == 0 ? "" : ",") + "{\"metric\":{\"__name__\":\"node_m" + m + "\",\"instance\":\"h" + h
                            + ":9100\"},\"values\":[");
                    for (int i = 0; i < 2_000; i++) {
                        w.write((i == 0 ? "" : ",") + "[" + (1_700_000_000 + 60 * i) + ",\"" + ((i * 7 + m * 13 + h) % 101) / 10.0 + "\"]");
                    }
                    w.write("]}");
                }
            }
            w.write("]}}");
        }
        Path out = dir.resolve("m.vae");
        String[] r = train(json, out, "-Xmx64m", "--tag", "instance=h7:9100");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("training on 2000 rows x 10 metrics"), r[1]);
        assertTrue(Files.size(out) > 0);
    }
}
