package anteater.udf;

import java.io.InputStream;
import java.io.OutputStream;

/** The agent over a process's standard input and output (Kapacitor's {@code prog} mode). */
public final class StdioAgent {
    private StdioAgent() {
    }

    /** Serves until stdin ends; returns the exit code. */
    public static int run(InputStream stdin, OutputStream stdout, int maxFrame) {
        return new Agent(stdin, stdout, new AnomalyHandler(), maxFrame, "stdio").run();
    }
}
