package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.kapacitor.AgentServer;
import anteater.udf.proto.Udf;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The JVM flags of kapacitor.conf.example must keep the JVM's own (unified logging) warnings off stdout. */
class JvmWarningIT {
    @Test
    void aJvmWarningDoesNotCorruptTheFrames() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(AgentServer.JVM_FLAGS);          // the flags of kapacitor.conf.example
        cmd.add("-XX:+UseLargePages");              // a [warning] of unified logging, where no large pages are set up
        cmd.add("-XX:+UseBiasedLocking");           // a "VM warning" on every machine (deprecated in 15, removed in 18)
        cmd.addAll(List.of("-jar", AgentProcessIT.jar().toString()));
        Path err = java.nio.file.Files.createTempFile("jvm-warning", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        try (OutputStream o = p.getOutputStream()) {
            o.write(Frames.encode(List.of(Frames.info())));
        }
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
        String stderr = java.nio.file.Files.readString(err);
        java.nio.file.Files.delete(err);
        // the case under test: the JVM did warn, and the warning went to stderr. The VM warning of the deprecated
        // option comes on every machine; the large-pages one only where none are configured
        assertTrue(stderr.contains("VM warning"), "the JVM gave no warning to keep off stdout: " + stderr);
        List<Udf.Response> r = Frames.decode(out); // Kapacitor would fail here with "read error"
        assertEquals(1, r.size());
        assertEquals(Udf.Response.MessageCase.INFO, r.get(0).getMessageCase());
    }
}
