package anteater.cli;

import anteater.detect.vae.VaeTrainer;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr for VAE training: epoch, training loss, validation loss. */
final class TrainProgress implements VaeTrainer.Progress, AutoCloseable {
    private final ProgressBar bar;

    TrainProgress(String task, int epochs) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(epochs).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500)
                .continuousUpdate().build();
    }

    @Override
    public boolean epoch(int epoch, int epochs, double trainLoss, double validationLoss, boolean best) {
        bar.stepTo(epoch);
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4g val %.4g%s", trainLoss, validationLoss, best ? " *" : ""));
        return true;
    }

    @Override
    public void close() {
        bar.close();
    }
}
