package io.volumekit.core.mount;

import io.volumekit.core.csi.AccessType;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.effect.NodeStage;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.node.NodeOs;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.Container;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodSecurityContext;
import io.volumekit.model.core.SELinuxOptions;
import io.volumekit.model.core.SecurityContext;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.CSIDriver;
import io.volumekit.model.storage.CSIDriverSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The kubelet's SELinux mount rules: when a CSI volume is mounted with
 * {@code -o context="<file label>"} (passed to NodeStage and NodePublish in the volume
 * capability's mount flags) instead of being relabelled file by file by the container runtime,
 * and when two pods on one node conflict over such a volume.
 *
 * <p>As the kubelet's volume manager decides it: the node has SELinux (not Windows), the CSIDriver
 * says {@code seLinuxMount: true}, the PV has exactly one access mode and it is
 * {@code ReadWriteOncePod} (any access modes when the {@code SELinuxMount} feature gate is on,
 * {@link io.volumekit.core.podvolume.VolumeHost#seLinuxMount()}), and the pod's
 * {@code seLinuxChangePolicy} is not {@code Recursive}. The label comes from the SELinux options of
 * the containers (init containers included) that mount the volume: a container's own
 * {@code securityContext.seLinuxOptions} replace the pod's whole, as the kubelet's effective
 * security context does; containers without any options do not count. All of them must agree on
 * one label, else the volume is not mounted with a context (the kubelet's "multiple SELinux
 * labels" case). Options must carry a level (without one the runtime would pick a random level per
 * container, so no shared context exists). The file label takes the user (default
 * {@code system_u}) and level from the options; role and type are the container file defaults
 * {@code object_r} and {@code container_file_t}, as the container runtime's label code makes a
 * mount label from a process label.
 *
 * <p>A volume already staged with one context and wanted by a pod with another gets
 * {@code conflicting SELinux labels of volume <name>: "<a>" and "<b>"} as the kubelet reports it.
 */
public final class SELinuxMounts {
  private SELinuxMounts() {}

  /** The default user of a file label when the pod's options name none. */
  public static final String DEFAULT_USER = "system_u";
  /** The policy that lets the kubelet use the mount option (the default). */
  public static final String MOUNT_OPTION = "MountOption";
  /** The policy that asks the container runtime to relabel recursively. */
  public static final String RECURSIVE = "Recursive";

  private static final String PREFIX = "context=";
  private static final String QUOTED_PREFIX = PREFIX + "\"";

  /**
   * The SELinux file label a pod's volume is mounted with, if the kubelet would mount it with
   * {@code -o context=}: see the class comment for the rules. {@code podVolumes} are the names the
   * pod gives the volume in {@code spec.volumes}; {@code seLinuxMountGate} is the kubelet's
   * {@code SELinuxMount} feature gate.
   */
  public static Optional<String> context(NodeOs os, boolean seLinuxMountGate, Optional<CSIDriver> driver,
      PersistentVolume pv, Pod pod, Set<String> podVolumes) {
    if (!os.hasSELinux() || !mountsWithContext(seLinuxMountGate, driver, pv, pod)) {
      return Optional.empty();
    }
    Set<String> labels = labels(pod, podVolumes, o -> fileLabel(o).orElse(""));
    return labels.size() == 1 ? Optional.of(labels.iterator().next()).filter(l -> !l.isEmpty()) : Optional.empty();
  }

  /**
   * The kubelet's error when the containers mounting a volume that would be mounted with a context
   * want two different labels: {@code volume <pv> is used with two different SELinux contexts in the
   * same pod: "<a>", "<b>"}. The pod's volume is not set up (nothing is staged or published for it).
   * For a volume that is not mounted with a context the kubelet only counts a warning metric: empty.
   */
  public static Optional<String> twoContexts(NodeOs os, boolean seLinuxMountGate, Optional<CSIDriver> driver,
      PersistentVolume pv, Pod pod, Set<String> podVolumes) {
    if (!os.hasSELinux() || !mountsWithContext(seLinuxMountGate, driver, pv, pod)) {
      return Optional.empty();
    }
    List<String> labels = List.copyOf(labels(pod, podVolumes, o -> fileLabel(o).orElse("")));
    return labels.size() < 2 ? Optional.empty() : Optional.of("volume " + pv.metadata().name()
        + " is used with two different SELinux contexts in the same pod: \"" + labels.get(0) + "\", \""
        + labels.get(1) + "\"");
  }

  /** {@link #twoContexts(NodeOs, boolean, Optional, PersistentVolume, Pod, Set)} for a CSI PV on a node of the state. */
  static Optional<String> twoContexts(ClusterState state, boolean seLinuxMountGate, String node, PersistentVolume pv,
      Pod pod) {
    if (pv.csi().isEmpty()) {
      return Optional.empty();
    }
    Optional<CSIDriver> driver = PodVolumeSupport.csiDriver(state, pv.csi().get().driver());
    if (!mountsWithContext(seLinuxMountGate, driver, pv, pod)) {
      return Optional.empty(); // what twoContexts says too, without the node's OS and the pod's volume names
    }
    return twoContexts(KubeletOperations.nodeOs(state, node), seLinuxMountGate, driver, pv, pod, podVolumesOf(pod, pv));
  }

  /**
   * Whether the volume is mounted with a context at all, given a label: the driver supports it,
   * the access modes allow it (ReadWriteOncePod only, unless the {@code SELinuxMount} gate is on),
   * and the pod did not choose {@code seLinuxChangePolicy: Recursive}.
   */
  public static boolean mountsWithContext(boolean seLinuxMountGate, Optional<CSIDriver> driver, PersistentVolume pv,
      Pod pod) {
    boolean driverSupports = driver.map(CSIDriver::spec).flatMap(CSIDriverSpec::seLinuxMount).orElse(false);
    boolean modes = seLinuxMountGate || PodVolumeSupport.onlyMode(pv.spec().accessModes(), AccessModes.READ_WRITE_ONCE_POD);
    return driverSupports && modes && !changePolicy(pod).equals(RECURSIVE);
  }

  /** The pod's {@code seLinuxChangePolicy}, {@code MountOption} when it sets none. */
  public static String changePolicy(Pod pod) {
    return pod.spec().securityContext().flatMap(PodSecurityContext::seLinuxChangePolicy).orElse(MOUNT_OPTION);
  }

  /**
   * The distinct labels, by {@code translate}, of the effective SELinux options of the containers
   * (init containers included) that mount one of the pod volumes: a container's own options, else
   * the pod's; containers with neither are left out.
   */
  public static Set<String> labels(Pod pod, Set<String> podVolumes, Function<SELinuxOptions, String> translate) {
    Optional<SELinuxOptions> podOptions = pod.spec().securityContext().flatMap(PodSecurityContext::seLinuxOptions);
    Set<String> labels = new LinkedHashSet<>();
    for (Container c : pod.spec().allContainers()) {
      if (c.volumeMounts().stream().noneMatch(m -> podVolumes.contains(m.name()))) {
        continue;
      }
      c.securityContext().flatMap(SecurityContext::seLinuxOptions).or(() -> podOptions)
          .ifPresent(o -> labels.add(translate.apply(o)));
    }
    return labels;
  }

  /** {@link #context(NodeOs, boolean, Optional, PersistentVolume, Pod, Set)} for a CSI PV on a node of the state. */
  static Optional<String> context(ClusterState state, boolean seLinuxMountGate, String node, PersistentVolume pv,
      Pod pod) {
    if (pv.csi().isEmpty()) {
      return Optional.empty();
    }
    Optional<CSIDriver> driver = PodVolumeSupport.csiDriver(state, pv.csi().get().driver());
    if (!mountsWithContext(seLinuxMountGate, driver, pv, pod)) {
      return Optional.empty(); // what context says too, without the node's OS and the pod's volume names
    }
    return context(KubeletOperations.nodeOs(state, node), seLinuxMountGate, driver, pv, pod, podVolumesOf(pod, pv));
  }

  /** The names the pod gives the PV's claim in its volumes. */
  public static Set<String> podVolumesOf(Pod pod, PersistentVolume pv) {
    Optional<ObjectKey> claim = Volumes.claimRefKey(pv);
    Set<String> names = new LinkedHashSet<>();
    for (Volume v : pod.spec().volumes()) {
      if (claim.isPresent() && PodVolumeSupport.usesClaim(pod, v, claim.get())) {
        names.add(v.name());
      }
    }
    return names;
  }

  /** The context a NodeStage operation mounted the device with, if any. */
  static Optional<String> stagedContext(Operation stage) {
    return stage.effect() instanceof NodeStage s ? contextOf(s.request().volumeCapability()) : Optional.empty();
  }

  /** The file label of SELinux options with a level; empty without a level. */
  public static Optional<String> fileLabel(SELinuxOptions options) {
    return options.level().filter(l -> !l.isEmpty())
        .map(level -> options.user().orElse(DEFAULT_USER) + ":object_r:container_file_t:" + level);
  }

  /** The mount flag the kubelet appends for a context: {@code context="<label>"}. */
  public static String mountOption(String label) {
    return PREFIX + "\"" + label + "\"";
  }

  /** The context a capability's mount flags carry, if any (the kubelet's own flag). */
  public static Optional<String> contextOf(Optional<VolumeCapability> capability) {
    if (capability.isEmpty() || !(capability.get().accessType() instanceof AccessType.Mount m)) {
      return Optional.empty();
    }
    for (String f : m.mountFlags()) { // a loop, not a stream: read for every staged device in each setup
      if (f.startsWith(QUOTED_PREFIX) && f.endsWith("\"")) {
        return Optional.of(f.substring(PREFIX.length() + 1, f.length() - 1));
      }
    }
    return Optional.empty();
  }

  /**
   * The kubelet's error when a volume mounted with one context is wanted with another, or empty
   * when both are the same (or neither uses a context).
   */
  public static Optional<String> conflict(String volumeName, Optional<String> mounted, Optional<String> wanted) {
    if (mounted.equals(wanted)) {
      return Optional.empty();
    }
    return Optional.of("conflicting SELinux labels of volume " + volumeName + ": \"" + mounted.orElse("")
        + "\" and \"" + wanted.orElse("") + "\"");
  }
}
