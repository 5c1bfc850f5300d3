package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.udf.proto.Udf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fat jar as Kapacitor runs it: a child process speaking frames over pipes. */
class AgentProcessIT {
    static final Map<String, String> HOST = Map.of("host", "serverA");

    static Path jar() {
        String p = System.getProperty("anteater.jar");
        assertTrue(p != null && Files.isRegularFile(Path.of(p)), "system property anteater.jar must name the built fat jar, got " + p);
        return Path.of(p);
    }

    static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m", "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    record Result(int code, byte[] stdout, String stderr) {
    }

    static Result runAgent(byte[] input) throws Exception {
        Process p = new ProcessBuilder(java()).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drainErr = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // process gone
            }
        });
        drainErr.start();
        Thread feed = new Thread(() -> {
            try (OutputStream o = p.getOutputStream()) {
                o.write(input);
            } catch (IOException ignored) {
                // the agent may exit before reading everything (protocol error)
            }
        });
        feed.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "agent exits at end of input");
        feed.join();
        drainErr.join();
        return new Result(p.exitValue(), out, err.toString());
    }

    @Test
    void fullSessionOverPipes() throws Exception {
        Random rnd = new Random(11);
        List<Udf.Request> reqs = new ArrayList<>();
        reqs.add(Frames.info());
        reqs.add(Frames.init("field", "hotend", "field", "bed", "size", 300L, "alpha", 0.001));
        for (int w = 0; w < 6; w++) {
            reqs.add(Frames.begin("temperatures", HOST, 100));
            for (int i = 0; i < 100; i++) {
                long t = (w * 100L + i) * 1_000_000_000L;
                reqs.add(Frames.point(t, HOST, Map.of("hotend", (w == 4 ? 240.0 : 220.0) + rnd.nextGaussian()),
                        Map.of("bed", 90L + rnd.nextInt(3))));
                if (i == 50) reqs.add(Frames.keepalive(w));
            }
            reqs.add(Frames.end("temperatures", HOST, (w * 100L + 99) * 1_000_000_000L));
        }
        reqs.add(Frames.snapshot());
        Result r = runAgent(Frames.encode(reqs));
        assertEquals(0, r.code, r.stderr);
        // stdout holds frames only: it decodes completely into responses
        List<Udf.Response> resp = Frames.decode(r.stdout);
        // keepalives are answered by the read loop at once, so one may overtake the worker's info answer
        assertEquals(Udf.Response.MessageCase.INFO, resp.stream().filter(x -> !x.hasKeepalive()).findFirst().orElseThrow()
                .getMessageCase());
        long points = resp.stream().filter(Udf.Response::hasPoint).count();
        assertEquals(10, points, "5 judged windows x 2 fields");
        long keepalives = resp.stream().filter(Udf.Response::hasKeepalive).count();
        assertEquals(6, keepalives);
        assertEquals(Udf.Response.MessageCase.SNAPSHOT, resp.get(resp.size() - 1).getMessageCase());
        boolean flagged = resp.stream().filter(Udf.Response::hasPoint).map(Udf.Response::getPoint)
                .anyMatch(p -> p.getTagsMap().get("field").equals("hotend") && p.getFieldsBoolMap().get("is_anomaly"));
        assertTrue(flagged, "the hotend fault of window 4 is flagged");
        assertTrue(r.stderr.contains("init"), "logs go to stderr: " + r.stderr);
    }

    @Test
    void oversizedFrameEndsTheProcessWithAnError() throws Exception {
        byte[] hostile = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}; // 4 GiB - 1
        Result r = runAgent(hostile);
        assertEquals(1, r.code);
        List<Udf.Response> resp = Frames.decode(r.stdout);
        assertEquals(1, resp.size());
        assertTrue(resp.get(0).getError().getError().contains("exceeds the limit of 16777216"), resp.get(0).toString());
    }

    @Test
    void infoLoadsNothingHeavy() throws Exception {
        List<String> cmd = java();
        cmd.add(1, "-Xlog:class+load=info:stderr");
        Path log = Files.createTempFile("anteater-classes", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        try (OutputStream o = p.getOutputStream()) {
            o.write(Frames.encode(List.of(Frames.info())));
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String loaded = Files.readString(log);
        Files.delete(log);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertTrue(Frames.decode(out).get(0).hasInfo());
        assertTrue(loaded.contains("anteater.udf.Agent"), "class loading was logged");
        for (String heavy : new String[] {"org.nd4j", "org.deeplearning4j", "org.apache.kafka", "com.arangodb",
                "com.fasterxml.jackson", "picocli"}) {
            assertFalse(loaded.contains(heavy), heavy + " was loaded for info");
        }
    }

    @Test
    void emptyInputExitsCleanly() throws Exception {
        Result r = runAgent(new byte[0]);
        assertEquals(0, r.code, r.stderr);
        assertEquals(0, r.stdout.length);
    }

    @Test
    void helpGoesToTheTerminalNotIntoFrames() throws Exception {
        Process p = new ProcessBuilder(java("--help")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertTrue(out.contains("serve"), out);
        assertFalse(out.isEmpty());
    }
}
