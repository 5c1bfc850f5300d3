package anteater.cli;

/**
 * Sets up SLF4J's simple logger before the first logger exists: stderr only, one short line per event,
 * level from {@code ANTEATER_LOG_LEVEL} (trace, debug, info, warn, error, off; default info).
 */
public final class Logging {
    private Logging() {
    }

    /**
     * The longest stderr line written, in bytes; longer ones are cut, with a note of how much was dropped. Kapacitor
     * reads a UDF's stderr with a line scanner that gives up for good at a line over 64 KiB: it then never reads the
     * pipe again, and once the pipe is full every log call of the agent blocks (its read loop, keepalives, its exit).
     * Log lines can quote what the peer sent (an option's value, a snapshot's options, a group's tags).
     */
    static final int MAX_LINE_BYTES = 8192;

    public static void init() {
        init(false);
    }

    /**
     * @param threadNames start each line with its thread's name: {@code serve} runs every task node in one JVM, and
     *                    a line of a node (logged on its connection's threads, {@code [conn-7-worker]}) must be told
     *                    from the others'
     */
    public static void init(boolean threadNames) {
        // the JVM's own choice of encoding for stderr (set when it is a terminal), else the default, as before
        String enc = System.getProperty("sun.stderr.encoding");
        java.nio.charset.Charset cs = java.nio.charset.Charset.defaultCharset();
        try {
            if (enc != null) cs = java.nio.charset.Charset.forName(enc);
        } catch (IllegalArgumentException e) {
            // keep the default
        }
        System.setErr(new java.io.PrintStream(new LineCap(new java.io.BufferedOutputStream(
                new java.io.FileOutputStream(java.io.FileDescriptor.err), 8192), MAX_LINE_BYTES), true, cs));
        String level = System.getenv("ANTEATER_LOG_LEVEL");
        if (level == null || level.isBlank()) level = "info";
        String unknownLevel = null;
        level = level.trim().toLowerCase(java.util.Locale.ROOT);
        if (!LEVELS.contains(level)) {
            unknownLevel = level; // slf4j-simple would take it as info without a word
            level = "info";
        }
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", Boolean.toString(threadNames));
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "false");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
        // third-party chatter stays at warn unless asked for
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        // while a broker is away the client warns at every connection attempt (every 2 s, ~1,800 lines an hour);
        // the sink and RCA's input say once when Kafka stops answering and once when it is back
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
        setIfAbsent("org.slf4j.simpleLogger.log.org.nd4j", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.deeplearning4j", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.com.arangodb", "error"); // its connect WARNs carry stack traces; RCA logs failures once per interval
        if (unknownLevel != null) {
            org.slf4j.LoggerFactory.getLogger(Logging.class).warn("ANTEATER_LOG_LEVEL '{}' is not a level ({}); using info",
                    unknownLevel, String.join(", ", LEVELS));
        }
    }

    /** The levels of ANTEATER_LOG_LEVEL, as slf4j-simple names them. */
    private static final java.util.List<String> LEVELS = java.util.List.of("trace", "debug", "info", "warn", "error", "off");

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }

    /** Passes lines through up to a number of bytes each (ending on a whole UTF-8 character) and drops the rest. */
    static final class LineCap extends java.io.FilterOutputStream {
        private final int max;
        private long column;
        private long dropped;

        LineCap(java.io.OutputStream out, int max) {
            super(out);
            this.max = max;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            int keep = -1; // start of the run of bytes to pass on
            for (int i = off; i < off + len; i++) {
                byte c = b[i];
                boolean pass;
                if (c == '\n') {
                    if (dropped > 0) {
                        out.write((" [... " + dropped + " more bytes]").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        dropped = 0;
                    }
                    column = 0;
                    pass = true;
                } else if (column < max || (dropped == 0 && (c & 0xC0) == 0x80)) {
                    column++; // past the limit only to finish the character it cut
                    pass = true;
                } else {
                    dropped++;
                    pass = false;
                }
                if (pass && keep < 0) keep = i;
                if (!pass && keep >= 0) {
                    out.write(b, keep, i - keep);
                    keep = -1;
                }
            }
            if (keep >= 0) out.write(b, keep, off + len - keep);
        }
    }
}
