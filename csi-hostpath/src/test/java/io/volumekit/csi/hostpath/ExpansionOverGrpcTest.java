package io.volumekit.csi.hostpath;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.GetCapacityRequest;
import io.volumekit.core.csi.NodeGetVolumeStatsRequest;
import io.volumekit.core.csi.VolumeUsage;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.csi.client.CsiEndpoint;
import io.volumekit.csi.client.GrpcCsiDriver;
import io.volumekit.csi.client.server.CsiGrpcServer;
import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.quantity.Quantity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volume expansion over the real stack: VolumeKit -> GrpcCsiDriver -> unix socket ->
 * CsiGrpcServer -> HostPathDriver. The driver's accounting grows at ControllerExpandVolume (its
 * free capacity shrinks), the node side's size (NodeGetVolumeStats) at NodeExpandVolume, and both
 * survive a restart of the driver on the same data directory.
 */
class ExpansionOverGrpcTest {

  static final long GI = 1L << 30;

  @TempDir
  Path tmp;

  private HostPathDriver hostpath;
  private CsiEndpoint socket;
  private CsiGrpcServer server;
  private GrpcCsiDriver client;
  private VolumeKit kit;

  private HostPathConfig config() {
    return HostPathConfig.of(tmp.resolve("data"), "node-1").withMountMode(HostPathConfig.MountMode.SYMLINK);
  }

  @BeforeEach
  void start() throws Exception {
    socket = CsiEndpoint.unix(tmp.resolve("csi.sock"));
    hostpath = new HostPathDriver(config());
    server = CsiGrpcServer.start(hostpath, socket);
    client = GrpcCsiDriver.builder(socket).callTimeout(Duration.ofSeconds(5)).build();
    kit = VolumeKit.builder().deterministic(5).driver(HostPathDriver.DRIVER_NAME, client).node("node-1")
        .kubeletRoot(tmp.resolve("kubelet")).build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
  }

  private static final String MANIFEST = """
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata:
        name: expandable
      provisioner: hostpath.csi.volumekit.io
      volumeBindingMode: Immediate
      allowVolumeExpansion: true
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        namespace: default
      spec:
        storageClassName: expandable
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 1Gi
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
        namespace: default
      spec:
        containers:
          - name: app
            image: busybox
            volumeMounts:
              - name: data
                mountPath: /data
        volumes:
          - name: data
            persistentVolumeClaim:
              claimName: data
      """;

  private PersistentVolumeClaim claim() {
    return kit.get(PersistentVolumeClaim.class, "default", "data").orElseThrow();
  }

  private long available(io.volumekit.core.csi.CsiDriver d) {
    return d.getCapacity(new GetCapacityRequest(ImmutableList.of(), ImmutableMap.of(), Optional.empty()))
        .availableCapacity();
  }

  private long nodeSize(io.volumekit.core.csi.CsiDriver d, String handle, String path) {
    return d.nodeGetVolumeStats(new NodeGetVolumeStatsRequest(handle, path, "")).usage().stream()
        .filter(u -> u.unit() == VolumeUsage.Unit.BYTES).findFirst().orElseThrow().total();
  }

  @Test
  void aLargerRequestGrowsTheHostpathVolumeOnTheControllerAndTheNode() throws Exception {
    for (ApiObject o : ObjectCodec.standard().decode(MANIFEST).objects()) {
      kit.apply(o);
    }
    kit.settle();
    PersistentVolume pv = kit.get(PersistentVolume.class, "", claim().volumeName().orElseThrow()).orElseThrow();
    String handle = pv.csi().orElseThrow().volumeHandle();
    long before = available(client);
    String uid = kit.get(io.volumekit.model.core.Pod.class, "default", "app").orElseThrow().metadata().uid().orElseThrow();
    String target = tmp.resolve("kubelet").resolve("pods").resolve(uid).resolve("volumes").resolve("kubernetes.io~csi")
        .resolve(pv.metadata().name()).resolve("mount").toString();
    assertThat(nodeSize(client, handle, target)).isEqualTo(GI);

    PersistentVolumeClaim c = claim();
    kit.apply(c.withSpec(c.spec().withResources(c.spec().resources().withRequests(
        ImmutableMap.of("storage", Quantity.parse("3Gi"))))));
    kit.settle();

    assertThat(claim().status().capacity().get("storage")).isEqualTo(Quantity.parse("3Gi"));
    assertThat(claim().status().allocatedResourceStatuses()).isEmpty();
    assertThat(kit.get(PersistentVolume.class, "", pv.metadata().name()).orElseThrow().capacityStorage())
        .contains(Quantity.parse("3Gi"));
    assertThat(available(client)).as("the driver's free capacity").isEqualTo(before - 2 * GI);
    assertThat(nodeSize(client, handle, target)).as("the node side's size").isEqualTo(3 * GI);
    List<String> reasons = kit.events(ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", "data")).stream()
        .map(Event::reason).flatMap(Optional::stream).toList();
    assertThat(reasons).contains("Resizing", "FileSystemResizeRequired", "FileSystemResizeSuccessful");

    // The accounting is in the driver's state files: a new process on the same data sees it.
    client.close();
    server.close();
    HostPathDriver restarted = new HostPathDriver(config());
    assertThat(available(restarted)).isEqualTo(before - 2 * GI);
    assertThat(nodeSize(restarted, handle, target)).isEqualTo(3 * GI);
    server = CsiGrpcServer.start(restarted, socket);
    client = GrpcCsiDriver.builder(socket).callTimeout(Duration.ofSeconds(5)).build();
  }
}
