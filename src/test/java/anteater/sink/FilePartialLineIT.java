package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device that fills up in the middle of a burst of lines: the kernel takes part of the burst and refuses the rest.
 * Simulated with a file size limit (`ulimit -f`, RLIMIT_FSIZE) on a child JVM, which runs {@link #main}. The events
 * file must still hold whole lines only.
 */
class FilePartialLineIT {
    private static final long LIMIT_KB = 8192;

    @Test
    void aBurstCutShortByAFullDeviceLeavesNoPartialLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.jsonl");
        Path log = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("bash", "-c", "ulimit -f " + LIMIT_KB + " && exec \"$@\"", "child", java,
                "-cp", System.getProperty("java.class.path"), FilePartialLineIT.class.getName(), file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int rc = p.waitFor();
        String out = Files.readString(log);
        assertEquals(0, rc, out);
        byte[] all = Files.readAllBytes(file);
        String text = new String(all, StandardCharsets.UTF_8);
        assertEquals('\n', text.charAt(text.length() - 1), "the file ends inside a line; child said: " + out);
        ObjectMapper m = new ObjectMapper();
        List<String> lines = text.lines().toList();
        for (String l : lines) m.readTree(l); // every line whole JSON
        // the pre-filled lines are all still there, and every event line that reached the file is whole
        long pads = lines.stream().filter(l -> l.startsWith("{\"pad\"")).count();
        assertEquals((LIMIT_KB * 1024 - 5000) / 1000, pads, "pre-filled lines lost");
        assertEquals(lines.size(), pads + lines.stream().filter(l -> l.startsWith("{\"Timestamp\"")).count(), "other lines");
        long events = lines.stream().filter(l -> l.startsWith("{\"Timestamp\"")).count();
        // the case under test: the device refused part of the burst (50 lines of about 400 bytes, 5,000 bytes left)
        assertTrue(events < 50, "the whole burst fit: " + events + " lines; child said: " + out);
        // what the publisher counts as delivered is what is in the file
        Matcher c = Pattern.compile("produced (\\d+)").matcher(out);
        assertTrue(c.find(), out);
        assertEquals(Long.parseLong(c.group(1)), events, out);
    }

    /** Child: fill the file to 5,000 bytes below the limit, then publish 50 lines of about 400 bytes. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long limit = LIMIT_KB * 1024;
        String pad = "{\"pad\":\"" + "x".repeat(989) + "\"}\n"; // 1000 bytes
        StringBuilder sb = new StringBuilder();
        for (long n = 0; n < (limit - 5000) / 1000; n++) sb.append(pad);
        Files.writeString(file, sb, StandardOpenOption.CREATE_NEW);
        long before = Files.size(file);
        FilePublisher p = new FilePublisher(file, "t", 1000);
        String event = "{\"Timestamp\":1,\"Body\":\"" + "y".repeat(380) + "\"}";
        for (int i = 0; i < 50; i++) p.publish("t", "k", event);
        Thread.sleep(1500);
        p.close(Duration.ofSeconds(2));
        System.out.println("before " + before + " bytes, after " + Files.size(file) + ", produced " + p.produced()
                + ", failed " + p.failed());
    }
}
