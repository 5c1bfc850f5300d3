package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** the events file on a full disk (/dev/full answers every write with ENOSPC). */
class FullDiskLogTest {
    @Test
    void aFullDiskIsNotLoggedFiveTimesASecond() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        FilePublisher p = new FilePublisher(Path.of("/dev/full"), "topic", 100);
        try {
            p.publish("topic", "k", "{\"one\":\"event\"}");
            Thread.sleep(3_000);
        } finally {
            p.close(Duration.ofSeconds(1));
            System.setErr(err);
        }
        long lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("cannot append")).count();
        System.err.println("one undeliverable event, 3 s: " + lines + " 'cannot append' lines");
        assertTrue(lines <= 2, lines + " warnings in 3 s (one every 200 ms before)");
    }
}
