package anteater.udf;

import anteater.detect.Window;
import anteater.udf.proto.Udf;
import java.util.function.Consumer;

/**
 * What a connection's agent does with requests. All methods run on the connection's single worker thread,
 * in the order the requests arrived; keepalive never reaches the handler (the agent answers it at once).
 */
public interface Handler {
    Udf.InfoResponse info();

    Udf.InitResponse init(Udf.InitRequest request);

    /** Whether init succeeded, so that data may flow. */
    boolean ready();

    Udf.SnapshotResponse snapshot();

    Udf.RestoreResponse restore(Udf.RestoreRequest request);

    /** Judges a complete window; responses (points) go to {@code out} in order. */
    void window(Window window, Consumer<Udf.Response> out);

    /** End of input: flush sinks within a deadline and release everything. */
    void close();
}
