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
 *
 * <p>The queue is bounded by the frames' bytes as well as by count: when the peer stops reading (Kapacitor's node
 * after the UDF is slow), producers wait once {@link #MAX_QUEUED_BYTES} are queued, instead of holding up to
 * 65,536 points (about 2 KB of heap each with a few tags), which in socket mode ran the whole JVM out of memory.
 */
public final class ResponseWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseWriter.class);
    private static final Udf.Response CLOSE = Udf.Response.newBuilder().build();
    /** Serialised bytes of the queued responses beyond which {@link #send} waits (one response always gets in). */
    static final long MAX_QUEUED_BYTES = 1 << 20;

    private final LinkedBlockingQueue<Udf.Response> queue = new LinkedBlockingQueue<>(65536);
    private final OutputStream out;
    private final OutputStream raw;
    private final Thread thread;
    private volatile IOException failure;
    private final long maxQueuedBytes;
    /** Guards {@link #queuedBytes} and {@link #waiting}; never held while putting into the queue. */
    private final Object room = new Object();
    private long queuedBytes;
    private int waiting;
    /** Set when the writer has taken {@link #close}'s marker: nothing more is written, so nothing may wait for room. */
    private boolean closed;

    public ResponseWriter(OutputStream out, String name) {
        this(out, name, MAX_QUEUED_BYTES);
    }

    ResponseWriter(OutputStream out, String name, long maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
        this.raw = out;
        this.out = new java.io.BufferedOutputStream(out, 65536);
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues a response; blocks while the queued ones hold {@link #MAX_QUEUED_BYTES} of frames, or 65536 of them are
     * waiting (the peer is not reading). A response larger than the bound (a snapshot) waits for an empty queue.
     */
    public void send(Udf.Response r) {
        if (r.getMessageCase() == Udf.Response.MessageCase.MESSAGE_NOT_SET) {
            throw new IllegalArgumentException("a Response without a message would crash kapacitord");
        }
        if (failure != null) return;
        long size = r.getSerializedSize();
        try {
            synchronized (room) {
                while (queuedBytes > 0 && queuedBytes + size > maxQueuedBytes && failure == null && !closed) {
                    waiting++;
                    try {
                        room.wait();
                    } finally {
                        waiting--;
                    }
                }
                if (failure != null || closed) return;
                queuedBytes += size;
            }
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

    /** Producers waiting for room at this moment (for tests). */
    int waiting() {
        synchronized (room) {
            return waiting;
        }
    }

    private void written(long bytes) {
        synchronized (room) {
            queuedBytes -= bytes;
            room.notifyAll();
        }
    }

    private void loop() {
        List<Udf.Response> batch = new ArrayList<>(256);
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, 4096);
                long bytes = 0;
                for (Udf.Response r : batch) {
                    if (r == CLOSE) {
                        synchronized (room) {
                            closed = true; // a send after close (it writes nothing any more) must not wait for room
                            room.notifyAll();
                        }
                        out.flush();
                        out.close();
                        return;
                    }
                    r.writeDelimitedTo(out);
                    bytes += r.getSerializedSize();
                }
                batch.clear();
                written(bytes);
                if (queue.isEmpty()) out.flush();
            }
        } catch (IOException | RuntimeException | Error e) {
            // an Error too (an OutOfMemoryError while serialising): a writer that died silently left the connection
            // mute until Kapacitor's keepalive timeout, and its producers blocked once the queue was full
            failure = e instanceof IOException io ? io : new IOException("writer failed: " + e, e);
            synchronized (room) {
                room.notifyAll(); // producers waiting for room return (they see the failure)
            }
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
