package io.volumekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {

  @TempDir Path tmp;

  @Test
  void terminalShowsOneRewrittenLineAndClearsIt() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProgressReporter p = new ProgressReporter(new PrintStream(err, true, StandardCharsets.UTF_8), true, Duration.ZERO);
    p.update(64);
    p.update(128);
    p.finish();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("\rsettling: 64 changes applied\rsettling: 128 changes applied\r\033[K");
  }

  @Test
  void pipesAndShortSettlesShowNothing() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProgressReporter piped = new ProgressReporter(new PrintStream(err, true, StandardCharsets.UTF_8), false, Duration.ZERO);
    piped.update(64);
    piped.finish();
    ProgressReporter quick = new ProgressReporter(new PrintStream(err, true, StandardCharsets.UTF_8), true, Duration.ofHours(1));
    quick.update(64);
    quick.finish();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aLargeApplyWhenPipedPrintsOnlyItsResultLines() {
    StringBuilder manifest = new StringBuilder("""
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: fast
        provisioner: hostpath.csi.volumekit.io
        volumeBindingMode: Immediate
        """);
    int claims = 150;
    for (int i = 0; i < claims; i++) {
      manifest.append("---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c").append(i)
          .append("\nspec:\n  storageClassName: fast\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n")
          .append("      storage: 1Mi\n");
    }
    Cli cli = new Cli(tmp.resolve("state"));
    Cli.Result r = cli.runWithInput(manifest.toString(), "apply", "-f", "-");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out().lines()).hasSize(claims + 1).allMatch(l -> l.endsWith(" created"));
    assertThat(cli.run("get", "pvc", "--no-headers").out().lines()).hasSize(claims).allMatch(l -> l.contains(" Bound "));
  }
}
