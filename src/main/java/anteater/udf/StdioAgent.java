package anteater.udf;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;

/** The agent over a process's standard input and output (Kapacitor's {@code prog} mode). */
public final class StdioAgent {
    private StdioAgent() {
    }

    /**
     * The process's standard input as a stream that another thread can close while a read waits in it (the read then
     * ends with an exception): through a FileChannel, which is interruptible; System.in is not. The agent closes
     * its input to end a connection whose init or restore failed (Kapacitor never stops such a node's process).
     */
    public static InputStream stdin() {
        return Channels.newInputStream(new FileInputStream(FileDescriptor.in).getChannel());
    }

    /** Serves until stdin ends; returns the exit code. */
    public static int run(InputStream stdin, OutputStream stdout, int maxFrame) {
        return new Agent(stdin, stdout, new AnomalyHandler(), maxFrame, "stdio").run();
    }
}
