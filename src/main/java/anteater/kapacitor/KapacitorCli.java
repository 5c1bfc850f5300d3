package anteater.kapacitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code kapacitor} command line client, pointed at one kapacitord with {@code -url}. */
public final class KapacitorCli {
    private final Path exe;
    private final String url;

    public KapacitorCli(Path binDir, String url) {
        this.exe = binDir.resolve("kapacitor");
        this.url = url;
    }

    /** Runs {@code kapacitor -url URL args...}; returns its stdout, or throws with its output if it fails. */
    public String run(Duration timeout, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), "-url", url));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("kapacitor-cli", ".out");
        Path err = Files.createTempFile("kapacitor-cli", ".err");
        try {
            Process p = ChildProcesses.register(new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start());
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done = false;
            }
            if (!done) {
                ChildProcesses.stop(p, 2);
                throw new IOException(String.join(" ", cmd) + " did not finish within " + timeout.toSeconds() + " s");
            }
            ChildProcesses.stop(p, 0);
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": "
                        + (Files.readString(err, StandardCharsets.UTF_8) + stdout).strip());
            }
            return stdout;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
