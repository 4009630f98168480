package io.volumekit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedClaimsFromFabric8Test {

  @Test
  void claimsReadByFabric8AreBoundAndTheUnmodelledFieldIsReported() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    FeedClaimsFromFabric8.Outcome outcome =
        FeedClaimsFromFabric8.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    System.out.print(printed.toString(StandardCharsets.UTF_8)); // kept in the surefire report
    assertThat(outcome.phaseOfClaim()).containsExactly(
        java.util.Map.entry("data", "Bound"), java.util.Map.entry("logs", "Bound"));
    assertThat(outcome.unmappedFields())
        .containsExactly(java.util.Map.entry("PersistentVolumeClaim/logs", List.of("spec.resources.claims")));
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("note: PersistentVolumeClaim/logs: volumekit does not model spec.resources.claims");
    // fabric8 reads back what it wrote: the bound claims, volume names included.
    String firstDoc = outcome.boundYaml().split("(?m)^---$", -1)[1];
    PersistentVolumeClaim data = Serialization.unmarshal(firstDoc, PersistentVolumeClaim.class);
    assertThat(data.getMetadata().getName()).isEqualTo("data");
    assertThat(data.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(data.getSpec().getVolumeName()).startsWith("pvc-");
  }
}
