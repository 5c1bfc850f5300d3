package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `train` on a bad input: one line on stderr naming the file and what is wrong, exit 2, no model written. */
class TrainErrorsTest {

    static String[] run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new PrintStream(b, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new Commands()).setExecutionExceptionHandler(Main::failed).execute(args);
        } finally {
            System.setErr(err);
        }
        return new String[] {String.valueOf(code), b.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void badInputsGetOneLineAndNoModel(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m.vae");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,b\n1,2\n3,x\n");
        Path nums = dir.resolve("nums.csv");
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 20; i++) sb.append(i).append(',').append(i * 2).append('\n');
        Files.writeString(nums, sb.toString());
        String[][] cases = {
            {dir.resolve("missing.csv").toString(), "", "no such file: "},
            {bad.toString(), "", "bad.csv:3: column b is not a number: 'x'"},
            {nums.toString(), "epochs=0", "option 'epochs' must be in [1, 10000], got 0"},
        };
        for (String[] c : cases) {
            String[] r = c[1].isEmpty() ? run("train", "--input", c[0], "--out", out.toString())
                    : run("train", "--input", c[0], "--out", out.toString(), "-o", c[1]);
            assertEquals("2", r[0], r[1]);
            assertTrue(r[1].startsWith("anteater train: ") && r[1].contains(c[2]), r[1]);
            assertFalse(r[1].contains("\tat "), "no stack trace: " + r[1]);
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void malformedPrometheusAnswersGetOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m.vae");
        String head = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"x\"},"
                + "\"values\":";
        String[][] cases = {
            {"flat.json", head + "[1,2,3]}]}}", "flat.json: series x, sample 1: expected [time, \"value\"], got 1"},
            {"short.json", head + "[[1,\"2\"],[2]]}]}}", "short.json: series x, sample 2: expected [time, \"value\"], got [2]"},
            {"word.json", head + "[[1,\"abc\"]]}]}}", "word.json: series x, sample 1: not a Prometheus sample value: 'abc'"},
            {"cut.json", head + "\n[[1,\"2\"],", "cut.json:2: not valid JSON: "},
        };
        for (String[] c : cases) {
            Path in = Files.writeString(dir.resolve(c[0]), c[1]);
            String[] r = run("train", "--input", in.toString(), "--out", out.toString());
            assertEquals("2", r[0], r[1]);
            assertTrue(r[1].startsWith("anteater train: ") && r[1].contains(c[2]), r[1]);
            assertEquals(1, r[1].strip().lines().count(), "one line: " + r[1]);
            assertFalse(Files.exists(out));
        }
    }
}
