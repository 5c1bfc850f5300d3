package anteater.cli;

import anteater.gen.PrinterGenerator;
import anteater.gen.Schedule;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gen}: test data generators. */
@Command(name = "gen", description = "Generate test data as InfluxDB line protocol.",
        subcommands = {GenCommand.Printer.class})
final class GenCommand implements Callable<Integer> {

    /** {@code gen} alone names no generator: a usage error (with exit 0, {@code gen > data.lp} left an empty file). */
    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(System.err);
        return 2;
    }

    @Command(name = "printer", description = {
            "The 3D printer of Kapacitor's anomaly detection guide: measurement 'temperatures', tag 'printer',",
            "one field per sensor (hotend, bed, air), one point per second, second precision."})
    static final class Printer implements Callable<Integer> {
        @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
        long seed = 1;

        @Option(names = "--schedule", paramLabel = "FILE",
                description = "schedule of targets and faults (default: the guide's; see --print-schedule)")
        Path schedule;

        @Option(names = "--hours", description = "hours of data (default ${DEFAULT-VALUE})")
        double hours = 24;

        @Option(names = "--start", paramLabel = "EPOCH",
                description = "time of the first point, seconds since the epoch (default ${DEFAULT-VALUE}: 2016-01-01T00:00:00Z, as the guide)")
        long start = PrinterGenerator.GUIDE_START;

        @Option(names = "--printer", description = "value of the printer tag (default ${DEFAULT-VALUE})")
        String printer = "printer1";

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "write here instead of stdout")
        Path out;

        @Option(names = "--print-schedule", description = "print the default schedule (to edit) and exit")
        boolean printSchedule;

        @Override
        public Integer call() throws Exception {
            if (printSchedule) {
                System.out.print(Schedule.guideText());
                System.out.flush();
                return 0;
            }
            if (!(hours > 0) || hours > 24 * 366) {
                System.err.println("--hours must be in (0, 8784], got " + hours);
                return 2;
            }
            Schedule s;
            try {
                s = schedule == null ? Schedule.guide() : Schedule.read(schedule);
            } catch (IllegalArgumentException e) {
                System.err.println("bad schedule: " + e.getMessage());
                return 2;
            }
            PrinterGenerator g = new PrinterGenerator(s, seed, Math.round(hours * 3600), start, printer);
            try (Writer w = out == null
                    ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)
                    : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                g.writeTo(w);
            }
            return 0;
        }
    }
}
