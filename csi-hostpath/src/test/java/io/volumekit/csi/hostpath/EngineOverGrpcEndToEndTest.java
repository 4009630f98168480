package io.volumekit.csi.hostpath;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Lists;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.mount.PodVolumes;
import io.volumekit.core.runtime.SettleResult;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.csi.client.CsiEndpoint;
import io.volumekit.csi.client.GrpcCsiDriver;
import io.volumekit.csi.client.server.CsiGrpcServer;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimBuilder;
import io.volumekit.model.core.PersistentVolumeClaimSpecBuilder;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.core.ResourceRequirementsBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.model.storage.StorageClassBuilder;
import io.volumekit.model.storage.VolumeAttachment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine over the real stack: VolumeKit -> GrpcCsiDriver -> unix socket -> CsiGrpcServer ->
 * HostPathDriver, with real bind mounts when the process may mount. A claim of a Delete class gets
 * a directory that goes away with the claim; a Retain class keeps it. The slides' mysql pod runs
 * its whole lifecycle (WaitForFirstConsumer provisioning, attach, stage, publish, a file written
 * through the pod's mount, teardown, a second pod finding the file, Delete reclaim). A driver
 * process killed after provisioning, or while the pod is mounted, is retried until a new process
 * on the same data directory and socket answers; then everything converges and nothing leaks
 * (volumes, state files, pod and staging directories, mounts in /proc/self/mountinfo).
 */
class EngineOverGrpcEndToEndTest {
  @TempDir
  Path tmp;

  private HostPathDriver hostpath;
  private CsiEndpoint socket;
  private CsiGrpcServer server;
  private GrpcCsiDriver client;
  private VolumeKit kit;

  @BeforeEach
  void start() throws Exception {
    socket = CsiEndpoint.unix(tmp.resolve("csi.sock"));
    hostpath = new HostPathDriver(HostPathConfig.of(tmp.resolve("data"), "node-1"));
    server = CsiGrpcServer.start(hostpath, socket);
    // A short deadline: while the driver is down each call waits for the socket only this long.
    client = GrpcCsiDriver.builder(socket).callTimeout(Duration.ofSeconds(2)).build();
    kit = VolumeKit.builder()
        .deterministic(7)
        .driver(HostPathDriver.DRIVER_NAME, client)
        .node("node-1") // the driver's node id: NodeGetInfo registers it for this Node
        .kubeletRoot(tmp.resolve("kubelet"))
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      client.close();
      if (server != null) {
        server.close();
      }
    } finally {
      // Never leave a bind mount behind, whatever the test did: newest mount first.
      List<String> left = mountsUnder(tmp);
      for (String mountPoint : Lists.reverse(left)) {
        Process p = new ProcessBuilder("umount", "-l", mountPoint).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
      }
    }
  }

  private static StorageClass storageClass(String name, String reclaimPolicy) {
    return StorageClassBuilder.builder()
        .metadata(ObjectMeta.named(name))
        .provisioner(HostPathDriver.DRIVER_NAME)
        .reclaimPolicy(Optional.of(reclaimPolicy))
        .volumeBindingMode(Optional.of("Immediate"))
        .build();
  }

  private static PersistentVolumeClaim claim(String name, String storageClass) {
    return PersistentVolumeClaimBuilder.builder()
        .metadata(ObjectMeta.named("default", name))
        .spec(PersistentVolumeClaimSpecBuilder.builder()
            .accessModes(ImmutableList.of("ReadWriteOnce"))
            .storageClassName(Optional.of(storageClass))
            .resources(ResourceRequirementsBuilder.builder()
                .requests(ImmutableMap.of("storage", Quantity.parse("1Gi"))).build())
            .build())
        .build();
  }

  private PersistentVolume boundVolume(String claimName) {
    PersistentVolumeClaim c = kit.get(PersistentVolumeClaim.class, "default", claimName).orElseThrow();
    assertThat(c.phase()).isEqualTo("Bound");
    String pvName = c.spec().volumeName().orElseThrow();
    return kit.get(PersistentVolume.class, "", pvName).orElseThrow();
  }

  @Test
  void deleteReclaimRemovesTheDirectory() {
    kit.apply(storageClass("hostpath-delete", "Delete"));
    kit.apply(claim("data", "hostpath-delete"));
    kit.settle();
    PersistentVolume pv = boundVolume("data");
    String handle = pv.spec().csi().orElseThrow().volumeHandle();
    assertThat(hostpath.volumePath(handle)).isDirectory();

    kit.delete(new ObjectKey(PersistentVolumeClaim.KIND, "default", "data"));
    kit.settle();
    assertThat(hostpath.volumePath(handle)).doesNotExist();
    assertThat(kit.list(PersistentVolume.class)).isEmpty();
  }

  @Test
  void retainReclaimKeepsTheDirectory() {
    kit.apply(storageClass("hostpath-retain", "Retain"));
    kit.apply(claim("keep", "hostpath-retain"));
    kit.settle();
    PersistentVolume pv = boundVolume("keep");
    String handle = pv.spec().csi().orElseThrow().volumeHandle();

    kit.delete(new ObjectKey(PersistentVolumeClaim.KIND, "default", "keep"));
    kit.settle();
    assertThat(hostpath.volumePath(handle)).isDirectory();
    assertThat(kit.get(PersistentVolume.class, "", pv.metadata().name()).orElseThrow().phase()).isEqualTo("Released");
  }

  // ------------------------------------------------------------------ issue 5: pods over the socket

  /** The slides' mysql claim and pod, with a WaitForFirstConsumer class of the hostpath driver. */
  private static final String MYSQL_CLASS_AND_CLAIM = """
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata:
        name: hostpath
      provisioner: hostpath.csi.volumekit.io
      reclaimPolicy: Delete
      volumeBindingMode: WaitForFirstConsumer
      ---
      kind: PersistentVolumeClaim
      apiVersion: v1
      metadata:
        name: mysql-pvc
        namespace: default
      spec:
        resources:
          requests:
            storage: 1Gi
        accessModes:
          - ReadWriteOnce
        storageClassName: hostpath
      """;

  private static String podUsing(String name, String claimName) {
    return """
        kind: Pod
        apiVersion: v1
        metadata:
          name: %s
          namespace: default
        spec:
          volumes:
            - name: data
              persistentVolumeClaim:
                claimName: %s
          containers:
            - image: mysql:5.6
              name: mysql
              volumeMounts:
                - name: data
                  mountPath: /var/lib/mysql
        """.formatted(name, claimName);
  }

  private void applyAll(String manifests) {
    for (ApiObject o : ObjectCodec.standard().decode(manifests).objects()) {
      kit.apply(o);
    }
  }

  private static ObjectKey podKey(String name) {
    return ObjectKey.namespaced(Pod.KIND, "default", name);
  }

  /** Asserts the pod runs on node-1 with its volume ready and returns the host path of /var/lib/mysql. */
  private Path runningMount(String podName) throws IOException {
    Pod pod = kit.get(Pod.class, "default", podName).orElseThrow();
    assertThat(pod.nodeName()).contains("node-1");
    assertThat(pod.status().phase()).as("events: %s", describeEvents()).contains(PodStatus.RUNNING);
    PodVolumes volumes = kit.podVolumes(podKey(podName));
    assertThat(volumes.ready()).isTrue();
    PodVolumes.Mount mount = volumes.mounts().stream()
        .filter(m -> m.mountPath().equals("/var/lib/mysql")).findFirst().orElseThrow();
    assertThat(mount.error()).isEmpty();
    Path hostPath = mount.hostPath().orElseThrow();
    assertThat(hostPath).isDirectory();
    if (hostpath.publishMode().equals("bind")) {
      assertThat(mountsUnder(tmp.resolve("kubelet"))).contains(real(hostPath));
    }
    return hostPath;
  }

  private String describeEvents() {
    StringBuilder b = new StringBuilder();
    for (Event e : kit.events()) {
      b.append('\n').append(e.type().orElse("")).append(' ').append(e.reason().orElse("")).append(": ")
          .append(e.message().orElse(""));
    }
    return b.toString();
  }

  /** Mount points at or under {@code dir}, from /proc/self/mountinfo (field 5), in mount order. */
  private static List<String> mountsUnder(Path dir) throws IOException {
    String root = real(dir);
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      String mountPoint = unescape(f[4]);
      if (mountPoint.equals(root) || mountPoint.startsWith(root + "/")) {
        out.add(mountPoint);
      }
    }
    return out;
  }

  /** mountinfo escapes space, tab, newline and backslash as three octal digits. */
  private static String unescape(String field) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 4 <= field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        b.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** The path with symlinks resolved as far as it exists (mountinfo shows real paths). */
  private static String real(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      Path resolved = existing == null ? abs : existing.toRealPath().resolve(existing.relativize(abs));
      return resolved.toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Path> children(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** No pod directory, staging directory or mount is left on the node. */
  private void assertNodeClean() throws IOException {
    assertThat(mountsUnder(tmp)).isEmpty();
    Path kubelet = tmp.resolve("kubelet");
    if (Files.isDirectory(kubelet.resolve("pods"))) {
      assertThat(children(kubelet.resolve("pods"))).isEmpty();
    }
    Path staging = kubelet.resolve("plugins/kubernetes.io/csi").resolve(HostPathDriver.DRIVER_NAME);
    if (Files.isDirectory(staging)) {
      assertThat(children(staging)).isEmpty();
    }
  }

  /** The driver (asked over the socket) and its data directory hold no volume; the node is clean. */
  private void assertDriverHoldsNothing() throws IOException {
    assertThat(client.listVolumes(ListVolumesRequest.firstPage(0)).entries()).isEmpty();
    assertThat(children(tmp.resolve("data").resolve("volumes"))).isEmpty();
    assertThat(children(tmp.resolve("data").resolve("state").resolve("volumes"))).isEmpty();
    assertThat(children(tmp.resolve("data").resolve("tmp"))).isEmpty();
    assertNodeClean();
    assertThat(kit.list(PersistentVolume.class)).isEmpty();
    assertThat(kit.list(VolumeAttachment.class)).isEmpty();
  }

  @Test
  void mysqlPodLifecycleOverUnixSocket() throws IOException {
    applyAll(MYSQL_CLASS_AND_CLAIM);
    assertThat(kit.settle().quiescent()).isTrue();
    // WaitForFirstConsumer: nothing is provisioned before a pod uses the claim.
    assertThat(kit.get(PersistentVolumeClaim.class, "default", "mysql-pvc").orElseThrow().phase())
        .isEqualTo("Pending");
    assertThat(kit.list(PersistentVolume.class)).isEmpty();

    // The pod names no node: the scheduler picks node-1, the provisioner creates the volume
    // there (the class waits for it), the claim binds, the volume is attached, staged, published.
    applyAll(podUsing("mysql", "mysql-pvc"));
    assertThat(kit.settle().quiescent()).isTrue();
    PersistentVolume pv = boundVolume("mysql-pvc");
    String handle = pv.spec().csi().orElseThrow().volumeHandle();
    assertThat(hostpath.volumePath(handle)).isDirectory();
    for (VolumeAttachment va : kit.list(VolumeAttachment.class)) {
      assertThat(va.spec().nodeName()).isEqualTo("node-1");
      assertThat(va.status().attached()).isTrue();
    }
    Path first = runningMount("mysql");

    // What mysqld would do: write through the pod's mount; the bytes land in the driver's volume.
    Files.writeString(first.resolve("ibdata1"), "rows of the first pod\n");
    assertThat(hostpath.volumePath(handle).resolve("ibdata1")).hasContent("rows of the first pod");

    // Pod deleted: unpublished, unstaged, detached; nothing mounted under the kubelet root.
    kit.delete(podKey("mysql"));
    assertThat(kit.settle().quiescent()).isTrue();
    assertThat(kit.get(Pod.class, "default", "mysql")).isEmpty();
    assertThat(mountsUnder(tmp.resolve("kubelet"))).isEmpty();
    assertNodeClean();
    assertThat(kit.list(VolumeAttachment.class)).isEmpty();
    assertThat(boundVolume("mysql-pvc").metadata().name()).isEqualTo(pv.metadata().name());
    assertThat(hostpath.volumePath(handle).resolve("ibdata1")).hasContent("rows of the first pod");

    // A new pod with the same claim finds the data.
    applyAll(podUsing("mysql", "mysql-pvc"));
    assertThat(kit.settle().quiescent()).isTrue();
    Path second = runningMount("mysql");
    assertThat(second.resolve("ibdata1")).hasContent("rows of the first pod");
    assertThat(boundVolume("mysql-pvc").metadata().name()).isEqualTo(pv.metadata().name());

    // Pod and claim deleted: the Delete class makes the provisioner call DeleteVolume.
    kit.delete(podKey("mysql"));
    kit.delete(ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", "mysql-pvc"));
    assertThat(kit.settle().quiescent()).isTrue();
    assertThat(hostpath.volumePath(handle)).doesNotExist();
    assertThat(kit.list(PersistentVolumeClaim.class)).isEmpty();
    assertDriverHoldsNothing();
  }

  @Test
  void driverKilledAfterProvisioningAndRestartedWhileThePodWaits() throws Exception {
    kit.apply(storageClass("hostpath-now", "Delete"));
    kit.apply(claim("data", "hostpath-now"));
    assertThat(kit.settle().quiescent()).isTrue();
    String handle = boundVolume("data").spec().csi().orElseThrow().volumeHandle();

    // The driver process dies: its socket is gone and its in-memory state with it.
    server.close();
    server = null;
    hostpath = null;

    applyAll(podUsing("app", "data"));
    SettleResult down = kit.settle(Duration.ofSeconds(1));
    assertThat(down.quiescent()).as("the engine keeps retrying the unreachable driver").isFalse();
    assertThat(down.pendingTimers()).isPositive();
    Pod waiting = kit.get(Pod.class, "default", "app").orElseThrow();
    assertThat(waiting.nodeName()).contains("node-1");
    assertThat(waiting.status().phase()).isNotEqualTo(Optional.of(PodStatus.RUNNING));
    assertThat(kit.podVolumes(podKey("app")).ready()).isFalse();
    // ControllerPublish timed out waiting for the socket, and was tried again (backoff 0.5 s).
    assertThat(kit.events().stream().filter(e -> e.reason().equals(Optional.of("FailedAttachVolume"))))
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(e -> assertThat(e.message().orElseThrow()).containsAnyOf("DeadlineExceeded", "Unavailable"));
    assertThat(mountsUnder(tmp)).isEmpty();

    // A new driver process on the same data directory and socket: it reads back its volumes.
    hostpath = new HostPathDriver(HostPathConfig.of(tmp.resolve("data"), "node-1"));
    server = CsiGrpcServer.start(hostpath, socket);
    assertThat(kit.settle().quiescent()).isTrue();
    Path mount = runningMount("app");
    Files.writeString(mount.resolve("after-restart"), "written after the restart\n");
    assertThat(hostpath.volumePath(handle).resolve("after-restart")).hasContent("written after the restart");

    kit.delete(podKey("app"));
    kit.delete(ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", "data"));
    assertThat(kit.settle().quiescent()).isTrue();
    assertThat(hostpath.volumePath(handle)).doesNotExist();
    assertDriverHoldsNothing();
  }

  @Test
  void driverKilledWhileThePodIsMountedAndRestartedForTheTeardown() throws Exception {
    kit.apply(storageClass("hostpath-now", "Delete"));
    kit.apply(claim("data", "hostpath-now"));
    applyAll(podUsing("app", "data"));
    assertThat(kit.settle().quiescent()).isTrue();
    String handle = boundVolume("data").spec().csi().orElseThrow().volumeHandle();
    Path mount = runningMount("app");
    Files.writeString(mount.resolve("before-the-crash"), "kept\n");

    // The driver process dies while the pod runs; its bind mount stays in the kernel.
    boolean bindMounted = hostpath.publishMode().equals("bind");
    server.close();
    server = null;
    hostpath = null;

    // The pod is deleted meanwhile: NodeUnpublish cannot reach the driver, so nothing is torn
    // down and the engine keeps retrying.
    kit.delete(podKey("app"));
    SettleResult down = kit.settle(Duration.ofSeconds(1));
    assertThat(down.quiescent()).as("the engine keeps retrying the unreachable driver").isFalse();
    // (The kubelet records no event for a failed unmount of a deleted pod; it only retries.)
    if (bindMounted) {
      assertThat(mountsUnder(tmp.resolve("kubelet"))).as("not unmounted without the driver").contains(real(mount));
    }

    // A new driver process on the same data directory and socket knows the publication and
    // removes it; then the claim goes with its volume.
    hostpath = new HostPathDriver(HostPathConfig.of(tmp.resolve("data"), "node-1"));
    server = CsiGrpcServer.start(hostpath, socket);
    assertThat(kit.settle().quiescent()).isTrue();
    assertThat(kit.get(Pod.class, "default", "app")).isEmpty();
    assertNodeClean();
    assertThat(kit.list(VolumeAttachment.class)).isEmpty();
    assertThat(hostpath.volumePath(handle).resolve("before-the-crash")).hasContent("kept");

    kit.delete(ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", "data"));
    assertThat(kit.settle().quiescent()).isTrue();
    assertThat(hostpath.volumePath(handle)).doesNotExist();
    assertDriverHoldsNothing();
  }

  @Test
  void driverKilledBetweenStageAndPublishAndRestarted() throws Exception {
    // The driver process dies the moment the kubelet is about to call NodePublishVolume (after
    // provisioning, attach and NodeStageVolume succeeded).
    AtomicBoolean killed = new AtomicBoolean();
    kit = VolumeKit.builder()
        .deterministic(11)
        .driver(HostPathDriver.DRIVER_NAME, client)
        .node("node-1")
        .kubeletRoot(tmp.resolve("kubelet"))
        .trace(line -> {
          if (line.contains("effect start") && line.contains("NodePublishVolume") && !killed.getAndSet(true)) {
            server.close();
            server = null;
            hostpath = null;
          }
        })
        .build();
    applyAll(MYSQL_CLASS_AND_CLAIM);
    applyAll(podUsing("mysql", "mysql-pvc"));
    SettleResult down = kit.settle(Duration.ofSeconds(1));
    assertThat(killed).isTrue();
    assertThat(down.quiescent()).isFalse();
    String handle = boundVolume("mysql-pvc").spec().csi().orElseThrow().volumeHandle();
    assertThat(kit.podVolumes(podKey("mysql")).ready()).isFalse();
    // Staged (the global mount, in bind mode), not published: nothing mounted in the pod's directory.
    assertThat(mountsUnder(tmp.resolve("kubelet"))).allSatisfy(m -> assertThat(m).endsWith("/globalmount"));

    hostpath = new HostPathDriver(HostPathConfig.of(tmp.resolve("data"), "node-1"));
    server = CsiGrpcServer.start(hostpath, socket);
    assertThat(kit.settle().quiescent()).isTrue();
    Path mount = runningMount("mysql");
    Files.writeString(mount.resolve("ibdata1"), "rows\n");
    assertThat(hostpath.volumePath(handle).resolve("ibdata1")).hasContent("rows");

    kit.delete(podKey("mysql"));
    kit.delete(ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", "mysql-pvc"));
    assertThat(kit.settle().quiescent()).isTrue();
    assertThat(hostpath.volumePath(handle)).doesNotExist();
    assertDriverHoldsNothing();
  }

  // ------------------------------------------------------------------ issue 12: snapshot and restore

  private static final String SNAPSHOT_CLASS_AND_SNAPSHOT = """
      apiVersion: snapshot.storage.k8s.io/v1
      kind: VolumeSnapshotClass
      metadata:
        name: hostpath-snapshots
        annotations:
          snapshot.storage.kubernetes.io/is-default-class: "true"
      driver: hostpath.csi.volumekit.io
      deletionPolicy: Delete
      ---
      apiVersion: snapshot.storage.k8s.io/v1
      kind: VolumeSnapshot
      metadata:
        name: data-snap
        namespace: default
      spec:
        source:
          persistentVolumeClaimName: data
      """;

  private static final String RESTORED_CLAIM = """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: restored
        namespace: default
      spec:
        storageClassName: hostpath-now
        dataSource:
          apiGroup: snapshot.storage.k8s.io
          kind: VolumeSnapshot
          name: data-snap
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
      """;

  private static final String CLONED_CLAIM = """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: cloned
        namespace: default
      spec:
        storageClassName: hostpath-now
        dataSource:
          kind: PersistentVolumeClaim
          name: data
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
      """;

  @Test
  void fileWrittenThroughAPodIsSnapshottedRestoredAndCloned() throws IOException {
    kit.apply(storageClass("hostpath-now", "Delete"));
    kit.apply(claim("data", "hostpath-now"));
    applyAll(podUsing("writer", "data"));
    assertThat(kit.settle().quiescent()).isTrue();
    Path written = runningMount("writer");
    Files.writeString(written.resolve("ibdata1"), "rows before the snapshot\n");

    // Snapshot the claim (default class of the driver): CreateSnapshot over the socket.
    applyAll(SNAPSHOT_CLASS_AND_SNAPSHOT);
    assertThat(kit.settle().quiescent()).isTrue();
    io.volumekit.model.snapshot.VolumeSnapshot snap =
        kit.get(io.volumekit.model.snapshot.VolumeSnapshot.class, "default", "data-snap").orElseThrow();
    assertThat(snap.status().readyToUse()).as("events: %s", describeEvents()).contains(true);
    assertThat(client.listSnapshots(io.volumekit.core.csi.ListSnapshotsRequest.firstPage(0)).entries()).hasSize(1);
    // Written after the snapshot: must not show up in the restore.
    Files.writeString(written.resolve("ibdata1"), "rows after the snapshot\n");

    // Restore into a new claim and read the file back from a second pod.
    applyAll(RESTORED_CLAIM);
    applyAll(podUsing("reader", "restored"));
    assertThat(kit.settle().quiescent()).isTrue();
    PersistentVolume restored = boundVolume("restored");
    assertThat(restored.metadata().name()).isNotEqualTo(boundVolume("data").metadata().name());
    Path read = runningMount("reader");
    assertThat(read.resolve("ibdata1")).hasContent("rows before the snapshot");

    // Clone the source claim (CreateVolume with the source volume): the clone has the data as it
    // is now, and a write to the clone does not reach its source.
    applyAll(CLONED_CLAIM);
    applyAll(podUsing("copier", "cloned"));
    assertThat(kit.settle().quiescent()).isTrue();
    PersistentVolume cloned = boundVolume("cloned");
    assertThat(cloned.metadata().name()).isNotIn(boundVolume("data").metadata().name(), restored.metadata().name());
    Path copy = runningMount("copier");
    assertThat(copy.resolve("ibdata1")).as("events: %s", describeEvents()).hasContent("rows after the snapshot");
    Files.writeString(copy.resolve("ibdata1"), "rows of the clone\n");
    assertThat(written.resolve("ibdata1")).hasContent("rows after the snapshot");
    assertThat(read.resolve("ibdata1")).hasContent("rows before the snapshot");

    // Everything deleted: volumes, the CSI snapshot and the contents go away.
    kit.delete(podKey("writer"));
    kit.delete(podKey("reader"));
    kit.delete(podKey("copier"));
    kit.delete(ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", "cloned"));
    kit.delete(ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", "restored"));
    kit.delete(ObjectKey.namespaced(io.volumekit.model.snapshot.VolumeSnapshot.KIND, "default", "data-snap"));
    kit.delete(ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", "data"));
    assertThat(kit.settle().quiescent()).isTrue();
    assertThat(kit.list(io.volumekit.model.snapshot.VolumeSnapshotContent.class)).isEmpty();
    assertThat(client.listSnapshots(io.volumekit.core.csi.ListSnapshotsRequest.firstPage(0)).entries()).isEmpty();
    assertThat(children(tmp.resolve("data").resolve("snapshots"))).isEmpty();
    assertThat(children(tmp.resolve("data").resolve("state").resolve("snapshots"))).isEmpty();
    assertDriverHoldsNothing();
  }
}
