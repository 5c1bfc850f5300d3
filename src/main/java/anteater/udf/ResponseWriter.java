package anteater.udf;

import anteater.udf.proto.Udf;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of a connection's output. Responses leave in the order {@link #send} was called, from
 * whichever thread; the writer flushes whenever its queue runs empty, so nothing sits in a buffer.
 */
public final class ResponseWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseWriter.class);
    private static final Udf.Response CLOSE = Udf.Response.newBuilder().build();

    private final LinkedBlockingQueue<Udf.Response> queue = new LinkedBlockingQueue<>(65536);
    private final OutputStream out;
    private final OutputStream raw;
    private final Thread thread;
    private volatile IOException failure;

    public ResponseWriter(OutputStream out, String name) {
        this.raw = out;
        this.out = new java.io.BufferedOutputStream(out, 65536);
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a response; blocks only if 65536 responses are waiting (the peer is not reading). */
    public void send(Udf.Response r) {
        if (r.getMessageCase() == Udf.Response.MessageCase.MESSAGE_NOT_SET) {
            throw new IllegalArgumentException("a Response without a message would crash kapacitord");
        }
        if (failure != null) return;
        try {
            queue.put(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes everything queued, flushes, and closes the output. */
    public void close() {
        try {
            queue.put(CLOSE);
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public IOException failure() {
        return failure;
    }

    private void loop() {
        List<Udf.Response> batch = new ArrayList<>(256);
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, 4096);
                for (Udf.Response r : batch) {
                    if (r == CLOSE) {
                        out.flush();
                        out.close();
                        return;
                    }
                    r.writeDelimitedTo(out);
                }
                batch.clear();
                if (queue.isEmpty()) out.flush();
            }
        } catch (IOException | RuntimeException | Error e) {
            // an Error too (an OutOfMemoryError while serialising): a writer that died silently left the connection
            // mute until Kapacitor's keepalive timeout, and its producers blocked once the queue was full
            failure = e instanceof IOException io ? io : new IOException("writer failed: " + e, e);
            LOG.error("writing to Kapacitor failed: {}", e.toString());
            // a frame may be cut short: close the stream itself (not the buffer, whose flush would write more of it), so
            // that Kapacitor sees the end of the output at once
            try {
                raw.close();
            } catch (IOException | RuntimeException | Error ignored) {
                // already failing
            }
            // keep draining so producers never block on a dead peer, until close() (which may have been taken into
            // the failed batch already: then waiting for it would hang close() for ever)
            if (batch.contains(CLOSE)) return;
            while (true) {
                try {
                    if (queue.take() == CLOSE) return;
                } catch (InterruptedException ie) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
