package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import anteater.udf.proto.Udf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Mutated frame sequences, as a broken or hostile peer would send them (fixed seeds: every run is the same): valid
 * sessions (info, init, batches, keepalives, snapshot, restore) with bytes flipped, cut short, frames duplicated,
 * swapped, or spliced into another frame's body. Whatever arrives, run() returns (no exception, no hang), every
 * response is a whole Response with a message set, a run that answered an ErrorResponse exits 1 (and one that
 * exits 1 said why), and no thread of the connection is left running.
 */
class AgentFuzzTest {
    static final Map<String, String> HOST = Map.of("host", "a");
    static final long SEC = 1_000_000_000L;

    /** One valid session, as frames. */
    static List<byte[]> session(Random rnd, byte[] snapshot) throws IOException {
        List<Udf.Request> reqs = new ArrayList<>();
        reqs.add(Frames.keepalive(1));
        reqs.add(Frames.info());
        reqs.add(Frames.init("field", "x", "size", 50L));
        if (snapshot != null && rnd.nextBoolean()) reqs.add(Frames.restore(snapshot));
        for (int w = 0; w < 4; w++) {
            double[] v = new double[5 + rnd.nextInt(10)];
            for (int i = 0; i < v.length; i++) v[i] = 10 + rnd.nextGaussian();
            List<Udf.Request> win = Frames.window("m", HOST, "x", w * 100 * SEC, v);
            win.add(1 + rnd.nextInt(win.size() - 1), Frames.keepalive(100 + w));
            reqs.addAll(win);
            if (w == 2) reqs.add(Frames.snapshot());
        }
        List<byte[]> frames = new ArrayList<>();
        for (Udf.Request r : reqs) frames.add(Frames.encode(List.of(r)));
        return frames;
    }

    static byte[] mutate(Random rnd, List<byte[]> frames) throws IOException {
        List<byte[]> f = new ArrayList<>(frames);
        int ops = 1 + rnd.nextInt(3);
        for (int k = 0; k < ops; k++) {
            int i = rnd.nextInt(f.size());
            switch (rnd.nextInt(6)) {
                case 0 -> { // flip bytes of one frame
                    byte[] b = f.get(i).clone();
                    for (int n = 1 + rnd.nextInt(3); n > 0; n--) b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                    f.set(i, b);
                }
                case 1 -> f.set(i, Arrays.copyOf(f.get(i), rnd.nextInt(f.get(i).length))); // cut short
                case 2 -> f.add(i, f.get(i)); // duplicated
                case 3 -> { // swapped with another
                    int j = rnd.nextInt(f.size());
                    byte[] t = f.get(i);
                    f.set(i, f.get(j));
                    f.set(j, t);
                }
                case 4 -> { // a valid frame spliced into another's body
                    byte[] host = f.get(i);
                    byte[] guest = f.get(rnd.nextInt(f.size()));
                    int at = 1 + rnd.nextInt(Math.max(1, host.length - 1));
                    byte[] b = new byte[host.length + guest.length];
                    System.arraycopy(host, 0, b, 0, at);
                    System.arraycopy(guest, 0, b, at, guest.length);
                    System.arraycopy(host, at, b, at + guest.length, host.length - at);
                    f.set(i, b);
                }
                default -> f.remove(i); // dropped
            }
            if (f.isEmpty()) break;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] b : f) out.write(b);
        // sometimes the whole input is cut short too
        byte[] all = out.toByteArray();
        return rnd.nextInt(4) == 0 && all.length > 0 ? Arrays.copyOf(all, rnd.nextInt(all.length)) : all;
    }

    static Set<String> connectionThreads(String prefix) {
        Set<String> s = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.isAlive() && t.getName().startsWith(prefix)) s.add(t.getName());
        return s;
    }

    static byte[] validSnapshot() throws IOException {
        List<Udf.Request> reqs = new ArrayList<>(List.of(Frames.init("field", "x", "size", 50L)));
        reqs.addAll(Frames.window("m", HOST, "x", 0, 1, 2, 3, 4));
        reqs.add(Frames.snapshot());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Agent(new ByteArrayInputStream(Frames.encode(reqs)), out, new AnomalyHandler(), 1 << 20, "snap").run();
        List<Udf.Response> r = Frames.decode(out.toByteArray());
        return r.get(r.size() - 1).getSnapshot().getSnapshot().toByteArray();
    }

    @Test
    void mutatedSessionsNeverCrashHangOrAnswerGarbage() throws Exception {
        byte[] snapshot = validSnapshot();
        assertTimeoutPreemptively(Duration.ofSeconds(240), () -> {
            for (int seed = 0; seed < 200; seed++) {
                Random rnd = new Random(seed);
                byte[] in = mutate(rnd, session(rnd, snapshot));
                String name = "fuzz" + seed;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int code;
                try {
                    code = new Agent(new ByteArrayInputStream(in), out, new AnomalyHandler(), 1 << 20, name).run();
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("seed " + seed + ": run() threw " + e, e);
                }
                List<Udf.Response> responses = new ArrayList<>();
                InputStream o = new ByteArrayInputStream(out.toByteArray());
                try {
                    Udf.Response r;
                    while ((r = Udf.Response.parseDelimitedFrom(o)) != null) responses.add(r);
                } catch (IOException e) {
                    fail("seed " + seed + ": output does not parse as Responses: " + e);
                }
                for (Udf.Response r : responses) {
                    assertFalse(r.getMessageCase() == Udf.Response.MessageCase.MESSAGE_NOT_SET, "seed " + seed + ": a Response without a message");
                }
                boolean error = responses.stream().anyMatch(Udf.Response::hasError);
                assertTrue(code == 0 || code == 1, "seed " + seed + ": exit " + code);
                assertEquals(error, code == 1, "seed " + seed + ": exit " + code + " with responses " + cases(responses));
                if (code == 1) {
                    assertTrue(responses.get(responses.size() - 1).hasError(), "seed " + seed + ": the error is the last answer: " + cases(responses));
                }
                Set<String> left = connectionThreads(name + "-");
                assertEquals(Set.of(), left, "seed " + seed + ": threads left running");
            }
        });
    }

    static List<String> cases(List<Udf.Response> rs) {
        return rs.stream().map(r -> r.getMessageCase().toString()).toList();
    }
}
