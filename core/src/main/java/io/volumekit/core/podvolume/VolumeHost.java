package io.volumekit.core.podvolume;

import com.google.common.collect.ImmutableMap;
import com.google.common.hash.Hashing;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.node.KubeletPathLayout;
import io.volumekit.core.node.NodeOs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the node-side controllers know about the nodes' kubelets: the kubelet root directory and
 * the registered CSI drivers' capabilities; and the kubelet's directory layout under that root.
 *
 * <p>Mirrors the kubelet's {@code VolumeHost} (root, pods and plugins directories) and the CSI
 * plugin's path functions ({@code makeDeviceMountPath}, {@code getTargetPath}), docs/cases/node-side.md rows M2,
 * M3: staging {@code <root>/plugins/kubernetes.io/csi/<driver>/<sha256(handle)>/globalmount}, publish
 * {@code <root>/pods/<uid>/volumes/kubernetes.io~csi/<specName>/mount}. Every node uses the same root
 * (the simulated nodes share one filesystem). {@code migration} says which in-tree volume plugins
 * the kubelets and the attacher translate to CSI (Kubernetes' {@code CSIMigration} switches);
 * {@code imageVolumes} whether an image volume puller is configured.
 *
 * <p>{@code seLinuxMount} is the kubelet's {@code SELinuxMount} feature gate (off by default, as in
 * Kubernetes): on, every volume of a driver with {@code seLinuxMount: true} is mounted with
 * {@code -o context=}, not only ReadWriteOncePod ones. {@code windowsPaths} is the path layout of
 * the kubelets on Windows nodes (label {@code kubernetes.io/os: windows}): the CSI paths sent to
 * drivers on those nodes ({@link #csiPaths}); Linux nodes use {@code root}.
 */
public record VolumeHost(Path root, ImmutableMap<String, DriverInfo> drivers, CsiMigration migration,
    boolean imageVolumes, boolean seLinuxMount, KubeletPathLayout windowsPaths) {

  /** Kubelet's escaped plugin directory names. */
  public static final String CSI_DIR = "kubernetes.io~csi";
  public static final String EMPTY_DIR = "kubernetes.io~empty-dir";
  public static final String SECRET_DIR = "kubernetes.io~secret";
  public static final String CONFIGMAP_DIR = "kubernetes.io~configmap";
  public static final String DOWNWARD_API_DIR = "kubernetes.io~downward-api";
  public static final String PROJECTED_DIR = "kubernetes.io~projected";
  public static final String IMAGE_DIR = "kubernetes.io~image";

  public VolumeHost {
    root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    drivers = drivers == null ? ImmutableMap.of() : ImmutableMap.copyOf(drivers);
    migration = migration == null ? CsiMigration.all() : migration;
    windowsPaths = windowsPaths == null ? KubeletPathLayout.WINDOWS : windowsPaths;
  }

  /** A host with the root, drivers, migrated plugins and image volume setting; gate off, default Windows paths. */
  public VolumeHost(Path root, ImmutableMap<String, DriverInfo> drivers, CsiMigration migration, boolean imageVolumes) {
    this(root, drivers, migration, imageVolumes, false, KubeletPathLayout.WINDOWS);
  }

  /** A host with every in-tree plugin migrated ({@link CsiMigration#all()}, Kubernetes' default). */
  public VolumeHost(Path root, ImmutableMap<String, DriverInfo> drivers) {
    this(root, drivers, CsiMigration.all());
  }

  /** A host with the migrated in-tree plugins and no image volume puller. */
  public VolumeHost(Path root, ImmutableMap<String, DriverInfo> drivers, CsiMigration migration) {
    this(root, drivers, migration, false);
  }

  /** A host with the root and the drivers. */
  public static VolumeHost of(Path root, Map<String, DriverInfo> drivers) {
    return new VolumeHost(root, ImmutableMap.copyOf(drivers));
  }

  /** This host, with or without an image volume puller configured (whether image volumes can be set up). */
  public VolumeHost withImageVolumes(boolean enabled) {
    return new VolumeHost(root, drivers, migration, enabled, seLinuxMount, windowsPaths);
  }

  /** This host with the kubelet's {@code SELinuxMount} feature gate on or off. */
  public VolumeHost withSELinuxMount(boolean enabled) {
    return new VolumeHost(root, drivers, migration, imageVolumes, enabled, windowsPaths);
  }

  /** This host with another path layout for the kubelets of Windows nodes. */
  public VolumeHost withWindowsPaths(KubeletPathLayout layout) {
    return new VolumeHost(root, drivers, migration, imageVolumes, seLinuxMount, layout);
  }

  /**
   * The layout of the CSI paths the kubelet of a node with this OS sends to drivers: {@code root}
   * on Linux, {@link #windowsPaths} on Windows.
   */
  public KubeletPathLayout csiPaths(NodeOs os) {
    return os == NodeOs.WINDOWS ? windowsPaths
        : new KubeletPathLayout(root.toString(), root.getFileSystem().getSeparator());
  }

  /** A host with the root, the drivers and the migrated in-tree plugins. */
  public static VolumeHost of(Path root, Map<String, DriverInfo> drivers, CsiMigration migration) {
    return new VolumeHost(root, ImmutableMap.copyOf(drivers), migration);
  }

  /** The default kubelet root: {@code <java.io.tmpdir>/volumekit/kubelet}. */
  public static Path defaultRoot() {
    return Path.of(System.getProperty("java.io.tmpdir"), "volumekit", "kubelet");
  }

  /** The registered driver, if any. */
  public Optional<DriverInfo> driver(String name) {
    return Optional.ofNullable(drivers.get(name));
  }

  /** {@code <root>/pods/<uid>}. */
  public Path podDir(String podUid) {
    return root.resolve("pods").resolve(podUid);
  }

  /** {@code <root>/pods/<uid>/volumes/<pluginDir>/<specName>}. */
  public Path podVolumeDir(String podUid, String pluginDir, String specName) {
    return podDir(podUid).resolve("volumes").resolve(pluginDir).resolve(specName);
  }

  /** The NodePublish target of a CSI volume: {@code .../kubernetes.io~csi/<specName>/mount}. */
  public Path csiTarget(String podUid, String specName) {
    return podVolumeDir(podUid, CSI_DIR, specName).resolve("mount");
  }

  /** The NodeStage (global mount) path of a CSI volume. */
  public Path stagingPath(String driver, String volumeHandle) {
    return root.resolve("plugins").resolve("kubernetes.io").resolve("csi").resolve(driver)
        .resolve(sha256(volumeHandle)).resolve("globalmount");
  }

  /** NodeStage path of a Block volume: {@code <root>/plugins/kubernetes.io/csi/volumeDevices/staging/<pv>}. */
  public Path blockStagingPath(String pvName) {
    return root.resolve("plugins").resolve("kubernetes.io").resolve("csi").resolve("volumeDevices").resolve("staging")
        .resolve(pvName);
  }

  /** NodePublish path of a Block volume: {@code .../volumeDevices/publish/<pv>/<podUID>}. */
  public Path blockPublishPath(String pvName, String podUid) {
    return root.resolve("plugins").resolve("kubernetes.io").resolve("csi").resolve("volumeDevices").resolve("publish")
        .resolve(pvName).resolve(podUid);
  }

  /** Lowercase hex SHA-256 of the UTF-8 string. */
  public static String sha256(String s) {
    // The same handles are hashed in every reconcile of their volume (staging path, attachment
    // name): remembered in a small map, cleared whenever it reaches SHA256_CACHE_MAX entries.
    String h = SHA256_CACHE.get(s);
    if (h == null) {
      h = sha256Uncached(s);
      if (SHA256_CACHE.size() >= SHA256_CACHE_MAX) {
        SHA256_CACHE.clear();
      }
      SHA256_CACHE.put(s, h);
    }
    return h;
  }

  /**
   * {@link #sha256} without its memo: for strings remembered elsewhere ({@link AttachmentNames}),
   * which would only push other strings out of it.
   */
  static String sha256Uncached(String s) {
    return Hashing.sha256().hashString(s, StandardCharsets.UTF_8).toString();
  }

  private static final int SHA256_CACHE_MAX = 4096;
  private static final java.util.concurrent.ConcurrentHashMap<String, String> SHA256_CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();
}
