package anteater.sink;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The process configuration: a YAML file in gala-anteater's layout ({@code --config FILE} or the
 * {@code ANTEATER_CONFIG} environment variable). Sections are read case-insensitively and unknown keys are
 * ignored, so gala-anteater's own file works. Other capabilities read their own sections with
 * {@link #section(String, Class)} (a POJO) or {@link #tree()}.
 *
 * <pre>
 * Kafka:       {server, port, model_topic, rca_topic, meta_topic, group_id, auth_type, sasl_mechanism,
 *               username, password, ssl_cafile, ssl_truststore, ssl_truststore_password, ssl_truststore_type,
 *               ssl_check_hostname, queue_size, delivery_timeout_ms, properties: {producer property: value}}
 * Arangodb:    {url, db_name, username, password}
 * Suppression: {interval: minutes}
 * Events:      {file: path of the JSON-lines file used when Kafka is not configured, queue_size}
 * </pre>
 */
public final class AnteaterConfig {
    /** System property set by {@code --config}; wins over the environment variable. */
    public static final String PROPERTY = "anteater.config";
    public static final String ENV = "ANTEATER_CONFIG";

    static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path source;
    private final JsonNode root;
    private final Kafka kafka;
    private final Arangodb arangodb;
    private final Suppression suppression;
    private final Events events;

    private AnteaterConfig(Path source, JsonNode root) throws ConfigException {
        this.source = source;
        this.root = root;
        this.kafka = orDefault(section("Kafka", Kafka.class), new Kafka());
        this.arangodb = orDefault(section("Arangodb", Arangodb.class), new Arangodb());
        this.suppression = orDefault(section("Suppression", Suppression.class), new Suppression());
        this.events = orDefault(section("Events", Events.class), new Events());
        kafka.check(this);
        suppression.check(this);
        events.check(this);
    }

    private static <T> T orDefault(T v, T d) {
        return v == null ? d : v;
    }

    /** No file: every default (events go to the JSON-lines file). */
    public static AnteaterConfig defaults() {
        try {
            return new AnteaterConfig(null, MissingNode.getInstance());
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A config tree already read (e.g. {@link #tree()} of another config); null or missing: the defaults. */
    public static AnteaterConfig of(JsonNode root) throws ConfigException {
        return new AnteaterConfig(null, root == null || root.isNull() ? MissingNode.getInstance() : root);
    }

    /** The file named by {@code -Danteater.config} or {@code ANTEATER_CONFIG}, else the defaults. */
    public static AnteaterConfig fromEnvironment() throws ConfigException {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) p = System.getenv(ENV);
        if (p == null || p.isBlank()) return defaults();
        return load(Path.of(p.trim()));
    }

    public static AnteaterConfig load(Path file) throws ConfigException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist or is not a file (set by --config or "
                    + ENV + ")");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        return parse(file, text);
    }

    /** Parses YAML text; {@code source} names it in messages (may be null). */
    public static AnteaterConfig parse(Path source, String yaml) throws ConfigException {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(where(source, e.getLocation()) + "is not valid YAML: " + yamlProblem(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) root = MissingNode.getInstance();
        else if (!root.isObject()) {
            throw new ConfigException(where(source, null) + "must be a YAML mapping of sections (Kafka, Arangodb, "
                    + "Suppression, Events), got a " + root.getNodeType().toString().toLowerCase());
        }
        return new AnteaterConfig(source, root);
    }

    /**
     * The parser's words without the lines it quotes from the file: a syntax error on a password's line (an unclosed
     * quote) put the password into the message, which goes into init's error, Kapacitor's log and
     * {@code kapacitor show}; the quoted lines also made it several lines long. What is left is the problem and where.
     */
    static String yamlProblem(String message) {
        StringBuilder b = new StringBuilder();
        for (String line : String.valueOf(message).split("\\R")) {
            // SnakeYAML: the problem lines start at column 0; " in 'reader', line L, column C:", the quoted line of
            // the file and the caret under it are indented
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^ in '[^']*', (line \\d+, column \\d+):$").matcher(line);
                if (m.find()) b.append(" (").append(m.group(1)).append(')');
                continue;
            }
            if (b.length() > 0) b.append("; ");
            b.append(line.trim());
        }
        return b.toString();
    }

    private static String where(Path source, JsonLocation loc) {
        String s = source == null ? "config " : "config file " + source + " ";
        if (loc != null && loc.getLineNr() > 0) s += "(line " + loc.getLineNr() + ") ";
        return s;
    }

    /** Where the configuration came from (null: defaults). */
    public Path source() {
        return source;
    }

    /** The whole file as a tree (missing node when there is no file). */
    public JsonNode tree() {
        return root;
    }

    /** The top-level section {@code name} (matched case-insensitively), or a missing node. */
    public JsonNode sectionTree(String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        }
        return MissingNode.getInstance();
    }

    /** The section {@code name} as a POJO (unknown keys ignored), or null when it is absent or empty. */
    public <T> T section(String name, Class<T> type) throws ConfigException {
        JsonNode n = sectionTree(name);
        if (n.isMissingNode() || n.isNull()) return null;
        if (!n.isObject()) {
            throw new ConfigException(where(source, null) + "section " + name + " must be a mapping of keys, got a "
                    + n.getNodeType().toString().toLowerCase());
        }
        warnUnknownKeys(name, n, type);
        try {
            return YAML.treeToValue(n, type);
        } catch (JsonProcessingException e) {
            // the original message names the expected type and the value, not the key: the path does (before the
            // message said "Cannot deserialize value of type `java.lang.Integer` from String "abc"" and no more)
            String key = "";
            if (e instanceof com.fasterxml.jackson.databind.JsonMappingException jm) {
                StringBuilder k = new StringBuilder();
                for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : jm.getPath()) {
                    if (r.getFieldName() != null) k.append('.').append(r.getFieldName());
                    else if (r.getIndex() >= 0) k.append('[').append(r.getIndex()).append(']');
                }
                key = k.toString();
            }
            throw new ConfigException(where(source, null) + name + key + ": " + e.getOriginalMessage());
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AnteaterConfig.class);
    /** Keys other readers take from these sections (RCA: Arangodb.timeout, protocol). */
    private static final Map<String, java.util.List<String>> EXTRA_KEYS = Map.of("Arangodb", java.util.List.of("timeout", "protocol"));
    /**
     * Keys of gala-anteater's own configuration (older versions) that this agent has no use for: not typos, so not
     * warned about as one; logged once at info.
     */
    private static final Map<String, java.util.List<String>> GALA_ONLY_KEYS = Map.of("Kafka",
            java.util.List.of("model_group_id", "meta_group_id", "meta_entity_name"));

    /**
     * Unknown keys stay allowed (gala-anteater's own file has sections and keys this agent does not read), but a key
     * of a section this agent reads that matches none of its keys is most likely a typo ({@code sever},
     * {@code bootstrap_servers}) that would silently send events to the file: it is logged (stderr) with the valid keys.
     */
    private void warnUnknownKeys(String name, JsonNode n, Class<?> type) {
        java.util.Set<String> known = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (java.lang.reflect.Field f : type.getFields()) {
            JsonProperty jp = f.getAnnotation(JsonProperty.class);
            if (jp != null) known.add(jp.value());
        }
        if (known.isEmpty()) return; // not one of ours: nothing to compare with
        known.addAll(EXTRA_KEYS.getOrDefault(name, java.util.List.of()));
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (GALA_ONLY_KEYS.getOrDefault(name, java.util.List.of()).stream().anyMatch(k::equalsIgnoreCase)) {
                LOG.info("{}: {}.{} is a key of gala-anteater's configuration that anteater does not use", describeSource(), name, k);
            } else if (!known.contains(k)) {
                LOG.warn("{}: {}.{} is not a key of section {} and is ignored; its keys: {}", describeSource(), name, k,
                        name, String.join(", ", new java.util.ArrayList<>(known)));
            }
        }
    }

    public Kafka kafka() {
        return kafka;
    }

    public Arangodb arangodb() {
        return arangodb;
    }

    public Suppression suppression() {
        return suppression;
    }

    public Events events() {
        return events;
    }

    String describeSource() {
        return source == null ? "default config" : "config file " + source;
    }

    /** gala-anteater's Kafka section, plus SSL trust settings and producer tuning. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Kafka {
        @JsonProperty("server") public String server = "";
        @JsonProperty("port") public String port = "9092";
        @JsonProperty("model_topic") public String modelTopic = "gala_anteater_hybrid_model";
        @JsonProperty("rca_topic") public String rcaTopic = "gala_cause_inference";
        @JsonProperty("meta_topic") public String metaTopic = "gala_gopher_metadata";
        @JsonProperty("group_id") public String groupId = "gala_anteater_kafka";
        /** "" or plaintext | sasl_plaintext | sasl_ssl | ssl */
        @JsonProperty("auth_type") public String authType = "";
        @JsonProperty("sasl_mechanism") public String saslMechanism = "PLAIN";
        @JsonProperty("username") public String username = "";
        @JsonProperty("password") public String password = "";
        /** PEM file of the CA(s) to trust (ssl / sasl_ssl). */
        @JsonProperty("ssl_cafile") public String sslCafile = "";
        /** A JKS or PKCS12 trust store instead of a PEM file. */
        @JsonProperty("ssl_truststore") public String sslTruststore = "";
        @JsonProperty("ssl_truststore_password") public String sslTruststorePassword = "";
        @JsonProperty("ssl_truststore_type") public String sslTruststoreType = "";
        /** Verify that the broker's certificate names its host (default true). */
        @JsonProperty("ssl_check_hostname") public Boolean sslCheckHostname = Boolean.TRUE;
        /** Events waiting for the producer at most; beyond, new events are dropped (counted and logged). */
        @JsonProperty("queue_size") public Integer queueSize = 10_000;
        /** How long the producer keeps retrying one event before it fails (default 10 minutes). */
        @JsonProperty("delivery_timeout_ms") public Long deliveryTimeoutMs = 600_000L;
        /** Any other producer property, passed as is (e.g. compression.type: lz4). */
        @JsonProperty("properties") public Map<String, String> properties = new LinkedHashMap<>();

        /** Whether Kafka is configured at all (a server is named). */
        public boolean enabled() {
            return server != null && !server.isBlank();
        }

        /** bootstrap.servers: {@code server} may already hold host:port pairs (comma-separated). */
        public String bootstrap() {
            StringBuilder sb = new StringBuilder();
            for (String s : server.split(",")) {
                s = s.trim();
                if (s.isEmpty()) continue;
                if (sb.length() > 0) sb.append(',');
                boolean hasPort = s.startsWith("[") ? s.contains("]:") : s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':');
                sb.append(hasPort ? s : s + ":" + port.trim());
            }
            return sb.toString();
        }

        public String protocol() {
            String a = authType == null ? "" : authType.trim().toLowerCase();
            return switch (a) {
                case "", "plaintext" -> "PLAINTEXT";
                case "sasl_plaintext" -> "SASL_PLAINTEXT";
                case "sasl_ssl" -> "SASL_SSL";
                case "ssl" -> "SSL";
                default -> null;
            };
        }

        void check(AnteaterConfig c) throws ConfigException {
            String w = c.describeSource() + ": Kafka.";
            if (server == null) server = "";
            if (port == null) port = "9092";
            if (!enabled()) return;
            try {
                int p = Integer.parseInt(port.trim());
                if (p < 1 || p > 65535) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new ConfigException(w + "port must be a TCP port number in [1, 65535], got '" + port + "'");
            }
            if (protocol() == null) {
                throw new ConfigException(w + "auth_type must be one of: plaintext, sasl_plaintext, sasl_ssl, ssl "
                        + "(or empty for plaintext), got '" + authType + "'");
            }
            if (protocol().startsWith("SASL")) {
                if (username == null || username.isEmpty()) {
                    throw new ConfigException(w + "username is required with auth_type " + authType);
                }
                if (password == null) password = "";
                String m = saslMechanism == null ? "PLAIN" : saslMechanism.trim().toUpperCase();
                if (!m.equals("PLAIN") && !m.equals("SCRAM-SHA-256") && !m.equals("SCRAM-SHA-512")) {
                    throw new ConfigException(w + "sasl_mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got '"
                            + saslMechanism + "'");
                }
                saslMechanism = m;
            }
            // checked as the client gets them, trimmed: a quoted ' /etc/ca.pem ' was refused here, used trimmed there
            if (sslCafile != null) sslCafile = sslCafile.trim();
            if (sslTruststore != null) sslTruststore = sslTruststore.trim();
            if (sslCafile != null && !sslCafile.isBlank() && !Files.isReadable(Path.of(sslCafile))) {
                throw new ConfigException(w + "ssl_cafile " + sslCafile + " cannot be read");
            }
            if (sslTruststore != null && !sslTruststore.isBlank() && !Files.isReadable(Path.of(sslTruststore))) {
                throw new ConfigException(w + "ssl_truststore " + sslTruststore + " cannot be read");
            }
            checkTopic(w, "model_topic", modelTopic);
            checkTopic(w, "rca_topic", rcaTopic);
            if (queueSize == null || queueSize < 1) throw new ConfigException(w + "queue_size must be >= 1, got " + queueSize);
            if (deliveryTimeoutMs == null || deliveryTimeoutMs < 30_000) {
                throw new ConfigException(w + "delivery_timeout_ms must be >= 30000, got " + deliveryTimeoutMs);
            }
            if (properties == null) properties = new LinkedHashMap<>();
        }

        /** Kafka's rule for topic names; a name outside it makes every send fail (InvalidTopicException). */
        public static boolean validTopic(String t) {
            return t != null && t.matches("[A-Za-z0-9._-]{1,249}") && !t.equals(".") && !t.equals("..");
        }

        private static void checkTopic(String w, String key, String topic) throws ConfigException {
            if (topic == null || topic.isBlank()) throw new ConfigException(w + key + " must not be empty");
            if (!validTopic(topic)) {
                throw new ConfigException(w + key + ": '" + topic + "' is not a valid Kafka topic name "
                        + "(1 to 249 of A-Z a-z 0-9 . _ -)");
            }
        }

        /** For logs: everything that identifies the connection, never the password. */
        @Override
        public String toString() {
            return bootstrap() + " (" + protocol() + (protocol() != null && protocol().startsWith("SASL")
                    ? " " + saslMechanism + " user " + username : "") + ")";
        }
    }

    /** Where the RCA helper finds gala-spider's topology. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Arangodb {
        @JsonProperty("url") public String url = "http://localhost:8529";
        @JsonProperty("db_name") public String dbName = "spider";
        @JsonProperty("username") public String username = "";
        @JsonProperty("password") public String password = "";

        @Override
        public String toString() {
            return url + "/" + dbName + (username == null || username.isEmpty() ? "" : " user " + username);
        }
    }

    /** The same group (measurement and tags) + metric is sent once per interval at most. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Suppression {
        /** Minutes (may be fractional); 0 sends every anomalous window. */
        @JsonProperty("interval") public Double interval = 10.0;

        public java.time.Duration duration() {
            return java.time.Duration.ofMillis(Math.round(interval * 60_000.0));
        }

        void check(AnteaterConfig c) throws ConfigException {
            if (interval == null || !(interval >= 0) || interval > 525_600) {
                throw new ConfigException(c.describeSource() + ": Suppression.interval must be minutes in [0, 525600], got "
                        + interval);
            }
        }
    }

    /** The embedded default: JSON lines in a file when Kafka is not configured. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Events {
        /** Empty: {@code <java.io.tmpdir>/anteater-events.jsonl}. */
        @JsonProperty("file") public String file = "";
        @JsonProperty("queue_size") public Integer queueSize = 10_000;

        public Path path() {
            if (file != null && !file.isBlank()) return Path.of(file.trim());
            String env = System.getenv("ANTEATER_EVENTS_FILE");
            if (env != null && !env.isBlank()) return Path.of(env.trim());
            return Path.of(System.getProperty("java.io.tmpdir"), "anteater-events.jsonl");
        }

        void check(AnteaterConfig c) throws ConfigException {
            if (queueSize == null || queueSize < 1) {
                throw new ConfigException(c.describeSource() + ": Events.queue_size must be >= 1, got " + queueSize);
            }
        }
    }
}
