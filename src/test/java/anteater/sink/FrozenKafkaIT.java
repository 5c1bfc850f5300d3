package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.udf.Frames;
import anteater.udf.proto.Udf;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that is up but does not answer: a real broker frozen with {@code kill -STOP} before the task starts, with
 * RCA's Kafka input on, then thawed. The agent (the fat jar, over pipes, as Kapacitor runs it) must answer init,
 * every keepalive and every window while it is frozen, say what is wrong (the broker does not answer: not a missing
 * topic, and RCA's input must notice although its connection stays open), deliver everything once thawed, and end
 * at end of input. Time limits here are hang guards only (Kapacitor's udf timeout is typically 10 s).
 */
class FrozenKafkaIT {
    static final long GUARD_MS = 10_000;

    /** The agent process with a reader of its responses. */
    static final class LiveAgent {
        final Process process;
        final OutputStream in;
        final BlockingQueue<Udf.Response> answers = new LinkedBlockingQueue<>();
        final Map<Long, Long> keepalivesOut = new ConcurrentHashMap<>();
        final AtomicLong keepalivesBack = new AtomicLong();
        final AtomicLong points = new AtomicLong();
        volatile long slowestKeepaliveMs;

        LiveAgent(Path config, Path stderr) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar", System.getProperty("anteater.jar")));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
            pb.environment().put("ANTEATER_CONFIG", config.toString());
            process = pb.start();
            in = new BufferedOutputStream(process.getOutputStream());
            Thread reader = new Thread(this::read, "agent-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (InputStream out = process.getInputStream()) {
                for (Udf.Response r; (r = Udf.Response.parseDelimitedFrom(out)) != null; ) {
                    if (r.hasKeepalive()) {
                        Long sent = keepalivesOut.remove(r.getKeepalive().getTime());
                        if (sent != null) slowestKeepaliveMs = Math.max(slowestKeepaliveMs, (System.nanoTime() - sent) / 1_000_000);
                        keepalivesBack.incrementAndGet();
                    } else if (r.hasPoint()) {
                        points.incrementAndGet();
                    } else {
                        answers.add(r);
                    }
                }
            } catch (IOException e) {
                // the agent ended
            }
        }

        synchronized void send(Udf.Request r) throws IOException {
            Frames.write(in, r);
            in.flush();
        }

        void keepalive(long id) throws IOException {
            keepalivesOut.put(id, System.nanoTime());
            send(Frames.keepalive(id));
        }
    }

    static void signal(String sig, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor(),
                "kill -" + sig + " " + pid);
    }

    /** Sends windows (every other one 50 standard deviations off) and keepalives for {@code seconds}. */
    static int feed(LiveAgent a, int from, int seconds, Random rnd) throws Exception {
        int w = from;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            double[] v = new double[30];
            for (int i = 0; i < v.length; i++) v[i] = (w % 2 == 0 ? 10 : 60) + rnd.nextGaussian();
            for (Udf.Request r : Frames.window("cpu", Map.of("host", "web1"), "v",
                    1_700_000_000_000_000_000L + w * 300_000_000_000L, v)) {
                a.send(r);
            }
            a.keepalive(w);
            w++;
            Thread.sleep(200);
        }
        return w;
    }

    /** Waits until every keepalive and the points of every window but the first came back (hang guard 60 s). */
    static void awaitAnswered(LiveAgent a, long pointsWanted) throws InterruptedException {
        long until = System.nanoTime() + 60_000_000_000L;
        while ((a.points.get() < pointsWanted || !a.keepalivesOut.isEmpty()) && System.nanoTime() < until) Thread.sleep(50);
    }

    static int count(String log, String what) {
        return log.split(Pattern.quote(what), -1).length - 1;
    }

    @Test
    void aFrozenBrokerNeverStallsTheAgentAndIsNamedForWhatItIs(@TempDir Path dir) throws Exception {
        KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), false);
        long pid = Long.parseLong(Files.readString(dir.resolve("kafka/kafka.pid")).trim());
        Path topology = dir.resolve("topology.json");
        Files.writeString(topology, "{\"entities\": [], \"edges\": []}");
        String[] hp = broker.bootstrap.split(":");
        Path config = dir.resolve("anteater.yaml");
        Files.writeString(config, "Kafka:\n  server: " + hp[0] + "\n  port: " + hp[1] + "\n"
                + "Rca:\n  enabled: true\n  file: " + topology + "\n  kafka_input: true\n");
        Path stderr = dir.resolve("agent.err");
        LiveAgent a = null;
        try {
            a = new LiveAgent(config, stderr);
            a.send(Frames.info());
            assertNotNull(a.answers.poll(60, TimeUnit.SECONDS), "info answered");
            signal("STOP", pid);
            a.send(Frames.init("field", "v", "suppress", Duration.ZERO, "topic", "it_frozen", "size", 300L));
            Udf.Response init = a.answers.poll(GUARD_MS, TimeUnit.MILLISECONDS);
            assertNotNull(init, "init answered while the broker is frozen");
            assertTrue(init.getInit().getSuccess(), init.toString());

            Random rnd = new Random(3);
            // frozen for 25 s: longer than the 10 s after which the sink and RCA's input say no broker answers
            int windows = feed(a, 0, 25, rnd);
            awaitAnswered(a, windows - 1);
            assertEquals(windows - 1, a.points.get(), "every window but the first (it seeds the history) came back");
            assertTrue(a.keepalivesOut.isEmpty(), a.keepalivesOut.size() + " keepalives unanswered");
            assertTrue(a.slowestKeepaliveMs < GUARD_MS, "slowest keepalive " + a.slowestKeepaliveMs + " ms");

            signal("CONT", pid);
            windows = feed(a, windows, 5, rnd);
            awaitAnswered(a, windows - 1);
            assertEquals(windows - 1, a.points.get());
            // thawed: what waited goes out (the topic is retried every 0.5 s to 10 s); half the windows are off
            List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> got =
                    broker.read("it_frozen", windows / 2, Duration.ofSeconds(90));
            String thawed = Files.readString(stderr);
            int windowsThawed = windows;

            // frozen again, now with events in the client, and the task ends: the agent ends too, every event counted
            signal("STOP", pid);
            windows = feed(a, windows, 3, rnd);
            a.in.close();
            assertTrue(a.process.waitFor(60, TimeUnit.SECONDS), "the agent ends at end of input, the broker frozen");
            signal("CONT", pid);
            String log = Files.readString(stderr);
            System.err.println(log);
            assertEquals(0, a.process.exitValue(), log);
            awaitAnswered(a, windows - 1); // what the agent wrote before it ended, still being read
            assertEquals(windows - 1, a.points.get(), "every window but the first came back");
            assertTrue(a.keepalivesOut.isEmpty(), a.keepalivesOut.size() + " keepalives unanswered");

            assertFalse(thawed.contains("although a broker answers"), "a frozen broker is not a missing topic");
            assertEquals(1, count(thawed, "no broker answered within max.block.ms: connected but silent"), thawed);
            assertEquals(1, count(thawed, "no answer from any broker"), "RCA's input noticed once: " + thawed);
            assertEquals(1, count(thawed, "a broker answers again"), "and once that it is back: " + thawed);
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var r : got) ids.add(KafkaOutageIT.M.readTree(r.value()).at("/Attributes/event_id").asText());
            assertEquals(got.size(), ids.size(), "no duplicates");
            assertTrue(got.size() >= windowsThawed / 2, got.size() + " events delivered after the thaw");

            Matcher handed = Pattern.compile("task events: (\\d+) anomalous windows, 0 suppressed").matcher(log);
            assertTrue(handed.find(), log);
            int anomalous = Integer.parseInt(handed.group(1));
            Matcher closed = Pattern.compile("closed: (\\d+) produced, (\\d+) failed \\(\\d+ still queued at the close "
                    + "deadline\\), (\\d+) dropped").matcher(log);
            assertTrue(closed.find(), log);
            long produced = Long.parseLong(closed.group(1));
            long failed = Long.parseLong(closed.group(2));
            assertEquals(0, Long.parseLong(closed.group(3)), "nothing dropped: " + log);
            assertEquals(anomalous, produced + failed, "every event produced or counted as failed: " + log);
            assertTrue(produced >= got.size(), log);
        } finally {
            signal("CONT", pid);
            if (a != null) a.process.destroyForcibly();
            broker.stop();
        }
    }
}
