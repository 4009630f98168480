package io.volumekit.csi.hostpath;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.state.ObjectKey;
import io.volumekit.csi.client.CsiEndpoint;
import io.volumekit.csi.client.GrpcCsiDriver;
import io.volumekit.csi.client.server.CsiGrpcServer;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimBuilder;
import io.volumekit.model.core.PersistentVolumeClaimSpecBuilder;
import io.volumekit.model.core.ResourceRequirementsBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.model.storage.StorageClassBuilder;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine provisioning through the real stack: VolumeKit -> GrpcCsiDriver -> unix socket ->
 * CsiGrpcServer -> HostPathDriver. A claim of a Delete class gets a directory that goes away with
 * the claim; a Retain class keeps it.
 */
class EngineOverGrpcEndToEndTest {
  @TempDir
  Path tmp;

  private HostPathDriver hostpath;
  private CsiGrpcServer server;
  private GrpcCsiDriver client;
  private VolumeKit kit;

  @BeforeEach
  void start() throws Exception {
    hostpath = new HostPathDriver(HostPathConfig.of(tmp.resolve("data"), "node-1"));
    server = CsiGrpcServer.start(hostpath, CsiEndpoint.unix(tmp.resolve("csi.sock")));
    client = GrpcCsiDriver.connect(server.endpoint().toString());
    kit = VolumeKit.builder().deterministic(7).driver(HostPathDriver.DRIVER_NAME, client).node("node-1").build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
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
}
