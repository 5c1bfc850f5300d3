package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.udf.proto.Udf;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The writer thread must not die silently: an Error while writing fails the writer like an IOException does. */
class WriterFailureTest {

    /** Throws an OutOfMemoryError on the first write, as a huge response's serialisation might. */
    static final class ErrorOnWrite extends OutputStream {
        volatile boolean closed;

        @Override
        public void write(int b) {
            throw new OutOfMemoryError("simulated");
        }

        @Override
        public void write(byte[] b, int off, int len) {
            throw new OutOfMemoryError("simulated");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static Udf.Response keepalive(long t) {
        return Udf.Response.newBuilder().setKeepalive(Udf.KeepaliveResponse.newBuilder().setTime(t)).build();
    }

    @Test
    void anErrorWhileWritingFailsTheWriterClosesTheOutputAndNeverBlocksProducers() {
        ErrorOnWrite sink = new ErrorOnWrite();
        ResponseWriter w = new ResponseWriter(sink, "test-writer");
        // more than the writer's buffer, so the first flush reaches the stream and fails
        Udf.Response big = Udf.Response.newBuilder().setError(Udf.ErrorResponse.newBuilder().setError("x".repeat(100_000))).build();
        w.send(big);
        w.close();
        assertNotNull(w.failure(), "the writer is marked failed");
        assertTrue(sink.closed, "the output is closed, so Kapacitor sees its end instead of a mute connection");
        // producers never block on a failed writer: more than its queue's 65,536 responses go through at once
        for (int i = 0; i < 70_000; i++) w.send(keepalive(i));
    }

    /** The first write waits for the latch and succeeds; every later write fails. */
    static final class FailAfterFirst extends OutputStream {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private boolean first = true;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!first) throw new IOException("peer gone");
            first = false;
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aWriteFailingAfterCloseWasQueuedStillLetsCloseReturn() {
        // the failing response and close() are taken in one batch: the writer must not wait for a second close
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            FailAfterFirst sink = new FailAfterFirst();
            ResponseWriter w = new ResponseWriter(sink, "test-writer-2");
            w.send(keepalive(1)); // its flush blocks in the stream until released
            sink.entered.await(); // the writer is in that flush, its batch done: what follows is taken together
            Udf.Response big = Udf.Response.newBuilder().setError(Udf.ErrorResponse.newBuilder().setError("y".repeat(100_000))).build();
            w.send(big);
            Thread closer = Thread.currentThread();
            Thread releaser = new Thread(() -> {
                // close() below is waiting for the writer (join) only once CLOSE is queued behind the big response
                while (closer.getState() != Thread.State.WAITING) Thread.onSpinWait();
                sink.release.countDown();
            });
            releaser.start();
            w.close();
            assertNotNull(w.failure());
        });
    }
}
