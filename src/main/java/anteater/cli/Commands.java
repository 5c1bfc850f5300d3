package anteater.cli;

import anteater.udf.FrameReader;
import anteater.udf.SocketServer;
import anteater.udf.StdioAgent;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The subcommands of anteater.jar. */
@Command(name = "anteater", mixinStandardHelpOptions = true, scope = picocli.CommandLine.ScopeType.INHERIT, version = "anteater 0.1.0",
        description = "AI anomaly detection for Kapacitor. With no arguments: a UDF agent on stdin/stdout.",
        subcommands = {
            Commands.Agent.class,
            Commands.Serve.class,
            BenchCommand.class,
            OptionsCommand.class,
            EvalRcaCommand.class,
            EvalCommand.class,
            TrainCommand.class,
            BenchVaeCommand.class,
            GenCommand.class,
            DemoCommand.class,
        })
public final class Commands implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.err);
    }

    /** The smallest frame limit accepted: below it even Kapacitor's info and init requests could not get through. */
    static final int MIN_FRAME = 1024;

    /**
     * A usage error for a frame limit below {@link #MIN_FRAME}: it was accepted (0, -1) and every frame from Kapacitor
     * was then refused, the agent's info included, or the socket server served on refusing every connection.
     */
    static void checkMaxFrame(long maxFrame) {
        if (maxFrame < MIN_FRAME) {
            throw new IllegalArgumentException("--max-frame must be at least " + MIN_FRAME + " bytes, got " + maxFrame);
        }
    }

    @Command(name = "agent", description = "Run a UDF agent on stdin/stdout (same as no arguments).")
    static final class Agent implements Callable<Integer> {
        @Option(names = "--config", description = "YAML config (Kafka, Arangodb, Suppression, Events); default: $ANTEATER_CONFIG")
        void config(Path file) {
            System.setProperty(anteater.sink.AnteaterConfig.PROPERTY, file.toString());
        }

        @Option(names = "--max-frame", description = "largest accepted frame in bytes (default ${DEFAULT-VALUE})")
        int maxFrame = FrameReader.DEFAULT_MAX_FRAME;

        @Override
        public Integer call() {
            checkMaxFrame(maxFrame);
            FileOutputStream frames = new FileOutputStream(FileDescriptor.out);
            System.setOut(System.err);
            return StdioAgent.run(StdioAgent.stdin(), frames, maxFrame);
        }
    }

    @Command(name = "serve", description = "Serve UDF connections on a unix socket: one agent per connection.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--config", description = "YAML config (Kafka, Arangodb, Suppression, Events); default: $ANTEATER_CONFIG")
        void config(Path file) {
            System.setProperty(anteater.sink.AnteaterConfig.PROPERTY, file.toString());
        }

        @Option(names = "--socket", required = true, description = "path of the unix socket to create")
        Path socket;

        @Option(names = "--max-frame", description = "largest accepted frame in bytes (default ${DEFAULT-VALUE})")
        int maxFrame = FrameReader.DEFAULT_MAX_FRAME;

        @Override
        public Integer call() throws Exception {
            checkMaxFrame(maxFrame);
            System.setOut(System.err);
            try (SocketServer server = SocketServer.bind(socket, maxFrame)) {
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
                server.serve();
            }
            return 0;
        }
    }
}
