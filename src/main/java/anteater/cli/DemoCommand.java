package anteater.cli;

import anteater.gen.Schedule;
import anteater.kapacitor.AlertReport;
import anteater.kapacitor.KapacitorInstall;
import anteater.kapacitor.PrinterWalkthrough;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: Kapacitor's 3D printer walkthrough with {@code @anteater()} in a real kapacitord: define, record
 * 24 h of generated temperatures, replay, print the alerts per sensor against the fault windows.
 */
@Command(name = "demo", description = {
        "Run Kapacitor's anomaly detection walkthrough (3D printer temperatures) with @anteater() in kapacitord:",
        "start it, define the task, record the generated data, replay it, print the alerts found per sensor."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--kapacitor-bin", paramLabel = "DIR",
            description = "dir with kapacitord and kapacitor (default: $ANTEATER_KAPACITOR_BIN, else scripts/install-kapacitor.sh)")
    Path binDir;

    @Option(names = "--repo", paramLabel = "DIR", description = "project dir with kapacitor.conf.example and tick/ (default: .)")
    Path repo = Path.of(".");

    @Option(names = "--jar", description = "anteater jar kapacitord runs (default: this jar)")
    Path jar;

    @Option(names = "--work", paramLabel = "DIR", description = "work dir (default: a new temp dir, removed at the end unless --keep)")
    Path work;

    @Option(names = "--keep", description = "keep the work dir (config, logs, recordings, alert logs)")
    boolean keep;

    @Option(names = "--seed", description = "data generator seed (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--schedule", paramLabel = "FILE", description = "fault schedule (default: the guide's)")
    Path schedule;

    @Option(names = "--hours", description = "hours of data (default ${DEFAULT-VALUE})")
    double hours = 24;

    @Option(names = "--socket", description = "one `anteater serve --socket` JVM instead of one JVM per node")
    boolean socket;

    @Override
    public Integer call() throws Exception {
        try {
            return demo();
        } catch (java.io.IOException | IllegalArgumentException | IllegalStateException e) {
            // one line, no stack trace: the message names what failed (process, command, file)
            System.err.println("[demo] failed: " + e.getMessage());
            return 1;
        }
    }

    private int demo() throws Exception {
        // checked before anything is started: locating kapacitord may build it (10 to 30 minutes the first time)
        if (!(hours > 0) || hours > 24 * 366 || Math.round(hours * 3600) < 1) {
            System.err.println("--hours must be in (0, 8784] and at least one second, got " + hours);
            return 2;
        }
        Schedule sched;
        try {
            sched = schedule == null ? Schedule.guide() : Schedule.read(schedule);
        } catch (IllegalArgumentException | java.nio.file.NoSuchFileException e) {
            System.err.println("bad schedule: " + (e instanceof java.nio.file.NoSuchFileException ? "no such file: " : "")
                    + e.getMessage());
            return 2;
        }
        long t0 = System.nanoTime();
        Path repoRoot = repo.toAbsolutePath().normalize();
        if (jar == null) jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (binDir == null) binDir = KapacitorInstall.locate(repoRoot);
        boolean tempWork = work == null;
        Path workDir = tempWork ? Files.createTempDirectory("anteater-demo") : Files.createDirectories(work);

        PrinterWalkthrough.Settings s = new PrinterWalkthrough.Settings();
        s.repoRoot = repoRoot;
        s.binDir = binDir;
        s.jar = jar;
        s.workDir = workDir;
        s.seed = seed;
        s.schedule = sched;
        s.durationSec = Math.round(hours * 3600);
        s.socket = socket;
        s.progress = m -> System.err.printf(Locale.ROOT, "[demo %5.1fs] %s%n", (System.nanoTime() - t0) / 1e9, m);

        int code;
        try (PrinterWalkthrough w = new PrinterWalkthrough(s)) {
            long tg = System.nanoTime();
            List<String> lines = s.generator().lines();
            double genMs = (System.nanoTime() - tg) / 1e6;
            s.progress.accept(String.format(Locale.ROOT, "generated %d points (seed %d) in %.0f ms", lines.size(), seed, genMs));
            long ts = System.nanoTime();
            w.start();
            double startMs = (System.nanoTime() - ts) / 1e6;
            w.define(PrinterWalkthrough.TASK, "printer_temps.tick");
            PrinterWalkthrough.Recording rec = w.record(PrinterWalkthrough.TASK, lines);
            PrinterWalkthrough.Replay rep = w.replay(PrinterWalkthrough.TASK, rec.id());
            AlertReport report = w.report(rep);

            System.out.println();
            System.out.println("Alerts of the printer walkthrough (task " + PrinterWalkthrough.TASK + ", @anteater() t-test, alpha 0.001, "
                    + "5 min windows, " + lines.size() + " points, seed " + seed + ", " + (socket ? "socket" : "stdio") + " UDF):");
            System.out.println();
            System.out.print(report.table());
            System.out.println();
            System.out.printf(Locale.ROOT, "faults found: %s; critical alerts inside fault windows: %d; outside (false alarms): %d%n",
                    report.allFaultsFound() ? "all" : "NOT ALL", report.insideCount(), report.outsideCount());
            System.out.printf(Locale.ROOT, "timings: kapacitord start %.1f s, record (write %d points) %.1f s, replay %.1f s%n",
                    startMs / 1e3, rec.pointsWritten(), rec.wall().toMillis() / 1e3, rep.wall().toMillis() / 1e3);
            code = report.allFaultsFound() ? 0 : 1;
        } finally {
            if (tempWork && !keep) deleteTree(workDir);
            else System.err.println("[demo] work dir kept: " + workDir);
        }
        System.out.printf(Locale.ROOT, "demo wall time (this command): %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return code;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
