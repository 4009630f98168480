package io.volumekit.core.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.OwnerReference;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The retention policy's owner references, case by case as Kubernetes' {@code
 * TestClaimOwnerUpToDate} / {@code TestUpdateClaimOwnerRefForSetAndPod} tabulate them: policy
 * (whenDeleted/whenScaled), whether the pod's ordinal is scaled down, the claim's references before,
 * whether they are up to date, and the references after.
 */
class ClaimRetentionTableTest {

  static final String SET_UID = "set-uid";
  static final String POD_UID = "pod-uid";

  /** Set "db" with 2 replicas and pod db-&lt;ordinal&gt;; ordinal 3 is scaled down. */
  static StatefulSet set(String whenDeleted, String whenScaled) {
    StatefulSet s = StatefulSets.retention(StatefulSets.set("db", 2), whenDeleted, whenScaled);
    return s.withMetadata(s.metadata().withUid(Optional.of(SET_UID)));
  }

  static Pod pod(StatefulSet set, int ordinal) {
    Pod p = StatefulSetIdentity.newPod(set, ordinal);
    return p.withMetadata(p.metadata().withUid(Optional.of(POD_UID)));
  }

  /** "S" set controller, "s" set non-controller, "P" pod controller, "X" another controller, "s~" stale set uid. */
  static ImmutableList<OwnerReference> refs(String spec) {
    ImmutableList.Builder<OwnerReference> b = ImmutableList.builder();
    for (String r : spec.isEmpty() ? new String[0] : spec.split(",")) {
      b.add(switch (r) {
        case "S" -> new OwnerReference("apps/v1", "StatefulSet", "db", SET_UID, Optional.of(true), Optional.of(true));
        case "s" -> new OwnerReference("apps/v1", "StatefulSet", "db", SET_UID, Optional.empty(), Optional.empty());
        case "s~" -> new OwnerReference("apps/v1", "StatefulSet", "db", "old-uid", Optional.of(true), Optional.of(true));
        case "P" -> new OwnerReference("v1", "Pod", "db-x", POD_UID, Optional.of(true), Optional.of(true));
        case "X" -> new OwnerReference("example.com/v1", "Database", "other", "x-uid", Optional.of(true), Optional.empty());
        default -> throw new IllegalArgumentException(r);
      });
    }
    return b.build();
  }

  static String spec(List<OwnerReference> refs) {
    return refs.stream().map(r -> switch (r.kind()) {
      case "StatefulSet" -> r.uid().equals(SET_UID) ? (r.isController() ? "S" : "s") : "s~";
      case "Pod" -> "P";
      default -> "X";
    }).collect(Collectors.joining(","));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // whenDeleted, whenScaled, scaledDown, before, upToDate, after
        Arguments.of("Retain", "Retain", false, "", true, ""),
        Arguments.of("Retain", "Retain", false, "S", false, ""),
        Arguments.of("Retain", "Retain", true, "P", false, ""),
        Arguments.of("Retain", "Retain", false, "X", true, "X"),
        Arguments.of("Delete", "Retain", false, "", false, "S"),
        Arguments.of("Delete", "Retain", false, "S", true, "S"),
        Arguments.of("Delete", "Retain", true, "S", true, "S"),
        Arguments.of("Delete", "Retain", false, "s", false, "S"),
        Arguments.of("Delete", "Retain", false, "S,P", false, "S"),
        Arguments.of("Retain", "Delete", false, "", true, ""),
        Arguments.of("Retain", "Delete", true, "", false, "P"),
        Arguments.of("Retain", "Delete", true, "P", true, "P"),
        Arguments.of("Retain", "Delete", false, "P", false, ""),
        Arguments.of("Retain", "Delete", true, "S", false, "P"),
        Arguments.of("Delete", "Delete", false, "", false, "S"),
        Arguments.of("Delete", "Delete", false, "S", true, "S"),
        Arguments.of("Delete", "Delete", true, "S", false, "P"),
        Arguments.of("Delete", "Delete", true, "P", true, "P"),
        Arguments.of("Delete", "Delete", false, "P", false, "S"),
        // Another controller: not ours to add to; our own references are removed.
        Arguments.of("Delete", "Retain", false, "X", true, "X"),
        Arguments.of("Delete", "Retain", false, "X,S", false, "X"),
        Arguments.of("Retain", "Delete", true, "X", true, "X"),
        // A reference to an earlier set of the same name: left alone.
        Arguments.of("Delete", "Delete", false, "s~", true, "s~"));
  }

  @ParameterizedTest(name = "whenDeleted={0} whenScaled={1} scaledDown={2} refs=[{3}]")
  @MethodSource("cases")
  void ownerReferences(String whenDeleted, String whenScaled, boolean scaledDown, String before, boolean upToDate,
      String after) {
    StatefulSet set = set(whenDeleted, whenScaled);
    Pod pod = pod(set, scaledDown ? 3 : 1);
    ImmutableList<OwnerReference> rs = refs(before).stream()
        .map(r -> r.kind().equals("Pod") ? r.withName(pod.metadata().name()) : r).collect(ImmutableList.toImmutableList());
    PersistentVolumeClaim claim = StatefulSetIdentity.claims(set, scaledDown ? 3 : 1).get(0);
    claim = claim.withMetadata(claim.metadata().withOwnerReferences(rs));
    assertThat(ClaimRetention.upToDate(claim, set, pod)).isEqualTo(upToDate);
    if (!upToDate) {
      assertThat(spec(ClaimRetention.wantedRefs(claim, set, pod))).isEqualTo(after);
    }
  }
}
