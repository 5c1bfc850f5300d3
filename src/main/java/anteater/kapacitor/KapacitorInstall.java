package anteater.kapacitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds the bin dir holding {@code kapacitord} and {@code kapacitor} (v1.8.3). */
public final class KapacitorInstall {
    /** Environment variable naming a bin dir to use as is (no install script). */
    public static final String BIN_ENV = "ANTEATER_KAPACITOR_BIN";

    private KapacitorInstall() {
    }

    /**
     * {@code $ANTEATER_KAPACITOR_BIN} if set, else the last stdout line of {@code scripts/install-kapacitor.sh}
     * (idempotent: returns at once when installed, builds from source otherwise). Fails with a message that says
     * what is missing; never returns a dir without both binaries.
     */
    public static Path locate(Path repoRoot) throws IOException {
        String env = System.getenv(BIN_ENV);
        Path dir;
        if (env != null && !env.isBlank()) {
            dir = Path.of(env);
        } else {
            Path script = repoRoot.resolve("scripts/install-kapacitor.sh");
            if (!Files.isRegularFile(script)) {
                throw new IOException("cannot find kapacitord: " + BIN_ENV + " is not set and " + script + " does not exist");
            }
            Path errLog = Files.createTempFile("install-kapacitor", ".log");
            try {
                Process p = new ProcessBuilder(List.of("bash", script.toString()))
                        .directory(repoRoot.toFile())
                        .redirectError(ProcessBuilder.Redirect.to(errLog.toFile()))
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(2, TimeUnit.HOURS)) {
                    p.destroyForcibly();
                    throw new IOException(script + " did not finish within 2 hours");
                }
                if (p.exitValue() != 0) {
                    throw new IOException("cannot find kapacitord: " + script + " exited with " + p.exitValue() + ":\n"
                            + Kapacitord.tail(Files.readString(errLog), 20));
                }
                String[] lines = out.strip().split("\n");
                dir = Path.of(lines[lines.length - 1].strip());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + script, e);
            } finally {
                Files.deleteIfExists(errLog);
            }
        }
        for (String b : List.of("kapacitord", "kapacitor")) {
            if (!Files.isExecutable(dir.resolve(b))) {
                throw new IOException("cannot find kapacitord: " + dir.resolve(b) + " is missing or not executable"
                        + (env != null && !env.isBlank() ? " (from " + BIN_ENV + ")" : ""));
            }
        }
        return dir;
    }
}
