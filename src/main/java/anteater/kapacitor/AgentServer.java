package anteater.kapacitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code java -jar anteater.jar serve --socket PATH} as a child process, for Kapacitor's socket UDF mode. */
public final class AgentServer implements AutoCloseable {
    /** JVM flags of the agent, as in kapacitor.conf.example. */
    public static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "-Xmx256m", "-XX:+DisplayVMOutputToStderr", "-Xlog:disable", "-Xlog:all=warning:stderr");

    private final Process process;
    private final Path socket;
    private final Path log;

    private AgentServer(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /** Starts the server and waits until its socket file exists. Its stderr goes to {@code log}, its anomaly events to {@code eventsFile}. */
    public static AgentServer start(Path java, Path jar, Path socket, Path log, String logLevel, Path eventsFile,
                                    Duration timeout)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(List.of("-jar", jar.toString(), "serve", "--socket", socket.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("ANTEATER_LOG_LEVEL", logLevel);
        pb.environment().put("ANTEATER_EVENTS_FILE", eventsFile.toString());
        Files.deleteIfExists(socket);
        AgentServer s = new AgentServer(ChildProcesses.register(pb.start()), socket, log);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(socket)) {
            if (!s.process.isAlive()) {
                throw new IOException("anteater serve exited with " + s.process.exitValue() + ":\n"
                        + Kapacitord.tail(Files.readString(log), 20));
            }
            if (System.nanoTime() > deadline) {
                s.close();
                throw new IOException("anteater serve did not create " + socket + " within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                s.close();
                throw new IOException("interrupted while starting anteater serve");
            }
        }
        return s;
    }

    public Path socket() {
        return socket;
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

    @Override
    public void close() {
        ChildProcesses.stop(process, 10);
    }
}
