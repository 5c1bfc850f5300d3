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

    /**
     * A command that fails on its input (a missing or malformed file, a bad option) says so in one line on stderr;
     * anything else is a defect and keeps its stack trace.
     */
    static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        String name = cmd.getCommandSpec().qualifiedName(); // "anteater gen printer", not "anteater printer"
        if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException
                || e instanceof anteater.detect.OptionException || e instanceof IllegalArgumentException) {
            String m = e.getMessage();
            if (e instanceof java.nio.file.NoSuchFileException nf) m = missing(nf);
            else if (e instanceof java.io.EOFException && (m == null || m.isEmpty())) m = "file ended early (truncated?)";
            System.err.println(name + ": " + (m == null || m.isEmpty() ? e.toString() : m));
            return 2;
        }
        System.err.println(name + ": failed: " + e);
        e.printStackTrace(System.err);
        return 1;
    }

    /** "no such file", or, when it is the folder that is missing (an output path), "no such directory". */
    static String missing(java.nio.file.NoSuchFileException e) {
        String f = e.getFile() == null ? e.getMessage() : e.getFile();
        java.nio.file.Path parent = java.nio.file.Path.of(f).toAbsolutePath().getParent();
        if (parent != null && !java.nio.file.Files.isDirectory(parent)) return "no such directory: " + parent + " (for " + f + ")";
        return "no such file: " + f;
    }

    public static void main(String[] args) {
        Logging.init(args.length > 0 && args[0].equals("serve"));
        if (args.length == 0) {
            // frames go to the real stdout; anything else that prints to System.out lands on stderr instead
            // a plain stream, not a PrintStream: a closed pipe must surface as an error, not be swallowed
            int maxFrame = Integer.getInteger("anteater.maxFrame", anteater.udf.FrameReader.DEFAULT_MAX_FRAME);
            if (maxFrame < Commands.MIN_FRAME) {
                System.err.println("anteater: -Danteater.maxFrame must be at least " + Commands.MIN_FRAME + " bytes, got " + maxFrame);
                System.exit(2);
            }
            FileOutputStream frames = new FileOutputStream(FileDescriptor.out);
            System.setOut(System.err);
            System.exit(StdioAgent.run(StdioAgent.stdin(), frames, maxFrame));
        }
        int code = new CommandLine(new Commands()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::failed).execute(args);
        System.exit(code);
    }
}
