package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Window;
import anteater.udf.proto.Udf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two connections of one JVM (socket mode) drawing on one small budget. */
@Timeout(60) // a guard against a hang only: no assertion depends on time
class SharedBudgetTest {
    static final Map<String, String> HOST = Map.of("host", "a");
    static final int WINDOWS = 6;
    static final long COST = 8 + Agent.FIELD_UNITS; // a window of 4 points of one field: 4 values + 4 points + its column

    /** Judges nothing; window() and restore() wait for their latch. */
    static final class Blocking implements Handler {
        final CountDownLatch windowGate;
        final CountDownLatch restoreGate;
        final CountDownLatch inRestore = new CountDownLatch(1);
        final AtomicInteger windows = new AtomicInteger();
        final AtomicInteger restores = new AtomicInteger();

        Blocking(CountDownLatch windowGate, CountDownLatch restoreGate) {
            this.windowGate = windowGate;
            this.restoreGate = restoreGate;
        }

        @Override public Udf.InfoResponse info() { return Udf.InfoResponse.getDefaultInstance(); }
        @Override public Udf.InitResponse init(Udf.InitRequest r) { return Udf.InitResponse.newBuilder().setSuccess(true).build(); }
        @Override public boolean ready() { return true; }
        @Override public Udf.SnapshotResponse snapshot() { return Udf.SnapshotResponse.getDefaultInstance(); }
        @Override public void close() { }

        @Override
        public Udf.RestoreResponse restore(Udf.RestoreRequest r) {
            restores.incrementAndGet();
            inRestore.countDown();
            await(restoreGate);
            return Udf.RestoreResponse.newBuilder().setSuccess(true).build();
        }

        @Override
        public void window(Window w, Consumer<Udf.Response> out) {
            windows.incrementAndGet();
            await(windowGate);
        }

        private static void await(CountDownLatch l) {
            try {
                l.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A connection on its own thread. */
    static final class Conn {
        final Agent agent;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Thread thread;
        volatile int code = -1;

        Conn(List<Udf.Request> reqs, Handler h, MemoryBudget budget, int maxFrame, long restoreWaitMs, String name) throws Exception {
            agent = new Agent(new ByteArrayInputStream(Frames.encode(reqs)), out, h, maxFrame, name, -1, budget, restoreWaitMs);
            thread = new Thread(() -> code = agent.run(), name);
            thread.setDaemon(true);
            thread.start();
        }

        List<Udf.Response> responses() throws Exception {
            return Frames.decode(out.toByteArray());
        }
    }

    static List<Udf.Request> windows() {
        List<Udf.Request> reqs = new ArrayList<>();
        reqs.add(Frames.init("field", "x"));
        for (int i = 0; i < WINDOWS; i++) reqs.addAll(Frames.window("m", HOST, "x", i * 10_000_000_000L, 1, 2, 3, 4));
        return reqs;
    }

    /**
     * Both handlers block. The first connection queues two windows (2 of 2.5 windows' worth) and then waits; the second, with
     * nothing queued, still queues one window (it is not starved) but no more: without the shared budget each would
     * queue all six (more than twice the total). Released, both finish and the budget is empty again.
     */
    @Test
    void queuedWindowsOfTwoConnectionsStayWithinTheSharedTotal() throws Exception {
        MemoryBudget budget = new MemoryBudget(5 * COST / 2);
        CountDownLatch release = new CountDownLatch(1);
        Blocking ha = new Blocking(release, new CountDownLatch(0));
        Blocking hb = new Blocking(release, new CountDownLatch(0));
        Conn a = new Conn(windows(), ha, budget, 1 << 20, 0, "conn-a");
        MemoryBudgetTest.until(() -> budget.waiters() == 1 || a.agent.queuedValues() == WINDOWS * COST);
        assertEquals(2 * COST, a.agent.queuedValues(), "the first connection queues up to the shared total");

        Conn b = new Conn(windows(), hb, budget, 1 << 20, 0, "conn-b");
        MemoryBudgetTest.until(() -> budget.waiters() == 2 || b.agent.queuedValues() == WINDOWS * COST);
        assertEquals(COST, b.agent.queuedValues(), "the second connection queues one window, and waits");
        assertEquals(3 * COST, budget.used(), "the total is exceeded by that one window only");
        assertTrue(a.thread.isAlive() && b.thread.isAlive());

        release.countDown();
        a.thread.join();
        b.thread.join();
        assertEquals(0, a.code, a.responses().toString());
        assertEquals(0, b.code, b.responses().toString());
        assertEquals(WINDOWS, ha.windows.get());
        assertEquals(WINDOWS, hb.windows.get());
        assertEquals(0, budget.used());
    }

    static List<Udf.Request> restore() {
        return List.of(Frames.init("field", "x"), Frames.restore(new byte[4000]));
    }

    /**
     * Restore frames above the frame limit reserve their size: while the first connection decodes its snapshot, the
     * second one's does not fit and, after its wait (here none), is answered success=false without being read.
     */
    @Test
    void aRestoreThatDoesNotFitIsRefused() throws Exception {
        MemoryBudget budget = new MemoryBudget(300); // one restore of 4,006 bytes is 251 units
        CountDownLatch release = new CountDownLatch(1);
        Blocking ha = new Blocking(new CountDownLatch(0), release);
        Blocking hb = new Blocking(new CountDownLatch(0), new CountDownLatch(0));
        Conn a = new Conn(restore(), ha, budget, 1024, 0, "restore-a");
        ha.inRestore.await();
        assertEquals(MemoryBudget.units(Frames.restore(new byte[4000]).getSerializedSize()), budget.used());

        Conn b = new Conn(restore(), hb, budget, 1024, 0, "restore-b");
        b.thread.join();
        assertEquals(0, b.code);
        Udf.RestoreResponse rb = b.responses().stream().filter(Udf.Response::hasRestore).findFirst().orElseThrow().getRestore();
        assertFalse(rb.getSuccess(), "the second restore does not fit beside the first");
        assertTrue(rb.getError().contains("refused") && rb.getError().contains("-Xmx"), rb.getError());
        assertEquals(0, hb.restores.get(), "and never reached the handler");

        release.countDown();
        a.thread.join();
        assertEquals(0, a.code);
        assertTrue(a.responses().stream().filter(Udf.Response::hasRestore).findFirst().orElseThrow().getRestore().getSuccess());
        assertEquals(0, budget.used());
    }

    /** With a wait, the second restore goes once the first is decoded. */
    @Test
    void aWaitingRestoreGoesWhenTheFirstIsDecoded() throws Exception {
        MemoryBudget budget = new MemoryBudget(300);
        CountDownLatch release = new CountDownLatch(1);
        Blocking ha = new Blocking(new CountDownLatch(0), release);
        Blocking hb = new Blocking(new CountDownLatch(0), new CountDownLatch(0));
        Conn a = new Conn(restore(), ha, budget, 1024, 0, "restore-a");
        ha.inRestore.await();
        Conn b = new Conn(restore(), hb, budget, 1024, 600_000, "restore-b");
        MemoryBudgetTest.until(() -> budget.waiters() == 1 || !b.thread.isAlive());
        assertEquals(0, hb.restores.get(), "the second restore waits for the first");

        release.countDown();
        a.thread.join();
        b.thread.join();
        assertEquals(1, hb.restores.get());
        assertTrue(b.responses().stream().filter(Udf.Response::hasRestore).findFirst().orElseThrow().getRestore().getSuccess());
        assertEquals(0, budget.used());
    }

    /** Answers all with success; a latch counted down at snapshot(): the worker is then past every request before it. */
    static final class SnapshotSignal implements Handler {
        final CountDownLatch inSnapshot = new CountDownLatch(1);

        @Override public Udf.InfoResponse info() { return Udf.InfoResponse.getDefaultInstance(); }
        @Override public Udf.InitResponse init(Udf.InitRequest r) { return Udf.InitResponse.newBuilder().setSuccess(true).build(); }
        @Override public boolean ready() { return true; }
        @Override public Udf.RestoreResponse restore(Udf.RestoreRequest r) { return Udf.RestoreResponse.newBuilder().setSuccess(true).build(); }
        @Override public void window(Window w, Consumer<Udf.Response> out) { }
        @Override public void close() { }

        @Override
        public Udf.SnapshotResponse snapshot() {
            inSnapshot.countDown();
            return Udf.SnapshotResponse.getDefaultInstance();
        }
    }

    /** Runs an agent on {@code in} (left open: Kapacitor keeps a started task's connection) on its own thread. */
    static Thread serve(FailedStartEndsConnectionTest.OpenInput in, Handler h, MemoryBudget budget, ByteArrayOutputStream out) {
        Thread t = new Thread(() -> new Agent(in, out, h, 1024, "open", -1, budget, 0).run(), "open");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * A restore frame's reservation ends once the worker has decoded it, not when its connection ends: a task that
     * restored and runs on (for days) held its snapshot's size of the shared budget, and the restores of other tasks
     * starting later were refused for it.
     */
    @Test
    void aDecodedRestoreGivesItsReservationBackWhileItsConnectionRunsOn() throws Exception {
        MemoryBudget budget = new MemoryBudget(300);
        SnapshotSignal h = new SnapshotSignal();
        FailedStartEndsConnectionTest.OpenInput in = new FailedStartEndsConnectionTest.OpenInput(
                Frames.encode(List.of(Frames.init("field", "x"), Frames.restore(new byte[4000]), Frames.snapshot())));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread t = serve(in, h, budget, out);
        h.inSnapshot.await(); // the restore's task, reservation release included, is done
        assertEquals(0, budget.used(), "the restore is decoded; nothing of it is held");
        MemoryBudget.Share other = budget.join(1000);
        assertTrue(other.reserveRestore(251, 0), "another task's restore of the same size fits");
        in.close();
        t.join();
        assertEquals(251, budget.used());
    }

    /**
     * A frame that passed the restore gate (over the frame limit, its first field a restore) but parses as something
     * else (protobuf lets the oneof's last message win: here a keepalive) gives its reservation back at once.
     */
    @Test
    void aFrameAdmittedAsARestoreThatIsNotOneGivesItsReservationBack() throws Exception {
        MemoryBudget budget = new MemoryBudget(300);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Frames.init("field", "x").writeDelimitedTo(bytes);
        AgentTest.frame(bytes, Frames.restore(new byte[4000]), Frames.keepalive(7));
        FailedStartEndsConnectionTest.OpenInput in = new FailedStartEndsConnectionTest.OpenInput(bytes.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread t = serve(in, new SnapshotSignal(), budget, out);
        in.drained.await(); // the read loop waits for the frame after the keepalive
        assertEquals(0, budget.used(), "the keepalive frame holds nothing of the budget");
        in.close();
        t.join();
        List<Udf.Response> r = Frames.decode(out.toByteArray());
        assertEquals(7, r.stream().filter(Udf.Response::hasKeepalive).findFirst().orElseThrow().getKeepalive().getTime(), r.toString());
    }

    /** A refused restore says how much of how much the other tasks held (MB of 10^6 bytes, rounded down). */
    @Test
    void aRefusedRestoreSaysHowMuchOfTheBudgetWasHeld() throws Exception {
        MemoryBudget budget = new MemoryBudget(200_000); // 3.2 MB
        budget.join(1_000_000).reserve(150_000); // another task's queued windows: 2.4 MB
        Udf.Request restore = Frames.restore(new byte[1_000_000]);
        Blocking h = new Blocking(new CountDownLatch(0), new CountDownLatch(0));
        Conn c = new Conn(List.of(Frames.init("field", "x"), restore), h, budget, 1024, 0, "refused");
        c.thread.join();
        Udf.RestoreResponse r = c.responses().stream().filter(Udf.Response::hasRestore).findFirst().orElseThrow().getRestore();
        assertFalse(r.getSuccess());
        assertEquals("anteater: restore of " + restore.getSerializedSize() + " bytes refused: after 0 ms the agent's memory "
                + "budget was still held by other tasks (2 of 3 MB, restores and queued windows); enable the task again when "
                + "fewer tasks start at once, or raise -Xmx", r.getError());
        assertEquals(150_000, budget.used(), "the refused restore reserved nothing");
    }

    /**
     * A restore refused for lack of budget fails the task's start like any failed restore, and Kapacitor 1.8.3 then
     * never closes the node's connection: the agent ends it itself (see FailedStartEndsConnectionTest), here with
     * an input that stays open until closed.
     */
    @Test
    void aRefusedRestoreEndsTheConnection() throws Exception {
        MemoryBudget budget = new MemoryBudget(300);
        budget.join(1000).reserve(100); // another task's queued windows
        FailedStartEndsConnectionTest.OpenInput in = new FailedStartEndsConnectionTest.OpenInput(
                Frames.encode(List.of(Frames.init("field", "x"), Frames.restore(new byte[4000]))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Blocking h = new Blocking(new CountDownLatch(0), new CountDownLatch(0));
        Thread t = serve(in, h, budget, out);
        t.join(); // without the agent closing its input: for ever (the class timeout ends it)
        assertEquals(0, in.closed.getCount(), "the agent closed its input");
        List<Udf.Response> r = Frames.decode(out.toByteArray());
        assertEquals(2, r.size(), r.toString());
        assertFalse(r.get(1).getRestore().getSuccess(), r.toString());
        assertEquals(0, h.restores.get());
        assertEquals(100, budget.used());
    }

    /**
     * A frame admitted as a restore (over the frame limit) that is not a valid Request fails its connection; what it
     * reserved goes back with the connection, or every later restore of the JVM's other tasks would find it held.
     */
    @Test
    void aConnectionFailedOnACorruptRestoreFrameGivesItsReservationBack() throws Exception {
        MemoryBudget budget = new MemoryBudget(300);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Frames.init("field", "x").writeDelimitedTo(bytes);
        com.google.protobuf.CodedOutputStream c = com.google.protobuf.CodedOutputStream.newInstance(bytes);
        c.writeUInt32NoTag(2000); // the frame: 2000 bytes, a restore field that says 4000
        c.writeUInt32NoTag(FrameReader.RESTORE_TAG);
        c.writeUInt32NoTag(4000);
        c.flush();
        bytes.write(new byte[2000 - 1 - 2]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Blocking h = new Blocking(new CountDownLatch(0), new CountDownLatch(0));
        int code = new Agent(new ByteArrayInputStream(bytes.toByteArray()), out, h, 1024, "corrupt", -1, budget, 0).run();
        List<Udf.Response> r = Frames.decode(out.toByteArray());
        assertEquals(1, code, r.toString());
        assertTrue(r.get(r.size() - 1).getError().getError().contains("not a valid Request"), r.toString());
        assertEquals(0, budget.used(), "the connection ended; its reservation is back");
    }
}
