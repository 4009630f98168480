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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge against fabric8's mock API server in CRUD mode (a real HTTP server keeping objects, with
 * watches): claims written to the API server are bound by volumekit, and what the engine created
 * appears there. Waits are fabric8's {@code waitUntilCondition} on the API server's objects.
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

  PersistentVolumeClaim awaitBound(String name) {
    return client.persistentVolumeClaims().inNamespace("default").withName(name).waitUntilCondition(
        c -> c != null && c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()), WAIT, TimeUnit.SECONDS);
  }

  @Test
  void aClaimCreatedOnTheApiServerIsBoundAndItsVolumeAppearsThere() {
    client.resource(claim("data")).create();

    PersistentVolumeClaim bound = awaitBound("data");

    String pvName = bound.getSpec().getVolumeName();
    assertThat(pvName).isNotBlank();
    PersistentVolume pv = client.persistentVolumes().withName(pvName)
        .waitUntilCondition(v -> v != null && v.getStatus() != null && "Bound".equals(v.getStatus().getPhase()),
            WAIT, TimeUnit.SECONDS);
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

    client.persistentVolumeClaims().inNamespace("default").withName("scratch")
        .waitUntilCondition(c -> c == null, WAIT, TimeUnit.SECONDS);
    // The mock server removes an object when its last finalizer goes without a watch event, so
    // waitUntilCondition cannot see the PV go: let the bridge finish what it was handed, then read.
    bridge.flush(Duration.ofSeconds(WAIT));
    assertThat(client.persistentVolumes().withName(pvName).get()).isNull();
    assertThat(kit.get(ObjectKey.cluster("PersistentVolume", pvName))).isEmpty();
  }

  @Test
  void aClaimTheEngineRefusesIsReportedAndLeftAlone() {
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
