package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every subcommand answers --help with its usage (and exit code 0), even those with required options. */
class HelpTest {
    @Test
    void everySubcommandHasHelp() {
        CommandLine root = new CommandLine(new Commands());
        assertTrue(root.getSubcommands().size() >= 10, root.getSubcommands().keySet().toString());
        for (String name : root.getSubcommands().keySet()) {
            StringWriter text = new StringWriter(), err = new StringWriter();
            CommandLine cl = new CommandLine(new Commands());
            cl.setOut(new PrintWriter(text)).setErr(new PrintWriter(err));
            int code = cl.execute(name, "--help");
            assertEquals(0, code, name + ": " + err);
            assertTrue(text.toString().startsWith("Usage: anteater " + name), name + ": " + text);
        }
    }
}
