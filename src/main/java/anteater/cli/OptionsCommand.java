package anteater.cli;

import anteater.detect.OptionSpec;
import anteater.detect.OptionTable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Prints the options of {@code @anteater()} as a Markdown table (the README's table comes from here). */
@Command(name = "options", description = "Print the options of @anteater() as a Markdown table.")
final class OptionsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        StringBuilder sb = new StringBuilder();
        sb.append("| option | type | default | meaning |\n|---|---|---|---|\n");
        for (OptionSpec s : OptionTable.all()) {
            Object d = s.defaultValue();
            String def = d == null ? "" : d instanceof String ? "'" + d + "'"
                    : d instanceof java.time.Duration du ? du.toSeconds() + "s" : d.toString();
            sb.append("| `.").append(s.name()).append("()`").append(s.repeatable() ? " (repeatable)" : "")
                    .append(" | ").append(s.kind()).append(" | ").append(def).append(" | ")
                    .append(s.help().replace("|", "\\|")).append(" |\n");
        }
        System.out.print(sb);
        return 0;
    }
}
