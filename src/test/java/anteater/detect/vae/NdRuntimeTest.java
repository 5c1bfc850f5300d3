package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ND4J's native memory limit: JavaCPP's maxPhysicalBytes is -Xmx + 320 MB unless the user sets it (before: 4 x -Xmx,
 * and a many-group task at -Xmx256m grew to about 1 GB of RSS). JavaCPP reads the setting once, when it loads, so the
 * whole path runs in a fresh JVM.
 */
class NdRuntimeTest {
    private static final long MB = 1L << 20;

    /** Run in a child JVM: configures ND4J as a VAE task does, then prints the heap bound and JavaCPP's limit. */
    public static void main(String[] args) {
        NdRuntime.configure();
        System.out.println(Runtime.getRuntime().maxMemory() + " " + org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
    }

    @Test
    void theLimitIsTheHeapAndAnAllowanceUnlessTheUserSetsIt() {
        assertEquals(Long.toString(256 * MB + 320 * MB), NdRuntime.limitSetting(256 * MB, null, null));
        assertEquals(Long.toString(4096 * MB + 320 * MB), NdRuntime.limitSetting(4096 * MB, null, null));
        assertNull(NdRuntime.limitSetting(256 * MB, "700m", null));
        assertNull(NdRuntime.limitSetting(256 * MB, null, "700m"));
        assertNull(NdRuntime.limitSetting(256 * MB, "", null), "a blank setting is the user's (JavaCPP's default)");
        assertNull(NdRuntime.limitSetting(Long.MAX_VALUE, null, null), "no heap bound: JavaCPP's default");
        assertNull(NdRuntime.limitSetting(Long.MAX_VALUE - 320 * MB + 1, null, null));
        assertEquals(Long.toString(Long.MAX_VALUE), NdRuntime.limitSetting(Long.MAX_VALUE - 320 * MB, null, null));
    }

    @Test
    void aFreshVaeProcessGetsTheHeapPlusTheAllowance() throws Exception {
        String[] r = probe();
        long[] v = values(r);
        assertEquals(v[0] + 320 * MB, v[1], r[1]);
        assertTrue(r[1].contains("native memory limit " + (v[1] >> 20) + " MB of process RSS (-Xmx + 320 MB"), r[1]);
    }

    @Test
    void theUsersSettingIsKeptInEitherSpelling() throws Exception {
        assertEquals(700 * MB, values(probe("-Dorg.bytedeco.javacpp.maxPhysicalBytes=700m"))[1]);
        String[] lower = probe("-Dorg.bytedeco.javacpp.maxphysicalbytes=900m");
        assertEquals(900 * MB, values(lower)[1]);
        assertTrue(lower[1].contains("native memory limit 900 MB of process RSS (-Dorg.bytedeco.javacpp.maxPhysicalBytes)"), lower[1]);
    }

    private static long[] values(String[] r) {
        String[] f = r[0].strip().split(" ");
        assertEquals(2, f.length, r[0] + r[1]);
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    }

    private static String[] probe(String... flags) throws Exception {
        Path bin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-Xmx256m"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NdRuntimeTest.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        // stderr is read on its own thread: a child that fills one pipe while we wait on the other would hang
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err.get());
        return new String[] {out, err.get()};
    }
}
