package io.volumekit.cli.describe;

import static io.volumekit.cli.print.Fields.str;
import static io.volumekit.cli.print.Fields.time;

import com.fasterxml.jackson.databind.JsonNode;
import io.volumekit.cli.print.HumanDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code Lifecycle:} section of {@code volumekit describe pvc}: a small ASCII timeline of a
 * claim's phases, read from what is stored (its creation, the events about it, its volume's
 * {@code lastPhaseTransitionTime}, its deletion), with offsets from its creation.
 *
 * <pre>
 * Lifecycle:
 *   +0s   o Pending      created
 *   +0s   | Normal       ExternalProvisioning
 *   +1s   | Normal       ProvisioningSucceeded
 *   +1s   o Bound        to pvc-0c1d
 * </pre>
 *
 * <p>Kubernetes' describe has no such section, and a claim records no time for its phase changes:
 * the Bound mark takes its volume's {@code status.lastPhaseTransitionTime} (the volume became
 * Bound in the same sync), so a claim bound to a volume bound earlier shows its own events only.
 */
final class ClaimTimeline {

  private ClaimTimeline() {}

  private record Mark(Instant at, int order, String line) {}

  /**
   * The section's lines (indented, tab-separated), or none when the claim carries no creation time.
   *
   * @param volume the claim's bound volume, if stored
   */
  static List<String> lines(JsonNode claim, List<JsonNode> events, Optional<JsonNode> volume) {
    Optional<Instant> created = time(claim, "metadata", "creationTimestamp");
    if (created.isEmpty()) {
      return List.of();
    }
    List<Mark> marks = new ArrayList<>();
    marks.add(new Mark(created.get(), 0, "o Pending\tcreated"));
    for (JsonNode e : events) {
      Optional<Instant> at = time(e, "firstTimestamp").or(() -> time(e, "eventTime"));
      long count = e.path("count").asLong(1);
      marks.add(new Mark(at.orElse(created.get()), 1, "| " + str(e, "type") + "\t" + str(e, "reason")
          + (count > 1 ? " (x" + count + ")" : "")));
    }
    String phase = str(claim, "status", "phase");
    String volumeName = str(claim, "spec", "volumeName");
    if (phase.equals("Bound") || phase.equals("Lost")) {
      Instant at = volume.flatMap(v -> time(v, "status", "lastPhaseTransitionTime"))
          .filter(t -> !t.isBefore(created.get()))
          .orElse(marks.stream().map(Mark::at).max(Comparator.naturalOrder()).orElse(created.get()));
      marks.add(new Mark(at, 2, phase.equals("Bound") ? "o Bound\tto " + volumeName : "o Lost\tvolume " + volumeName + " is gone"));
    }
    time(claim, "metadata", "deletionTimestamp").ifPresent(t -> marks.add(new Mark(t, 3, "o Terminating\tdeleted")));
    marks.sort(Comparator.comparing(Mark::at).thenComparingInt(Mark::order));
    List<String> out = new ArrayList<>();
    for (Mark m : marks) {
      out.add("  +" + HumanDuration.format(Duration.between(created.get(), m.at())) + "\t" + m.line());
    }
    return out;
  }
}
