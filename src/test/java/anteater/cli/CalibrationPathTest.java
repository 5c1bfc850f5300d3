package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The calibration scores go beside the series' CSV, also for NAB series whose names hold a folder. */
class CalibrationPathTest {
    @Test
    void besideTheCsv() {
        assertEquals(Path.of("/out/machine-1-6.calibration.csv"), EvalCommand.calibrationPath(Path.of("/out/machine-1-6.csv")));
        Path nab = Path.of("/out/random").resolve("artificialWithAnomaly/art_daily_jumpsup.csv");
        assertEquals(Path.of("/out/random/artificialWithAnomaly/art_daily_jumpsup.calibration.csv"), EvalCommand.calibrationPath(nab));
    }
}
