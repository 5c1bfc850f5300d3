package anteater.cli;

/**
 * Sets up SLF4J's simple logger before the first logger exists: stderr only, one short line per event,
 * level from {@code ANTEATER_LOG_LEVEL} (trace, debug, info, warn, error, off; default info).
 */
public final class Logging {
    private Logging() {
    }

    public static void init() {
        String level = System.getenv("ANTEATER_LOG_LEVEL");
        if (level == null || level.isBlank()) level = "info";
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level.trim().toLowerCase(java.util.Locale.ROOT));
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
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
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
