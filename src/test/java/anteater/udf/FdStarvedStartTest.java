package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.udf.proto.Udf;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first connection of a socket server arrives when the process is out of file descriptors. The JDK initialises
 * its channel dispatcher at the first read or close of a socket, and that initialisation needs two descriptors (a
 * socket pair); failing once, the class stays unusable for the life of the JVM. Before the server warmed its socket
 * I/O up at bind, every later connection then failed with {@code NoClassDefFoundError}, could not even be closed
 * (its descriptor leaked, so accept kept failing with "Too many open files"), and its task node waited for ever:
 * SocketServerIT hung that way on a loaded machine. Runs in a JVM of its own, since the class is initialised once.
 */
class FdStarvedStartTest {

    /** The server side: binds, serves, then uses up every descriptor but one (for the connection to come). */
    public static void main(String[] args) throws Exception {
        SocketServer server = SocketServer.bind(Path.of(args[0]), FrameReader.DEFAULT_MAX_FRAME);
        // load the agent's own classes now (a class file read needs a descriptor); no socket I/O here
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Agent(new ByteArrayInputStream(Frames.encode(List.of(Frames.info()))), out, new AnomalyHandler(),
                FrameReader.DEFAULT_MAX_FRAME, "preload").run();
        for (Class<?> c : SocketServer.class.getDeclaredClasses()) Class.forName(c.getName(), true, c.getClassLoader());
        Thread serving = new Thread(() -> {
            try {
                server.serve();
            } catch (IOException e) {
                e.printStackTrace();
            }
        });
        serving.setDaemon(true);
        serving.start();
        List<FileInputStream> held = new ArrayList<>();
        try {
            while (true) held.add(new FileInputStream("/dev/null"));
        } catch (IOException e) {
            // out of descriptors
        }
        held.remove(held.size() - 1).close();
        System.out.println("READY " + held.size());
        System.out.flush();
        System.in.read(); // until the test closes our stdin
        server.close();
    }

    @Test
    void aConnectionWhenDescriptorsRunOutIsServed(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("s.sock");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path err = dir.resolve("server.err");
        Process p = new ProcessBuilder("bash", "-c", "ulimit -n 200 && exec \"$@\"", "server", java.toString(),
                "-cp", System.getProperty("java.class.path"), FdStarvedStartTest.class.getName(), sock.toString())
                .redirectError(err.toFile()).start();
        try {
            List<Udf.Response> responses = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String ready = lines.readLine();
                assertTrue(ready != null && ready.startsWith("READY"), "server did not start: " + Files.readString(err));
                try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                    Channels.newOutputStream(ch).write(Frames.encode(List.of(Frames.info())));
                    ch.shutdownOutput();
                    InputStream in = Channels.newInputStream(ch);
                    List<Udf.Response> got = new ArrayList<>();
                    Udf.Response r;
                    while ((r = Udf.Response.parseDelimitedFrom(in)) != null) got.add(r);
                    return got;
                }
            }, () -> "no answer from the server; its log: " + readQuietly(err));
            assertEquals(1, responses.size(), "answers " + responses + "; server log: " + Files.readString(err));
            assertTrue(responses.get(0).hasInfo());
            String log = Files.readString(err);
            assertFalse(log.contains("NoClassDefFoundError") || log.contains("ExceptionInInitializerError"), log);
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
