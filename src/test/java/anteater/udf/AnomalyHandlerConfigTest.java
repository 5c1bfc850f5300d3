package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.sink.AnteaterConfig;
import anteater.sink.Sinks;
import anteater.udf.proto.Udf;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file is read at init (not at info), and a bad one fails init with its message. */
class AnomalyHandlerConfigTest {

    @AfterEach
    void clear() {
        System.clearProperty(AnteaterConfig.PROPERTY);
        Sinks.reset();
    }

    static Udf.InitRequest init(String field) {
        return Udf.InitRequest.newBuilder().addOptions(Udf.Option.newBuilder().setName("field")
                .addValues(Udf.OptionValue.newBuilder().setStringValue(field))).build();
    }

    @Test
    void badConfigFailsInitButNotInfo(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("anteater.yaml");
        Files.writeString(f, "Kafka:\n  server: k\n  port: ninety\n  password: topsecret\n");
        System.setProperty(AnteaterConfig.PROPERTY, f.toString());
        Sinks.reset();
        AnomalyHandler h = new AnomalyHandler();
        assertTrue(h.info().getOptionsMap().containsKey("topic"), "info lists the event options without reading the config");
        Udf.InitResponse r = h.init(init("value"));
        assertFalse(r.getSuccess());
        assertTrue(r.getError().contains(f.toString()) && r.getError().contains("port must be a TCP port"), r.getError());
        assertFalse(r.getError().contains("topsecret"));
        assertFalse(h.ready());

        // fixed file: the next init reads it again
        Files.writeString(f, "Events:\n  file: " + dir.resolve("ev.jsonl") + "\n");
        AnomalyHandler h2 = new AnomalyHandler();
        Udf.InitResponse ok = h2.init(init("value"));
        assertTrue(ok.getSuccess(), ok.getError());
        h2.close();
    }
}
