package anteater.cli;

import anteater.udf.proto.Udf;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Benchmarks the stdio agent from another process: spawns {@code java -jar anteater.jar} over pipes, as Kapacitor
 * does, and measures spawn-to-info latency, t-test throughput (windows of 500 points, one field) and peak RSS.
 */
@Command(name = "bench", description = "Benchmark the stdio agent in a child process: startup-to-info, points/s, RSS.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--jar", description = "agent jar (default: this jar)")
    Path jar;

    @Option(names = "--jvm-opts", split = " ", description = "JVM options of the agent (default: ${DEFAULT-VALUE})")
    List<String> jvmOpts = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx256m",
            "-XX:+DisplayVMOutputToStderr", "-Xlog:disable", "-Xlog:all=warning:stderr"));

    @Option(names = "--points", description = "points per measured run (default ${DEFAULT-VALUE})")
    int points = 5_000_000;

    @Option(names = "--window", description = "points per window (default ${DEFAULT-VALUE})")
    int window = 500;

    @Option(names = "--runs", description = "measured runs (default ${DEFAULT-VALUE})")
    int runs = 3;

    @Option(names = "--startups", description = "spawns for startup-to-info (default ${DEFAULT-VALUE})")
    int startups = 10;

    @Option(names = "--detector", description = "detector under load: ttest or knncad, at their default options (default ${DEFAULT-VALUE})")
    String detector = "ttest";

    @Override
    public Integer call() throws Exception {
        if (!detector.equals("ttest") && !detector.equals("knncad")) {
            System.err.println("--detector must be ttest or knncad, got " + detector);
            return 2;
        }
        if (window < 1 || points < window || startups < 1 || runs < 1) {
            System.err.println("--window, --startups and --runs must be >= 1 and --points >= --window, got window " + window
                    + ", points " + points + ", startups " + startups + ", runs " + runs);
            return 2;
        }
        if (jar == null) jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOpts);
        cmd.add("-jar");
        cmd.add(jar.toString());
        System.err.println("agent: " + String.join(" ", cmd));

        double[] startupMs = new double[startups];
        for (int i = 0; i < startups; i++) startupMs[i] = startupToInfo(cmd);
        Arrays.sort(startupMs);
        System.out.printf(Locale.ROOT, "startup-to-info: median %.0f ms, min %.0f ms, max %.0f ms (%d spawns)%n",
                startupMs[startups / 2], startupMs[0], startupMs[startups - 1], startups);

        byte[] data = encodeWindows(points, window);
        double best = 0;
        long peakKb = 0;
        for (int r = 0; r < runs; r++) {
            double[] res = throughput(cmd, data, points, window, detector);
            best = Math.max(best, res[0]);
            peakKb = Math.max(peakKb, (long) res[1]);
            System.out.printf(Locale.ROOT, "run %d: %.0f points/s, %d windows, peak RSS %.1f MB%n",
                    r + 1, res[0], points / window, res[1] / 1024.0);
        }
        System.out.printf(Locale.ROOT, "throughput: best %.0f points/s (windows of %d points, 1 field, %s)%n", best, window, detector);
        System.out.printf(Locale.ROOT, "peak RSS (VmHWM): %.1f MB%n", peakKb / 1024.0);
        return 0;
    }

    private static void writeFrame(OutputStream out, Udf.Request r) throws IOException {
        r.writeDelimitedTo(out);
    }

    private static double startupToInfo(List<String> cmd) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream out = p.getOutputStream(); InputStream in = new BufferedInputStream(p.getInputStream())) {
            writeFrame(out, Udf.Request.newBuilder().setInfo(Udf.InfoRequest.getDefaultInstance()).build());
            out.flush();
            Udf.Response resp = Udf.Response.parseDelimitedFrom(in);
            long t1 = System.nanoTime();
            if (resp == null || !resp.hasInfo()) throw new IOException("no info response");
            out.close();
            p.waitFor();
            return (t1 - t0) / 1e6;
        }
    }

    static byte[] encodeWindows(int points, int window) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(points * 40);
        Random rnd = new Random(42);
        long t = 1_700_000_000_000_000_000L;
        int windows = points / window;
        for (int w = 0; w < windows; w++) {
            writeFrame(b, Udf.Request.newBuilder().setBegin(Udf.BeginBatch.newBuilder()
                    .setName("temperatures").setGroup("host=h1").putTags("host", "h1").setSize(window)).build());
            for (int i = 0; i < window; i++) {
                t += 1_000_000_000L;
                writeFrame(b, Udf.Request.newBuilder().setPoint(Udf.Point.newBuilder().setTime(t)
                        .setGroup("host=h1").putTags("host", "h1")
                        .putFieldsDouble("value", 70 + rnd.nextGaussian())).build());
            }
            writeFrame(b, Udf.Request.newBuilder().setEnd(Udf.EndBatch.newBuilder()
                    .setName("temperatures").setGroup("host=h1").putTags("host", "h1").setTmax(t)).build());
        }
        return b.toByteArray();
    }

    /** Returns {points per second, peak RSS in kB}. */
    private static double[] throughput(List<String> cmd, byte[] data, int points, int window, String detector) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        InputStream in = new BufferedInputStream(p.getInputStream(), 1 << 16);
        OutputStream out = p.getOutputStream();
        Udf.InitRequest.Builder init = Udf.InitRequest.newBuilder();
        init.addOptions(opt("field", Udf.OptionValue.newBuilder().setType(Udf.ValueType.STRING).setStringValue("value")));
        long silent;
        if (detector.equals("knncad")) {
            init.addOptions(opt("detector", Udf.OptionValue.newBuilder().setType(Udf.ValueType.STRING).setStringValue("knncad")));
            // windows before the first scored value (the kDim - 1 + kTraining values that fill the reference set)
            long firstScored = (Long) anteater.detect.OptionTable.get("kDim").defaultValue() - 1
                    + (Long) anteater.detect.OptionTable.get("kTraining").defaultValue();
            silent = firstScored / window;
        } else {
            init.addOptions(opt("size", Udf.OptionValue.newBuilder().setType(Udf.ValueType.INT).setIntValue(3600)));
            init.addOptions(opt("alpha", Udf.OptionValue.newBuilder().setType(Udf.ValueType.DOUBLE).setDoubleValue(0.001)));
            silent = 1; // the first window only seeds the history
        }
        writeFrame(out, Udf.Request.newBuilder().setInit(init).build());
        out.flush();
        Udf.Response r = Udf.Response.parseDelimitedFrom(in);
        if (r == null || !r.hasInit() || !r.getInit().getSuccess()) throw new IOException("init failed: " + r);
        AtomicLong outPoints = new AtomicLong();
        Thread reader = new Thread(() -> {
            try {
                Udf.Response x;
                while ((x = Udf.Response.parseDelimitedFrom(in)) != null) if (x.hasPoint()) outPoints.incrementAndGet();
            } catch (IOException ignored) {
                // end
            }
        });
        reader.start();
        long expected = points / window - silent;
        long t0 = System.nanoTime();
        out.write(data, 0, data.length);
        out.flush();
        while (outPoints.get() < expected && reader.isAlive()) Thread.sleep(1);
        long t1 = System.nanoTime();
        long peak = peakRssKb(p.pid());
        out.close();
        reader.join();
        p.waitFor();
        if (outPoints.get() != expected) throw new IOException("expected " + expected + " output points, got " + outPoints.get());
        double secs = (t1 - t0) / 1e9;
        return new double[] {points / secs, Math.max(peak, 0)};
    }

    private static Udf.Option opt(String name, Udf.OptionValue.Builder v) {
        return Udf.Option.newBuilder().setName(name).addValues(v).build();
    }

    static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(new File("/proc/" + pid + "/status").toPath())) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException ignored) {
            // not on Linux, or gone
        }
        return -1;
    }
}
