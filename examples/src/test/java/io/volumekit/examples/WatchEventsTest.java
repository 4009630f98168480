package io.volumekit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchEventsTest {

  @TempDir
  Path work;

  @Test
  void seesTheFailureReplacesTheClaimAndStartsAPodOnceItIsBound() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    WatchEvents.Outcome outcome = WatchEvents.run(new PrintStream(printed, true, StandardCharsets.UTF_8), work);

    System.out.print(printed.toString(StandardCharsets.UTF_8)); // kept in the surefire report
    assertThat(outcome.podRunning()).isTrue();
    assertThat(outcome.observed()).containsSubsequence(
        "persistentvolumeclaim/too-big added (Pending)",
        "persistentvolumeclaim/right-size added (Pending)",
        "persistentvolumeclaim/right-size Pending -> Bound",
        "pod/user-of-right-size added (Pending)",
        "pod/user-of-right-size Pending -> Running");
    // The deletion completes during the settle after the replacement was applied (pvc-protection finalizer).
    assertThat(outcome.observed()).containsSubsequence("persistentvolumeclaim/too-big added (Pending)",
        "persistentvolumeclaim/too-big deleted");
    assertThat(outcome.observed()).anyMatch(l -> l.startsWith("event Warning ProvisioningFailed persistentvolumeclaim/too-big: ")
        && l.contains("exceeds the maximum volume size"));
    assertThat(outcome.observed()).anyMatch(l -> l.startsWith("event Normal ProvisioningSucceeded persistentvolumeclaim/right-size"));
    assertThat(outcome.observed()).noneMatch(l -> l.startsWith("persistentvolumeclaim/too-big Pending -> Bound"));
    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("-> too-big cannot be provisioned; replacing it with a 1Gi claim")
        .contains("-> right-size is Bound; starting a pod that uses it");
  }
}
