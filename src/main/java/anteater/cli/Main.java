package anteater.cli;

import anteater.udf.StdioAgent;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import picocli.CommandLine;

/**
 * {@code java -jar anteater.jar}: with no arguments, a UDF agent on stdin/stdout (the fast path: no CLI parsing,
 * nothing heavy loaded). With a subcommand: the socket server, the benchmark and the tools.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Logging.init();
        if (args.length == 0) {
            // frames go to the real stdout; anything else that prints to System.out lands on stderr instead
            // a plain stream, not a PrintStream: a closed pipe must surface as an error, not be swallowed
            FileOutputStream frames = new FileOutputStream(FileDescriptor.out);
            System.setOut(System.err);
            System.exit(StdioAgent.run(System.in, frames, Integer.getInteger("anteater.maxFrame",
                    anteater.udf.FrameReader.DEFAULT_MAX_FRAME)));
        }
        int code = new CommandLine(new Commands()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }
}
