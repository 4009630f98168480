package io.volumekit.core.selinuxwarning;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.EventType;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.mount.SELinuxMounts;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.PodIndex;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.SELinuxOptions;
import io.volumekit.model.storage.CSIDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Kubernetes' SELinux warning controller ({@code selinux-warning-controller} of
 * kube-controller-manager, off by default there as here: add it with {@link
 * io.volumekit.core.VolumeKit.Builder#controller}). For every pair of pods (not Succeeded or
 * Failed) that use one persistent volume, it records an event on both pods when they want the
 * volume mounted with different SELinux labels ({@code SELinuxLabelConflict}) or with different
 * change policies ({@code SELinuxChangePolicyConflict}): if they land on one node, only one of them
 * can access the volume.
 *
 * <p>As upstream: a pod's label is the one the kubelet would mount the volume with ({@link
 * SELinuxMounts}, with this controller's {@code SELinuxMount} gate), written as the options'
 * {@code user:role:type:level} without defaults (the controller cannot read the nodes' SELinux
 * policy), so {@code :::s0:c1,c2}; two labels conflict when a part is set in both and differs. A
 * volume that is not mounted with a context, or a pod without a label, counts as change policy
 * {@code Recursive}. The events are of type Normal, from {@code selinux-warning-controller}, with
 * upstream's wording; each is recorded once while it stands. A pod whose own containers mount the
 * volume with two labels gets a Warning {@code MultipleSELinuxLabels} ({@code Volume "<name>" is
 * mounted twice with different SELinux labels inside this pod}) and is left out of the comparison.
 */
public final class SELinuxWarningController implements Controller {

  /** The controller's name and event source. */
  public static final String NAME = "selinux-warning-controller";
  /** Event reason of a label conflict. */
  public static final String LABEL_CONFLICT = "SELinuxLabelConflict";
  /** Warning reason of a pod whose containers mount one volume with two labels. */
  public static final String MULTIPLE_LABELS = "MultipleSELinuxLabels";
  /** Event reason of a change policy conflict. */
  public static final String POLICY_CONFLICT = "SELinuxChangePolicyConflict";

  private final boolean seLinuxMountGate;

  /** The controller with the {@code SELinuxMount} feature gate off (Kubernetes' default). */
  public SELinuxWarningController() {
    this(false);
  }

  /** The controller with kube-controller-manager's {@code SELinuxMount} feature gate on or off. */
  public SELinuxWarningController(boolean seLinuxMountGate) {
    this.seLinuxMountGate = seLinuxMountGate;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WatchedKinds watches() {
    // A volume as it is now (the pods of its claim).
    return WatchedKinds.of(Pod.KIND, PersistentVolumeClaim.KIND, PersistentVolume.KIND, CSIDriver.KIND)
        .only(PersistentVolume.KIND, Change.Type.ADDED, Change.Type.MODIFIED);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      case Pod.KIND -> enqueue.accept(change.key());
      case PersistentVolumeClaim.KIND -> state.index(PodIndex.class).podsUsing(change.key()).forEach(enqueue);
      case PersistentVolume.KIND -> change.afterAs(PersistentVolume.class).flatMap(Volumes::claimRefKey)
          .ifPresent(c -> state.index(PodIndex.class).podsUsing(c).forEach(enqueue));
      case CSIDriver.KIND -> {
        // seLinuxMount may have changed: every pod on a volume of the driver is looked at again.
        for (PersistentVolume pv : state.list(PersistentVolume.KIND, PersistentVolume.class)) {
          if (pv.csi().filter(c -> c.driver().equals(change.key().name())).isPresent()) {
            Volumes.claimRefKey(pv).ifPresent(c -> state.index(PodIndex.class).podsUsing(c).forEach(enqueue));
          }
        }
      }
      default -> { }
    }
  }

  /** What one pod wants of one volume: the controller's label and the effective change policy. */
  record PodInfo(String label, String changePolicy) {}

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    Optional<Pod> pod = state.get(key, Pod.class);
    if (pod.isEmpty() || PodVolumeSupport.isTerminated(pod.get())) {
      return Decision.none();
    }
    List<EventRecord> events = new ArrayList<>();
    for (ObjectKey claim : PodIndex.claimsOf(pod.get())) {
      Optional<PersistentVolume> pv = state.get(claim, PersistentVolumeClaim.class)
          .flatMap(PersistentVolumeClaim::volumeName)
          .flatMap(n -> state.get(Volumes.volumeKey(n), PersistentVolume.class))
          .filter(v -> Volumes.claimRefKey(v).equals(Optional.of(claim)));
      if (pv.isEmpty()) {
        continue;
      }
      Optional<PodInfo> own = info(state, pv.get(), pod.get());
      if (own.isEmpty()) {
        for (String volume : SELinuxMounts.podVolumesOf(pod.get(), pv.get())) {
          events.add(EventRecord.warning(NAME, key, MULTIPLE_LABELS,
              "Volume \"" + volume + "\" is mounted twice with different SELinux labels inside this pod"));
        }
        continue;
      }
      PodInfo mine = own.get();
      for (ObjectKey otherKey : state.index(PodIndex.class).podsUsing(claim)) {
        Optional<Pod> other = state.get(otherKey, Pod.class);
        if (otherKey.equals(key) || other.isEmpty() || PodVolumeSupport.isTerminated(other.get())) {
          continue;
        }
        Optional<PodInfo> otherInfo = info(state, pv.get(), other.get());
        if (otherInfo.isEmpty()) {
          continue; // its own containers disagree: it is not in the controller's cache
        }
        PodInfo theirs = otherInfo.get();
        if (!mine.changePolicy().equals(theirs.changePolicy())) {
          events.add(event(key, "SELinuxChangePolicy", mine.changePolicy(), otherKey, theirs.changePolicy(), POLICY_CONFLICT));
          events.add(event(otherKey, "SELinuxChangePolicy", theirs.changePolicy(), key, mine.changePolicy(), POLICY_CONFLICT));
        }
        if (conflicts(mine.label(), theirs.label())) {
          events.add(event(key, "SELinuxLabel", mine.label(), otherKey, theirs.label(), LABEL_CONFLICT));
          events.add(event(otherKey, "SELinuxLabel", theirs.label(), key, mine.label(), LABEL_CONFLICT));
        }
      }
    }
    Decision.Builder b = Decision.builder();
    events.stream().distinct().filter(e -> !e.isRecordedIn(state)).forEach(b::event);
    return b.build();
  }

  /** What the pod wants of the PV; empty when its containers want it with two labels. */
  private Optional<PodInfo> info(ClusterState state, PersistentVolume pv, Pod pod) {
    Optional<CSIDriver> driver = pv.csi().flatMap(c -> PodVolumeSupport.csiDriver(state, c.driver()));
    String label = "";
    if (SELinuxMounts.mountsWithContext(seLinuxMountGate, driver, pv, pod)) {
      Set<String> labels = SELinuxMounts.labels(pod, SELinuxMounts.podVolumesOf(pod, pv),
          SELinuxWarningController::controllerLabel);
      if (labels.size() > 1) {
        return Optional.empty();
      }
      label = labels.isEmpty() ? "" : labels.iterator().next();
    }
    boolean supports = driver.flatMap(d -> d.spec().seLinuxMount()).orElse(false);
    String policy = !supports || label.isEmpty() ? SELinuxMounts.RECURSIVE : SELinuxMounts.changePolicy(pod);
    return Optional.of(new PodInfo(label, policy));
  }

  /** The controller's label of SELinux options: {@code user:role:type:level}, empty parts kept. */
  public static String controllerLabel(SELinuxOptions o) {
    return String.join(":", o.user().orElse(""), o.role().orElse(""), o.type().orElse(""), o.level().orElse(""));
  }

  /** Whether two controller labels conflict: some part is set in both and differs. */
  public static boolean conflicts(String a, String b) {
    String[] pa = parts(a);
    String[] pb = parts(b);
    for (int i = 0; i < 4; i++) {
      if (!pa[i].isEmpty() && !pb[i].isEmpty() && !pa[i].equals(pb[i])) {
        return true;
      }
    }
    return false;
  }

  private static String[] parts(String label) {
    String[] split = label.split(":", 4);
    String[] out = {"", "", "", ""};
    System.arraycopy(split, 0, out, 0, Math.min(split.length, 4));
    return out;
  }

  /** The event on {@code pod} about its conflict with {@code other}, in upstream's words. */
  static EventRecord event(ObjectKey pod, String property, String value, ObjectKey other, String otherValue,
      String reason) {
    String message = pod.namespace().equals(other.namespace())
        ? property + " \"" + value + "\" conflicts with pod " + other.name()
            + " that uses the same volume as this pod with " + property + " \"" + otherValue + "\"."
            + " If both pods land on the same node, only one of them may access the volume."
        : property + "\"" + value + "\" conflicts with another pod that uses the same volume as this pod with a"
            + " different " + property + ". If both pods land on the same node, only one of them may access the volume.";
    return new EventRecord(pod, EventType.Normal, reason, message, NAME);
  }
}
