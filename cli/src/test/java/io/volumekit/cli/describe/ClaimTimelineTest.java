package io.volumekit.cli.describe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volumekit.cli.kind.KindRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The claim's Lifecycle section: its phases and events on one time line, offsets from its creation. */
class ClaimTimelineTest {

  private static final Instant NOW = Instant.parse("2026-01-10T00:10:00Z");

  private static JsonNode obj(String json) {
    try {
      return new ObjectMapper().readTree(json.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode event(String reason, String first, int count) {
    return obj("{'kind':'Event','metadata':{'name':'" + reason + "','namespace':'default'},'involvedObject':{'kind':"
        + "'PersistentVolumeClaim','name':'data','namespace':'default','uid':'c1'},'type':'Normal','reason':'" + reason
        + "','message':'m','firstTimestamp':'" + first + "','lastTimestamp':'" + first + "','count':" + count
        + ",'source':{'component':'persistentvolume-controller'}}");
  }

  @Test
  void aProvisionedClaimShowsPendingEventsThenBoundAtItsVolumesTransition() {
    JsonNode claim = obj("{'kind':'PersistentVolumeClaim','metadata':{'name':'data','namespace':'default','uid':'c1',"
        + "'creationTimestamp':'2026-01-10T00:00:00Z'},'spec':{'volumeName':'pvc-1','storageClassName':'fast'},"
        + "'status':{'phase':'Bound'}}");
    JsonNode pv = obj("{'kind':'PersistentVolume','metadata':{'name':'pvc-1'},'spec':{},"
        + "'status':{'phase':'Bound','lastPhaseTransitionTime':'2026-01-10T00:00:03Z'}}");
    List<JsonNode> events = List.of(event("ProvisioningSucceeded", "2026-01-10T00:00:02Z", 1),
        event("ExternalProvisioning", "2026-01-10T00:00:00Z", 2));
    String text = new Describer(k -> switch (k) {
      case "Event" -> events;
      case "PersistentVolume" -> List.of(pv);
      default -> List.of();
    }).describe(KindRegistry.STANDARD.resolve("pvc"), claim, NOW);
    assertThat(text).contains("""
        Lifecycle:
          +0s  o Pending  created
          +0s  | Normal   ExternalProvisioning (x2)
          +2s  | Normal   ProvisioningSucceeded
          +3s  o Bound    to pvc-1
        Events:
        """);
  }

  @Test
  void aClaimWithoutCreationTimeHasNoLifecycle() {
    JsonNode claim = obj("{'kind':'PersistentVolumeClaim','metadata':{'name':'data','namespace':'default'},"
        + "'spec':{},'status':{'phase':'Pending'}}");
    assertThat(ClaimTimeline.lines(claim, List.of(), java.util.Optional.empty())).isEmpty();
    assertThat(new Describer(k -> List.of()).describe(KindRegistry.STANDARD.resolve("pvc"), claim, NOW))
        .doesNotContain("Lifecycle");
  }

  @Test
  void aDeletedClaimEndsTerminating() {
    JsonNode claim = obj("{'kind':'PersistentVolumeClaim','metadata':{'name':'data','namespace':'default',"
        + "'creationTimestamp':'2026-01-10T00:00:00Z','deletionTimestamp':'2026-01-10T00:05:00Z'},"
        + "'spec':{},'status':{'phase':'Pending'}}");
    assertThat(ClaimTimeline.lines(claim, List.of(), java.util.Optional.empty()))
        .containsExactly("  +0s\to Pending\tcreated", "  +5m\to Terminating\tdeleted");
  }
}
