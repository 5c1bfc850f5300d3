package anteater.kapacitor;

import anteater.gen.PrinterGenerator;
import anteater.gen.Schedule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The walkthrough of Kapacitor's "Custom anomaly detection" guide with {@code @anteater()}, step by step as the
 * guide does it: start kapacitord with the UDF, {@code kapacitor define} the task, {@code kapacitor record stream}
 * while the printer data is written, {@code kapacitor replay -rec-time} (fast clock), read the alert logs.
 * {@code scripts/demo.sh} (through {@code anteater demo}) and the end-to-end tests both drive Kapacitor with it.
 */
public final class PrinterWalkthrough implements AutoCloseable {
    /** The guide's task id. */
    public static final String TASK = "print_temps";
    /** The alert log directory of the guide; replaced in TICKscripts by {@link #alertDir()}. */
    public static final String GUIDE_LOG_DIR = "/tmp/kapacitor_udf/";
    public static final String DB = "printer";
    public static final String RP = "autogen";
    public static final Duration PERIOD = Duration.ofMinutes(5);
    /** Lines per write request. */
    public static final int CHUNK = 5000;

    /** What to run and where; every field has a default but binDir, jar and workDir. */
    public static final class Settings {
        public Path repoRoot = Path.of("").toAbsolutePath();
        public Path binDir;
        public Path jar;
        public Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        public Path workDir;
        public long seed = 1;
        public Schedule schedule = Schedule.guide();
        public long durationSec = 24 * 3600;
        public long startEpochSec = PrinterGenerator.GUIDE_START;
        /** One {@code anteater serve} JVM on a unix socket instead of one JVM per node. */
        public boolean socket;
        /** ANTEATER_LOG_LEVEL of the agents. */
        public String logLevel = "info";
        /** {@code [task] snapshot-interval} if not null, e.g. "1s". */
        public String snapshotInterval;
        public Duration readyTimeout = Duration.ofSeconds(90);
        public Consumer<String> progress = s -> { };

        public PrinterGenerator generator() {
            return new PrinterGenerator(schedule, seed, durationSec, startEpochSec, "printer1");
        }
    }

    /** A finished stream recording. */
    public record Recording(String id, long pointsWritten, long pointsRecorded, long bytes, Duration wall) {
    }

    /** A finished replay: alert events by alert id, where its logs were moved, and its wall time. */
    public record Replay(String id, Map<String, List<AlertLog.Alert>> alerts, Path logs, Duration wall) {
        public int criticalCount() {
            return alerts.values().stream().mapToInt(l -> (int) l.stream().filter(AlertLog.Alert::critical).count()).sum();
        }
    }

    private final Settings s;
    private AgentServer server;
    private Kapacitord kapacitord;
    private int replays;
    private Path socketPath;

    public PrinterWalkthrough(Settings settings) throws IOException {
        if (settings.binDir == null || settings.jar == null || settings.workDir == null) {
            throw new IllegalArgumentException("binDir, jar and workDir must be set");
        }
        if (!Files.isRegularFile(settings.jar)) throw new IOException("anteater jar not found: " + settings.jar);
        this.s = settings;
        Files.createDirectories(alertDir());
    }

    public Settings settings() {
        return s;
    }

    /** Where the agents write their anomaly events (gala JSON lines): ANTEATER_EVENTS_FILE of the config. */
    public Path eventsFile() {
        return s.workDir.resolve("data").resolve("anteater-events.jsonl");
    }

    public Path alertDir() {
        return s.workDir.resolve("alerts");
    }

    public Kapacitord kapacitord() {
        return kapacitord;
    }

    public AgentServer server() {
        return server;
    }

    public KapacitorCli cli() {
        return new KapacitorCli(s.binDir, kapacitord.url());
    }

    /**
     * The unix socket of socket mode: in the work dir, unless that path is too long for a unix socket address
     * (108 bytes on Linux), then in a fresh directory under the system temp dir.
     */
    public Path socketPath() throws IOException {
        if (socketPath == null) {
            Path p = s.workDir.toAbsolutePath().resolve("anteater.sock");
            socketPath = p.toString().getBytes(StandardCharsets.UTF_8).length < 100 ? p
                    : Files.createTempDirectory("anteater-sock").resolve("a.sock");
        }
        return socketPath;
    }

    /** kapacitor.conf.example with this run's paths, port, log level and snapshot interval. */
    public ConfTemplate conf() throws IOException {
        ConfTemplate c = ConfTemplate.read(s.repoRoot.resolve("kapacitor.conf.example"))
                .with("JAVA", s.java.toString())
                .with("ANTEATER_JAR", s.jar.toAbsolutePath().toString());
        if (s.socket) {
            c.socket(socketPath());
        } else {
            c.set("udf.functions.anteater.env", "ANTEATER_LOG_LEVEL", "\"" + s.logLevel + "\"");
        }
        if (s.snapshotInterval != null) c.set("task", "snapshot-interval", "\"" + s.snapshotInterval + "\"");
        return c;
    }

    /** Starts kapacitord (and first the socket server, in socket mode). */
    public Kapacitord start() throws IOException {
        if (kapacitord != null && kapacitord.isAlive()) throw new IllegalStateException("kapacitord is already running");
        if (s.socket && server == null) {
            s.progress.accept("starting anteater serve --socket " + socketPath());
            server = AgentServer.start(s.java, s.jar, socketPath(), s.workDir.resolve("anteater-serve.log"),
                    s.logLevel, eventsFile(), s.readyTimeout);
        }
        s.progress.accept("starting kapacitord (" + (s.socket ? "socket" : "stdio") + " UDF) in " + s.workDir);
        kapacitord = Kapacitord.start(s.binDir, s.workDir, conf(), s.readyTimeout);
        s.progress.accept("kapacitord " + kapacitord.url() + " ready, log " + kapacitord.log());
        return kapacitord;
    }

    /** Stops kapacitord (its tasks end, the agents get end of input) and starts it again on the same data. */
    public Kapacitord restart() throws IOException {
        kapacitord.close();
        return start();
    }

    /** A TICKscript of tick/ with the guide's /tmp/kapacitor_udf/ replaced by this run's alert directory. */
    public Path tick(String name) throws IOException {
        String text = Files.readString(s.repoRoot.resolve("tick").resolve(name));
        Path out = s.workDir.resolve(name);
        Files.writeString(out, text.replace(GUIDE_LOG_DIR, alertDir().toAbsolutePath() + "/"));
        return out;
    }

    /** {@code kapacitor define TASK -tick FILE} (defined, not enabled, as in the guide). */
    public void define(String task, String tickName) throws IOException {
        cli().run(Duration.ofSeconds(60), "define", task, "-tick", tick(tickName).toString());
        s.progress.accept("defined task " + task + " from tick/" + tickName);
    }

    /** {@code kapacitor enable TASK}; the task's agents are started now. */
    public void enable(String task) throws IOException {
        cli().run(Duration.ofSeconds(120), "enable", task);
    }

    /** Writes lines of line protocol (second precision) to the printer database in chunks. */
    public void write(List<String> lines) throws IOException, InterruptedException {
        kapacitord.api().writeChunked(DB, RP, "s", lines, CHUNK);
    }

    /**
     * {@code kapacitor record stream -task TASK -duration 24h -no-wait}, then the data is written, then one
     * sentinel point stamped after the recording's stop time: a stream recording ends at the first point stamped
     * after its stop (wall clock at the start + duration), which data from 2016 never is. The sentinel itself is
     * not recorded. Waits until the recording is finished and checks that every point written was recorded.
     */
    public Recording record(String task, List<String> lines) throws IOException, InterruptedException {
        String id = "rec-" + task + "-" + System.nanoTime();
        long t0 = System.nanoTime();
        String duration = "24h";
        long stopFloor = System.currentTimeMillis() / 1000 + 24 * 3600;
        cli().run(Duration.ofSeconds(60), "record", "stream", "-task", task, "-duration", duration, "-no-wait",
                "-recording-id", id);
        // the recording attaches to the stream in a goroutine started after the HTTP answer; give it a moment
        // (a point written before it attaches would be missing: checked below)
        Thread.sleep(300);
        s.progress.accept("recording " + id + ": writing " + lines.size() + " points in chunks of " + CHUNK);
        write(lines);
        long sentinel = stopFloor + 3600;
        write(List.of(PrinterGenerator.MEASUREMENT + ",printer=sentinel hotend=0,bed=0,air=0 " + sentinel));
        kapacitord.api().awaitFinished("recordings", id, Duration.ofSeconds(120));
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        Path file = kapacitord.dataDir().resolve("replay").resolve(id + ".srpl");
        long recorded = countRecordedPoints(file);
        if (recorded != lines.size()) {
            throw new IOException("recording " + id + " holds " + recorded + " points, " + lines.size() + " were written");
        }
        s.progress.accept("recording " + id + " finished: " + recorded + " points, " + Files.size(file) + " bytes, "
                + wall.toMillis() + " ms");
        return new Recording(id, lines.size(), recorded, Files.size(file), wall);
    }

    /** A stream recording is gzipped text, three lines per point: database, retention policy, line protocol. */
    static long countRecordedPoints(Path srpl) throws IOException {
        long lines = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(srpl)),
                StandardCharsets.UTF_8))) {
            while (r.readLine() != null) lines++;
        }
        if (lines % 3 != 0) throw new IOException(srpl + ": " + lines + " lines, not a multiple of 3");
        return lines / 3;
    }

    /**
     * {@code kapacitor replay -task TASK -recording ID -rec-time} (fast clock; returns when the replay finished),
     * then reads every alert log and moves the logs to {@code workDir/replay-N/}, so each replay's alerts are its own.
     */
    public Replay replay(String task, String recordingId) throws IOException, InterruptedException {
        String id = "replay-" + (++replays) + "-" + task;
        try (Stream<Path> old = Files.list(alertDir())) {
            for (Path p : old.toList()) Files.delete(p);
        }
        s.progress.accept("replaying " + recordingId + " into " + task + " (fast clock, recording time)");
        long t0 = System.nanoTime();
        cli().run(Duration.ofMinutes(20), "replay", "-task", task, "-recording", recordingId, "-rec-time", "-replay-id", id);
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        kapacitord.api().awaitFinished("replays", id, Duration.ofSeconds(30));
        Path dest = Files.createDirectories(s.workDir.resolve(id));
        Map<String, List<AlertLog.Alert>> byId = new LinkedHashMap<>();
        try (Stream<Path> logs = Files.list(alertDir())) {
            for (Path p : logs.sorted().toList()) {
                for (AlertLog.Alert a : AlertLog.read(p)) byId.computeIfAbsent(a.id(), k -> new ArrayList<>()).add(a);
                Files.move(p, dest.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Replay r = new Replay(id, byId, dest, wall);
        s.progress.accept("replay " + id + " finished in " + wall.toMillis() + " ms: " + r.criticalCount() + " critical alerts");
        return r;
    }

    /** Scores a replay's critical alerts against the schedule's faults. */
    public AlertReport report(Replay r) {
        PrinterGenerator g = s.generator();
        return AlertReport.of(r.alerts(), g.faults(), s.schedule.sensors(), s.startEpochSec, PERIOD, s.durationSec);
    }

    @Override
    public void close() {
        if (kapacitord != null) kapacitord.close();
        if (server != null) server.close();
    }
}
