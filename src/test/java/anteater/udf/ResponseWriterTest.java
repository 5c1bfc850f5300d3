package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.udf.proto.Udf;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The writer's queue when the peer stops reading. */
class ResponseWriterTest {

    /** A peer that reads nothing until released, then everything. */
    static final class Stalled extends OutputStream {
        final CountDownLatch release = new CountDownLatch(1);
        final ByteArrayOutputStream got = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (got) {
                got.write(b, off, len);
            }
        }
    }

    static Udf.Response point(long t, String pad) {
        return Udf.Response.newBuilder().setPoint(Udf.Point.newBuilder().setName("m").setTime(t)
                .putTags("pad", pad).putFieldsDouble("pvalue", 0.5)).build();
    }

    @Test
    void producersWaitOnceTheQueuedFramesReachTheByteBound() throws Exception {
        Stalled peer = new Stalled();
        ResponseWriter w = new ResponseWriter(peer, "test-writer");
        String pad = "x".repeat(10_000);
        int n = 2_000; // 20 MB of frames, far below the 65,536 responses of the count bound
        AtomicInteger sent = new AtomicInteger();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                w.send(point(i, pad));
                sent.incrementAndGet();
            }
        });
        producer.start();
        MemoryBudgetTest.until(() -> !producer.isAlive() || w.waiting() == 1);
        assertTrue(producer.isAlive(), "all " + n + " responses (20 MB) were queued for a peer that reads nothing");
        // the bound counts frames queued and being written; frames the writer has passed on to its 64 KB buffer
        // (at most 6 of these, when it takes them one by one) count no more, though the peer has not read them
        assertTrue(sent.get() <= (ResponseWriter.MAX_QUEUED_BYTES + 65_536) / 10_000 + 2, sent.get() + " responses queued");
        peer.release.countDown();
        producer.join();
        w.close();
        List<Udf.Response> out = Frames.decode(peer.got.toByteArray());
        assertEquals(n, out.size());
        for (int i = 0; i < n; i++) assertEquals(i, out.get(i).getPoint().getTime(), "order kept");
    }

    @Test
    void aResponseLargerThanTheBoundStillGoesOut() throws Exception {
        ByteArrayOutputStream peer = new ByteArrayOutputStream();
        ResponseWriter w = new ResponseWriter(peer, "test-writer-big", 1_000);
        for (int i = 0; i < 5; i++) w.send(point(i, "y".repeat(5_000)));
        w.close();
        assertEquals(5, Frames.decode(peer.toByteArray()).size());
    }

    @Test
    void aSendAfterCloseDoesNotWaitForRoom() throws Exception {
        ByteArrayOutputStream peer = new ByteArrayOutputStream();
        ResponseWriter w = new ResponseWriter(peer, "test-writer-closed", 1_000);
        w.send(point(0, "z".repeat(800)));
        w.close();
        Thread late = new Thread(() -> w.send(point(1, "z".repeat(800))));
        late.start();
        late.join(60_000); // a hang guard, not a timing check: without the fix this send waits for ever
        assertTrue(!late.isAlive(), "a send after close waits for room the closed writer never frees");
        assertEquals(1, Frames.decode(peer.toByteArray()).size());
    }

    /** Records whether it was closed. */
    static final class Closing extends ByteArrayOutputStream {
        volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    /** close() ends the output, so the peer (a socket's kapacitord) sees its end, not a mute connection. */
    @Test
    void closeWritesEverythingAndClosesTheOutput() throws Exception {
        Closing peer = new Closing();
        ResponseWriter w = new ResponseWriter(peer, "test-writer-close");
        for (int i = 0; i < 3; i++) w.send(point(i, "c"));
        w.close();
        assertTrue(peer.closed, "the output is closed");
        assertEquals(3, Frames.decode(peer.toByteArray()).size());
    }

    /** A writer that fails wakes the producers waiting for room: they return (their responses go nowhere). */
    @Test
    void aFailingWriterReleasesTheProducersWaitingForRoom() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new java.io.IOException("peer gone");
            }
        };
        // responses larger than the writer's 64 KB buffer, so its first write reaches the stream
        String pad = "f".repeat(70_000);
        ResponseWriter w = new ResponseWriter(failing, "test-writer-fail", 100_000);
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 3; i++) w.send(point(i, pad));
        });
        producer.start();
        MemoryBudgetTest.until(() -> w.waiting() == 1);
        release.countDown();
        producer.join(60_000); // a hang guard, not a timing check: without the wake-up it waits for ever
        assertTrue(!producer.isAlive(), "a producer waiting for room stays blocked after the writer failed");
        assertTrue(w.failure() != null);
        w.close();
    }
}
