package anteater.cli;

import anteater.detect.vae.VaeTrainer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress on stderr (never stdout): epoch, training loss, validation loss. On a terminal, a progress bar
 * redrawn in place; otherwise (stderr redirected to a file or a pipe, a CI log) one short line per epoch. The bar
 * redraws twice a second whatever the progress, so a redirected stderr got about 80 bytes every 0.5 s on one
 * carriage-return-separated line (660 bytes per epoch on SMD, unbounded for a long epoch).
 */
final class TrainProgress implements VaeTrainer.Progress, AutoCloseable {
    private final ProgressBar bar;
    private final PrintStream err;
    private final String task;

    TrainProgress(String task, int epochs) {
        this(task, epochs, stderrIsTerminal());
    }

    /** With {@code terminal}: the bar; else a line per epoch. */
    TrainProgress(String task, int epochs, boolean terminal) {
        this.task = task;
        this.err = System.err;
        bar = terminal ? new ProgressBarBuilder().setTaskName(task).setInitialMax(epochs).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(500)
                .continuousUpdate().build() : null;
    }

    /** Whether file descriptor 2 is a terminal (Linux: /proc/self/fd/2 links to a tty); false when unknown. */
    static boolean stderrIsTerminal() {
        try {
            String t = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") || t.equals("/dev/console");
        } catch (Exception e) {
            return System.console() != null;
        }
    }

    @Override
    public boolean epoch(int epoch, int epochs, double trainLoss, double validationLoss, boolean best) {
        String msg = String.format(Locale.ROOT, " loss %.4g val %.4g%s", trainLoss, validationLoss, best ? " *" : "");
        if (bar != null) {
            bar.stepTo(epoch);
            bar.setExtraMessage(msg);
        } else {
            err.println(task + " epoch " + epoch + "/" + epochs + msg);
        }
        return true;
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
