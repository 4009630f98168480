package io.volumekit.core.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.common.collect.ImmutableList;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodCondition;
import io.volumekit.model.core.PodConditionBuilder;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.meta.ObjectMeta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pod-volume watch's filter of setup's own pod writes ({@link PodVolumeController#onlySetupBookkeeping}):
 * over random placed pods (phases, conditions in any order, finalizer, deletion) and random
 * changes to them, the filter leaves out exactly the changes a simple model calls setup's own:
 * nothing but the resourceVersion, the finalizer there or added, and either the phase Pending on a pod
 * without one, or (from a phase other than Running on a pod not terminating) the phase Running with
 * ContainersReady and Ready set True in place or appended in that order.
 */
class SetupStatusWritePropertyTest {

  private static final List<String> PHASES = List.of("", PodStatus.PENDING, PodStatus.RUNNING, "Succeeded", "Failed");
  private static final List<String> TYPES = List.of("PodScheduled", "ContainersReady", "Ready", "Initialized");

  @Test
  void leavesOutExactlySetupsOwnWrites() {
    int[] skipped = new int[2]; // Pending and Running writes left out: neither case is vacuous
    qt().withFixedSeed(0x5E7A9L).withExamples(3000)
        .forAll(integers().between(0, Integer.MAX_VALUE), lists().of(integers().between(0, 15)).ofSizeBetween(0, 4))
        .checkAssert((shape, changes) -> {
          Pod before = pod(shape);
          Pod after = before.withMetadata(before.metadata().withResourceVersion(Optional.of("2")));
          for (int c : changes) {
            after = change(after, c);
          }
          boolean model = setupsOwn(before, after);
          assertThat(PodVolumeController.onlySetupBookkeeping(before, after))
              .as("%s -> %s", before, after).isEqualTo(model);
          if (model && !after.status().equals(before.status())) {
            skipped[after.status().phase().orElse("").equals(PodStatus.RUNNING) ? 1 : 0]++;
          }
        });
    assertThat(skipped[0]).isPositive();
    assertThat(skipped[1]).isPositive();
  }

  /** A placed pod: phase, up to four conditions in an order and with statuses taken from the bits. */
  private static Pod pod(int shape) {
    String phase = PHASES.get(shape % PHASES.size());
    int bits = shape / PHASES.size();
    List<PodCondition> conditions = new ArrayList<>();
    int start = bits % TYPES.size();
    for (int i = 0; i < TYPES.size(); i++) {
      int b = (bits >> (2 + 2 * i)) & 3;
      if (b != 0) {
        conditions.add(PodConditionBuilder.builder().type(TYPES.get((start + i) % TYPES.size()))
            .status(b == 1 ? "True" : "False").build());
      }
    }
    ObjectMeta meta = ObjectMeta.named("default", "p").withResourceVersion(Optional.of("1"));
    if (((bits >> 12) & 1) != 0) {
      meta = meta.withFinalizer(PodVolumeController.POD_FINALIZER);
    }
    if (((bits >> 13) & 7) == 0) {
      meta = meta.withDeletionTimestamp(Optional.of(Instant.EPOCH));
    }
    Pod pod = NodeKit.pod("p", "node-1", NodeKit.claim("c"));
    return pod.withMetadata(meta).withStatus(pod.status().withPhase(phase.isEmpty() ? Optional.empty() : Optional.of(phase))
        .withConditions(ImmutableList.copyOf(conditions)));
  }

  /** One change: setup's writes and others like them. */
  private static Pod change(Pod p, int c) {
    PodStatus s = p.status();
    return switch (c) {
      case 0, 1 -> p.withMetadata(p.metadata().withFinalizer(PodVolumeController.POD_FINALIZER));
      case 2, 3 -> p.withStatus(s.withPhase(Optional.of(PodStatus.PENDING)));
      case 4, 5, 6 -> p.withStatus(s.withPhase(Optional.of(PodStatus.RUNNING))
          .withConditions(set(set(s.conditions(), "ContainersReady", "True"), "Ready", "True")));
      case 7 -> p.withStatus(s.withPhase(Optional.of(PodStatus.RUNNING)));
      case 8 -> p.withStatus(s.withConditions(set(s.conditions(), "Ready", "True")));
      case 9 -> p.withStatus(s.withPhase(Optional.of("Failed")));
      case 10 -> p.withStatus(s.withMessage(Optional.of("m")));
      case 11 -> p.withMetadata(p.metadata().withAnnotation("a", "b"));
      case 12 -> p.withMetadata(p.metadata().withDeletionTimestamp(Optional.of(Instant.EPOCH)));
      case 13 -> p.withSpec(p.spec().withNodeName(Optional.of("node-2")));
      case 14 -> p.withStatus(s.withPhase(Optional.empty()));
      default -> p.withMetadata(p.metadata().withoutFinalizer(PodVolumeController.POD_FINALIZER));
    };
  }

  /** The conditions with the type's status set: in place, else appended. */
  private static ImmutableList<PodCondition> set(List<PodCondition> conditions, String type, String status) {
    List<PodCondition> out = new ArrayList<>();
    boolean found = false;
    for (PodCondition c : conditions) {
      found |= c.type().equals(type);
      out.add(c.type().equals(type) ? PodConditionBuilder.builder().type(type).status(status).build() : c);
    }
    if (!found) {
      out.add(PodConditionBuilder.builder().type(type).status(status).build());
    }
    return ImmutableList.copyOf(out);
  }

  /** The model: field by field. */
  private static boolean setupsOwn(Pod before, Pod after) {
    if (!before.spec().equals(after.spec()) || after.metadata().isDeleting()
        || after.status().phase().filter(p -> p.equals("Succeeded") || p.equals("Failed")).isPresent()) {
      return false;
    }
    ObjectMeta b = before.metadata();
    ObjectMeta a = after.metadata().withResourceVersion(b.resourceVersion());
    if (!a.equals(b.withFinalizer(PodVolumeController.POD_FINALIZER))) { // setup's writes keep (or add) it
      return false;
    }
    PodStatus was = before.status();
    PodStatus now = after.status();
    String from = was.phase().orElse("");
    boolean pending = from.isEmpty() && now.equals(was.withPhase(Optional.of(PodStatus.PENDING)));
    boolean running = !from.equals(PodStatus.RUNNING) && !from.equals("Succeeded") && !from.equals("Failed")
        && !b.isDeleting()
        && now.equals(was.withPhase(Optional.of(PodStatus.RUNNING))
            .withConditions(set(set(was.conditions(), "ContainersReady", "True"), "Ready", "True")));
    return now.equals(was) || pending || running;
  }
}
