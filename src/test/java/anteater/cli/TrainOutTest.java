package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An --out that cannot take the model is refused before the training, with its reason, exit 2: before, a
 * directory or a path under a regular file failed only after the whole training (with a message that was just a
 * path), and --out naming the input file overwrote the training data with the model.
 */
class TrainOutTest {

    static Path nums(Path dir) throws Exception {
        Path nums = dir.resolve("nums.csv");
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 40; i++) sb.append(i % 7).append(',').append((i * 3) % 5).append('\n');
        Files.writeString(nums, sb.toString());
        return nums;
    }

    @Test
    void unusableOutIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        Path nums = nums(dir);
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path file = Files.writeString(dir.resolve("file"), "x");
        String[][] cases = {
            {sub.toString(), "is a directory"},
            {file.resolve("m.vae").toString(), "cannot create its directory"},
            {nums.toString(), "is the input file"},
        };
        byte[] before = Files.readAllBytes(nums);
        for (String[] c : cases) {
            String[] r = TrainErrorsTest.run("train", "--input", nums.toString(), "--out", c[0], "-o", "epochs=1");
            assertEquals("2", r[0], c[0] + ": " + r[1]);
            assertTrue(r[1].startsWith("anteater train: --out ") && r[1].contains(c[1]), c[0] + ": " + r[1]);
            assertFalse(r[1].contains("training on"), c[0] + ": refused only after training: " + r[1]);
        }
        assertArrayEquals(before, Files.readAllBytes(nums), "the input is left alone");
        assertTrue(Files.isDirectory(sub));
        try (var l = Files.list(dir)) {
            assertFalse(l.anyMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary file left");
        }
    }

    @Test
    void goodOutGetsTheModelAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path nums = nums(dir);
        Path out = dir.resolve("new").resolve("m.vae");
        String[] r = TrainErrorsTest.run("train", "--input", nums.toString(), "--out", out.toString(), "-o", "epochs=1");
        assertEquals("0", r[0], r[1]);
        assertTrue(Files.size(out) > 0);
        try (var l = Files.list(out.getParent())) {
            assertEquals(1, l.count(), "only the model");
        }
    }

    @Test
    void aPartFileLeftByAKilledTrainingOfTheSamePidDoesNotBlock(@TempDir Path dir) throws Exception {
        Path nums = nums(dir);
        Path out = dir.resolve("m.vae");
        // what a training killed with SIGKILL leaves behind (deleteOnExit does not run), here under this process's pid,
        // as when train runs as pid 1 of a container each time
        long pid = ProcessHandle.current().pid();
        Path stale = Files.writeString(dir.resolve(".m.vae." + pid + ".part"), "half");
        String[] r = TrainErrorsTest.run("train", "--input", nums.toString(), "--out", out.toString(), "-o", "epochs=1");
        assertEquals("0", r[0], r[1]);
        assertTrue(Files.size(out) > 0);
        assertEquals("half", Files.readString(stale), "another's file is left alone");
    }
}
