package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.udf.proto.Udf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kapacitor 1.8.3 never stops a UDF node whose init (or restore) failed: its node returns before the code that closes
 * the UDF, and the task stop then skips the node as already stopped. It keeps the process (stdio) or connection
 * (socket) open and sends keepalives until kapacitord exits. So the agent ends such a connection itself: after the
 * answer, it closes its input (which unblocks the read loop) and ends cleanly.
 */
class FailedStartEndsConnectionTest {

    /** Serves {@code bytes}, then blocks, as Kapacitor's pipe does between keepalives, until closed. */
    static final class OpenInput extends InputStream {
        private final byte[] bytes;
        private int pos;
        final CountDownLatch closed = new CountDownLatch(1);
        /** Counted down when every byte has been read and the reader waits for more. */
        final CountDownLatch drained = new CountDownLatch(1);

        OpenInput(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (pos < bytes.length) {
                int n = Math.min(len, bytes.length - pos);
                System.arraycopy(bytes, pos, b, off, n);
                pos += n;
                return n;
            }
            drained.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                throw new InterruptedIOException("interrupted");
            }
            return -1;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    private static List<Udf.Response> serve(OpenInput in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new Agent(in, out, new AnomalyHandler(), 1 << 20, "failed-start").run();
        assertEquals(0, code, "a refused init or restore is not a protocol error");
        return Frames.decode(out.toByteArray());
    }

    // the timeout only guards against the hang this test is about (without the fix run() never returns)
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRefusedInitEndsTheConnection() throws Exception {
        OpenInput in = new OpenInput(Frames.encode(List.of(Frames.keepalive(1), Frames.init("detector", "foo", "field", "x"))));
        List<Udf.Response> r = serve(in);
        assertEquals(0, in.closed.getCount(), "the agent closed its input");
        Udf.Response last = r.get(r.size() - 1);
        assertTrue(last.hasInit(), r.toString());
        assertFalse(last.getInit().getSuccess());
        assertTrue(last.getInit().getError().contains("'detector'"), last.getInit().getError());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aFailedRestoreEndsTheConnection() throws Exception {
        OpenInput in = new OpenInput(Frames.encode(List.of(Frames.init("field", "x"),
                Frames.restore("{\"python\": \"pickle\"}".getBytes()))));
        List<Udf.Response> r = serve(in);
        assertEquals(0, in.closed.getCount(), "the agent closed its input");
        assertTrue(r.get(0).getInit().getSuccess(), r.toString());
        assertFalse(r.get(1).getRestore().getSuccess(), r.toString());
        assertEquals(2, r.size(), r.toString());
    }
}
