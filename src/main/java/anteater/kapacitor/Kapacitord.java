package anteater.kapacitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A kapacitord of our own: config rendered from the template into {@code workDir}, data under
 * {@code workDir/data} (kept across restarts), HTTP on a free loopback port, log (kapacitord's and every UDF
 * agent's stderr lines) appended to {@code workDir/kapacitord.log}. {@link #close()} stops it and its UDF
 * processes.
 */
public final class Kapacitord implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path workDir;
    private final Path log;
    private final KapacitorApi api;

    private Kapacitord(Process process, int port, Path workDir, Path log) {
        this.process = process;
        this.port = port;
        this.workDir = workDir;
        this.log = log;
        this.api = new KapacitorApi("http://127.0.0.1:" + port);
    }

    /**
     * Starts kapacitord and waits until its API answers (which is after every UDF answered info). The template
     * must have every placeholder but {@code @DATA_DIR@} and {@code @PORT@} filled in.
     */
    public static Kapacitord start(Path binDir, Path workDir, ConfTemplate conf, Duration readyTimeout) throws IOException {
        Path exe = binDir.resolve("kapacitord");
        if (!Files.isExecutable(exe)) {
            throw new IOException("kapacitord not found or not executable at " + exe
                    + " (install it with scripts/install-kapacitor.sh, or point ANTEATER_KAPACITOR_BIN at its bin dir)");
        }
        Path data = Files.createDirectories(workDir.resolve("data"));
        Path log = workDir.resolve("kapacitord.log");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path cfg = conf.with("DATA_DIR", data.toString()).with("PORT", Integer.toString(port))
                    .writeTo(workDir.resolve("kapacitor.conf"));
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder pb = new ProcessBuilder(List.of(exe.toString(), "-config", cfg.toString()))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = ChildProcesses.register(pb.start());
            Kapacitord k = new Kapacitord(p, port, workDir, log);
            try {
                k.awaitReady(readyTimeout);
                return k;
            } catch (IOException e) {
                k.close();
                String tail = k.logSince(logStart);
                if (tail.contains("address already in use")) {
                    last = e;
                    continue;
                }
                throw new IOException(e.getMessage() + "\n--- kapacitord log ---\n" + tail(tail, 40), e);
            }
        }
        throw last;
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("kapacitord exited with code " + process.exitValue() + " during start");
            if (api.ping()) return;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for kapacitord");
            }
        }
        throw new IOException("kapacitord did not answer " + api.url() + "/kapacitor/v1/ping within " + timeout.toSeconds() + " s");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return api.url();
    }

    public KapacitorApi api() {
        return api;
    }

    public Path workDir() {
        return workDir;
    }

    public Path dataDir() {
        return workDir.resolve("data");
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The whole log file (all starts of this work dir). */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String logSince(long offset) {
        String all = logText();
        return offset < all.length() ? all.substring((int) offset) : all;
    }

    static String tail(String text, int lines) {
        String[] l = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(l, Math.max(0, l.length - lines), l.length));
    }

    /** SIGTERM (kapacitord stops its tasks, closing the UDFs' stdin), then SIGKILL after 20 s; UDFs left over too. */
    @Override
    public void close() {
        ChildProcesses.stop(process, 20);
    }
}
