package anteater.sink;

import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Client properties from the config's Kafka section: the producer's are durable (idempotent, acks=all) and patient;
 * a consumer (RCA's input) gets the same connection and security settings.
 */
public final class KafkaProps {
    private KafkaProps() {
    }

    static Properties producer(AnteaterConfig.Kafka k, String clientId) {
        Properties p = base(k.bootstrap(), clientId);
        p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        // no duplicates, no loss: every in-sync replica has it before it counts as produced
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("max.in.flight.requests.per.connection", "5");
        p.put("retries", String.valueOf(Integer.MAX_VALUE));
        // a broker may be away for minutes: records wait in the producer (and our queue) meanwhile
        p.put("delivery.timeout.ms", String.valueOf(k.deliveryTimeoutMs));
        p.put("request.timeout.ms", "15000");
        p.put("linger.ms", "5");
        // send() runs on our delivery thread only; still, give the loop a chance to see close() quickly
        p.put("max.block.ms", "5000");
        p.put("retry.backoff.ms", "200");
        p.put("retry.backoff.max.ms", "2000");
        connection(p, k, key -> true);
        return p;
    }

    /**
     * Consumer properties for {@code groupId} reading from {@code bootstrap}, with the section's security settings
     * and extra {@code properties}; starts at the latest offset and commits automatically.
     */
    public static Properties consumer(AnteaterConfig.Kafka k, String bootstrap, String clientId, String groupId) {
        Properties p = base(bootstrap, clientId);
        p.put("group.id", groupId);
        p.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        p.put("auto.offset.reset", "latest");
        p.put("enable.auto.commit", "true");
        // the section's extra properties are meant for the producer: pass on only those a consumer knows
        connection(p, k, ConsumerConfig.configNames()::contains);
        return p;
    }

    private static Properties base(String bootstrap, String clientId) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("client.id", clientId);
        // notice a returning broker within ~2 s
        p.put("reconnect.backoff.ms", "200");
        p.put("reconnect.backoff.max.ms", "2000");
        return p;
    }

    /** Security protocol, SASL and SSL settings, then the section's extra properties that {@code extra} accepts (they win). */
    private static void connection(Properties p, AnteaterConfig.Kafka k, Predicate<String> extra) {
        String protocol = k.protocol();
        if (protocol == null) {
            throw new IllegalArgumentException("Kafka.auth_type must be one of: plaintext, sasl_plaintext, sasl_ssl, ssl "
                    + "(or empty for plaintext), got '" + k.authType + "'");
        }
        p.put("security.protocol", protocol);
        if (protocol.startsWith("SASL")) {
            p.put("sasl.mechanism", k.saslMechanism);
            String module = k.saslMechanism.equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(k.username)
                    + "\" password=\"" + jaasEscape(k.password) + "\";");
        }
        if (protocol.endsWith("SSL")) {
            if (k.sslCafile != null && !k.sslCafile.isBlank()) {
                p.put("ssl.truststore.type", "PEM");
                p.put("ssl.truststore.location", k.sslCafile.trim());
            } else if (k.sslTruststore != null && !k.sslTruststore.isBlank()) {
                p.put("ssl.truststore.location", k.sslTruststore.trim());
                if (k.sslTruststoreType != null && !k.sslTruststoreType.isBlank()) {
                    p.put("ssl.truststore.type", k.sslTruststoreType.trim().toUpperCase());
                }
                if (k.sslTruststorePassword != null && !k.sslTruststorePassword.isEmpty()) {
                    p.put("ssl.truststore.password", k.sslTruststorePassword);
                }
            }
            if (Boolean.FALSE.equals(k.sslCheckHostname)) p.put("ssl.endpoint.identification.algorithm", "");
        }
        for (Map.Entry<String, String> e : k.properties.entrySet()) {
            if (extra.test(e.getKey())) p.put(e.getKey(), String.valueOf(e.getValue()));
        }
    }

    private static String jaasEscape(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
