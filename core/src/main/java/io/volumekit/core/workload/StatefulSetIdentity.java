package io.volumekit.core.workload;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimBuilder;
import io.volumekit.model.core.PersistentVolumeClaimVolumeSource;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodBuilder;
import io.volumekit.model.core.PodTemplateSpec;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectMetaBuilder;
import io.volumekit.model.meta.OwnerReference;
import io.volumekit.model.validation.Defaults;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The names, labels and shapes of a StatefulSet's pods and claims, as Kubernetes' StatefulSet
 * controller makes them ({@code stateful_set_utils.go}): pod {@code <set>-<ordinal>} labelled
 * {@code statefulset.kubernetes.io/pod-name} and {@code apps.kubernetes.io/pod-index}, controlled
 * by the set; for each claim template a volume of the template's name using claim
 * {@code <template>-<set>-<ordinal>}, labelled with the template's labels and the selector's
 * matchLabels.
 */
public final class StatefulSetIdentity {
  private StatefulSetIdentity() {}

  /** The label naming a set's pod (its own name). */
  public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  /** The label carrying a set's pod's ordinal. */
  public static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

  private static final Pattern ORDINAL = Pattern.compile("(.*)-([0-9]+)$");

  /** The pod name of the ordinal, {@code <set>-<ordinal>}. */
  public static String podName(StatefulSet set, int ordinal) {
    return set.metadata().name() + "-" + ordinal;
  }

  /** The claim name of a template for an ordinal, {@code <template>-<set>-<ordinal>}. */
  public static String claimName(StatefulSet set, PersistentVolumeClaim template, int ordinal) {
    return template.metadata().name() + "-" + set.metadata().name() + "-" + ordinal;
  }

  /** The ordinal a pod name ends with ({@code getOrdinal}); empty when it has none (Kubernetes' -1). */
  public static OptionalInt ordinal(String podName) {
    Matcher m = ORDINAL.matcher(podName);
    if (!m.matches()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(m.group(2)));
    } catch (NumberFormatException e) {
      return OptionalInt.empty(); // more than an int32, as strconv.ParseInt(.., 32) refuses
    }
  }

  /** Whether the ordinal is one the set wants ({@code podInOrdinalRange}): start .. start+replicas-1. */
  public static boolean inRange(StatefulSet set, int ordinal) {
    int start = set.spec().startOrdinal();
    return ordinal >= start && ordinal < start + set.spec().replicasOrDefault();
  }

  /** The set's controller reference ({@code metav1.NewControllerRef}): controller and blockOwnerDeletion true. */
  public static OwnerReference controllerRef(StatefulSet set) {
    return new OwnerReference(StatefulSet.API_VERSION, StatefulSet.KIND, set.metadata().name(),
        set.metadata().uid().orElseThrow(), Optional.of(true), Optional.of(true));
  }

  /** A pod's controller reference, as the set's claims get it when their ordinal is scaled down. */
  public static OwnerReference controllerRef(Pod pod) {
    return new OwnerReference(Pod.API_VERSION, Pod.KIND, pod.metadata().name(),
        pod.metadata().uid().orElseThrow(), Optional.of(true), Optional.of(true));
  }

  /** Whether the pod's controller reference names the set (by uid). */
  public static boolean isControlledBy(Pod pod, StatefulSet set) {
    return pod.metadata().ownerReferences().stream()
        .anyMatch(r -> r.isController() && r.uid().equals(set.metadata().uid().orElse("")));
  }

  /**
   * The claims of the ordinal ({@code getPersistentVolumeClaims}), in template order: the
   * template's labels with the selector's matchLabels over them, its annotations and spec, in the
   * set's namespace. No owner references: {@link ClaimRetention} adds them.
   */
  public static ImmutableList<PersistentVolumeClaim> claims(StatefulSet set, int ordinal) {
    Map<String, String> selectorLabels = set.spec().selector().map(s -> (Map<String, String>) s.matchLabels()).orElse(Map.of());
    ImmutableList.Builder<PersistentVolumeClaim> out = ImmutableList.builder();
    for (PersistentVolumeClaim t : set.spec().volumeClaimTemplates()) {
      Map<String, String> labels = new LinkedHashMap<>(t.metadata().labels());
      labels.putAll(selectorLabels);
      ObjectMeta meta = ObjectMetaBuilder.builder()
          .name(claimName(set, t, ordinal))
          .namespace(set.metadata().namespace())
          .labels(ImmutableMap.copyOf(labels))
          .annotations(t.metadata().annotations())
          .build();
      out.add(PersistentVolumeClaimBuilder.builder().metadata(meta).spec(t.spec()).build());
    }
    return out.build();
  }

  /**
   * The pod of the ordinal ({@code newStatefulSetPod}): the template's labels and annotations plus
   * the pod-name and pod-index labels, {@code generateName: <set>-}, the set's controller
   * reference, and the template's spec whose volumes are the claim templates' (replacing a
   * template volume of the same name) followed by the template's other volumes; defaulted as the
   * API server would.
   */
  public static Pod newPod(StatefulSet set, int ordinal) {
    PodTemplateSpec template = set.spec().template();
    String name = podName(set, ordinal);
    Map<String, String> labels = new LinkedHashMap<>(template.metadata().labels());
    labels.put(POD_NAME_LABEL, name);
    labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
    ObjectMeta meta = ObjectMetaBuilder.builder()
        .name(name)
        .generateName(Optional.of(set.metadata().name() + "-"))
        .namespace(set.metadata().namespace())
        .labels(ImmutableMap.copyOf(labels))
        .annotations(template.metadata().annotations())
        .ownerReferences(ImmutableList.of(controllerRef(set)))
        .build();
    ImmutableList.Builder<Volume> volumes = ImmutableList.builder();
    for (PersistentVolumeClaim t : set.spec().volumeClaimTemplates()) {
      volumes.add(VolumeBuilder.builder().name(t.metadata().name())
          .persistentVolumeClaim(Optional.of(new PersistentVolumeClaimVolumeSource(claimName(set, t, ordinal),
              Optional.empty())))
          .build());
    }
    Set<String> templateNames = set.spec().volumeClaimTemplates().stream().map(t -> t.metadata().name())
        .collect(Collectors.toSet());
    template.spec().volumes().stream().filter(v -> !templateNames.contains(v.name())).forEach(volumes::add);
    return Defaults.apply(PodBuilder.builder().metadata(meta).spec(template.spec().withVolumes(volumes.build())).build());
  }
}
