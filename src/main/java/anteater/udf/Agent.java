package anteater.udf;

import anteater.detect.Window;
import anteater.udf.proto.Udf;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDF connection (one task node): a read loop, a worker and one writer.
 *
 * <p>The read loop decodes frames, answers keepalive at once, and assembles each batch into a {@link Window}.
 * Everything else goes, in arrival order, to the worker, which calls the {@link Handler}; so the detector never
 * delays a keepalive, and a snapshot response always follows the points of the windows before it (both leave
 * through the one {@link ResponseWriter}, in the order the worker produced them).
 */
public final class Agent {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final Runnable STOP = () -> { };

    private final InputStream in;
    private final Handler handler;
    private final int maxFrame;
    private final String name;
    private final ResponseWriter writer;
    private final BlockingQueue<Runnable> work = new ArrayBlockingQueue<>(1024);
    private final Thread worker;
    private volatile boolean dataAllowed;
    /**
     * Set once the node's start has failed (a refused init or restore): Kapacitor 1.8.3 then never stops this node's
     * process or connection (its UDF node returns before the code that closes the UDF, and the task stop skips a
     * node already marked stopped), so the agent ends the connection itself, or every failed enable would leave a
     * JVM (stdio) or a connection (socket) answering keepalives until kapacitord exits.
     */
    private volatile boolean ending;
    /** How long a restore frame waits for room in the shared budget before it is refused (keepalives wait too). */
    static final long RESTORE_WAIT_MS = 5_000;
    /**
     * The most of BeginBatch.size trusted for a window's first column (it grows from there as points arrive): the size
     * is the peer's word, and the queue's budget counts the values that came, not the room reserved for them.
     */
    static final int MAX_SIZE_HINT = 1024;
    /** Bound on the values of the windows queued for the worker (about 16 bytes each: a quarter of the heap). */
    private final long maxQueuedValues = MemoryBudget.perConnectionValues();
    /** This connection's part of the memory budget (shared by all connections in socket mode). */
    private final MemoryBudget.Share share;
    private final long restoreWaitMs;
    /** Read loop only: units reserved for the restore frame just read, until the worker has it. */
    private long restoreHeld;
    private String refusedRestore;
    /**
     * Values one batch may hold while the read loop assembles it: the queue's budget. A larger batch is refused
     * (ErrorResponse, this task only) instead of growing until the heap runs out, which in socket mode would hit
     * whichever connection's thread allocates next.
     */
    private final long maxBatchValues;

    /** A connection alone in its JVM (stdio mode): a budget of its own bounds. */
    public Agent(InputStream in, OutputStream out, Handler handler, int maxFrame, String name) {
        this(in, out, handler, maxFrame, name, -1);
    }

    Agent(InputStream in, OutputStream out, Handler handler, int maxFrame, String name, long maxBatchValues) {
        this(in, out, handler, maxFrame, name, maxBatchValues, MemoryBudget.forOneConnection(maxFrame), RESTORE_WAIT_MS);
    }

    /** A connection whose queued windows and restore frames draw on {@code budget} with the JVM's other ones. */
    Agent(InputStream in, OutputStream out, Handler handler, int maxFrame, String name, long maxBatchValues,
            MemoryBudget budget, long restoreWaitMs) {
        this.maxBatchValues = maxBatchValues > 0 ? maxBatchValues : maxQueuedValues;
        this.share = budget.join(maxQueuedValues);
        this.restoreWaitMs = restoreWaitMs;
        this.in = in;
        this.handler = handler;
        this.maxFrame = maxFrame;
        this.name = name;
        this.writer = new ResponseWriter(out, name + "-writer");
        this.worker = new Thread(this::workLoop, name + "-worker");
        this.worker.setDaemon(true);
    }

    /** Serves until end of input; returns the process exit code (0: clean end, 1: protocol error). */
    public int run() {
        try {
            return serve();
        } finally {
            // what is still reserved (windows dropped after an error) goes back to the other connections
            share.leave();
        }
    }

    /** Values of the windows queued for the worker (for tests). */
    long queuedValues() {
        return share.queued();
    }

    private int serve() {
        try {
            worker.start();
        } catch (OutOfMemoryError e) {
            // no thread for the worker (a thread or memory limit): this connection fails, with a reason
            String m = "cannot start the worker thread (" + e.getMessage() + ")";
            LOG.error("{}: {}", name, m);
            writer.send(error(m));
            writer.close();
            return 1;
        }
        FrameReader reader = new FrameReader(in, maxFrame, this::admitRestore);
        PointDecoder points = new PointDecoder();
        SeriesTags seriesTags = new SeriesTags();
        String currentKey = null;
        Window current = null;
        long windows = 0;
        try {
            while (true) {
                releaseRestore(); // a frame that passed the gate but did not parse as a restore
                if (ending) break;
                int len;
                try {
                    len = reader.nextFrame();
                } catch (IOException e) {
                    // the worker closed the input to end the connection (see endAfterFailedStart)
                    if (ending) break;
                    throw e;
                }
                if (ending) break;
                if (len == FrameReader.REFUSED) {
                    String m = refusedRestore;
                    submit(() -> {
                        writer.send(Udf.Response.newBuilder().setRestore(Udf.RestoreResponse.newBuilder()
                                .setSuccess(false).setError("anteater: " + m)).build());
                        endAfterFailedStart("restore");
                    });
                    continue;
                }
                if (len < 0) {
                    if (current != null) LOG.warn("{}: input ended inside a batch; its points are dropped", name);
                    break;
                }
                if (current != null && !seriesTags.watching() && PointDecoder.isPoint(reader.buffer(), len)) {
                    boolean decoded;
                    try {
                        decoded = points.decode(reader.buffer(), len, current);
                    } catch (IOException e) {
                        throw new FrameException("frame " + reader.frames() + ": not a valid Point (" + e.getMessage() + ")", e);
                    }
                    if (decoded) {
                        checkBatchSize(current);
                        continue;
                    }
                    // more than a Point in the frame: parsed in full below, as protobuf reads it
                }
                Udf.Request req = reader.parse(len);
                switch (req.getMessageCase()) {
                    case KEEPALIVE -> writer.send(Udf.Response.newBuilder()
                            .setKeepalive(Udf.KeepaliveResponse.newBuilder().setTime(req.getKeepalive().getTime()))
                            .build());
                    // Kapacitor waits for the answer of each of these without a deadline (keepalives go on):
                    // whatever the handler throws, an answer goes out
                    case INFO -> submit(() -> writer.send(answer("info", () -> Udf.Response.newBuilder().setInfo(handler.info()).build(),
                            m -> error("info failed: " + m))));
                    case INIT -> submit(() -> {
                        Udf.Response r = answer("init", () -> {
                            Udf.InitResponse ir = handler.init(req.getInit());
                            // a refused second init leaves the first one in force
                            dataAllowed = handler.ready();
                            return Udf.Response.newBuilder().setInit(ir).build();
                        }, m -> Udf.Response.newBuilder().setInit(Udf.InitResponse.newBuilder().setSuccess(false)
                                .setError("init failed: " + m)).build());
                        writer.send(r);
                        if (!r.getInit().getSuccess() && !dataAllowed) endAfterFailedStart("init");
                    });
                    case SNAPSHOT -> submit(() -> writer.send(answer("snapshot",
                            () -> Udf.Response.newBuilder().setSnapshot(restorable(handler.snapshot())).build(),
                            m -> Udf.Response.newBuilder().setSnapshot(Udf.SnapshotResponse.getDefaultInstance()).build())));
                    case RESTORE -> {
                        // the frame's reservation lasts until the worker has decoded it (req holds its bytes)
                        long held = restoreHeld;
                        restoreHeld = 0;
                        submit(() -> {
                            Udf.Response r;
                            try {
                                r = answer("restore",
                                        () -> Udf.Response.newBuilder().setRestore(handler.restore(req.getRestore())).build(),
                                        m -> Udf.Response.newBuilder().setRestore(Udf.RestoreResponse.newBuilder()
                                                .setSuccess(false).setError("restore failed: " + m)).build());
                                writer.send(r);
                            } finally {
                                if (held > 0) share.releaseRestore(held);
                            }
                            if (!r.getRestore().getSuccess()) endAfterFailedStart("restore");
                        });
                    }
                    case BEGIN -> {
                        if (current != null) throw new ProtocolException("BeginBatch inside a batch (batches must not interleave)");
                        Udf.BeginBatch b = req.getBegin();
                        int hint = (int) Math.max(0, Math.min(b.getSize(), MAX_SIZE_HINT));
                        current = new Window(b.getName(), b.getGroup(), new HashMap<>(b.getTagsMap()), b.getByName(), hint);
                        currentKey = current.groupKey();
                        seriesTags.begin(currentKey);
                    }
                    case POINT -> {
                        if (current == null) {
                            throw new ProtocolException("a Point arrived outside a batch: anteater wants batch edges "
                                    + "(put |window() or a batch |query() before @anteater())");
                        }
                        addPoint(current, req.getPoint());
                        seriesTags.point(req.getPoint());
                        checkBatchSize(current);
                    }
                    case END -> {
                        if (current == null) throw new ProtocolException("EndBatch without BeginBatch");
                        Udf.EndBatch e = req.getEnd();
                        current.end(e.getName(), e.getGroup(), e.getTagsCount() == 0 ? null : new HashMap<>(e.getTagsMap()),
                                e.getByName(), e.getTmax());
                        seriesTags.end(currentKey, current);
                        Window w = current;
                        current = null;
                        windows++;
                        long cost = cost(w);
                        reserve(cost);
                        submit(() -> {
                            try {
                                if (!dataAllowed) {
                                    fatal(new ProtocolException("data arrived before a successful init"));
                                    return;
                                }
                                handler.window(w, writer::send);
                            } finally {
                                release(cost);
                            }
                        });
                    }
                    case MESSAGE_NOT_SET -> throw new ProtocolException("empty or unknown request (no known message set)");
                    default -> throw new ProtocolException("unexpected request " + req.getMessageCase());
                }
            }
        } catch (FrameException | ProtocolException e) {
            current = null;
            return fail(e.getMessage());
        } catch (IOException e) {
            return fail("reading from Kapacitor failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        } catch (RuntimeException | Error e) {
            // an out-of-memory error or a defect on the read loop: the worker and the writer must still stop and
            // the handler close (its detector threads, its sinks), and Kapacitor hear why
            current = null;
            LOG.debug("stack", e);
            return fail("internal error reading requests: " + e);
        }
        // clean end of input: finish queued work, flush sinks, flush output
        try {
            work.put(() -> handler.close());
            work.put(STOP);
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        LOG.debug("{}: end of input after {} frames, {} windows", name, reader.frames(), windows);
        return fatalSeen ? 1 : 0;
    }

    private volatile boolean fatalSeen;

    /**
     * Worker only, after the answer that failed the node's start: Kapacitor sends nothing more but keepalives and
     * never closes this connection (see {@link #ending}). The input is closed so that the read loop, blocked in
     * a read, ends now (an input that cannot be closed from another thread ends at the next frame, a keepalive);
     * the usual clean end follows (handler closed, output flushed and closed). Kapacitor already has the answer: it
     * fails the task with its text.
     */
    private void endAfterFailedStart(String what) {
        if (ending) return;
        ending = true;
        LOG.info("{}: {} failed: the task fails, and Kapacitor never closes this node's connection; ending it", name, what);
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: closing the input: {}", name, e.toString());
        }
    }

    /** The handler's answer, or {@code failed}'s if the handler throws (an OutOfMemoryError, a defect). */
    private Udf.Response answer(String what, java.util.function.Supplier<Udf.Response> call,
            java.util.function.Function<String, Udf.Response> failed) {
        try {
            return call.get();
        } catch (RuntimeException | Error e) {
            LOG.error("{}: {} failed: {}", name, what, e.toString());
            LOG.debug("stack", e);
            return failed.apply(e.toString());
        }
    }

    /**
     * Budget units a distinct field of a window costs before its values: its column's arrays, its map entry and its
     * name, about 300 bytes (the budget's unit is a value, 16 bytes). A batch of many sparse fields is mostly this.
     */
    static final int FIELD_UNITS = 24;

    /** A window's budget units: its values, its points and its columns. */
    static long cost(Window w) {
        return w.values() + w.points() + (long) w.fields() * FIELD_UNITS;
    }

    private void checkBatchSize(Window w) throws ProtocolException {
        if (cost(w) > maxBatchValues) {
            throw new ProtocolException("batch of more than " + maxBatchValues + " values (points x fields, a distinct field "
                    + "counting " + FIELD_UNITS + ", after " + w.points() + " points and " + w.fields() + " fields) is larger "
                    + "than the agent holds for one window; use shorter windows or fewer fields, or raise -Xmx");
        }
    }

    private void fatal(ProtocolException e) {
        fatalSeen = true;
        LOG.error("{}: {}", name, e.getMessage());
        writer.send(error(e.getMessage()));
    }

    private int fail(String message) {
        LOG.error("{}: {}", name, message);
        // queued requests are dropped. The handler is closed on the worker, after the request it may be in the
        // middle of (an init that loads ND4J or makes a Kafka producer): closed from here, it could miss what that
        // request creates. The error goes out once that request is done (so it is the last response), or after 2 s.
        work.clear();
        java.util.concurrent.CountDownLatch idle = new java.util.concurrent.CountDownLatch(1);
        work.offer(idle::countDown);
        work.offer(handler::close);
        work.offer(STOP);
        try {
            idle.await(2, java.util.concurrent.TimeUnit.SECONDS);
            writer.send(error(message));
            worker.join(10_000); // the handler flushes its sinks within its own deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        return 1;
    }

    /**
     * Kapacitor keeps the bytes and sends them back as a RestoreRequest of exactly the same frame size at every later
     * start of the task: a snapshot above the restore frame limit ({@link FrameReader#maxRestoreFrame}, which the
     * frame limit does not bound: a snapshot is the agent's own state) would fail all of them. Such a snapshot is not
     * given (empty: Kapacitor stores nothing for this node and the next start begins with empty state).
     */
    private Udf.SnapshotResponse restorable(Udf.SnapshotResponse s) {
        int frame = Udf.Request.newBuilder().setRestore(Udf.RestoreRequest.newBuilder().setSnapshot(s.getSnapshot()))
                .build().getSerializedSize();
        long limit = FrameReader.maxRestoreFrame(maxFrame);
        if (frame <= limit) return s;
        LOG.error("{}: snapshot of {} bytes exceeds the restore frame limit of {} bytes (a quarter of the heap) and could "
                + "not be restored; not given (raise -Xmx, or fewer groups/size)", name, frame, limit);
        return Udf.SnapshotResponse.getDefaultInstance();
    }

    private static Udf.Response error(String message) {
        return Udf.Response.newBuilder().setError(Udf.ErrorResponse.newBuilder().setError("anteater: " + message)).build();
    }

    /**
     * Back-pressure by size, not only by count: the read loop waits (Kapacitor's writes then wait in the pipe)
     * while this connection's queued windows would hold more than a quarter of the heap, or all connections' more
     * than the shared budget; a connection with nothing queued still queues one window (its worker drains it).
     */
    private void reserve(long cost) throws InterruptedException {
        share.reserve(cost);
    }

    private void release(long cost) {
        share.release(cost);
    }

    /**
     * The gate of a restore frame above the frame limit, before its buffer is allocated: its bytes are reserved from
     * the budget, waiting up to {@link #restoreWaitMs} while the restores and windows of other connections hold it.
     * If they still do, the frame is skipped and answered success=false (Kapacitor fails that task's start only).
     */
    private boolean admitRestore(int bytes) throws IOException {
        long units = MemoryBudget.units(bytes);
        try {
            if (share.reserveRestore(units, restoreWaitMs)) {
                restoreHeld += units;
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for memory to read a restore of " + bytes + " bytes");
        }
        MemoryBudget b = share.budget();
        refusedRestore = "restore of " + bytes + " bytes refused: after " + restoreWaitMs + " ms the agent's memory budget "
                + "was still held by other tasks (" + b.used() * MemoryBudget.BYTES_PER_VALUE / 1_000_000 + " of "
                + b.total() * MemoryBudget.BYTES_PER_VALUE / 1_000_000 + " MB, restores and queued windows); enable the "
                + "task again when fewer tasks start at once, or raise -Xmx";
        LOG.error("{}: {}", name, refusedRestore);
        return false;
    }

    private void releaseRestore() {
        if (restoreHeld > 0) {
            share.releaseRestore(restoreHeld);
            restoreHeld = 0;
        }
    }

    private void submit(Runnable r) throws InterruptedException {
        work.put(r);
    }

    static void addPoint(Window w, Udf.Point p) {
        long t = p.getTime();
        w.notePoint(t);
        if (p.getFieldsDoubleCount() > 0) {
            for (Map.Entry<String, Double> e : p.getFieldsDoubleMap().entrySet()) w.add(e.getKey(), t, e.getValue());
        }
        if (p.getFieldsIntCount() > 0) {
            for (Map.Entry<String, Long> e : p.getFieldsIntMap().entrySet()) w.add(e.getKey(), t, (double) e.getValue());
        }
    }

    private void workLoop() {
        while (true) {
            Runnable r;
            try {
                r = work.take();
            } catch (InterruptedException e) {
                return;
            }
            if (r == STOP) return;
            try {
                r.run();
            } catch (RuntimeException | Error e) {
                LOG.error("{}: request failed: {}", name, e.toString());
                LOG.debug("stack", e);
            }
        }
    }

    /** A request that breaks the protocol: answered with ErrorResponse, then the connection ends. */
    static final class ProtocolException extends Exception {
        ProtocolException(String message) {
            super(message);
        }
    }
}
