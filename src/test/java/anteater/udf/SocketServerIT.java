package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.udf.proto.Udf;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `anteater serve --socket`: one JVM, one independent agent per connection. */
class SocketServerIT {

    @TempDir
    Path dir;

    @Test
    void servesConcurrentConnectionsIndependently() throws Exception {
        Path sock = dir.resolve("anteater.sock");
        Files.writeString(dir.resolve("placeholder"), "");
        // a stale socket file from an earlier run is replaced
        try (var stale = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(sock));
        }
        assertTrue(Files.exists(sock));
        Process server = new ProcessBuilder(AgentProcessIT.java("serve", "--socket", sock.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            waitForSocket(sock, server);
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<List<Udf.Response>>> results = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                final int id = c;
                results.add(pool.submit((Callable<List<Udf.Response>>) () -> session(sock, id)));
            }
            for (int c = 0; c < 3; c++) {
                List<Udf.Response> resp = results.get(c).get(60, TimeUnit.SECONDS);
                long points = resp.stream().filter(Udf.Response::hasPoint).count();
                assertEquals(7, points, "connection " + c + ": 8 windows, the first seeds");
                String host = "h" + c;
                assertTrue(resp.stream().filter(Udf.Response::hasPoint)
                        .allMatch(r -> r.getPoint().getTagsMap().get("host").equals(host)));
                long anomalies = resp.stream().filter(Udf.Response::hasPoint)
                        .filter(r -> r.getPoint().getFieldsBoolMap().get("is_anomaly")).count();
                assertEquals(c == 1 ? 1 : 0, anomalies, "only connection 1 carries a fault");
            }
            pool.shutdown();
            // a protocol error on one connection does not stop the server
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                OutputStream out = Channels.newOutputStream(ch);
                Frames.write(out, Udf.Request.getDefaultInstance());
                Udf.Response err = Udf.Response.parseDelimitedFrom(Channels.newInputStream(ch));
                assertTrue(err.hasError());
            }
            List<Udf.Response> after = session(sock, 9);
            assertEquals(7, after.stream().filter(Udf.Response::hasPoint).count());
            assertTrue(server.isAlive());
            // every node's lines share one stderr: each init line names its connection, so that the lines of one task
            // (a warning, a failed restore) can be told from the others'
            List<String> inits = Files.readAllLines(dir.resolve("server.log")).stream()
                    .filter(l -> l.contains("AnomalyHandler - init ")).toList();
            assertEquals(4, inits.size(), String.join("\n", inits));
            long named = inits.stream().map(l -> l.replaceFirst("^\\[(conn-\\d+)-worker\\] \\[INFO\\] .*", "$1"))
                    .filter(c -> c.startsWith("conn-")).distinct().count();
            assertEquals(4, named, "each init line starts with its own connection's name: " + String.join("\n", inits));
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void keepsServingWhenAcceptFails() throws Exception {
        Path sock = dir.resolve("fd.sock");
        Path log = dir.resolve("fd-server.log");
        // few file descriptors: accept() fails with "Too many open files" long before the clients stop connecting
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "ulimit -n 128 && exec \"$@\"", "serve"));
        cmd.addAll(AgentProcessIT.java("serve", "--socket", sock.toString()));
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<SocketChannel> held = new ArrayList<>();
        try {
            waitForSocket(sock, server);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(log).contains("accepting a connection on")) {
                assertTrue(System.nanoTime() < deadline, "accept never failed with " + held.size() + " connections");
                assertTrue(server.isAlive(), "server exited: " + Files.readString(log));
                if (held.size() < 120) held.add(SocketChannel.open(UnixDomainSocketAddress.of(sock)));
                else Thread.sleep(50);
            }
            assertTrue(server.isAlive(), "server exited: " + Files.readString(log));
            for (SocketChannel c : held) c.close();
            held.clear();
            // once descriptors are free again, a new task node is served as before (a hang guard: before the server
            // warmed its socket I/O up, a dispatcher broken while descriptors ran out left this session waiting for ever)
            List<Udf.Response> after = assertTimeoutPreemptively(java.time.Duration.ofSeconds(120), () -> session(sock, 9),
                    () -> "no answer after the descriptors came back; server log: " + readQuietly(log));
            assertEquals(7, after.stream().filter(Udf.Response::hasPoint).count());
            assertTrue(server.isAlive());
            assertFalse(Files.readString(log).contains("NoClassDefFoundError"), Files.readString(log));
        } finally {
            for (SocketChannel c : held) c.close();
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    static void waitForSocket(Path sock, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) throw new AssertionError("server exited with " + server.exitValue());
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("socket " + sock + " never accepted a connection");
    }

    /** One task node: init, 8 windows (with a fault in window 6 on connection 1), half-close, read to EOF. */
    static List<Udf.Response> session(Path sock, int id) throws Exception {
        Random rnd = new Random(id);
        Map<String, String> tags = Map.of("host", "h" + id);
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            OutputStream out = Channels.newOutputStream(ch);
            InputStream in = Channels.newInputStream(ch);
            List<Udf.Request> reqs = new ArrayList<>();
            reqs.add(Frames.init("field", "value", "size", 400L));
            for (int w = 0; w < 8; w++) {
                double[] v = new double[100];
                for (int i = 0; i < v.length; i++) v[i] = (id == 1 && w == 6 ? 80 : 70) + rnd.nextGaussian();
                reqs.addAll(Frames.window("temps", tags, "value", w * 100_000_000_000L, v));
            }
            out.write(Frames.encode(reqs));
            out.flush();
            ch.shutdownOutput();
            List<Udf.Response> resp = new ArrayList<>();
            DataInputStream din = new DataInputStream(in);
            Udf.Response r;
            while ((r = Udf.Response.parseDelimitedFrom(din)) != null) resp.add(r);
            assertTrue(resp.get(0).getInit().getSuccess());
            return resp;
        }
    }
}
