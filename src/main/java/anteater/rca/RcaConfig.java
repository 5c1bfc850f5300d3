package anteater.rca;

import anteater.sink.AnteaterConfig;
import anteater.sink.ConfigException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The RCA side path's settings, read from the YAML config tree (gala-anteater's keys where they exist):
 * <pre>
 * Arangodb: {url: http://localhost:8529, db_name: spider, username: "", password: "", timeout: 5s}
 * Kafka:    {server: localhost, port: 9092, model_topic: gala_anteater_hybrid_model,
 *            rca_topic: gala_cause_inference, group_id: anteater-rca, auth_type, sasl_mechanism, ssl_..., properties}
 * Rca:
 *   enabled: false            # start the engine at all
 *   source: file              # file | arangodb
 *   file: topology.json       # source: file
 *   depth: 4                  # hops around the KPI entity (sli-proc-host-disk-block is 4)
 *   valid: 10m                # anomalies up to this long before the KPI count as candidates
 *   future: 3m                # ... and up to this long after it (inference waits for them)
 *   grace: 4m                 # wall-clock wait when no later event arrives to close the window
 *   tolerance: 120s           # newest snapshot must be at most this old at the event time
 *   top_k: 3
 *   trigger: [app]            # event_type values that trigger inference
 *   kafka_input: false        # also read anomaly events of other agents from Kafka.model_topic
 *   on_failure: skip          # skip | mark (publish an event with Resource.reason)
 *   queue: 10000              # events waiting for the RCA thread; more are dropped and counted
 *   rules: [cpu->proc@host, ...]   # see CausalRule; default gala-inference's
 *   weights: {anomaly: .4, correlation: 0, proximity: .05, onset: .1, root: .2, reach: .8, closeness: .2, live: .4,
 *             coherence: .8}
 * </pre>
 * Durations are seconds (a number) or text: 500ms, 90s, 5m, 2h, PT5M. {@link #toString()} hides passwords.
 */
public record RcaConfig(boolean enabled, String source, Path file, int depth, Duration valid, Duration future,
                        Duration grace, Duration tolerance, int topK, List<String> trigger, boolean kafkaInput,
                        boolean markFailures, int queue, List<String> rules, CauseRanker.Weights weights,
                        String topic, Duration logInterval, Arango arango, KafkaIn kafka) {

    /** Connection to gala-spider's ArangoDB. */
    public record Arango(String url, String dbName, String username, String password, Duration timeout, String protocol) {
        @Override
        public String toString() {
            return "Arango[url=" + url + ", db=" + dbName + ", user=" + username
                    + ", password=" + (password == null || password.isEmpty() ? "<none>" : "<hidden>") + "]";
        }
    }

    /**
     * Where anomaly events of other agents are read from; {@code connection} is the Kafka section the producer
     * uses too (security protocol, SASL mechanism, SSL trust, extra properties).
     */
    public record KafkaIn(String bootstrap, String topic, String groupId, AnteaterConfig.Kafka connection) {
        @Override
        public String toString() {
            return "KafkaIn[bootstrap=" + bootstrap + ", topic=" + topic + ", group=" + groupId + ", auth="
                    + connection.protocol() + "]";
        }
    }

    public static RcaConfig defaults() {
        return from(null);
    }

    /** Reads the config tree (the whole YAML file); missing keys take defaults; bad values throw with the key named. */
    public static RcaConfig from(JsonNode root) {
        return from(root, null);
    }

    /**
     * As {@link #from(JsonNode)}, with the Kafka connection of the already parsed file ({@code null}: parsed from
     * {@code root}). Parsing the tree again logged the file's warnings about its Kafka keys a second time, as those
     * of a "default config".
     */
    public static RcaConfig from(JsonNode root, AnteaterConfig.Kafka parsedKafka) {
        JsonNode r = section(root, "Rca");
        JsonNode a = section(root, "Arangodb");
        JsonNode k = section(root, "Kafka");
        warnUnknownKeys(r);
        boolean enabled = bool(r, "enabled", false);
        boolean kafkaInput = bool(r, "kafka_input", false);
        JsonNode wn = r.path("weights");
        if (!wn.isMissingNode() && !wn.isNull()) {
            if (!wn.isObject()) {
                throw new IllegalArgumentException("Rca.weights must be a mapping of part: weight, e.g. {reach: .8}; parts: "
                        + WEIGHT_NAMES);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = wn.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!WEIGHT_NAMES.contains(f.getKey())) {
                    throw new IllegalArgumentException("Rca.weights." + f.getKey() + " is not a part of the score; parts: "
                            + WEIGHT_NAMES);
                }
                JsonNode v = f.getValue();
                if (!v.isNumber() || !(v.asDouble() >= 0) || Double.isInfinite(v.asDouble())) {
                    throw new IllegalArgumentException("Rca.weights." + f.getKey() + " must be a number >= 0, got '"
                            + v.asText() + "'");
                }
            }
        }
        JsonNode tn = r.path("trigger");
        if (!tn.isMissingNode() && !tn.isNull() && !tn.isArray() && !tn.isTextual()) {
            throw new IllegalArgumentException("Rca.trigger must be a list of event types, e.g. [app], got a "
                    + tn.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        String source = text(r, "source", "file").toLowerCase(Locale.ROOT);
        if (!source.equals("file") && !source.equals("arangodb")) {
            throw new IllegalArgumentException("Rca.source must be file or arangodb, got '" + source + "'");
        }
        String fileText = text(r, "file", "");
        int depth = integer(r, "depth", 4, 1, 10);
        Duration valid = duration(r, "valid", Duration.ofMinutes(10));
        Duration future = duration(r, "future", Duration.ofMinutes(3));
        Duration grace = duration(r, "grace", future.plusMinutes(1));
        Duration tolerance = duration(r, "tolerance", Duration.ofSeconds(120));
        int topK = integer(r, "top_k", 3, 1, 100);
        List<String> trigger = strings(r, "trigger", List.of("app"));
        String onFailure = text(r, "on_failure", "skip").toLowerCase(Locale.ROOT);
        if (!onFailure.equals("skip") && !onFailure.equals("mark")) {
            throw new IllegalArgumentException("Rca.on_failure must be skip or mark, got '" + onFailure + "'");
        }
        int queue = integer(r, "queue", 10_000, 1, 10_000_000);
        List<String> rules = strings(r, "rules", CausalRules.DEFAULTS);
        for (String s : rules) CausalRule.parse(s); // fail early with the rule named
        JsonNode w = r.path("weights");
        CauseRanker.Weights d = CauseRanker.Weights.DEFAULT;
        CauseRanker.Weights weights = new CauseRanker.Weights(w.path("anomaly").asDouble(d.anomaly()),
                w.path("correlation").asDouble(d.correlation()), w.path("proximity").asDouble(d.proximity()),
                w.path("onset").asDouble(d.onset()), w.path("root").asDouble(d.root()), w.path("reach").asDouble(d.reach()),
                w.path("closeness").asDouble(d.closeness()),
                w.path("live").asDouble(d.live()), w.path("coherence").asDouble(d.coherence()));
        String topic = text(k, "rca_topic", text(r, "topic", "gala_cause_inference"));
        Duration logInterval = duration(r, "log_interval", Duration.ofMinutes(1));
        Arango arango = new Arango(text(a, "url", "http://localhost:8529"), text(a, "db_name", "spider"),
                text(a, "username", ""), text(a, "password", ""), duration(a, "timeout", Duration.ofSeconds(5)),
                text(a, "protocol", "http1"));
        if (arango.timeout().toMillis() < 1) {
            // the driver takes 0 as no timeout: a server that accepts and never answers would hold the RCA thread
            throw new IllegalArgumentException("Arangodb.timeout must be at least 1ms (e.g. 5s), got '"
                    + a.path("timeout").asText() + "'");
        }
        if (!List.of("http1", "http2").contains(arango.protocol())) {
            throw new IllegalArgumentException("Arangodb.protocol must be http1 or http2, got '" + arango.protocol() + "'");
        }
        AnteaterConfig.Kafka connection = parsedKafka;
        if (connection == null) {
            try {
                connection = AnteaterConfig.of(root).kafka();
            } catch (ConfigException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        // the producer's own reading of server and port: every host of a list gets the port, host:port pairs stay
        // (before: 'k1,k2' with port 9093 became 'k1,k2:9093', which the consumer refuses)
        if (enabled && kafkaInput && !connection.enabled()) {
            throw new IllegalArgumentException("Rca.kafka_input: true needs Kafka.server (the broker of the anomaly "
                    + "topic); without it the consumer would try localhost:9092, which on a Kapacitor host is Kapacitor's "
                    + "own HTTP port");
        }
        String bootstrap = connection.enabled() ? connection.bootstrap() : "localhost:" + connection.port.trim();
        KafkaIn kafka = new KafkaIn(bootstrap, text(k, "model_topic", "gala_anteater_hybrid_model"),
                text(k, "group_id", "anteater-rca"), connection);
        if (source.equals("file") && enabled && fileText.isEmpty()) {
            throw new IllegalArgumentException("Rca.file is required when Rca.source is file: a JSON topology file");
        }
        return new RcaConfig(enabled, source, fileText.isEmpty() ? null : Path.of(fileText),
                depth, valid, future, grace, tolerance, topK, trigger, kafkaInput, onFailure.equals("mark"), queue,
                rules, weights, topic, logInterval, arango, kafka);
    }

    /** The keys of the Rca section. */
    static final List<String> KEYS = List.of("enabled", "source", "file", "depth", "valid", "future", "grace", "tolerance",
            "top_k", "trigger", "kafka_input", "on_failure", "queue", "rules", "weights", "topic", "log_interval");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RcaConfig.class);

    /**
     * A key of the Rca section that is none of {@link #KEYS} (they are matched exactly) is logged with the valid ones:
     * before it was ignored in silence, and a typo ({@code enable: true}, {@code Enabled: true}) left RCA off with no
     * word, or {@code kafka-input: true} the Kafka input.
     */
    private static void warnUnknownKeys(JsonNode r) {
        for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                LOG.warn("config: Rca.{} is not a key of section Rca and is ignored; its keys: {}", key, String.join(", ", KEYS));
            }
        }
    }

    static final List<String> WEIGHT_NAMES = List.of("anomaly", "correlation", "proximity", "onset", "root", "reach",
            "closeness", "live", "coherence");

    /**
     * The section, its name matched case-insensitively as {@link AnteaterConfig#sectionTree} does (before: only
     * 'Rca' or 'rca', so 'RCA:' left RCA silently disabled); a section that is not a mapping is refused.
     */
    private static JsonNode section(JsonNode root, String name) {
        JsonNode n = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        if (root == null) return n;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                n = e.getValue();
                break;
            }
        }
        if (n.isNull()) return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        if (!n.isMissingNode() && !n.isObject()) {
            throw new IllegalArgumentException("section " + name + " must be a mapping of keys, got a "
                    + n.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        return n;
    }

    /** true or false (YAML's yes/no too); anything else is refused with the key named (before: silently false). */
    private static boolean bool(JsonNode n, String key, boolean def) {
        JsonNode v = n.path(key);
        if (v.isMissingNode() || v.isNull()) return def;
        if (v.isBoolean()) return v.booleanValue();
        if (v.isTextual()) {
            String t = v.asText().trim().toLowerCase(Locale.ROOT);
            if (t.equals("true")) return true;
            if (t.equals("false")) return false;
        }
        throw new IllegalArgumentException("Rca." + key + " must be true or false, got '" + v.asText() + "'");
    }

    private static String text(JsonNode n, String key, String def) {
        JsonNode v = n.path(key);
        return v.isMissingNode() || v.isNull() ? def : v.asText();
    }

    private static int integer(JsonNode n, String key, int def, int min, int max) {
        JsonNode v = n.path(key);
        if (v.isMissingNode() || v.isNull()) return def;
        if (!v.canConvertToInt() && !v.isTextual()) throw new IllegalArgumentException(key + " must be an integer in [" + min + ", " + max + "]");
        int x;
        try {
            x = v.isTextual() ? Integer.parseInt(v.asText().trim()) : v.asInt();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer in [" + min + ", " + max + "], got '" + v.asText() + "'");
        }
        if (x < min || x > max) throw new IllegalArgumentException(key + " must be an integer in [" + min + ", " + max + "], got " + x);
        return x;
    }

    private static List<String> strings(JsonNode n, String key, List<String> def) {
        JsonNode v = n.path(key);
        if (v.isMissingNode() || v.isNull()) return def;
        List<String> out = new ArrayList<>();
        if (v.isArray()) v.forEach(x -> out.add(x.asText()));
        else for (String s : v.asText().split(",")) if (!s.isBlank()) out.add(s.trim());
        return List.copyOf(out);
    }

    static Duration duration(JsonNode n, String key, Duration def) {
        JsonNode v = n.path(key);
        if (v.isMissingNode() || v.isNull()) return def;
        if (v.isNumber()) {
            if (!(v.asDouble() >= 0) || Double.isInfinite(v.asDouble())) {
                throw new IllegalArgumentException(key + ": bad duration " + v.asText() + "; must be >= 0 (seconds, or 500ms, 90s, 5m, 2h, PT5M)");
            }
            return Duration.ofMillis(Math.round(v.asDouble() * 1000));
        }
        Duration d = parseDuration(v.asText());
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(key + ": bad duration '" + v.asText() + "'; use seconds or 500ms, 90s, 5m, 2h, PT5M");
        }
        return d;
    }

    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) return Duration.parse(t.toUpperCase(Locale.ROOT));
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            double x = Double.parseDouble(t.replaceAll("[smhd]$", "").trim());
            long unitMs = t.endsWith("h") ? 3_600_000L : t.endsWith("m") ? 60_000L : t.endsWith("d") ? 86_400_000L : 1000L;
            return Duration.ofMillis(Math.round(x * unitMs));
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }

    public CauseRanker ranker() {
        return new CauseRanker(CausalRules.parse(rules), weights, valid.toMillis(), future.toMillis());
    }
}
