package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.udf.proto.Udf;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket server in process: what bind() removes, and a connection the JVM has no thread for. */
class SocketServerTest {
    @TempDir
    Path dir;

    /** Only a stale socket is removed: an empty regular file, a FIFO or a symbolic link at the path is kept. */
    @Test
    void bindRemovesOnlyASocket() throws Exception {
        Path empty = dir.resolve("empty.sock");
        Files.createFile(empty);
        Path fifo = dir.resolve("fifo.sock");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        Path target = dir.resolve("notes.txt");
        Files.writeString(target, "keep me");
        Path link = dir.resolve("link.sock");
        Files.createSymbolicLink(link, target);
        for (Path p : new Path[] {empty, fifo, link}) {
            IOException e = assertThrows(IOException.class, () -> SocketServer.bind(p, 1 << 20).close(), p.toString());
            assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
            assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " was removed");
        }
        assertEquals("keep me", Files.readString(target));
    }

    /**
     * A socket file left by an agent that died (kill -9, a crash) is replaced, so the agent restarts on its path; one
     * a running server listens on is refused and kept. The new socket is rw-rw---- (kapacitord's group), and close()
     * removes it.
     */
    @Test
    void bindReplacesAStaleSocketButNotALiveOne() throws Exception {
        Path sock = dir.resolve("stale.sock");
        try (java.nio.channels.ServerSocketChannel dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(sock));
        } // closed: the file stays, nothing listens
        assertTrue(SocketServer.isSocketFile(sock));
        SocketServer server = SocketServer.bind(sock, 1 << 20);
        try {
            assertTrue(SocketServer.isSocketFile(sock));
            assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(sock, LinkOption.NOFOLLOW_LINKS)));
            IOException e = assertThrows(IOException.class, () -> SocketServer.bind(sock, 1 << 20).close());
            assertTrue(e.getMessage().contains("in use by a running server"), e.getMessage());
            assertTrue(Files.exists(sock, LinkOption.NOFOLLOW_LINKS), "the live server's socket was removed");
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                assertTrue(c.isConnected(), "the first server still listens");
            }
        } finally {
            server.close();
        }
        assertTrue(!Files.exists(sock, LinkOption.NOFOLLOW_LINKS), "close() removes the socket");
        server.close(); // twice: nothing more
    }

    /**
     * Socket mode: after a refused init Kapacitor 1.8.3 never closes the node's connection, so the agent ends it (its
     * input shut down from the worker, which ends the read loop): the client sees the answer, then end of input,
     * while its own side stays open.
     */
    /** Runs the server's accept loop on a daemon thread. */
    static Thread serveInBackground(SocketServer server) {
        Thread accept = new Thread(() -> {
            try {
                server.serve();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        accept.setDaemon(true);
        accept.start();
        return accept;
    }

    @Test
    void aRefusedInitEndsItsSocketConnection() throws Exception {
        Path sock = dir.resolve("refused.sock");
        SocketServer server = SocketServer.bind(sock, 1 << 20);
        Thread accept = serveInBackground(server);
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            c.write(ByteBuffer.wrap(Frames.encode(java.util.List.of(Frames.init("detector", "foo", "field", "x")))));
            // read to end of input: without the agent ending the connection, for ever (the guard ends it)
            java.util.List<Udf.Response> r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    java.time.Duration.ofSeconds(60), () -> responses(c));
            assertEquals(1, r.size(), r.toString());
            assertTrue(!r.get(0).getInit().getSuccess() && r.get(0).getInit().getError().contains("'detector'"), r.toString());
        } finally {
            server.close();
        }
    }

    /** The socket warm-up at bind leaves nothing in the temporary directory (one directory per start, else). */
    @Test
    void theWarmUpRemovesItsTemporaryDirectory() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        java.util.function.Supplier<java.util.Set<Path>> warmUps = () -> {
            try (java.util.stream.Stream<Path> l = Files.list(tmp)) {
                return l.filter(x -> x.getFileName().toString().startsWith("anteater-warmup")).collect(java.util.stream.Collectors.toSet());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        java.util.Set<Path> left = warmUps.get(); // by JVMs killed during theirs
        SocketServer.warmUpSocketIo();
        SocketServer.warmUpSocketIo();
        java.util.Set<Path> now = warmUps.get();
        now.removeAll(left);
        assertEquals(java.util.Set.of(), now);
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path p = dir.resolve("no-such-dir").resolve("a.sock");
        IOException e = assertThrows(IOException.class, () -> SocketServer.bind(p, 1 << 20).close());
        assertTrue(e.getMessage().contains("directory " + p.getParent() + " does not exist"), e.getMessage());
    }

    /**
     * No thread for a connection ("unable to create native thread": a thread limit reached with many tasks) refuses
     * that connection; before, the error left serve() and the whole server exited, taking every task with it.
     */
    @Test
    void noThreadForAConnectionRefusesItAndTheServerGoesOn() throws Exception {
        Path sock = dir.resolve("t.sock");
        AtomicInteger made = new AtomicInteger();
        ThreadFactory first = r -> {
            if (made.getAndIncrement() == 0) throw new OutOfMemoryError("unable to create native thread: simulated");
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        };
        SocketServer server = SocketServer.bind(sock, 1 << 20, first);
        CompletableFuture<Throwable> served = new CompletableFuture<>();
        Thread accept = new Thread(() -> {
            try {
                server.serve();
                served.complete(null);
            } catch (Throwable e) {
                served.complete(e);
            }
        });
        accept.setDaemon(true);
        accept.start();
        try {
            try (SocketChannel refused = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                // the refused connection is closed by the server: end of input, not a hang
                CompletableFuture<Integer> eof = CompletableFuture.supplyAsync(() -> {
                    try {
                        return refused.read(ByteBuffer.allocate(1));
                    } catch (IOException e) {
                        return -1;
                    }
                });
                CompletableFuture.anyOf(eof, served).get(30, TimeUnit.SECONDS);
                assertTrue(!served.isDone(), "serve() ended: " + served.getNow(null));
                assertEquals(-1, eof.get(30, TimeUnit.SECONDS));
            }
            try (SocketChannel ok = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                OutputStream out = new OutputStream() {
                    @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }
                    @Override public void write(byte[] b, int off, int len) throws IOException {
                        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                        while (buf.hasRemaining()) ok.write(buf);
                    }
                };
                InputStream in = new InputStream() {
                    @Override public int read() throws IOException {
                        byte[] b = new byte[1];
                        return read(b, 0, 1) <= 0 ? -1 : b[0] & 0xff;
                    }
                    @Override public int read(byte[] b, int off, int len) throws IOException {
                        return ok.read(ByteBuffer.wrap(b, off, len));
                    }
                };
                Frames.write(out, Frames.info());
                CompletableFuture<Udf.Response> info = CompletableFuture.supplyAsync(() -> {
                    try {
                        return Udf.Response.parseDelimitedFrom(new DataInputStream(in));
                    } catch (IOException e) {
                        return null;
                    }
                });
                Udf.Response r = info.get(30, TimeUnit.SECONDS);
                assertTrue(r != null && r.hasInfo(), String.valueOf(r));
            }
            assertTrue(!served.isDone(), "serve() ended: " + served.getNow(null));
        } finally {
            server.close();
        }
        assertEquals(null, served.get(30, TimeUnit.SECONDS));
    }

    /**
     * 200 connections at once, as Kapacitor's start and a hostile peer open them: a quarter half-close after info and
     * read the answer, a quarter close without reading it, a quarter close mid-frame, a quarter open and close at
     * once. Every one that waits is answered, the server still serves afterwards, and no thread of a connection is
     * left (the connection threads are joined, the ones each agent starts are joined by the agent itself).
     */
    @Test
    void manyConnectionsOpeningAndClosingAtOnce() throws Exception {
        Path sock = dir.resolve("many.sock");
        java.util.List<Thread> made = new java.util.concurrent.CopyOnWriteArrayList<>();
        SocketServer server = SocketServer.bind(sock, 1 << 20, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            made.add(t);
            return t;
        });
        Thread accept = serveInBackground(server);
        byte[] info = Frames.encode(java.util.List.of(Frames.info()));
        int n = 200;
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<String>> done = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int mode = i % 4;
                done.add(clients.submit(() -> {
                    go.await();
                    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                        if (mode == 3) return "closed at once";
                        if (mode == 2) {
                            c.write(ByteBuffer.wrap(info, 0, info.length - 1));
                            return "cut";
                        }
                        c.write(ByteBuffer.wrap(info));
                        if (mode == 1) return "not read";
                        c.shutdownOutput();
                        return answer(c);
                    }
                }));
            }
            go.countDown();
            java.util.Map<String, Integer> tally = new java.util.TreeMap<>();
            for (java.util.concurrent.Future<String> f : done) tally.merge(f.get(120, TimeUnit.SECONDS), 1, Integer::sum);
            assertEquals(java.util.Map.of("info", 50, "not read", 50, "cut", 50, "closed at once", 50), tally);
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                c.write(ByteBuffer.wrap(info));
                c.shutdownOutput();
                assertEquals("info", answer(c), "the server still serves");
            }
            for (Thread t : made) t.join(60_000);
            java.util.Set<String> left = new java.util.TreeSet<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) if (t.isAlive() && t.getName().startsWith("conn-")) left.add(t.getName());
            assertEquals(java.util.Set.of(), left, "threads of ended connections");
            assertEquals(n + 1, made.size());
        } finally {
            clients.shutdownNow();
            server.close();
        }
    }

    /** Reads to the end of the output: "info" if it held exactly one InfoResponse. */
    private static java.util.List<Udf.Response> responses(SocketChannel c) throws IOException {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(65536);
        while (c.read(b.clear()) >= 0) got.write(b.array(), 0, b.position());
        return Frames.decode(got.toByteArray());
    }

    private static String answer(SocketChannel c) throws IOException {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(65536);
        while (c.read(b.clear()) >= 0) got.write(b.array(), 0, b.position());
        java.util.List<Udf.Response> r = Frames.decode(got.toByteArray());
        return r.size() == 1 && r.get(0).hasInfo() ? "info" : "unexpected " + r;
    }
}
