package io.volumekit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.mount.PodVolumes;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.csi.hostpath.HostPathConfig;
import io.volumekit.csi.hostpath.HostPathDriver;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.volumekit.cli.engine.NodeLocalDriver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * An engine set up as the example manifests expect their cluster: what the {@code volumekit}
 * command's fresh state has (node-1 unless the manifest brings its own Nodes, the hostpath driver
 * on every node, the default StorageClass {@code standard}), plus what the seed slides assume
 * without showing it: in-memory drivers {@code kubernetes.io/my-driver} (mysql.yaml) and {@code
 * inline.storage.kubernetes.io} (csi-inline.yaml, with its CSIDriver object allowing the
 * Ephemeral lifecycle mode), and the class {@code test-sc} (generic-ephemeral.yaml).
 */
final class Playground {

  static final Path MANIFESTS = Path.of("manifests");

  /** The environment the manifests run in. */
  static final String ENVIRONMENT = """
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata:
        name: standard
        annotations:
          storageclass.kubernetes.io/is-default-class: "true"
      provisioner: hostpath.csi.volumekit.io
      reclaimPolicy: Delete
      volumeBindingMode: WaitForFirstConsumer
      allowVolumeExpansion: true
      ---
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata:
        name: test-sc
      provisioner: memory.csi.volumekit.io
      volumeBindingMode: WaitForFirstConsumer
      ---
      apiVersion: storage.k8s.io/v1
      kind: CSIDriver
      metadata:
        name: inline.storage.kubernetes.io
      spec:
        attachRequired: false
        podInfoOnMount: true
        volumeLifecycleModes: [Ephemeral]
      """;

  final Path work;
  final VolumeKit kit;
  final List<ApiObject> manifest;
  private final Map<String, HostPathDriver> hostpath = new ConcurrentHashMap<>();

  /** Decodes the manifest file with the model's codec, applies it to a fresh engine and settles. */
  static Playground run(String file, Path work) throws IOException {
    return new Playground(file, work, o -> true);
  }

  /** {@link #run} with only the manifest's objects the filter accepts (the others stay in {@link #manifest}). */
  static Playground run(String file, Path work, Predicate<ApiObject> first) throws IOException {
    return new Playground(file, work, first);
  }

  private Playground(String file, Path work, Predicate<ApiObject> first) throws IOException {
    this.work = work;
    this.manifest = Kubectl.decode(Files.readString(MANIFESTS.resolve(file)));
    VolumeKit.Builder b = VolumeKit.builder()
        .kubeletRoot(work.resolve("kubelet"))
        .deterministic(1)
        // The hostpath driver as the command runs it: one instance per node, provisioning distributed
        // (the selected node's instance creates a volume, the volume's node's instance deletes it).
        .driver(HostPathDriver.DRIVER_NAME, new NodeLocalDriver(work.resolve("hostpath"), HostPathDriver.TOPOLOGY_KEY,
            this::hostpath, "node-1"), node -> hostpath(node))
        .driver("kubernetes.io/my-driver", memory("kubernetes.io/my-driver"))
        .driver("inline.storage.kubernetes.io", memory("inline.storage.kubernetes.io"))
        .driver("memory.csi.volumekit.io", memory("memory.csi.volumekit.io"));
    if (manifest.stream().noneMatch(o -> o instanceof Node)) {
      b.node("node-1");
    }
    kit = b.build();
    Kubectl.apply(kit, ENVIRONMENT);
    manifest.stream().filter(first).forEach(kit::apply);
    settle();
  }

  private static CsiDriver memory(String name) {
    return new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withDriverName(name));
  }

  /** The hostpath driver instance of the node (symlinks instead of mounts: nothing to unmount after the test). */
  HostPathDriver hostpath(String node) {
    return hostpath.computeIfAbsent(node, n -> new HostPathDriver(HostPathConfig.of(work.resolve("hostpath").resolve(n), n)
        .withMountMode(HostPathConfig.MountMode.SYMLINK)
        .withMutableParameterKeys(io.volumekit.cli.engine.EngineClusters.EMBEDDED_MUTABLE_PARAMETERS)));
  }

  void settle() {
    assertThat(kit.settle().quiescent()).as("settled with nothing left to do").isTrue();
  }

  <T extends ApiObject> List<T> fromManifest(Class<T> type) {
    return manifest.stream().filter(type::isInstance).map(type::cast).toList();
  }

  PersistentVolumeClaim claim(String name) {
    return kit.get(PersistentVolumeClaim.class, "default", name).orElseThrow(() -> new AssertionError("no claim " + name));
  }

  Pod pod(String name) {
    return kit.get(Pod.class, "default", name).orElseThrow(() -> new AssertionError("no pod " + name));
  }

  PersistentVolume volumeOf(String claim) {
    return kit.get(PersistentVolume.class, "", claim(claim).volumeName().orElseThrow()).orElseThrow();
  }

  /** The host path of the pod's (only or first) mount at the mount path. */
  Path hostPath(String pod, String mountPath) {
    PodVolumes v = kit.podVolumes(pod(pod));
    return v.mounts().stream().filter(m -> m.mountPath().equals(mountPath)).findFirst()
        .flatMap(PodVolumes.Mount::hostPath).orElseThrow(() -> new AssertionError(pod + ": no host path for " + mountPath));
  }

  /** "reason: message" of the events about the object. */
  List<String> events(ObjectKey key) {
    return kit.events(key).stream().map(e -> e.reason().orElse("") + ": " + e.message().orElse("")).toList();
  }

  /**
   * What every manifest must reach: each of its claims Bound, each of its PersistentVolumes Bound
   * to a claim, each of its pods Running on a node with every volume mount at a host path.
   */
  void assertConverged() {
    for (PersistentVolumeClaim c : fromManifest(PersistentVolumeClaim.class)) {
      assertThat(claim(c.metadata().name()).phase()).as("claim %s (events %s)", c.metadata().name(),
          events(ObjectKey.of(claim(c.metadata().name())))).isEqualTo("Bound");
    }
    for (PersistentVolume v : fromManifest(PersistentVolume.class)) {
      assertThat(kit.get(PersistentVolume.class, "", v.metadata().name()).orElseThrow().phase())
          .as("volume %s", v.metadata().name()).isEqualTo("Bound");
    }
    for (Pod p : fromManifest(Pod.class)) {
      Pod stored = pod(p.metadata().name());
      assertThat(stored.status().phase()).as("pod %s (events %s)", p.metadata().name(), events(ObjectKey.of(stored)))
          .contains("Running");
      assertThat(stored.nodeName()).isPresent();
      PodVolumes volumes = kit.podVolumes(stored);
      assertThat(volumes.ready()).isTrue();
      assertThat(volumes.mounts()).as("pod %s mounts", p.metadata().name()).isNotEmpty()
          .allSatisfy(m -> {
            assertThat(m.error()).as("%s error", m.mountPath()).isEmpty();
            assertThat(m.hostPath()).as("%s host path", m.mountPath()).isPresent();
          });
    }
  }
}
