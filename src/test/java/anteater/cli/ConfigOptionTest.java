package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import anteater.sink.AnteaterConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ConfigOptionTest {
    @AfterEach
    void clear() {
        System.clearProperty(AnteaterConfig.PROPERTY);
    }

    @Test
    void agentAndServeTakeConfig() {
        new CommandLine(new Commands()).parseArgs("agent", "--config", "/etc/anteater/a.yaml");
        assertEquals("/etc/anteater/a.yaml", System.getProperty(AnteaterConfig.PROPERTY));
        new CommandLine(new Commands()).parseArgs("serve", "--socket", "/tmp/s.sock", "--config", "b.yaml");
        assertEquals("b.yaml", System.getProperty(AnteaterConfig.PROPERTY));
    }
}
