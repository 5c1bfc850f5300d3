package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Window;
import anteater.udf.proto.Udf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A connection that fails on its read loop ends alone and cleanly (socket mode: many of them in one JVM). */
class AgentFailureTest {
    static final Map<String, String> HOST = Map.of("host", "a");

    /** AnomalyHandler that counts close(). */
    static final class Counting implements Handler {
        final AnomalyHandler inner = new AnomalyHandler();
        final AtomicInteger closes = new AtomicInteger();

        @Override public Udf.InfoResponse info() { return inner.info(); }
        @Override public Udf.InitResponse init(Udf.InitRequest r) { return inner.init(r); }
        @Override public boolean ready() { return inner.ready(); }
        @Override public Udf.SnapshotResponse snapshot() { return inner.snapshot(); }
        @Override public Udf.RestoreResponse restore(Udf.RestoreRequest r) { return inner.restore(r); }
        @Override public void window(Window w, Consumer<Udf.Response> out) { inner.window(w, out); }

        @Override
        public void close() {
            closes.incrementAndGet();
            inner.close();
        }
    }

    static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    /** A batch that never ends (or a huge one) is refused at the limit instead of filling the heap. */
    @Test
    void aBatchAboveTheValueLimitIsRefusedWithAnError() throws IOException {
        List<Udf.Request> reqs = new ArrayList<>();
        reqs.add(Frames.init("field", "x"));
        reqs.add(Frames.begin("m", HOST, 0));
        for (int i = 0; i < 600; i++) {
            reqs.add(Frames.point(i * 1_000_000_000L, HOST, Map.of("x", 1.0 * i, "y", 2.0), Map.of()));
        }
        reqs.add(Frames.end("m", HOST, 600 * 1_000_000_000L));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Counting h = new Counting();
        int code = new Agent(new ByteArrayInputStream(Frames.encode(reqs)), out, h, 1 << 20, "big-batch", 1000).run();
        List<Udf.Response> resp = Frames.decode(out.toByteArray());
        assertEquals(1, code, resp.toString());
        Udf.Response last = resp.get(resp.size() - 1);
        assertTrue(last.hasError() && last.getError().getError().contains("batch of more than 1000 values"), last.toString());
        assertEquals(1, h.closes.get());
    }

    /** A window of {@code n} points of one field x (Frames.window at 1 s steps). */
    static List<Udf.Request> window(long startNs, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i % 7;
        return Frames.window("m", HOST, "x", startNs, v);
    }

    /**
     * The bound on one batch is inclusive (a window costing exactly the limit is taken, one more point is not), and
     * it holds on the read loop's fast path too: the windows of a group after its first {@link SeriesTags#WINDOWS}
     * skip the full parse. Here 3 small windows, then one of 488 points (488 values + 488 points + 24 for the column:
     * 1000) is judged, and one of 489 (1002) is refused.
     */
    @Test
    void aBatchAtTheValueLimitIsTakenOnTheFastPathAndOneMorePointIsNot() throws IOException {
        for (int n : new int[] {488, 489}) {
            List<Udf.Request> reqs = new ArrayList<>(List.of(Frames.init("field", "x")));
            for (int w = 0; w < SeriesTags.WINDOWS; w++) reqs.addAll(window(w * 1000 * 1_000_000_000L, 4));
            reqs.addAll(window(SeriesTags.WINDOWS * 1000 * 1_000_000_000L, n));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = new Agent(new ByteArrayInputStream(Frames.encode(reqs)), out, new Counting(), 1 << 20, "limit", 1000).run();
            List<Udf.Response> resp = Frames.decode(out.toByteArray());
            Udf.Response last = resp.get(resp.size() - 1);
            if (n == 488) {
                assertEquals(0, code, resp.toString());
                assertTrue(resp.stream().noneMatch(Udf.Response::hasError), resp.toString());
                assertEquals(SeriesTags.WINDOWS, resp.stream().filter(Udf.Response::hasPoint).count(), "every window after the first judged");
            } else {
                assertEquals(1, code, resp.toString());
                assertTrue(last.hasError() && last.getError().getError().startsWith("anteater: batch of more than 1000 values")
                        && last.getError().getError().contains("after 489 points and 1 fields"), last.toString());
            }
        }
    }

    /** At the end of input the handler is closed (its detector, its sinks flushed), once, after the queued windows. */
    @Test
    void aCleanEndClosesTheHandler() throws IOException {
        List<Udf.Request> reqs = new ArrayList<>(List.of(Frames.init("field", "x")));
        reqs.addAll(window(0, 4));
        Counting h = new Counting();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, new Agent(new ByteArrayInputStream(Frames.encode(reqs)), out, h, 1 << 20, "clean").run());
        assertEquals(1, h.closes.get());
    }

    /** A read of Kapacitor's pipe that fails (EIO, a reset socket) ends the connection with exit 1 and says so. */
    @Test
    void aFailingReadEndsTheConnectionWithAnError() throws IOException {
        byte[] init = Frames.encode(List.of(Frames.init("field", "x")));
        InputStream in = new java.io.SequenceInputStream(new ByteArrayInputStream(init), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("simulated: Input/output error");
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Counting h = new Counting();
        int code = new Agent(in, out, h, 1 << 20, "eio").run();
        List<Udf.Response> resp = Frames.decode(out.toByteArray());
        assertEquals(1, code, resp.toString());
        Udf.Response last = resp.get(resp.size() - 1);
        assertEquals("anteater: reading from Kapacitor failed: java.io.IOException: simulated: Input/output error",
                last.getError().getError(), last.toString());
        assertEquals(1, h.closes.get());
    }

    /**
     * An Error on the read loop (here a simulated OutOfMemoryError from the input; in socket mode the heap is shared,
     * so another connection's flood can make this connection's allocation fail) ends the connection with an
     * ErrorResponse, closes the handler and stops the worker and writer threads, instead of escaping run() and
     * leaving them parked for ever with the task's detector and sinks.
     */
    @Test
    void anErrorOnTheReadLoopEndsTheConnectionCleanly() throws Exception {
        byte[] init = Frames.encode(List.of(Frames.init("field", "x")));
        InputStream in = new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos < init.length) {
                    int n = Math.min(len, init.length - pos);
                    System.arraycopy(init, pos, b, off, n);
                    pos += n;
                    return n;
                }
                throw new OutOfMemoryError("simulated: Java heap space");
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Counting h = new Counting();
        Agent agent = new Agent(in, out, h, 1 << 20, "oom-conn");
        int[] code = {-1};
        Throwable[] escaped = {null};
        Thread t = new Thread(() -> {
            try {
                code[0] = agent.run();
            } catch (Throwable e) {
                escaped[0] = e;
            }
        });
        t.start();
        t.join();
        assertEquals(null, escaped[0], "the error escaped the agent's run()");
        assertEquals(1, code[0]);
        List<Udf.Response> resp = Frames.decode(out.toByteArray());
        // (the queued init may or may not have been answered first: fail() drops queued requests)
        Udf.Response last = resp.get(resp.size() - 1);
        assertTrue(last.hasError() && last.getError().getError().contains("OutOfMemoryError"), last.toString());
        assertEquals(1, h.closes.get(), "handler closed");
        // the worker and writer threads end with the connection (join: they are done once run() returns)
        for (Thread x : Thread.getAllStackTraces().keySet()) {
            if (x.getName().startsWith("oom-conn-")) x.join(10_000);
        }
        assertFalse(threadAlive("oom-conn-worker"), "worker thread left running");
        assertFalse(threadAlive("oom-conn-writer"), "writer thread left running");
    }

    /**
     * Kapacitor waits for the answer to init, snapshot and restore without a deadline (keepalives keep the task
     * alive): an Error the handler does not catch (here an OutOfMemoryError out of init) must still give an answer,
     * or the task start (or stop, which snapshots first) hangs for ever.
     */
    @Test
    void aHandlerThatThrowsStillAnswersEveryRequest() throws IOException {
        Handler throwing = new Handler() {
            @Override public Udf.InfoResponse info() { throw new IllegalStateException("info broke"); }
            @Override public Udf.InitResponse init(Udf.InitRequest r) { throw new OutOfMemoryError("simulated: Java heap space"); }
            @Override public boolean ready() { return false; }
            @Override public Udf.SnapshotResponse snapshot() { throw new StackOverflowError("simulated"); }
            @Override public Udf.RestoreResponse restore(Udf.RestoreRequest r) { throw new OutOfMemoryError("simulated"); }
            @Override public void window(Window w, Consumer<Udf.Response> out) { }
            @Override public void close() { }
        };
        // a failed init or restore ends the connection (Kapacitor stops the node): each goes last on its connection
        List<Udf.Response> first = answers(throwing, Frames.init("field", "x"));
        assertEquals(1, first.size(), first.toString());
        assertTrue(first.get(0).hasInit() && !first.get(0).getInit().getSuccess()
                && first.get(0).getInit().getError().contains("OutOfMemoryError"), first.get(0).toString());
        List<Udf.Response> resp = answers(throwing, Frames.snapshot(), Frames.info(), Frames.restore(new byte[] {1}));
        assertEquals(3, resp.size(), resp.toString());
        assertTrue(resp.get(0).hasSnapshot() && resp.get(0).getSnapshot().getSnapshot().isEmpty(), resp.get(0).toString());
        assertTrue(resp.get(1).hasError() && resp.get(1).getError().getError().contains("info broke"), resp.get(1).toString());
        assertTrue(resp.get(2).hasRestore() && !resp.get(2).getRestore().getSuccess(), resp.get(2).toString());
    }

    private static List<Udf.Response> answers(Handler h, Udf.Request... reqs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Agent(new ByteArrayInputStream(Frames.encode(List.of(reqs))), out, h, 1 << 20, "throwing").run();
        return Frames.decode(out.toByteArray());
    }
}
