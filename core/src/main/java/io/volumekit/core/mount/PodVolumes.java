package io.volumekit.core.mount;

import io.volumekit.core.migration.TranslationException;
import io.volumekit.core.node.NodeOs;
import io.volumekit.core.podvolume.InlineMigratedVolumes;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.podvolume.VolumeHost;
import com.google.common.collect.ImmutableList;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.Container;
import io.volumekit.model.core.EnvVar;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeDevice;
import io.volumekit.model.core.VolumeMount;
import com.google.common.collect.ImmutableListMultimap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a pod's volumes are ready and where each container's volume mounts are on the host:
 * what a container runtime would bind-mount (the CRI mounts the kubelet hands over).
 *
 * <p>{@code subPath} (and {@code subPathExpr}, expanded from the container's {@code env} values)
 * is resolved as the kubelet does after CVE-2017-1002101 (docs/cases/node-side.md row M10): it must be
 * relative without {@code ..}, and after resolving symlinks on the host it must stay inside the
 * volume; otherwise the mount has an {@link Mount#error()} and no host path.
 *
 * <p>Raw block volumes (a claim with {@code volumeMode: Block}, used through a container's {@code
 * volumeDevices}) are in {@link #devices()}: the host path of each is the device file the CSI
 * driver published ({@code <root>/plugins/kubernetes.io/csi/volumeDevices/publish/<pv>/<podUID>}),
 * which a runtime hands to the container at its {@code devicePath}. A Block volume listed in
 * {@code volumeMounts}, or a Filesystem one in {@code volumeDevices}, has an error and no host path
 * ({@link BlockVolumes#modeMismatch}).
 *
 * @param ready whether the pod is placed, Running and not terminating: every volume is mounted
 * @param mounts every volume mount of every container (init containers first), in spec order
 * @param devices every volume device of every container (init containers first), in spec order
 */
public record PodVolumes(boolean ready, ImmutableList<Mount> mounts, ImmutableList<Device> devices) {

  public PodVolumes {
    mounts = mounts == null ? ImmutableList.of() : ImmutableList.copyOf(mounts);
    devices = devices == null ? ImmutableList.of() : ImmutableList.copyOf(devices);
  }

  /** A pod's volumes with mounts only (no raw block devices). */
  public PodVolumes(boolean ready, ImmutableList<Mount> mounts) {
    this(ready, mounts, ImmutableList.of());
  }

  /**
   * One container volume device ({@code volumeDevices}): a raw block volume.
   *
   * @param devicePath where the container sees the device ({@code devicePath} in the spec)
   * @param hostPath the device file on the host, once the volume is bound to a Block PV
   * @param error why there is no host path (a missing volume, a Filesystem volume)
   */
  public record Device(String container, String volume, String devicePath, Optional<Path> hostPath,
      Optional<String> error) {
    public Device {
      Objects.requireNonNull(container, "container");
      Objects.requireNonNull(volume, "volume");
      Objects.requireNonNull(devicePath, "devicePath");
      hostPath = hostPath == null ? Optional.empty() : hostPath;
      error = error == null ? Optional.empty() : error;
    }
  }

  /** The devices of each container, by container name, in spec order. */
  public ImmutableListMultimap<String, Device> devicesByContainer() {
    ImmutableListMultimap.Builder<String, Device> b = ImmutableListMultimap.builder();
    devices.forEach(d -> b.put(d.container(), d));
    return b.build();
  }

  /** One container volume mount. */
  public record Mount(String container, String volume, String mountPath, Optional<Path> hostPath, boolean readOnly,
      Optional<String> error) {
    public Mount {
      Objects.requireNonNull(container, "container");
      Objects.requireNonNull(volume, "volume");
      Objects.requireNonNull(mountPath, "mountPath");
      hostPath = hostPath == null ? Optional.empty() : hostPath;
      error = error == null ? Optional.empty() : error;
    }
  }

  /** The pod's volumes as the kubelet on its node would lay them out. */
  public static PodVolumes of(ClusterState state, VolumeHost host, Pod pod) {
    boolean ready = pod.nodeName().isPresent() && !PodVolumeSupport.isTerminating(pod)
        && pod.status().phase().filter(PodStatus.RUNNING::equals).isPresent();
    List<Mount> out = new ArrayList<>();
    List<Device> devices = new ArrayList<>();
    for (Container c : pod.spec().allContainers()) {
      for (VolumeMount m : c.volumeMounts()) {
        out.add(mount(state, host, pod, c, m));
      }
      for (VolumeDevice d : c.volumeDevices()) {
        devices.add(device(state, host, pod, c, d));
      }
    }
    return new PodVolumes(ready, ImmutableList.copyOf(out), ImmutableList.copyOf(devices));
  }

  private static Device device(ClusterState state, VolumeHost host, Pod pod, Container c, VolumeDevice d) {
    Optional<Volume> v = pod.spec().volume(d.name());
    if (v.isEmpty()) {
      return new Device(c.name(), d.name(), d.devicePath(), Optional.empty(),
          Optional.of("volume \"" + d.name() + "\" not found in the pod"));
    }
    Optional<PersistentVolume> pv = boundVolume(state, pod, v.get());
    if (pv.isEmpty()) {
      String why = v.get().persistentVolumeClaim().isPresent() || v.get().ephemeral().isPresent()
          ? "volume not mapped" : "volume " + d.name() + " is not a persistent volume and cannot be a block device";
      return new Device(c.name(), d.name(), d.devicePath(), Optional.empty(), Optional.of(why));
    }
    Optional<String> mismatch = BlockVolumes.modeMismatch(pod, d.name(), pv.get().spec().effectiveVolumeMode());
    if (mismatch.isPresent()) {
      return new Device(c.name(), d.name(), d.devicePath(), Optional.empty(), mismatch);
    }
    return new Device(c.name(), d.name(), d.devicePath(),
        Optional.of(host.blockPublishPath(pv.get().metadata().name(), pod.metadata().uid().orElse(""))),
        Optional.empty());
  }

  /** The PV the claim of a pod volume names, if the volume is a claim and both exist (phase not read). */
  static Optional<PersistentVolume> boundVolume(ClusterState state, Pod pod, Volume v) {
    if (v.persistentVolumeClaim().isEmpty() && v.ephemeral().isEmpty()) {
      return Optional.empty();
    }
    return PodVolumeSupport.claimKey(pod, v)
        .flatMap(k -> state.get(k, PersistentVolumeClaim.class))
        .flatMap(PersistentVolumeClaim::volumeName)
        .flatMap(n -> state.get(Volumes.volumeKey(n), PersistentVolume.class));
  }

  private static Mount mount(ClusterState state, VolumeHost host, Pod pod, Container c, VolumeMount m) {
    String mountPath = pod.nodeName().map(n -> KubeletOperations.nodeOs(state, n)).orElse(NodeOs.LINUX)
        .containerPath(m.mountPath());
    Optional<Volume> v = pod.spec().volume(m.name());
    boolean readOnly = m.readOnly().orElse(false);
    if (v.isEmpty()) {
      return new Mount(c.name(), m.name(), mountPath, Optional.empty(), readOnly,
          Optional.of("volume \"" + m.name() + "\" not found in the pod"));
    }
    readOnly |= v.get().persistentVolumeClaim().flatMap(s -> s.readOnly()).orElse(false);
    Optional<String> mismatch = boundVolume(state, pod, v.get())
        .flatMap(pv -> BlockVolumes.modeMismatch(pod, m.name(), pv.spec().effectiveVolumeMode()));
    if (mismatch.isPresent()) {
      return new Mount(c.name(), m.name(), mountPath, Optional.empty(), readOnly, mismatch);
    }
    Optional<Path> base = volumePath(state, host, pod, v.get());
    if (base.isEmpty()) {
      return new Mount(c.name(), m.name(), mountPath, Optional.empty(), readOnly, Optional.of("volume not mounted"));
    }
    Optional<String> sub = m.subPath().filter(s -> !s.isEmpty());
    if (sub.isEmpty() && m.subPathExpr().filter(s -> !s.isEmpty()).isPresent()) {
      sub = Optional.of(expand(m.subPathExpr().get(), c.env()));
    }
    if (sub.isEmpty()) {
      return new Mount(c.name(), m.name(), mountPath, base, readOnly, Optional.empty());
    }
    try {
      return new Mount(c.name(), m.name(), mountPath, Optional.of(resolveSubPath(base.get(), sub.get())), readOnly,
          Optional.empty());
    } catch (IOException e) {
      return new Mount(c.name(), m.name(), mountPath, Optional.empty(), readOnly, Optional.of(e.getMessage()));
    }
  }

  /** The host directory of a pod volume, if it is (or will be) mounted at a known place. */
  static Optional<Path> volumePath(ClusterState state, VolumeHost host, Pod pod, Volume v) {
    String uid = pod.metadata().uid().orElse("");
    if (v.persistentVolumeClaim().isPresent() || v.ephemeral().isPresent()) {
      Optional<PersistentVolume> pv = boundVolume(state, pod, v);
      if (pv.isEmpty()) {
        return Optional.empty();
      }
      if (host.migration().csiSource(pv.get()).isPresent()) {
        return Optional.of(host.csiTarget(uid, pv.get().metadata().name()));
      }
      if (pv.get().spec().hostPath().isPresent()) {
        return Optional.of(Path.of(pv.get().spec().hostPath().get().path()));
      }
      if (pv.get().spec().local().isPresent()) {
        return Optional.of(Path.of(pv.get().spec().local().get().path()));
      }
      return Optional.empty();
    }
    if (v.csi().isPresent()) {
      return Optional.of(host.csiTarget(uid, v.name()));
    }
    if (host.migration().plugin(v).isPresent()) {
      try {
        // an inline migrated volume's directory is named by its translated PV
        return InlineMigratedVolumes.translate(host.migration(), pod, v).map(i -> host.csiTarget(uid, i.pv().metadata().name()));
      } catch (TranslationException e) {
        return Optional.empty();
      }
    }
    if (v.emptyDir().isPresent()) {
      return Optional.of(host.podVolumeDir(uid, VolumeHost.EMPTY_DIR, v.name()));
    }
    if (v.secret().isPresent()) {
      return Optional.of(host.podVolumeDir(uid, VolumeHost.SECRET_DIR, v.name()));
    }
    if (v.configMap().isPresent()) {
      return Optional.of(host.podVolumeDir(uid, VolumeHost.CONFIGMAP_DIR, v.name()));
    }
    if (v.downwardAPI().isPresent()) {
      return Optional.of(host.podVolumeDir(uid, VolumeHost.DOWNWARD_API_DIR, v.name()));
    }
    if (v.projected().isPresent()) {
      return Optional.of(host.podVolumeDir(uid, VolumeHost.PROJECTED_DIR, v.name()));
    }
    if (v.hostPath().isPresent()) {
      return Optional.of(Path.of(v.hostPath().get().path()));
    }
    return Optional.empty();
  }

  private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

  /** Expands {@code $(VAR)} from the container's literal env values (unknown variables are kept as written). */
  static String expand(String expr, List<EnvVar> env) {
    Matcher m = VAR.matcher(expr);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = env.stream().filter(e -> e.name().equals(name)).findFirst().flatMap(EnvVar::value).orElse(m.group());
      m.appendReplacement(b, Matcher.quoteReplacement(value));
    }
    m.appendTail(b);
    return b.toString();
  }

  /**
   * Resolves a subPath inside a volume directory, refusing absolute paths, {@code ..} elements and
   * symlinks (at any level) that lead outside the volume.
   */
  public static Path resolveSubPath(Path volume, String subPath) throws IOException {
    if (subPath.startsWith("/")) {
      throw new IOException("subPath \"" + subPath + "\" must be a relative path");
    }
    for (String part : subPath.split("/")) {
      if (part.equals("..")) {
        throw new IOException("subPath \"" + subPath + "\" must not contain '..'");
      }
    }
    Path candidate = volume.resolve(subPath).normalize();
    if (!candidate.startsWith(volume.normalize())) {
      throw new IOException("subPath \"" + subPath + "\" escapes the volume");
    }
    if (!Files.exists(volume, LinkOption.NOFOLLOW_LINKS)) {
      return candidate; // not on this host's filesystem (e.g. an in-memory driver): lexical check only
    }
    Path realVolume = volume.toRealPath();
    Path existing = candidate;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw new IOException("subPath \"" + subPath + "\" cannot be resolved");
    }
    Path real;
    try {
      real = existing.toRealPath();
    } catch (IOException e) {
      throw new IOException("subPath \"" + subPath + "\" cannot be resolved: " + e.getMessage(), e);
    }
    if (!real.startsWith(realVolume)) {
      throw new IOException("subPath \"" + subPath + "\" resolves outside the volume (" + real + ")");
    }
    return real.resolve(existing.relativize(candidate));
  }
}
