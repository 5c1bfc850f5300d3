package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code eval} refuses arguments that used to give a run that looked fine: {@code --plot} of a series not
 * evaluated (no plot, exit 0), {@code -o field=} of a metric the data lacks (every score 0, exit 0), a seed given
 * twice (both runs under one name: one table, a spread of 0), and {@code --out} naming a file (refused only after
 * loading the data, with the bare path as message). Each is one line on stderr, exit 2, nothing on stdout, nothing written.
 */
class EvalArgsTest {

    /** {exit code, stdout, stderr} of the command run in this JVM. */
    static String[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new Commands()).setExecutionExceptionHandler(Main::failed).execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[] {String.valueOf(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    }

    static Path nab(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("f"));
        Files.writeString(dir.resolve("combined_windows.json"),
                "{\"f/a.csv\": [[\"2020-01-01 01:00:00.000000\", \"2020-01-01 01:10:00.000000\"]]}");
        StringBuilder b = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 200; i++) b.append(String.format("2020-01-01 %02d:%02d:00,%d%n", i / 60, i % 60, i % 7));
        Files.writeString(dir.resolve("f/a.csv"), b.toString());
        return dir;
    }

    static String[] eval(Path data, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("eval", "--detector", "robustz", "--format", "nab", "--data", data.toString(),
                "--out", out.toString(), "--window", "1", "--no-baselines"));
        a.addAll(List.of(more));
        return run(a.toArray(new String[0]));
    }

    static void refused(String[] r, String message) {
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains(message), r[2]);
        assertEquals(1, r[2].strip().lines().count(), "one line: " + r[2]);
        assertEquals("", r[1], "nothing on stdout");
    }

    @Test
    void goodRunWritesCsvAndPlot(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        String[] r = eval(nab(dir.resolve("nab")), out, "-o", "field=value", "--plot", "f/a");
        assertEquals("0", r[0], r[2]);
        assertTrue(Files.exists(out.resolve("f/a.csv")) && Files.exists(out.resolve("f/a.png")));
    }

    @Test
    void unknownPlotSeriesIsRefused(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        refused(eval(nab(dir.resolve("nab")), out, "--plot", "f/b"), "--plot: no series named f/b among those evaluated (f/a)");
        assertFalse(Files.exists(out));
    }

    @Test
    void fieldTheDataLacksIsRefused(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        refused(eval(nab(dir.resolve("nab")), out, "-o", "field=valeu"),
                "anteater eval: option 'field': series f/a has no metric 'valeu' (its metrics: value)");
        assertFalse(Files.exists(out));
    }

    @Test
    void repeatedSeedIsRefused(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        String[] r = run("eval", "--detector", "vae", "--format", "nab", "--data", nab(dir.resolve("nab")).toString(),
                "--out", out.toString(), "--seeds", "1,1");
        refused(r, "--seeds: each seed once, got [1, 1]");
        assertFalse(Files.exists(out));
    }

    @Test
    void outThatIsAFileIsRefusedAndKept(@TempDir Path dir) throws Exception {
        Path out = Files.writeString(dir.resolve("notes.txt"), "mine");
        refused(eval(nab(dir.resolve("nab")), out), "--out " + out + " is a file, not a folder");
        assertEquals("mine", Files.readString(out));
    }
    @Test
    void inputOutsideTheDataFolderIsNotOverwritten(@TempDir Path dir) throws Exception {
        // a combined_windows.json naming a file by its absolute path made eval write <out>/<that path>.csv: the input itself
        Path mine = dir.resolve("mine.csv");
        Files.copy(nab(dir.resolve("src")).resolve("f/a.csv"), mine);
        String before = Files.readString(mine);
        Path data = Files.createDirectories(dir.resolve("nab"));
        Files.writeString(data.resolve("combined_windows.json"), "{\"" + mine + "\": []}");
        String[] r = eval(data, dir.resolve("out"));
        refused(r, "a file must be named by a relative path inside");
        assertEquals(before, Files.readString(mine));
    }
    @Test
    void outEqualToDataDoesNotOverwriteTheCorpus(@TempDir Path dir) throws Exception {
        // NAB inputs are <data>/<name>.csv, the scores <out>/<name>.csv: with --out = --data eval wrote over the corpus
        Path data = nab(dir.resolve("nab"));
        String before = Files.readString(data.resolve("f/a.csv"));
        refused(eval(data, data), "would overwrite the input file " + data.resolve("f/a.csv"));
        refused(eval(data, dir.resolve("nab/.")), "would overwrite the input file");
        assertEquals(before, Files.readString(data.resolve("f/a.csv")));
    }
}
