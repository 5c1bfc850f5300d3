package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket server in process: what bind() removes. */
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

    @Test
    void aMissingDirectoryIsNamed() {
        Path p = dir.resolve("no-such-dir").resolve("a.sock");
        IOException e = assertThrows(IOException.class, () -> SocketServer.bind(p, 1 << 20).close());
        assertTrue(e.getMessage().contains(p.getParent().toString()), e.getMessage());
    }
}
