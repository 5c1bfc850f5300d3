package anteater.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import anteater.kapacitor.KapacitorInstall;
import anteater.kapacitor.Kapacitord;
import anteater.kapacitor.PrinterWalkthrough;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Shared set-up of the end-to-end tests: kapacitord 1.8.3, the fat jar, a work dir under target/e2e. */
final class E2e {
    private static Path bin;

    private E2e() {
    }

    /** The project dir (failsafe runs tests there). */
    static Path repoRoot() {
        return Path.of("").toAbsolutePath();
    }

    static Path jar() {
        String p = System.getProperty("anteater.jar");
        assertTrue(p != null && Files.isRegularFile(Path.of(p)),
                "system property anteater.jar must name the built fat jar (run through `mvn verify`), got " + p);
        return Path.of(p);
    }

    /** kapacitord's bin dir; a missing kapacitord FAILS the test (never skips) with the reason. */
    static synchronized Path kapacitorBin() {
        if (bin == null) {
            try {
                bin = KapacitorInstall.locate(repoRoot());
            } catch (IOException e) {
                fail("the end-to-end tests need kapacitord 1.8.3 and could not get it: " + e.getMessage()
                        + "\n(install it with scripts/install-kapacitor.sh, or set " + KapacitorInstall.BIN_ENV + ")");
            }
        }
        return bin;
    }

    static PrinterWalkthrough.Settings settings(String name) throws IOException {
        PrinterWalkthrough.Settings s = new PrinterWalkthrough.Settings();
        s.repoRoot = repoRoot();
        s.binDir = kapacitorBin();
        s.jar = jar();
        Path base = Files.createDirectories(repoRoot().resolve("target/e2e"));
        // short names: the unix socket path of socket mode must stay under 108 bytes
        s.workDir = Files.createTempDirectory(base, name + "-");
        s.progress = m -> System.out.println("[" + name + "] " + m);
        return s;
    }

    /** Polls until {@code cond} holds; fails with {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            Thread.sleep(100);
        }
    }

    /** The "emitted" count of the task's @anteater() node (named anteaterN by Kapacitor). */
    static long udfEmitted(Kapacitord k, String task) {
        try {
            JsonNode stats = k.api().task(task).path("stats").path("node-stats");
            for (Iterator<Map.Entry<String, JsonNode>> it = stats.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().startsWith("anteater")) return e.getValue().path("emitted").asLong();
            }
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Processes kapacitord has started and that are still running (UDF agents). */
    static long liveChildren(Kapacitord k) {
        return ProcessHandle.of(k.pid()).map(h -> h.descendants().filter(ProcessHandle::isAlive).count()).orElse(0L);
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) n++;
        return n;
    }
}
