package io.volumekit.core.populator;

import static io.volumekit.core.Fixtures.DRIVER;
import static io.volumekit.core.Fixtures.NS;
import static io.volumekit.core.Fixtures.eventTexts;
import static io.volumekit.core.Fixtures.pod;
import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.pvcKey;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.wffc;
import static io.volumekit.core.Fixtures.withClass;
import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.TypedObjectReference;
import io.volumekit.model.populator.SourceKind;
import io.volumekit.model.populator.VolumePopulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The populator machinery (lib-volume-populator's controller) with the in-memory driver and a
 * populator that records what it is asked: prime claim, populator pod, populate call with the
 * mounted volume, PV rebound to the user's claim, clean-up, and the events on the way.
 */
class PopulatorControllerTest {

  static final String GROUP = "hello.example.com";
  static final String POPULATED_FROM = GROUP + "/populated-from";
  static final String FINALIZER = GROUP + "/populate-target-protection";
  static final String POP_NS = "volumekit-populators";

  @TempDir
  Path work;

  /** Records the requests; fails the first {@code failures} calls with "Hello \"name\" not found". */
  static final class Recording implements Populator {
    final List<PopulateRequest> calls = new ArrayList<>();
    int failures;

    Recording(int failures) {
      this.failures = failures;
    }

    @Override
    public SourceKind sourceKind() {
      return new SourceKind(GROUP, "Hello");
    }

    @Override
    public void populate(PopulateRequest request) throws PopulateException {
      calls.add(request);
      if (failures > 0) {
        failures--;
        throw new PopulateException("Hello \"" + request.dataSource().name() + "\" not found");
      }
    }
  }

  VolumeKit kit(Populator populator) {
    return VolumeKit.builder()
        .driver(DRIVER, new InMemoryCsiDriver())
        .node("node-1")
        .kubeletRoot(work.resolve("kubelet"))
        .populator(populator)
        .deterministic(7)
        .build();
  }

  static PersistentVolumeClaim helloClaim(String name, String cls, String kind) {
    PersistentVolumeClaim c = withClass(pvc(name, "1Gi"), cls);
    return c.withSpec(c.spec().withDataSourceRef(Optional.of(
        new TypedObjectReference(Optional.of(GROUP), kind, "greeting", Optional.empty()))));
  }

  static PersistentVolumeClaim claim(VolumeKit kit, String namespace, String name) {
    return kit.get(PersistentVolumeClaim.class, namespace, name).orElseThrow(() -> new AssertionError("no claim " + name));
  }

  @Test
  void anImmediateClaimIsFilledThroughAPrimeClaimAndGetsItsVolume() {
    Recording hello = new Recording(0);
    VolumeKit kit = kit(hello);
    kit.apply(sc("fast"));
    kit.apply(helloClaim("data", "fast", "Hello"));
    kit.settle();

    PersistentVolumeClaim c = claim(kit, NS, "data");
    String uid = c.metadata().uid().orElseThrow();
    assertThat(c.phase()).isEqualTo("Bound");
    assertThat(c.metadata().finalizers()).doesNotContain(FINALIZER);
    PersistentVolume pv = kit.get(PersistentVolume.class, "", c.volumeName().orElseThrow()).orElseThrow();
    assertThat(pv.metadata().annotation(POPULATED_FROM)).contains("default/greeting");
    assertThat(pv.spec().claimRef().orElseThrow().uidOrEmpty()).isEqualTo(uid);
    assertThat(pv.phase()).isEqualTo("Bound");
    // The volume was provisioned for the prime claim, not for the user's claim.
    assertThat(pv.metadata().name()).isNotEqualTo("pvc-" + uid);
    // The populator was called once, with the volume as the populator pod had it mounted.
    assertThat(hello.calls).hasSize(1);
    PopulateRequest r = hello.calls.get(0);
    assertThat(r.claim()).isEqualTo(pvcKey("data"));
    assertThat(r.claimUid()).isEqualTo(uid);
    assertThat(r.prime()).isEqualTo(ObjectKey.namespaced(PersistentVolumeClaim.KIND, POP_NS, "prime-" + uid));
    assertThat(r.dataSource().name()).isEqualTo("greeting");
    assertThat(r.sourceNamespace()).isEqualTo(NS);
    assertThat(r.volumeName()).isEqualTo(pv.metadata().name());
    assertThat(r.driver()).isEqualTo(DRIVER);
    assertThat(r.block()).isFalse();
    assertThat(r.path().orElseThrow().toString()).startsWith(work.resolve("kubelet").toString())
        .endsWith("/volumes/kubernetes.io~csi/" + pv.metadata().name() + "/mount");
    // Clean-up: no prime claim, no populator pod left.
    assertThat(kit.get(PersistentVolumeClaim.class, POP_NS, "prime-" + uid)).isEmpty();
    assertThat(kit.get(Pod.class, POP_NS, "populate-" + uid)).isEmpty();
    assertThat(kit.list(PersistentVolume.class)).hasSize(1);
    assertThat(eventTexts(kit, pvcKey("data")))
        .contains("PopulatorCreated: Populator started", "PopulatorFinished: Populator finished",
            "Provisioning: Assuming an external populator will provision the volume")
        .doesNotContain("UnrecognizedDataSourceKind: The datasource for this PVC does not match any registered VolumePopulator");
    assertThat(kit.list(VolumePopulator.class)).extracting(p -> p.metadata().name() + " " + p.sourceKind())
        .containsExactly("hello-populator Hello.hello.example.com");
  }

  @Test
  void aWaitForFirstConsumerClaimWaitsForItsNodeThenIsFilledThere() {
    Recording hello = new Recording(0);
    VolumeKit kit = kit(hello);
    kit.apply(wffc(sc("local")));
    kit.apply(helloClaim("data", "local", "Hello"));
    kit.settle();
    assertThat(claim(kit, NS, "data").phase()).isEqualTo("Pending");
    assertThat(kit.list(PersistentVolumeClaim.class)).hasSize(1); // no prime claim before a node is chosen
    assertThat(hello.calls).isEmpty();

    kit.apply(pod("app", "", "data"));
    kit.settle();

    PersistentVolumeClaim c = claim(kit, NS, "data");
    assertThat(c.phase()).isEqualTo("Bound");
    assertThat(c.metadata().annotation(Annotations.SELECTED_NODE)).contains("node-1");
    assertThat(hello.calls).hasSize(1);
    assertThat(kit.get(Pod.class, NS, "app").orElseThrow().status().phase()).contains("Running");
    assertThat(kit.list(PersistentVolumeClaim.class)).hasSize(1);
    assertThat(kit.list(Pod.class)).hasSize(1);
  }

  @Test
  void aFailedPopulateIsReportedAndRetried() {
    Recording hello = new Recording(2);
    VolumeKit kit = kit(hello);
    kit.apply(sc("fast"));
    kit.apply(helloClaim("data", "fast", "Hello"));
    kit.settle();

    assertThat(hello.calls).hasSize(3);
    assertThat(claim(kit, NS, "data").phase()).isEqualTo("Bound");
    assertThat(eventTexts(kit, pvcKey("data"))).contains("PopulatorFailed: Populator failed: Hello \"greeting\" not found");
  }

  @Test
  void aClaimDeletedBeforeItIsFilledLeavesNothingBehind() {
    Recording hello = new Recording(Integer.MAX_VALUE);
    VolumeKit kit = kit(hello);
    kit.apply(sc("fast"));
    kit.apply(helloClaim("data", "fast", "Hello"));
    kit.settle();
    PersistentVolumeClaim c = claim(kit, NS, "data");
    assertThat(c.phase()).isEqualTo("Pending");
    assertThat(c.metadata().finalizers()).contains(FINALIZER);
    assertThat(kit.list(PersistentVolumeClaim.class)).hasSize(2);

    kit.delete(pvcKey("data"));
    kit.settle();

    assertThat(kit.list(PersistentVolumeClaim.class)).isEmpty();
    assertThat(kit.list(Pod.class)).isEmpty();
    assertThat(kit.list(PersistentVolume.class)).isEmpty();
  }

  @Test
  void aKindWithoutAPopulatorStillWaitsWithTheValidatorsWarning() {
    Recording hello = new Recording(0);
    VolumeKit kit = kit(hello);
    kit.apply(sc("fast"));
    kit.apply(helloClaim("data", "fast", "Goodbye"));
    kit.settle();

    assertThat(claim(kit, NS, "data").phase()).isEqualTo("Pending");
    assertThat(kit.list(PersistentVolumeClaim.class)).hasSize(1);
    assertThat(hello.calls).isEmpty();
    assertThat(eventTexts(kit, pvcKey("data"))).contains(
        "UnrecognizedDataSourceKind: The datasource for this PVC does not match any registered VolumePopulator");
  }

  @Test
  void aDataSourceInAnotherNamespaceNeedsTheGateAndAReferenceGrant() {
    Recording hello = new Recording(0);
    VolumeKit kit = VolumeKit.builder()
        .driver(DRIVER, new InMemoryCsiDriver())
        .node("node-1")
        .kubeletRoot(work.resolve("kubelet"))
        .populator(hello)
        .crossNamespaceVolumeDataSource(true)
        .deterministic(7)
        .build();
    kit.apply(sc("fast"));
    PersistentVolumeClaim c = helloClaim("data", "fast", "Hello");
    kit.apply(c.withMetadata(io.volumekit.model.meta.ObjectMeta.named("team-a", "data")).withSpec(c.spec().withDataSourceRef(
        Optional.of(new TypedObjectReference(Optional.of(GROUP), "Hello", "greeting", Optional.of(NS))))));
    kit.settle();
    ObjectKey key = ObjectKey.namespaced(PersistentVolumeClaim.KIND, "team-a", "data");
    assertThat(claim(kit, "team-a", "data").phase()).isEqualTo("Pending");
    assertThat(kit.list(PersistentVolumeClaim.class)).hasSize(1); // no prime claim
    assertThat(eventTexts(kit, key)).contains("ProvisioningFailed: failed to provision volume with StorageClass \"fast\":"
        + " accessing default/greeting of Hello dataSource from team-a/data isn't allowed");

    kit.apply(new io.volumekit.model.gateway.ReferenceGrant(io.volumekit.model.meta.ObjectMeta.named(NS, "hello-for-team-a"),
        new io.volumekit.model.gateway.ReferenceGrantSpec(
            com.google.common.collect.ImmutableList.of(
                new io.volumekit.model.gateway.ReferenceGrantFrom("", PersistentVolumeClaim.KIND, "team-a")),
            com.google.common.collect.ImmutableList.of(
                new io.volumekit.model.gateway.ReferenceGrantTo(GROUP, "Hello", Optional.empty())))));
    kit.settle();

    assertThat(claim(kit, "team-a", "data").phase()).isEqualTo("Bound");
    assertThat(hello.calls).extracting(PopulateRequest::sourceNamespace).containsExactly(NS);
  }

  @Test
  void aBlockClaimIsFilledThroughThePopulatorPodsDevice() {
    Recording hello = new Recording(0);
    VolumeKit kit = kit(hello);
    kit.apply(sc("fast"));
    PersistentVolumeClaim c = helloClaim("raw", "fast", "Hello");
    kit.apply(c.withSpec(c.spec().withVolumeMode(Optional.of("Block"))));
    kit.settle();

    PersistentVolumeClaim bound = claim(kit, NS, "raw");
    assertThat(bound.phase()).isEqualTo("Bound");
    assertThat(hello.calls).hasSize(1);
    PopulateRequest r = hello.calls.get(0);
    assertThat(r.block()).isTrue();
    assertThat(r.volumeName()).isEqualTo(bound.volumeName().orElseThrow());
    assertThat(r.path().orElseThrow().toString()).startsWith(work.resolve("kubelet").toString())
        .contains(r.volumeName());
    assertThat(kit.get(PersistentVolume.class, "", r.volumeName()).orElseThrow().spec().effectiveVolumeMode()).isEqualTo("Block");
  }
}
