package io.volumekit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BindAndMountTest {

  @TempDir
  Path work;

  @Test
  void bindsTheStaticVolumeProvisionsTheOtherAndMountsBoth() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    BindAndMount.Outcome outcome =
        BindAndMount.run(new PrintStream(printed, true, StandardCharsets.UTF_8), work);
    System.out.print(printed.toString(StandardCharsets.UTF_8)); // kept in the surefire report

    assertThat(outcome.volumeOfClaim()).containsEntry("static-claim", "static-pv");
    assertThat(outcome.volumeOfClaim().get("dynamic-claim")).startsWith("pvc-");
    assertThat(outcome.podRunning()).isTrue();
    // The static hostPath volume is used in place; the CSI volume is published under the kubelet root.
    assertThat(outcome.hostPathOfMount()).containsEntry("/etc/app", work.resolve("static-pv"));
    // (The in-memory driver keeps no files: the path is where the runtime would look, not a directory.)
    assertThat(outcome.hostPathOfMount().get("/data").toString())
        .startsWith(work.resolve("kubelet").toString())
        .endsWith("/volumes/kubernetes.io~csi/" + outcome.volumeOfClaim().get("dynamic-claim") + "/mount");
    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("claim static-claim   Bound    volume static-pv")
        .contains("pod app on node-1, Running with its volumes mounted")
        .contains("app:/data -> " + outcome.hostPathOfMount().get("/data"));
  }
}
