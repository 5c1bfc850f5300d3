package anteater.udf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kapacitor's {@code socket} mode: one JVM, one independent {@link Agent} per connection (each connection is
 * one task node). A connection's protocol error ends that connection only. The memory for queued windows and
 * restore frames is one {@link MemoryBudget} for all of them.
 */
public final class SocketServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SocketServer.class);

    private final Path path;
    private final ServerSocketChannel channel;
    private final int maxFrame;
    private final ThreadFactory threads;
    private final AtomicLong connections = new AtomicLong();
    /** Queued windows and restore frames of all connections together: half the heap (each alone: a quarter). */
    private final MemoryBudget budget = MemoryBudget.shared();
    private volatile boolean closed;
    private long acceptFailures; // accept loop only
    private long lastAcceptWarnMs = Long.MIN_VALUE / 2;

    private SocketServer(Path path, ServerSocketChannel channel, int maxFrame, ThreadFactory threads) {
        this.path = path;
        this.channel = channel;
        this.maxFrame = maxFrame;
        this.threads = threads;
    }

    /**
     * Binds the socket: a stale socket file is removed first; the new one gets mode 0660. Anything else at the path
     * (a regular file, even empty, a directory, a FIFO, a device, a symbolic link) is left alone and refused.
     */
    public static SocketServer bind(Path path, int maxFrame) throws IOException {
        return bind(path, maxFrame, SocketServer::daemon);
    }

    static SocketServer bind(Path path, int maxFrame, ThreadFactory threads) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IOException("cannot create socket " + path + ": directory " + parent + " does not exist");
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!isSocketFile(path)) {
                throw new IOException(path + " exists and is not a socket; refusing to remove it");
            }
            if (isLive(path)) throw new IOException(path + " is in use by a running server");
            Files.delete(path);
            LOG.info("removed stale socket {}", path);
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot create socket " + path + ": " + e.getMessage(), e);
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        warmUpSocketIo();
        LOG.info("serving UDF connections on {}", path);
        return new SocketServer(path, ch, maxFrame, threads);
    }

    /**
     * One connection on a private socket, with every operation a task node's connection uses (write, read, both
     * half-closes, close). The JDK initialises its socket dispatcher at the first write or close, and that needs two
     * file descriptors; if they are missing then (the first task nodes arrive as descriptors run out), the class stays
     * broken for the life of the JVM: every later connection fails, cannot even be closed, and its node waits for ever.
     * Best effort: if it fails, the server still starts.
     */
    static void warmUpSocketIo() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("anteater-warmup");
            UnixDomainSocketAddress addr = UnixDomainSocketAddress.of(dir.resolve("w.sock"));
            try (ServerSocketChannel listen = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                listen.bind(addr);
                try (SocketChannel client = SocketChannel.open(addr); SocketChannel accepted = listen.accept()) {
                    client.write(ByteBuffer.wrap(new byte[] {1}));
                    accepted.read(ByteBuffer.allocate(1));
                    accepted.shutdownInput();
                    accepted.shutdownOutput();
                    client.shutdownOutput();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("socket warm-up failed: {}", e.toString());
        } finally {
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve("w.sock"));
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temporary directory left behind
                }
            }
        }
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    }

    /** Whether the path itself (not what a link points to) is a unix socket (file type S_IFSOCK). */
    static boolean isSocketFile(Path path) throws IOException {
        Object mode;
        try {
            mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false; // cannot tell: do not delete
        }
        return mode instanceof Integer m && (m & 0170000) == 0140000;
    }

    private static boolean isLive(Path path) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Accepts connections until closed. A failing accept (out of file descriptors, say) never ends the server: the
     * live connections keep running, the failure is logged at most once a minute and accepting resumes after a
     * pause of 0.1 to 2 s (doubling while it keeps failing).
     */
    public void serve() throws IOException {
        long pauseMs = 0;
        while (!closed) {
            SocketChannel c;
            try {
                c = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) return;
                pauseMs = acceptFailed("accepting a connection on " + path + " failed: " + e.getMessage(), pauseMs);
                if (pauseMs < 0) return;
                continue;
            }
            long id = connections.incrementAndGet();
            try {
                Thread t = threads.newThread(() -> handle(c, id));
                t.setName("conn-" + id);
                t.start();
                pauseMs = 0;
            } catch (OutOfMemoryError e) {
                // "unable to create native thread" (a thread or memory limit): this connection is refused, the
                // live ones go on and so does the server
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                pauseMs = acceptFailed("conn-" + id + " refused: no thread for it (" + e.getMessage() + ")", pauseMs);
                if (pauseMs < 0) return;
            }
        }
    }

    /** Logs at most once a minute, pauses 0.1 to 2 s (doubling); returns the pause, or -1 if interrupted. */
    private long acceptFailed(String what, long pauseMs) {
        pauseMs = Math.min(2_000, Math.max(100, pauseMs * 2));
        acceptFailures++;
        long now = System.currentTimeMillis();
        if (now - lastAcceptWarnMs >= 60_000) {
            lastAcceptWarnMs = now;
            LOG.warn("{} ({} failures so far; retrying)", what, acceptFailures);
        }
        try {
            Thread.sleep(pauseMs);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return -1;
        }
        return pauseMs;
    }

    private void handle(SocketChannel c, long id) {
        String name = "conn-" + id;
        LOG.debug("{}: connected", name);
        try (c) {
            InputStream in = new ChannelInput(c);
            OutputStream out = new HalfClosingOutput(c);
            int code = new Agent(in, out, new AnomalyHandler(), maxFrame, name, -1, budget, Agent.RESTORE_WAIT_MS).run();
            LOG.debug("{}: closed ({})", name, code == 0 ? "end of input" : "protocol error");
        } catch (IOException | RuntimeException | Error e) {
            // e.g. no thread for the connection's writer: this connection ends, the server goes on
            LOG.warn("{}: {}", name, e.toString());
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort
        }
    }

    /**
     * Reads straight from the channel. (JDK 17's Channels.newInputStream holds the channel's blocking lock while
     * it waits in read, which would stall the writer thread of the same connection.)
     */
    private static final class ChannelInput extends InputStream {
        private final SocketChannel c;

        ChannelInput(SocketChannel c) {
            this.c = c;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            int n = c.read(ByteBuffer.wrap(b, off, len));
            return n < 0 ? -1 : n;
        }

        /** Shuts down the input side only: a read blocked in another thread returns end of input at once. */
        @Override
        public void close() throws IOException {
            if (c.isOpen()) c.shutdownInput();
        }
    }

    /** Writes to the channel; close() shuts down only the output side, so the peer sees EOF. */
    private static final class HalfClosingOutput extends OutputStream {
        private final SocketChannel c;

        HalfClosingOutput(SocketChannel c) {
            this.c = c;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) c.write(buf);
        }

        @Override
        public void close() throws IOException {
            if (c.isOpen()) c.shutdownOutput();
        }
    }
}
