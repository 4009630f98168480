package io.volumekit.fabric8.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesClientBuilderCustomizer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.key.ObjectKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge against fabric8's mock API server in CRUD mode (a real HTTP server keeping objects, with
 * watches): claims written to the API server are bound by volumekit, and what the engine created
 * appears there. Waits poll the API server's objects with a deadline (see {@link #await}).
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = Fabric8BridgeTest.PatientClient.class)
class Fabric8BridgeTest {
  static final String DRIVER = "memory.csi.volumekit.io";
  /** Generous: a bound on a hung test, not a speed requirement (the machine may be shared and loaded). */
  static final long WAIT = 120;

  /** The mock's client, with connection and request timeouts fit for a loaded machine. */
  public static final class PatientClient extends KubernetesClientBuilderCustomizer {
    @Override
    public void accept(KubernetesClientBuilder builder) {
      super.accept(builder);
      builder.editOrNewConfig().withConnectionTimeout(120_000).withRequestTimeout(120_000).endConfig();
    }
  }

  KubernetesMockServer server;
  KubernetesClient client;
  VolumeKit kit;
  Fabric8Bridge bridge;

  @BeforeEach
  void start() {
    kit = VolumeKit.builder().driver(DRIVER, new InMemoryCsiDriver()).node("node-1").build();
    // The kinds this test needs: fewer watches on the shared two-core machine.
    bridge = Fabric8Bridge.builder(client, kit)
        .kinds("StorageClass", "PersistentVolumeClaim", "PersistentVolume", "Node", "CSINode", "Event")
        .tick(Duration.ofMillis(200))
        .build();
    bridge.start();
    client.resource(new StorageClassBuilder().withNewMetadata().withName("fast").endMetadata()
        .withProvisioner(DRIVER).withReclaimPolicy("Delete").withVolumeBindingMode("Immediate").build()).create();
  }

  @AfterEach
  void stop() {
    bridge.close();
  }

  static PersistentVolumeClaim claim(String name) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).withNamespace("default").addToAnnotations("team", "storage").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("fast")
        .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
        .build();
  }

  PersistentVolumeClaim awaitBound(String name) throws Exception {
    return await("claim " + name + " Bound", () -> client.persistentVolumeClaims().inNamespace("default").withName(name).get(),
        c -> c != null && c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()));
  }

  /**
   * Reads the API server until {@code done} holds for what it returns, letting the bridge finish
   * its work between reads. Not fabric8's {@code waitUntilCondition}: the mock server keeps no
   * event history, so a watch opened just after the bridge's write (between the wait's initial
   * list and its watch) never hears of it, and the wait would hang on the listed version.
   */
  <T> T await(String what, Supplier<T> read, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
    for (T seen = read.get(); ; seen = read.get()) {
      if (done.test(seen)) {
        return seen;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not reached within " + WAIT + " s: " + what);
      }
      bridge.flush(Duration.ofSeconds(WAIT));
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // a polling interval, not a timing assumption
    }
  }

  @Test
  void aClaimCreatedOnTheApiServerIsBoundAndItsVolumeAppearsThere() throws Exception {
    client.resource(claim("data")).create();

    PersistentVolumeClaim bound = awaitBound("data");

    String pvName = bound.getSpec().getVolumeName();
    assertThat(pvName).isNotBlank();
    PersistentVolume pv = await("volume " + pvName + " Bound", () -> client.persistentVolumes().withName(pvName).get(),
        v -> v != null && v.getStatus() != null && "Bound".equals(v.getStatus().getPhase()));
    assertThat(pv.getSpec().getCsi().getDriver()).isEqualTo(DRIVER);
    assertThat(pv.getSpec().getCapacity().get("storage")).isEqualTo(new Quantity("1Gi"));
    // The claimRef names the API server's claim, by the API server's uid (not the engine's).
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("data");
    assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(bound.getMetadata().getUid());
    // What the engine added is on the API server too; the user's fields are kept.
    assertThat(bound.getMetadata().getFinalizers()).contains("kubernetes.io/pvc-protection");
    assertThat(bound.getMetadata().getAnnotations()).containsEntry("team", "storage")
        .containsEntry("pv.kubernetes.io/bind-completed", "yes");
    assertThat(bound.getStatus().getCapacity().get("storage")).isEqualTo(new Quantity("1Gi"));
    // The engine's own objects and events were written out.
    assertThat(client.nodes().withName("node-1").get()).isNotNull();
    assertThat(client.storage().v1().csiNodes().withName("node-1").get()).isNotNull();
    assertThat(client.v1().events().inNamespace("default").list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("ProvisioningSucceeded"));
    assertThat(bridge.refusals()).isEmpty();
  }

  @Test
  void deletingTheClaimOnTheApiServerDeletesItsVolumeThere() throws Exception {
    client.resource(claim("scratch")).create();
    String pvName = awaitBound("scratch").getSpec().getVolumeName();

    client.persistentVolumeClaims().inNamespace("default").withName("scratch").delete();

    await("claim scratch gone", () -> client.persistentVolumeClaims().inNamespace("default").withName("scratch").get(),
        Objects::isNull);
    await("volume " + pvName + " gone", () -> client.persistentVolumes().withName(pvName).get(), Objects::isNull);
    assertThat(kit.get(ObjectKey.cluster("PersistentVolume", pvName))).isEmpty();
  }

  @Test
  void aClaimTheEngineRefusesIsReportedAndLeftAlone() throws Exception {
    client.resource(new PersistentVolumeClaimBuilder(claim("bad")).editSpec().withAccessModes(List.of()).endSpec()
        .build()).create();
    client.resource(claim("good")).create();

    awaitBound("good"); // informer events are handled in order: "bad" was seen first

    assertThat(bridge.refusals()).containsKey(ObjectKey.namespaced("PersistentVolumeClaim", "default", "bad"));
    assertThat(bridge.refusals().get(ObjectKey.namespaced("PersistentVolumeClaim", "default", "bad")))
        .contains("spec.accessModes");
    assertThat(client.persistentVolumeClaims().inNamespace("default").withName("bad").get().getStatus()).isNull();
  }
}
