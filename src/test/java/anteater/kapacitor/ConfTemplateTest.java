package anteater.kapacitor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** kapacitor.conf.example, as the demo and the end-to-end tests fill it in. */
class ConfTemplateTest {
    static final Path EXAMPLE = Path.of("kapacitor.conf.example");

    static ConfTemplate filled() throws Exception {
        return ConfTemplate.read(EXAMPLE).with("JAVA", "/opt/jdk/bin/java").with("ANTEATER_JAR", "/opt/a/anteater.jar")
                .with("DATA_DIR", "/var/k").with("PORT", "19093");
    }

    @Test
    void stdioBlockRunsTheJarWithTheFlagsThatKeepStdoutForFrames() throws Exception {
        String c = filled().render();
        assertFalse(c.lines().filter(l -> !l.strip().startsWith("#")).anyMatch(l -> l.contains("@")), c);
        assertTrue(c.contains("  [udf.functions.anteater]\n    prog = \"/opt/jdk/bin/java\""), c);
        for (String flag : new String[] {"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx256m",
                "-XX:+DisplayVMOutputToStderr", "-Xlog:disable", "-Xlog:all=warning:stderr"}) {
            assertTrue(c.contains("\"" + flag + "\""), flag);
        }
        assertTrue(c.contains("\"-jar\", \"/opt/a/anteater.jar\"]"), c);
        assertTrue(c.contains("bind-address = \"127.0.0.1:19093\""), c);
        assertTrue(c.contains("boltdb = \"/var/k/kapacitor.db\""), c);
        assertTrue(c.contains("timeout = \"10s\""), c);
        assertTrue(c.contains("#  socket = ") || c.contains("# [udf.functions.anteater]\n  #   socket"), "socket block stays commented");
        assertFalse(c.contains("\n  socket ="), c);
    }

    @Test
    void socketVariantReplacesTheStdioBlock() throws Exception {
        String c = filled().socket(Path.of("/run/anteater.sock")).render();
        assertTrue(c.contains("\n  [udf.functions.anteater]\n  socket = \"/run/anteater.sock\"\n  timeout = \"10s\"\n"), c);
        assertTrue(c.contains("#    prog = "), "stdio lines are commented out:\n" + c);
        assertTrue(c.contains("#      ANTEATER_LOG_LEVEL"), c);
        assertFalse(c.lines().anyMatch(l -> l.startsWith("    prog")), c);
    }

    @Test
    void settingsChangeOneKeyOfOneTable() throws Exception {
        String c = filled().set("task", "snapshot-interval", "\"1s\"")
                .set("udf.functions.anteater.env", "ANTEATER_LOG_LEVEL", "\"debug\"").render();
        assertTrue(c.contains("  snapshot-interval = \"1s\""), c);
        assertTrue(c.contains("      ANTEATER_LOG_LEVEL = \"debug\""), c);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> filled().set("task", "nope", "1").render());
        assertTrue(e.getMessage().contains("no 'nope = ...' line in table [task]"), e.getMessage());
    }

    @Test
    void aPlaceholderWithoutValueIsAnError() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConfTemplate.read(EXAMPLE).with("JAVA", "j").render());
        assertTrue(e.getMessage().contains("placeholder @"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ConfTemplate.of("[udf]\n").socket(Path.of("/s")).render());
    }
}
