package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Window;
import anteater.udf.proto.Udf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AgentTest {
    static final Map<String, String> HOST = Map.of("host", "serverA");
    static final long SEC = 1_000_000_000L;

    record Run(int code, List<Udf.Response> responses) {
        Udf.Response last() {
            return responses.get(responses.size() - 1);
        }

        List<Udf.Response> of(Udf.Response.MessageCase c) {
            return responses.stream().filter(r -> r.getMessageCase() == c).toList();
        }
    }

    static Run run(List<Udf.Request> reqs) throws IOException {
        return runBytes(Frames.encode(reqs));
    }

    static Run runBytes(byte[] in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new Agent(new ByteArrayInputStream(in), out, new AnomalyHandler(), 1 << 20, "test").run();
        return new Run(code, Frames.decode(out.toByteArray()));
    }

    static double[] gauss(Random r, int n, double mean) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = mean + r.nextGaussian();
        return v;
    }

    @Test
    void infoDeclaresEveryOption() throws IOException {
        Run r = run(List.of(Frames.info()));
        assertEquals(0, r.code);
        Udf.InfoResponse info = r.responses.get(0).getInfo();
        assertEquals(Udf.EdgeType.BATCH, info.getWants());
        assertEquals(Udf.EdgeType.STREAM, info.getProvides());
        assertEquals(List.of(Udf.ValueType.STRING), info.getOptionsMap().get("field").getValueTypesList());
        assertEquals(List.of(Udf.ValueType.INT), info.getOptionsMap().get("size").getValueTypesList());
        assertEquals(List.of(Udf.ValueType.DOUBLE), info.getOptionsMap().get("alpha").getValueTypesList());
        assertEquals(List.of(Udf.ValueType.STRING), info.getOptionsMap().get("detector").getValueTypesList());
    }

    @Test
    void initRefusalsNameTheOption() throws IOException {
        Object[][] bad = {
            {"size", 1L, "field", "x"},
            {"alpha", 1.5, "field", "x"},
            {"size", 10L},
            {"detector", "morgoth", "field", "x"},
            {"field", "x", "colour", "red"},
        };
        String[] mentions = {"'size'", "'alpha'", "'field'", "'detector'", "'colour'"};
        for (int i = 0; i < bad.length; i++) {
            Run r = run(List.of(Frames.init(bad[i])));
            Udf.InitResponse init = r.responses.get(0).getInit();
            assertFalse(init.getSuccess());
            assertTrue(init.getError().contains(mentions[i]), init.getError());
            assertEquals(0, r.code, "a refused init is not a protocol error");
        }
        Run r = run(List.of(Frames.init("detector", "nope", "field", "x")));
        assertTrue(r.responses.get(0).getInit().getError().contains("ttest"), "valid detectors are listed");
    }

    @Test
    void detectsAndAnswersKeepaliveInsideBatches() throws IOException {
        Random rnd = new Random(5);
        List<Udf.Request> reqs = new ArrayList<>();
        reqs.add(Frames.keepalive(1)); // before init
        reqs.add(Frames.init("field", "hotend", "size", 100L, "alpha", 0.001));
        reqs.addAll(Frames.window("temperatures", HOST, "hotend", 0, gauss(rnd, 50, 220)));
        List<Udf.Request> w2 = Frames.window("temperatures", HOST, "hotend", 50 * SEC, gauss(rnd, 50, 220));
        w2.add(10, Frames.keepalive(77)); // between begin and end
        reqs.addAll(w2);
        reqs.addAll(Frames.window("temperatures", HOST, "hotend", 100 * SEC, gauss(rnd, 50, 240)));
        Run r = run(reqs);
        assertEquals(0, r.code);
        List<Long> keepalives = r.of(Udf.Response.MessageCase.KEEPALIVE).stream().map(x -> x.getKeepalive().getTime()).toList();
        assertEquals(List.of(1L, 77L), keepalives);
        assertTrue(r.of(Udf.Response.MessageCase.INIT).get(0).getInit().getSuccess());
        List<Udf.Response> points = r.of(Udf.Response.MessageCase.POINT);
        assertEquals(2, points.size());
        Udf.Point ok = points.get(0).getPoint();
        assertEquals("temperatures", ok.getName());
        assertEquals(99 * SEC, ok.getTime());
        assertEquals("serverA", ok.getTagsMap().get("host"));
        assertEquals("hotend", ok.getTagsMap().get("field"));
        assertEquals(List.of("field", "host"), ok.getDimensionsList());
        assertTrue(ok.getFieldsDoubleMap().get("pvalue") > 0.001);
        assertFalse(ok.getFieldsBoolMap().get("is_anomaly"));
        Udf.Point bad = points.get(1).getPoint();
        assertTrue(bad.getFieldsDoubleMap().get("pvalue") < 1e-6);
        assertTrue(bad.getFieldsBoolMap().get("is_anomaly"));
    }

    @Test
    void integerFieldsCount() throws IOException {
        List<Udf.Request> reqs = new ArrayList<>();
        reqs.add(Frames.init("field", "count"));
        for (int w = 0; w < 2; w++) {
            reqs.add(Frames.begin("m", HOST, 0));
            for (int i = 0; i < 10; i++) reqs.add(Frames.point(i, HOST, Map.of(), Map.of("count", (long) (i % 3))));
            reqs.add(Frames.end("m", HOST, 9));
        }
        Run r = run(reqs);
        Udf.Point p = r.of(Udf.Response.MessageCase.POINT).get(0).getPoint();
        assertEquals(10L, p.getFieldsIntMap().get("window_count"));
        assertEquals(1.0, p.getFieldsDoubleMap().get("pvalue"), 1e-12);
    }

    @Test
    void pointsBeforeASnapshotRequestPrecedeItsResponse() throws IOException {
        Random rnd = new Random(6);
        List<Udf.Request> reqs = new ArrayList<>();
        reqs.add(Frames.init("field", "hotend", "size", 500L));
        for (int w = 0; w < 20; w++) reqs.addAll(Frames.window("t", HOST, "hotend", w * 50 * SEC, gauss(rnd, 50, 220)));
        reqs.add(Frames.snapshot());
        Run r = run(reqs);
        assertEquals(Udf.Response.MessageCase.SNAPSHOT, r.last().getMessageCase());
        assertEquals(19, r.of(Udf.Response.MessageCase.POINT).size());
        assertTrue(r.last().getSnapshot().getSnapshot().size() > 100);
    }

    @Test
    void restoreInAFreshAgentReproducesTheNextOutputs() throws IOException {
        Random rnd = new Random(8);
        List<List<Udf.Request>> windows = new ArrayList<>();
        for (int w = 0; w < 12; w++) {
            windows.add(Frames.window("t", HOST, "hotend", w * 50 * SEC, gauss(rnd, 50, w == 9 ? 225 : 220)));
        }
        Udf.Request init = Frames.init("field", "hotend", "size", 200L, "alpha", 0.01);
        List<Udf.Request> first = new ArrayList<>(List.of(init));
        for (int w = 0; w < 6; w++) first.addAll(windows.get(w));
        first.add(Frames.snapshot());
        Run a = run(first);
        byte[] snap = a.last().getSnapshot().getSnapshot().toByteArray();

        List<Udf.Request> straight = new ArrayList<>(List.of(init));
        windows.forEach(straight::addAll);
        Run full = run(straight);

        List<Udf.Request> resumed = new ArrayList<>(List.of(init, Frames.restore(snap)));
        for (int w = 6; w < 12; w++) resumed.addAll(windows.get(w));
        Run b = run(resumed);
        assertTrue(b.of(Udf.Response.MessageCase.RESTORE).get(0).getRestore().getSuccess());
        List<Udf.Response> fullPoints = full.of(Udf.Response.MessageCase.POINT);
        List<Udf.Response> tail = fullPoints.subList(fullPoints.size() - 6, fullPoints.size());
        assertEquals(tail, b.of(Udf.Response.MessageCase.POINT));
    }

    @Test
    void badSnapshotsFailRestore() throws IOException {
        Random rnd = new Random(9);
        List<Udf.Request> make = new ArrayList<>(List.of(Frames.init("field", "hotend")));
        make.addAll(Frames.window("t", HOST, "hotend", 0, gauss(rnd, 20, 1)));
        make.add(Frames.snapshot());
        byte[] good = run(make).last().getSnapshot().getSnapshot().toByteArray();
        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 0x10;
        byte[] wrongVersion = good.clone();
        wrongVersion[9] = 9;
        byte[][] bad = {
            java.util.Arrays.copyOf(good, good.length - 7), flipped, "{\"python\": \"pickle\"}".getBytes(), new byte[0], wrongVersion,
        };
        String[] mentions = {"corrupt", "corrupt", "not an anteater snapshot", "not an anteater snapshot", "version 9"};
        for (int i = 0; i < bad.length; i++) {
            // Kapacitor sends nothing after a failed restore (the task start fails; the agent ends the connection)
            Run r = run(List.of(Frames.init("field", "hotend"), Frames.restore(bad[i])));
            Udf.RestoreResponse rr = r.of(Udf.Response.MessageCase.RESTORE).get(0).getRestore();
            assertFalse(rr.getSuccess());
            assertTrue(rr.getError().contains(mentions[i]), rr.getError());
            assertTrue(rr.getError().contains("delete and define the task again"), rr.getError());
            assertEquals(0, r.code);
        }
    }

    /**
     * Kapacitor sends a snapshot back as a restore request of the same size at every later start: a snapshot the
     * agent's frame limit (here 1 MiB) could not read back is not given (empty: Kapacitor stores nothing for the
     * node), while one that fits is given and restores.
     */
    @Test
    void aSnapshotTooLargeToRestoreIsNotGiven() throws IOException {
        Random rnd = new Random(1);
        Udf.Request init = Frames.init("field", "x", "size", 3600L);
        for (int groups : new int[] {10, 40}) { // 10 x 3600 x 8 bytes fit in 1 MiB; 40 do not, but a restore may be larger
            List<Udf.Request> reqs = new ArrayList<>(List.of(init));
            for (int g = 0; g < groups; g++) {
                reqs.addAll(Frames.window("m", Map.of("host", "h" + g), "x", 0, gauss(rnd, 3600, 10)));
            }
            reqs.add(Frames.snapshot());
            Run a = run(reqs);
            assertEquals(0, a.code);
            assertEquals(Udf.Response.MessageCase.SNAPSHOT, a.last().getMessageCase());
            byte[] bytes = a.last().getSnapshot().getSnapshot().toByteArray();
            assertTrue(bytes.length > groups * 25_000, "the groups' histories are in it: " + bytes.length);
            Run b = run(List.of(init, Frames.restore(bytes)));
            assertTrue(b.of(Udf.Response.MessageCase.ERROR).isEmpty(), b.responses().toString());
            assertTrue(b.of(Udf.Response.MessageCase.RESTORE).get(0).getRestore().getSuccess());
        }
    }

    /**
     * A task redefined with another detector keeps its node name, so Kapacitor sends the old detector's snapshot at
     * every start (it keeps it until the task is deleted). That state does not apply: the task starts empty, with
     * success (success=false would fail every start of the task).
     */
    @Test
    void aSnapshotOfAnotherDetectorStartsTheTaskEmpty() throws IOException {
        Random rnd = new Random(3);
        List<Udf.Request> make = new ArrayList<>(List.of(Frames.init("detector", "ttest", "field", "x")));
        make.addAll(Frames.window("t", HOST, "x", 0, gauss(rnd, 20, 1)));
        make.add(Frames.snapshot());
        byte[] ttest = run(make).last().getSnapshot().getSnapshot().toByteArray();
        List<Udf.Request> reqs = new ArrayList<>(List.of(Frames.init("detector", "robustz", "field", "x",
                "zMinHistory", 5L), Frames.restore(ttest)));
        reqs.addAll(Frames.window("t", HOST, "x", 20 * SEC, gauss(rnd, 20, 1)));
        Run r = run(reqs);
        Udf.RestoreResponse rr = r.of(Udf.Response.MessageCase.RESTORE).get(0).getRestore();
        assertTrue(rr.getSuccess(), rr.toString());
        assertEquals(0, r.code);
        assertEquals(1, r.of(Udf.Response.MessageCase.POINT).size(), "the robustz task runs");
        // a vae snapshot into a ttest task: the same
        List<Udf.Request> foreign = new ArrayList<>(List.of(Frames.init("detector", "ttest", "field", "x"),
                Frames.restore(SnapshotCodecTest.withDetector(ttest, "vae"))));
        assertTrue(run(foreign).of(Udf.Response.MessageCase.RESTORE).get(0).getRestore().getSuccess());
    }

    /**
     * The same for a task redefined with other sizing options (a user tuning zHistory, eBins, kDim): the old state
     * cannot be fitted to them, and failing the restore would fail every start until the task is deleted.
     */
    @Test
    void aSnapshotOfOtherSizingOptionsStartsTheTaskEmpty() throws IOException {
        Object[][] cases = { // detector, option, value in the snapshot, value of the redefined task
            {"robustz", "zHistory", 50L, 60L},
            {"robustz", "zSmooth", 1L, 3L},
            {"entropy", "eBins", 5L, 6L},
            {"knncad", "kDim", 5L, 6L},
        };
        for (Object[] c : cases) {
            Random rnd = new Random(4);
            List<Udf.Request> make = new ArrayList<>(List.of(Frames.init("detector", c[0], "field", "x", c[1], c[2])));
            for (int w = 0; w < 3; w++) make.addAll(Frames.window("t", HOST, "x", w * 20 * SEC, gauss(rnd, 20, 1)));
            make.add(Frames.snapshot());
            byte[] old = run(make).last().getSnapshot().getSnapshot().toByteArray();
            // the same options restore the state
            Run same = run(List.of(Frames.init("detector", c[0], "field", "x", c[1], c[2]), Frames.restore(old)));
            assertTrue(same.of(Udf.Response.MessageCase.RESTORE).get(0).getRestore().getSuccess(), c[1] + " unchanged");
            List<Udf.Request> reqs = new ArrayList<>(List.of(Frames.init("detector", c[0], "field", "x", c[1], c[3]),
                    Frames.restore(old)));
            reqs.addAll(Frames.window("t", HOST, "x", 60 * SEC, gauss(rnd, 20, 1)));
            Run r = run(reqs);
            Udf.RestoreResponse rr = r.of(Udf.Response.MessageCase.RESTORE).get(0).getRestore();
            assertTrue(rr.getSuccess(), c[0] + " " + c[1] + ": " + rr);
            assertEquals(0, r.code);
            assertTrue(r.of(Udf.Response.MessageCase.ERROR).isEmpty(), c[0] + " " + c[1] + " runs on");
        }
    }

    @Test
    void protocolErrorsAnswerWithErrorResponseAndExitNonZero() throws IOException {
        Object[][] cases = {
            {List.of(Frames.init("field", "x"), Udf.Request.getDefaultInstance()), "empty or unknown request"},
            {List.of(Frames.init("field", "x"), Frames.point(1, HOST, Map.of("x", 1.0), Map.of())), "outside a batch"},
            {List.of(Frames.init("field", "x"), Frames.end("m", HOST, 1)), "EndBatch without BeginBatch"},
            {List.of(Frames.init("field", "x"), Frames.begin("m", HOST, 1), Frames.begin("m", HOST, 1)), "inside a batch"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Run r = run((List<Udf.Request>) c[0]);
            assertEquals(1, r.code, (String) c[1]);
            assertEquals(Udf.Response.MessageCase.ERROR, r.last().getMessageCase());
            assertTrue(r.last().getError().getError().contains((String) c[1]), r.last().getError().getError());
        }
        // a truncated frame
        byte[] ok = Frames.encode(List.of(Frames.info(), Frames.restore(new byte[100])));
        Run t = runBytes(java.util.Arrays.copyOf(ok, ok.length - 3));
        assertEquals(1, t.code);
        assertTrue(t.last().getError().getError().contains("ended after"));
        // a frame above the limit (1 MiB in this test); only a restore (the agent's own snapshot) may be larger
        byte[] big = Frames.encode(List.of(Frames.init("field", "x".repeat(2 << 20))));
        Run b = runBytes(big);
        assertEquals(1, b.code);
        assertTrue(b.last().getError().getError().contains("exceeds the limit of 1048576"), b.last().getError().getError());
        // data before init
        Run d = run(Frames.window("m", HOST, "x", 0, 1, 2, 3));
        assertEquals(1, d.code);
        assertTrue(d.last().getError().getError().contains("before a successful init"));
    }

    @Test
    void keepaliveIsAnsweredWhileTheDetectorIsBusy() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Handler slow = new Handler() {
            final AnomalyHandler inner = new AnomalyHandler();

            @Override public Udf.InfoResponse info() { return inner.info(); }
            @Override public Udf.InitResponse init(Udf.InitRequest r) { return inner.init(r); }
            @Override public boolean ready() { return inner.ready(); }
            @Override public Udf.SnapshotResponse snapshot() { return inner.snapshot(); }
            @Override public Udf.RestoreResponse restore(Udf.RestoreRequest r) { return inner.restore(r); }
            @Override public void close() { inner.close(); }

            @Override
            public void window(Window w, Consumer<Udf.Response> out) {
                busy.countDown();
                try {
                    release.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inner.window(w, out);
            }
        };
        PipedOutputStream toAgent = new PipedOutputStream();
        PipedInputStream agentIn = new PipedInputStream(toAgent, 1 << 16);
        PipedOutputStream agentOut = new PipedOutputStream();
        PipedInputStream fromAgent = new PipedInputStream(agentOut, 1 << 16);
        Thread t = new Thread(() -> new Agent(agentIn, agentOut, slow, 1 << 20, "slow").run());
        t.start();
        DataInputStream in = new DataInputStream(fromAgent);
        Frames.write(toAgent, Frames.init("field", "x"));
        assertTrue(Udf.Response.parseDelimitedFrom(in).getInit().getSuccess());
        for (Udf.Request r : Frames.window("m", HOST, "x", 0, 1, 2, 3)) Frames.write(toAgent, r);
        assertTrue(busy.await(60, TimeUnit.SECONDS));
        Frames.write(toAgent, Frames.keepalive(123));
        Udf.Response ka = Udf.Response.parseDelimitedFrom(in);
        assertEquals(123, ka.getKeepalive().getTime(), "keepalive answered while the worker is blocked");
        release.countDown();
        toAgent.close();
        t.join(60_000);
        assertFalse(t.isAlive());
    }

    @Test
    void aProtocolErrorDuringASlowInitClosesTheHandlerAfterTheInit() throws Exception {
        CountDownLatch inInit = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        Handler slow = new Handler() {
            final AnomalyHandler inner = new AnomalyHandler();

            @Override public Udf.InfoResponse info() { return inner.info(); }
            @Override public boolean ready() { return inner.ready(); }
            @Override public Udf.SnapshotResponse snapshot() { return inner.snapshot(); }
            @Override public Udf.RestoreResponse restore(Udf.RestoreRequest r) { return inner.restore(r); }
            @Override public void window(Window w, Consumer<Udf.Response> out) { inner.window(w, out); }

            @Override
            public Udf.InitResponse init(Udf.InitRequest r) {
                inInit.countDown();
                try {
                    release.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Udf.InitResponse resp = inner.init(r);
                calls.add("init done");
                return resp;
            }

            @Override
            public void close() {
                calls.add("close");
                inner.close();
                closed.countDown();
            }
        };
        PipedOutputStream toAgent = new PipedOutputStream();
        PipedInputStream agentIn = new PipedInputStream(toAgent, 1 << 16);
        PipedOutputStream agentOut = new PipedOutputStream();
        DataInputStream fromAgent = new DataInputStream(new PipedInputStream(agentOut, 1 << 16));
        int[] code = {-1};
        Thread t = new Thread(() -> code[0] = new Agent(agentIn, agentOut, slow, 1 << 20, "slow-init").run());
        t.start();
        Frames.write(toAgent, Frames.init("field", "x"));
        assertTrue(inInit.await(60, TimeUnit.SECONDS));
        Frames.write(toAgent, Udf.Request.getDefaultInstance()); // a protocol error while init runs
        toAgent.flush();
        Udf.Response first = Udf.Response.parseDelimitedFrom(fromAgent); // after the 2 s the error does not wait for
        assertTrue(first.hasError(), first.toString());
        assertEquals(List.of(), calls, "the handler is not closed under a running init");
        release.countDown();
        assertTrue(closed.await(60, TimeUnit.SECONDS));
        assertEquals(List.of("init done", "close"), calls, "closed after the init, so nothing it made is left open");
        t.join(60_000);
        assertFalse(t.isAlive());
        assertEquals(1, code[0]);
    }

    @Test
    void aRefusedSecondInitLeavesTheFirstInForce() throws IOException {
        List<Udf.Request> reqs = new ArrayList<>();
        reqs.add(Frames.init("field", "x"));
        reqs.add(Frames.init("field", "x"));
        reqs.addAll(Frames.window("m", HOST, "x", 0, 1, 2, 3));
        reqs.addAll(Frames.window("m", HOST, "x", 10 * SEC, 1, 2, 3));
        Run r = run(reqs);
        assertEquals(0, r.code, r.responses.toString());
        List<Udf.Response> inits = r.of(Udf.Response.MessageCase.INIT);
        assertTrue(inits.get(0).getInit().getSuccess());
        assertFalse(inits.get(1).getInit().getSuccess(), "the second init is refused");
        assertTrue(r.of(Udf.Response.MessageCase.ERROR).isEmpty(), "and the data still flows: " + r.responses);
        assertEquals(1, r.of(Udf.Response.MessageCase.POINT).size(), "the first window seeds, the second is judged");
    }

    /**
     * A task redefined with a lower .ePatterns() than the patterns its snapshot holds: the restore failed ("bad
     * pattern count"), and so every start of the task until it was deleted. The patterns kept are the most matched,
     * as when the detector forgets one at run time.
     */
    @Test
    void aSnapshotWithMorePatternsThanTheNewEPatternsRestores() throws IOException {
        Object[] opts = {"detector", "entropy", "field", "x", "eWindow", 10L, "eCalibration", 20L, "eHoldoff", 0L, "eSpike", 0.0};
        List<Udf.Request> make = new ArrayList<>();
        make.add(Frames.init(concat(opts, "ePatterns", 10L)));
        double[] calibration = new double[20];
        for (int i = 0; i < 20; i++) calibration[i] = i / 2.0; // the range: 0 to 9.5
        make.addAll(Frames.window("t", HOST, "x", 0, calibration));
        long t = 20 * SEC;
        for (double level : new double[] {0.5, 9, 4.5, 0.5, 9}) { // three regimes, each a pattern of its own
            double[] v = new double[10];
            java.util.Arrays.fill(v, level);
            make.addAll(Frames.window("t", HOST, "x", t, v));
            t += 10 * SEC;
        }
        make.add(Frames.snapshot());
        Run a = run(make);
        List<Udf.Response> points = a.of(Udf.Response.MessageCase.POINT);
        assertTrue(points.get(points.size() - 1).getPoint().getFieldsIntMap().get("patterns") >= 3, points.toString());
        byte[] snap = a.last().getSnapshot().getSnapshot().toByteArray();

        List<Udf.Request> again = new ArrayList<>(List.of(Frames.init(concat(opts, "ePatterns", 2L)), Frames.restore(snap)));
        double[] v = new double[10];
        java.util.Arrays.fill(v, 9);
        again.addAll(Frames.window("t", HOST, "x", t, v));
        Run b = run(again);
        Udf.RestoreResponse rr = b.of(Udf.Response.MessageCase.RESTORE).get(0).getRestore();
        assertTrue(rr.getSuccess(), rr.getError());
        Udf.Point p = b.of(Udf.Response.MessageCase.POINT).get(0).getPoint();
        assertEquals(2L, p.getFieldsIntMap().get("patterns"), "the task runs on with at most ePatterns patterns");
    }

    /**
     * A constant metric that moves to another constant: zero variance on both sides, t is infinite. Kapacitor's alert
     * handlers JSON-encode the point (.log() of the guide's script: "json: unsupported value: +Inf", the alert line is
     * not written) and InfluxDB refuses the write: the point carries the largest finite double instead.
     */
    @Test
    void aLevelShiftOfAConstantGivesAFiniteT() throws IOException {
        List<Udf.Request> reqs = new ArrayList<>(List.of(Frames.init("field", "x")));
        reqs.addAll(Frames.window("m", HOST, "x", 0, 5, 5, 5, 5));
        reqs.addAll(Frames.window("m", HOST, "x", 10 * SEC, 6, 6, 6, 6));
        reqs.addAll(Frames.window("m", HOST, "x", 20 * SEC, 4, 4, 4, 4));
        Run r = run(reqs);
        List<Udf.Response> points = r.of(Udf.Response.MessageCase.POINT);
        assertEquals(2, points.size(), r.responses().toString());
        for (Udf.Response x : points) {
            Udf.Point p = x.getPoint();
            assertTrue(p.getFieldsBoolMap().get("is_anomaly"), p.toString());
            assertEquals(0.0, p.getFieldsDoubleMap().get("pvalue"), p.toString());
            for (Map.Entry<String, Double> f : p.getFieldsDoubleMap().entrySet()) {
                assertTrue(Double.isFinite(f.getValue()), f.getKey() + " = " + f.getValue());
            }
        }
        assertEquals(Double.MAX_VALUE, points.get(0).getPoint().getFieldsDoubleMap().get("t"));
        assertEquals(-Double.MAX_VALUE, points.get(1).getPoint().getFieldsDoubleMap().get("t"));
    }

    /**
     * The fast path of batch points read every Point field of a frame as a point of its own and skipped the rest, where
     * protobuf (and so Kapacitor's Go agent, and this agent's own full parse) merges repeated Point fields into one and
     * lets the last message of the oneof win: a frame of a point and a keepalive was a point, its keepalive never
     * answered; a frame of two points was two. Such frames are now parsed in full.
     */
    @Test
    void aFrameHoldingMoreThanAPointIsReadAsProtobufReadsIt() throws IOException {
        java.io.ByteArrayOutputStream in = new java.io.ByteArrayOutputStream();
        Frames.init("field", "x").writeDelimitedTo(in);
        Frames.begin("m", HOST, 4).writeDelimitedTo(in);
        frame(in, Frames.point(1 * SEC, HOST, Map.of("x", 1.0), Map.of()), Frames.keepalive(7)); // the keepalive wins
        frame(in, Frames.point(2 * SEC, HOST, Map.of("x", 2.0), Map.of()), Frames.point(3 * SEC, HOST, Map.of("x", 3.0), Map.of()));
        Frames.point(4 * SEC, HOST, Map.of("x", 4.0), Map.of()).writeDelimitedTo(in);
        Frames.end("m", HOST, 4 * SEC).writeDelimitedTo(in);
        for (Udf.Request r : Frames.window("m", HOST, "x", 10 * SEC, 3, 4, 3)) r.writeDelimitedTo(in);
        Run r = runBytes(in.toByteArray());
        assertEquals(0, r.code, r.responses().toString());
        assertEquals(List.of(7L), r.of(Udf.Response.MessageCase.KEEPALIVE).stream().map(x -> x.getKeepalive().getTime()).toList());
        Udf.Point p = r.of(Udf.Response.MessageCase.POINT).get(0).getPoint();
        assertEquals(2L, p.getFieldsIntMap().get("history_count"), "the first window held the merged point and the last: " + p);
        assertEquals(3.5, p.getFieldsDoubleMap().get("history_mean"), 1e-12);
    }

    /**
     * The EndBatch's name and tmax are the window's (Kapacitor's window end, not its last point's time): the output
     * point carries them, as Kapacitor's own nodes would.
     */
    @Test
    void theEndBatchNamesAndTimesTheWindow() throws IOException {
        List<Udf.Request> reqs = new ArrayList<>(List.of(Frames.init("field", "x")));
        reqs.addAll(Frames.window("m", HOST, "x", 0, 1, 2, 3, 4));
        List<Udf.Request> second = new ArrayList<>(Frames.window("m", HOST, "x", 10 * SEC, 1, 2, 3, 4));
        second.set(second.size() - 1, Frames.end("m_end", HOST, 20 * SEC)); // last point at 13 s, the window ends at 20 s
        reqs.addAll(second);
        Run r = run(reqs);
        Udf.Point p = r.of(Udf.Response.MessageCase.POINT).get(0).getPoint();
        assertEquals(20 * SEC, p.getTime(), p.toString());
        assertEquals("m_end", p.getName(), p.toString());
    }

    /** One frame whose body is the requests' bytes one after the other. */
    static void frame(java.io.OutputStream out, Udf.Request... parts) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (Udf.Request p : parts) p.writeTo(body);
        com.google.protobuf.CodedOutputStream c = com.google.protobuf.CodedOutputStream.newInstance(out);
        c.writeUInt32NoTag(body.size());
        c.flush();
        body.writeTo(out);
    }

    static Object[] concat(Object[] a, Object... b) {
        Object[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
