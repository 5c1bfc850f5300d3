package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad numbers for {@code eval-rca}, {@code demo} and {@code bench} are usage errors: one line, exit 2, before any
 * work. Before, {@code eval-rca --scenarios 0} (or -5) printed accuracies of NaN (-0.000) with exit 0, {@code --alpha 0}
 * died with a stack trace, a seed near Long.MAX_VALUE printed a wrapped seed range; {@code demo --hours 0} or a bad
 * {@code --schedule} failed only after locating (possibly building) kapacitord and creating its work dir, with exit 1;
 * {@code bench --startups 0} or {@code --window 0} died with a stack trace after spawning agents.
 */
class CommandArgsTest {

    static void refused(String[] r, String message) {
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains(message), r[2]);
        assertEquals(1, r[2].strip().lines().count(), "one line: " + r[2]);
        assertFalse(r[2].contains("\tat "), "no stack trace: " + r[2]);
        assertEquals("", r[1], "nothing on stdout");
    }

    @Test
    void evalRcaNeedsScenariosAndAnAlpha() {
        refused(EvalArgsTest.run("eval-rca", "--scenarios", "0"), "--scenarios must be >= 1, got 0");
        refused(EvalArgsTest.run("eval-rca", "--scenarios", "-5"), "--scenarios must be >= 1, got -5");
        refused(EvalArgsTest.run("eval-rca", "--scenarios", "1", "--alpha", "0"), "--alpha must be in (0, 1), got 0.0");
        refused(EvalArgsTest.run("eval-rca", "--scenarios", "1", "--alpha", "1.5"), "--alpha must be in (0, 1), got 1.5");
        refused(EvalArgsTest.run("eval-rca", "--scenarios", "3", "--seed", String.valueOf(Long.MAX_VALUE)), "overflows a long");
    }

    @Test
    void demoChecksHoursAndScheduleFirst(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("fake.jar"), "");
        Path work = dir.resolve("work");
        String[] common = {"--kapacitor-bin", dir.resolve("no-kapacitor").toString(), "--jar", jar.toString(), "--work", work.toString()};
        refused(EvalArgsTest.run(cat(new String[] {"demo", "--hours", "0"}, common)), "--hours must be in (0, 8784]");
        refused(EvalArgsTest.run(cat(new String[] {"demo", "--hours", "0.0001"}, common)), "at least one second");
        Path bad = Files.writeString(dir.resolve("s.txt"), "nonsense\n");
        refused(EvalArgsTest.run(cat(new String[] {"demo", "--schedule", bad.toString()}, common)), "bad schedule: ");
        refused(EvalArgsTest.run(cat(new String[] {"demo", "--schedule", dir.resolve("none.txt").toString()}, common)),
                "bad schedule: no such file: ");
        assertFalse(Files.exists(work), "nothing created");
    }

    @Test
    void benchNeedsPositiveCounts(@TempDir Path dir) {
        // a jar that does not exist: without the checks the spawned agents would fail, not the arguments
        String jar = dir.resolve("none.jar").toString();
        refused(EvalArgsTest.run("bench", "--jar", jar, "--startups", "0"), "--startups and --runs must be >= 1");
        refused(EvalArgsTest.run("bench", "--jar", jar, "--runs", "0"), "got window 500, points 5000000, startups 10, runs 0");
        refused(EvalArgsTest.run("bench", "--jar", jar, "--window", "0"), "--window, --startups");
        refused(EvalArgsTest.run("bench", "--jar", jar, "--points", "10", "--window", "500"), "--points >= --window");
    }

    @Test
    void genAloneIsAUsageErrorAndMessagesNameTheWholeCommand() {
        String[] r = EvalArgsTest.run("gen");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].startsWith("Usage: gen") && r[2].contains("printer"), r[2]);
        assertEquals("", r[1]);
        refused(EvalArgsTest.run("gen", "printer", "--hours", "0.0001"), "anteater gen printer: duration must be > 0 seconds");
    }

    @Test
    void evalRcaBadYamlIsOneLine(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "Rca: [1\n");
        refused(EvalArgsTest.run("eval-rca", "--scenarios", "1", "--config", bad.toString()),
                "anteater eval-rca: config file " + bad + " (line 1) is not valid YAML: while parsing a flow sequence");
        // a list, not a mapping of sections, was accepted and silently gave the defaults
        Path list = Files.writeString(dir.resolve("list.yaml"), "- Rca\n- Kafka\n");
        refused(EvalArgsTest.run("eval-rca", "--scenarios", "1", "--config", list.toString()),
                "anteater eval-rca: config file " + list + " must be a YAML mapping of sections");
    }

    @Test
    void aMissingOutputFolderIsNamedAsSuch(@TempDir Path dir) {
        // it used to say "no such file: .../missing/x.lp", of a file the user meant to create
        Path out = dir.resolve("missing").resolve("x.lp");
        refused(EvalArgsTest.run("gen", "printer", "--hours", "1", "-o", out.toString()),
                "anteater gen printer: no such directory: " + out.getParent() + " (for " + out + ")");
    }

    /**
     * A frame limit below 1 KiB (0, -1) was accepted: the socket server then served on, refusing every frame of every
     * connection ("length 2 bytes exceeds the limit of -1 bytes"), and the stdio agent refused Kapacitor's info. Without
     * the check this call never returns (the server runs), so a hang guard bounds it.
     */
    @Test
    void aFrameLimitBelowOneKibIsAUsageError(@TempDir Path dir) {
        for (String bad : new String[] {"0", "-1", "1023"}) {
            String[] r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                    () -> EvalArgsTest.run("serve", "--socket", dir.resolve("a.sock").toString(), "--max-frame", bad));
            refused(r, "anteater serve: --max-frame must be at least 1024 bytes, got " + bad);
            assertFalse(Files.exists(dir.resolve("a.sock")), "no socket created");
        }
    }

    static String[] cat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
