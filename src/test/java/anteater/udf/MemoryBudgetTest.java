package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.udf.proto.Udf;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The memory budget shared by the connections of one JVM. */
@Timeout(30) // a guard against a hang only: no assertion depends on time
class MemoryBudgetTest {
    static final long LIMIT = 1_000; // each share's own bound, above the shared totals used here

    /** Waits until the condition holds (no deadline: the class timeout ends a hang). */
    static void until(BooleanSupplier c) throws InterruptedException {
        while (!c.getAsBoolean()) Thread.sleep(1);
    }

    /** Runs r on a thread; returns once it has finished or waits in the budget. */
    static Thread start(MemoryBudget b, Callable r, AtomicReference<Object> result) throws InterruptedException {
        int before = b.waiters();
        Thread t = new Thread(() -> {
            try {
                result.set(r.call());
            } catch (InterruptedException e) {
                result.set(e);
            }
        });
        t.setDaemon(true);
        t.start();
        until(() -> !t.isAlive() || b.waiters() > before);
        return t;
    }

    interface Callable {
        Object call() throws InterruptedException;
    }

    @Test
    void reserveAndRelease() throws InterruptedException {
        MemoryBudget b = new MemoryBudget(100);
        MemoryBudget.Share s = b.join(LIMIT);
        s.reserve(30);
        s.reserve(30);
        assertEquals(60, b.used());
        assertEquals(60, s.queued());
        s.release(30);
        s.release(30);
        assertEquals(0, b.used());
        assertEquals(0, s.queued());
    }

    /** A share with nothing queued queues one window even when the others hold more than the total. */
    @Test
    void aShareWithNothingQueuedAlwaysQueuesOneWindow() throws InterruptedException {
        MemoryBudget b = new MemoryBudget(10);
        MemoryBudget.Share other = b.join(LIMIT);
        other.reserve(50); // a first window alone may exceed the total: it goes
        MemoryBudget.Share s = b.join(LIMIT);
        AtomicReference<Object> r = new AtomicReference<>();
        Thread t = start(b, () -> {
            s.reserve(50);
            return "queued";
        }, r);
        assertEquals(0, b.waiters(), "a share with nothing queued waited for the others");
        t.join();
        assertEquals("queued", r.get());
        assertEquals(100, b.used());
        assertEquals(50, s.queued());
    }

    /** A second window over the shared total waits, and goes once the other share releases. */
    @Test
    void aWaitOverTheSharedTotalEndsOnRelease() throws InterruptedException {
        MemoryBudget b = new MemoryBudget(20);
        MemoryBudget.Share other = b.join(LIMIT);
        MemoryBudget.Share s = b.join(LIMIT);
        other.reserve(12);
        s.reserve(6);
        AtomicReference<Object> r = new AtomicReference<>();
        Thread t = start(b, () -> {
            s.reserve(6);
            return "queued";
        }, r);
        assertEquals(1, b.waiters(), "12 + 6 + 6 > 20: the second window must wait");
        assertNull(r.get());
        assertEquals(18, b.used());
        other.release(12);
        t.join();
        assertEquals("queued", r.get());
        assertEquals(12, b.used());
    }

    /** The share's own bound still holds (stdio mode: the shared total never binds). */
    @Test
    void aWaitOverTheShareBoundEndsOnItsOwnRelease() throws InterruptedException {
        MemoryBudget b = new MemoryBudget(1_000_000);
        MemoryBudget.Share s = b.join(10);
        s.reserve(8);
        AtomicReference<Object> r = new AtomicReference<>();
        Thread t = start(b, () -> {
            s.reserve(5);
            return "queued";
        }, r);
        assertEquals(1, b.waiters());
        s.release(8); // its worker drains
        t.join();
        assertEquals("queued", r.get());
        assertEquals(5, s.queued());
    }

    @Test
    void anInterruptedWaitReservesNothing() throws InterruptedException {
        MemoryBudget b = new MemoryBudget(10);
        MemoryBudget.Share s = b.join(LIMIT);
        s.reserve(8);
        AtomicReference<Object> r = new AtomicReference<>();
        Thread t = start(b, () -> {
            s.reserve(5);
            return "queued";
        }, r);
        assertEquals(1, b.waiters());
        t.interrupt();
        t.join();
        assertTrue(r.get() instanceof InterruptedException, String.valueOf(r.get()));
        assertEquals(8, b.used());
        assertEquals(8, s.queued());
    }

    /** A restore that does not fit is refused after its wait (here none), and one alone always fits. */
    @Test
    void restoresFitTheSharedTotalOrAreRefused() throws InterruptedException {
        MemoryBudget b = new MemoryBudget(100);
        MemoryBudget.Share a = b.join(LIMIT);
        MemoryBudget.Share c = b.join(LIMIT);
        assertTrue(a.reserveRestore(150, 0), "alone, a restore above the total goes");
        assertFalse(c.reserveRestore(10, 0), "150 + 10 > 100");
        assertEquals(150, b.used());
        a.releaseRestore(150);
        assertTrue(a.reserveRestore(60, 0));
        assertTrue(c.reserveRestore(40, 0));
        assertFalse(c.reserveRestore(1, 0));
        assertEquals(100, b.used());
    }

    @Test
    void aWaitingRestoreGoesWhenTheOtherIsDecoded() throws InterruptedException {
        MemoryBudget b = new MemoryBudget(100);
        MemoryBudget.Share a = b.join(LIMIT);
        MemoryBudget.Share c = b.join(LIMIT);
        assertTrue(a.reserveRestore(80, 0));
        AtomicReference<Object> r = new AtomicReference<>();
        Thread t = start(b, () -> c.reserveRestore(80, 600_000), r);
        assertEquals(1, b.waiters());
        a.releaseRestore(80);
        t.join();
        assertEquals(Boolean.TRUE, r.get());
        assertEquals(80, b.used());
    }

    /** A connection that ends gives back what it holds; releases after that change nothing. */
    @Test
    void leaveGivesBackEverythingOnce() throws InterruptedException {
        MemoryBudget b = new MemoryBudget(100);
        MemoryBudget.Share a = b.join(LIMIT);
        MemoryBudget.Share c = b.join(LIMIT);
        a.reserve(30);
        a.reserve(20);
        assertTrue(a.reserveRestore(10, 0));
        c.reserve(5);
        a.leave();
        assertEquals(5, b.used());
        a.release(30); // its worker, still busy when the connection ended
        a.releaseRestore(10);
        assertEquals(5, b.used());
    }

    /** A restore frame the gate refuses is skipped without its buffer; the next frame reads as usual. */
    @Test
    void aRefusedRestoreFrameIsSkipped() throws Exception {
        byte[] big = new byte[300_000];
        byte[] in = Frames.encode(List.of(Frames.restore(big), Frames.keepalive(7)));
        int[] asked = {0};
        FrameReader r = new FrameReader(new FrameReaderTest.Chunked(in, 1), 1024, bytes -> {
            asked[0] = bytes;
            return false;
        });
        assertEquals(FrameReader.REFUSED, r.nextFrame());
        assertEquals(Frames.restore(big).getSerializedSize(), asked[0]);
        assertTrue(r.buffer().length < 100_000, "no buffer for the refused frame");
        Udf.Request next = r.next();
        assertEquals(7, next.getKeepalive().getTime());
        assertNull(r.next());
        assertEquals(2, r.frames());
    }

    /** Stdio mode: the budget is the connection's own bounds, so its queue bound is the one that binds. */
    @Test
    void oneConnectionsBudgetCoversItsOwnBounds() {
        MemoryBudget b = MemoryBudget.forOneConnection(FrameReader.DEFAULT_MAX_FRAME);
        assertEquals(MemoryBudget.perConnectionValues() + MemoryBudget.units(FrameReader.maxRestoreFrame(FrameReader.DEFAULT_MAX_FRAME)),
                b.total());
        assertEquals(2 * MemoryBudget.perConnectionValues(), MemoryBudget.shared().total());
    }

    /** The bounds are inclusive: windows that fill the share's bound or the shared total exactly are queued at once. */
    @Test
    void windowsThatFillABoundExactlyDoNotWait() throws InterruptedException {
        MemoryBudget b = new MemoryBudget(20);
        MemoryBudget.Share s = b.join(LIMIT);
        s.reserve(10);
        AtomicReference<Object> r = new AtomicReference<>();
        Thread t = start(b, () -> {
            s.reserve(10); // 10 + 10 = the total
            return "queued";
        }, r);
        assertEquals(0, b.waiters(), "a window that fills the total exactly waited");
        t.join();
        assertEquals("queued", r.get());
        assertEquals(20, b.used());

        MemoryBudget big = new MemoryBudget(1_000_000);
        MemoryBudget.Share own = big.join(10);
        own.reserve(4);
        AtomicReference<Object> r2 = new AtomicReference<>();
        Thread t2 = start(big, () -> {
            own.reserve(6); // 4 + 6 = the share's bound
            return "queued";
        }, r2);
        assertEquals(0, big.waiters(), "a window that fills the share's bound exactly waited");
        t2.join();
        assertEquals("queued", r2.get());
        assertEquals(10, own.queued());
    }

    /** A restore frame costs its bytes / 16, rounded up: a byte more than a unit is two. */
    @Test
    void unitsRoundBytesUp() {
        assertEquals(0, MemoryBudget.units(0));
        assertEquals(1, MemoryBudget.units(1));
        assertEquals(1, MemoryBudget.units(MemoryBudget.BYTES_PER_VALUE));
        assertEquals(2, MemoryBudget.units(MemoryBudget.BYTES_PER_VALUE + 1));
        assertEquals(62_501, MemoryBudget.units(1_000_008));
    }

    /** A connection's queue bound is a quarter of the heap (at 16 bytes a value), at least 1 M values. */
    @Test
    void aConnectionsBoundIsAQuarterOfTheHeap() {
        long heap = Runtime.getRuntime().maxMemory();
        long bytes = MemoryBudget.perConnectionValues() * MemoryBudget.BYTES_PER_VALUE;
        assertTrue(MemoryBudget.perConnectionValues() >= 1 << 20);
        if (heap / 64 > 1 << 20) {
            assertTrue(bytes <= heap / 4 && bytes > heap / 4 - MemoryBudget.BYTES_PER_VALUE, bytes + " of " + heap);
        } else {
            assertEquals(1 << 20, MemoryBudget.perConnectionValues());
        }
    }

    @Test
    void aBudgetOfNothingIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new MemoryBudget(0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new MemoryBudget(-1));
        assertEquals(1, new MemoryBudget(1).total());
    }

    /**
     * A connection that ends wakes the windows of the others waiting for the budget it held (socket mode: a task
     * stopped while another waits; window waits have no deadline, so a missed wake-up is a hang).
     */
    @Test
    void aConnectionThatEndsWakesTheOthersWaiting() throws InterruptedException {
        MemoryBudget b = new MemoryBudget(100);
        MemoryBudget.Share ending = b.join(LIMIT);
        MemoryBudget.Share s = b.join(LIMIT);
        ending.reserve(80);
        s.reserve(10);
        AtomicReference<Object> r = new AtomicReference<>();
        Thread t = start(b, () -> {
            s.reserve(20); // 80 + 10 + 20 > 100
            return "queued";
        }, r);
        assertEquals(1, b.waiters());
        ending.leave(); // nothing released first: the windows it held were dropped
        t.join(); // without the wake-up: for ever (the class timeout ends it)
        assertEquals("queued", r.get());
        assertEquals(30, b.used());
    }

    /** A restore that does not fit waits its time (here 20 ms), then is refused, reserving nothing. */
    @Test
    void aRestoreThatStillDoesNotFitAfterItsWaitIsRefused() throws InterruptedException {
        MemoryBudget b = new MemoryBudget(100);
        MemoryBudget.Share a = b.join(LIMIT);
        MemoryBudget.Share c = b.join(LIMIT);
        assertTrue(a.reserveRestore(80, 0));
        assertFalse(c.reserveRestore(30, 20)); // with the wait in the wrong unit: for ever (the class timeout ends it)
        assertEquals(80, b.used());
        assertEquals(0, b.waiters());
    }
}
