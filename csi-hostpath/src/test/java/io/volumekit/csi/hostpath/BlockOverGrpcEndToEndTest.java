package io.volumekit.csi.hostpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.mount.PodVolumes;
import io.volumekit.csi.client.CsiEndpoint;
import io.volumekit.csi.client.GrpcCsiDriver;
import io.volumekit.csi.client.server.CsiGrpcServer;
import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.meta.ApiObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw block volume over the real stack: VolumeKit -> GrpcCsiDriver -> unix socket ->
 * CsiGrpcServer -> HostPathDriver serving {@code volumeMode: Block} with a loop device. A pod
 * using the claim through {@code volumeDevices} gets the device file the driver published; bytes
 * written to it are read back by a second pod after the first is gone, and deleting the claim
 * frees the loop device and the backing file. Skipped where loop devices cannot be used (not root,
 * no {@code losetup}), except on CI as root, where that is a failure.
 */
class BlockOverGrpcEndToEndTest {
  @TempDir
  Path tmp;

  private HostPathDriver hostpath;
  private CsiGrpcServer server;
  private GrpcCsiDriver client;
  private VolumeKit kit;

  @BeforeEach
  void start() throws Exception {
    Optional<String> why = BlockDevices.unavailable();
    if (why.isPresent() && "true".equals(System.getenv("CI")) && "root".equals(System.getProperty("user.name"))) {
      fail("block volumes must work on CI as root: " + why.get());
    }
    assumeTrue(why.isEmpty(), () -> "loop devices unavailable: " + why.orElse(""));
    CsiEndpoint socket = CsiEndpoint.unix(tmp.resolve("csi.sock"));
    hostpath = new HostPathDriver(HostPathConfig.of(tmp.resolve("data"), "node-1"));
    server = CsiGrpcServer.start(hostpath, socket);
    client = GrpcCsiDriver.builder(socket).callTimeout(Duration.ofSeconds(5)).build();
    kit = VolumeKit.builder()
        .deterministic(7)
        .driver(HostPathDriver.DRIVER_NAME, client)
        .node("node-1")
        .kubeletRoot(tmp.resolve("kubelet"))
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (hostpath != null) {
      // Never leave a loop device behind, whatever the test did.
      try (var dirs = Files.list(tmp.resolve("data"))) {
        dirs.forEach(d -> {
          try (var vols = Files.list(d)) {
            vols.filter(BlockDevices::isBlock).forEach(BlockDevices::detach);
          } catch (IOException | RuntimeException e) {
            // not a directory of volumes
          }
        });
      }
    }
  }

  private static final String CLASS_AND_CLAIM = """
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
        name: raw
        namespace: default
      spec:
        volumeMode: Block
        resources:
          requests:
            storage: 8Mi
        accessModes:
          - ReadWriteOnce
        storageClassName: hostpath
      """;

  private static String podUsing(String name) {
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
                claimName: raw
          containers:
            - image: postgres
              name: db
              volumeDevices:
                - name: data
                  devicePath: /dev/xvda
        """.formatted(name);
  }

  private void applyAll(String manifests) {
    for (ApiObject o : ObjectCodec.standard().decode(manifests).objects()) {
      kit.apply(o);
    }
    kit.settle();
  }

  /** The running pod's device file on the host, checked to be a block device. */
  private Path runningDevice(String pod) {
    Pod p = kit.get(Pod.class, "default", pod).orElseThrow();
    assertThat(p.status().phase()).as("events: %s", events()).contains(PodStatus.RUNNING);
    PodVolumes volumes = kit.podVolumes(ObjectKey.namespaced(Pod.KIND, "default", pod));
    assertThat(volumes.mounts()).isEmpty();
    PodVolumes.Device d = volumes.devicesByContainer().get("db").get(0);
    assertThat(d.devicePath()).isEqualTo("/dev/xvda");
    assertThat(d.error()).isEmpty();
    Path device = d.hostPath().orElseThrow();
    assertThat(device.toString()).contains("/plugins/kubernetes.io/csi/volumeDevices/publish/");
    assertThat(device.toString()).endsWith("/" + p.metadata().uid().orElseThrow());
    try {
      assertThat(Files.readAttributes(device, "unix:mode").get("mode")).satisfies(
          m -> assertThat(((Integer) m) & 0170000).as("a block device").isEqualTo(0060000));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return device;
  }

  private String events() {
    return kit.events().stream().map(e -> e.reason().orElse("") + ": " + e.message().orElse(""))
        .collect(Collectors.joining("\n"));
  }

  @Test
  void bytesWrittenToTheDeviceOfOnePodAreReadByTheNext() throws IOException {
    applyAll(CLASS_AND_CLAIM);
    applyAll(podUsing("first"));
    PersistentVolume pv = kit.get(PersistentVolume.class, "",
        kit.get(PersistentVolumeClaim.class, "default", "raw").orElseThrow().spec().volumeName().orElseThrow())
        .orElseThrow();
    assertThat(pv.spec().effectiveVolumeMode()).isEqualTo("Block");
    String handle = pv.spec().csi().orElseThrow().volumeHandle();
    Path backing = hostpath.volumePath(handle).resolve(BlockDevices.BACKING_FILE);
    assertThat(Files.size(backing)).isEqualTo(8L << 20);

    byte[] data = "raw bytes of the first pod".getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(runningDevice("first"), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(data), 4096);
      ch.force(true);
    }
    kit.delete(ObjectKey.namespaced(Pod.KIND, "default", "first"));
    kit.settle();
    assertThat(kit.get(Pod.class, "default", "first")).isEmpty();

    applyAll(podUsing("second"));
    ByteBuffer read = ByteBuffer.allocate(data.length);
    try (FileChannel ch = FileChannel.open(runningDevice("second"), StandardOpenOption.READ)) {
      ch.read(read, 4096);
    }
    assertThat(new String(read.array(), StandardCharsets.UTF_8)).isEqualTo("raw bytes of the first pod");

    kit.delete(ObjectKey.namespaced(Pod.KIND, "default", "second"));
    kit.delete(ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", "raw"));
    kit.settle();
    assertThat(kit.list(PersistentVolume.class)).as("events: %s", events()).isEmpty();
    assertThat(backing).doesNotExist();
    assertThat(kit.events()).as("events: %s", events()).extracting(Event::reason)
        .doesNotContain(Optional.of("FailedMapVolume"), Optional.of("FailedMount")); // VolumeFailedDelete "still attached" is transient, as upstream
  }
}
