package io.volumekit.core.binding;

import static io.volumekit.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.meta.ObjectReferenceBuilder;
import io.volumekit.model.quantity.Quantity;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The binder alone: each row builds a state, calls {@code reconcile(state, key)} once and compares
 * the {@link Decision} by equality. Where {@link BindingTableTest} checks the settled outcome of
 * all controllers together, a failing row here names the binder as the one at fault. Row ids are
 * those of docs/cases/binding.md.
 */
class BindingDecisionTest {

  private static final String SOURCE = "persistentvolume-controller";
  private static final String BOUND_BY = "pv.kubernetes.io/bound-by-controller";
  private static final String COMPLETED = "pv.kubernetes.io/bind-completed";

  private final BindingController binder = new BindingController(new IndexedVolumeMatcher(), Set.of(DRIVER));

  /** One row: the state, the key reconciled and the decision the binder must return. */
  record Row(String name, ClusterState state, ObjectKey key, Decision expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static ClusterState state(ApiObject... objects) {
    ClusterState s = ClusterState.empty();
    for (ApiObject o : objects) {
      s = s.put(o);
    }
    return s;
  }

  /** A claim with a uid, as the store would have given it. */
  static PersistentVolumeClaim claim(String name, String size, String cls) {
    PersistentVolumeClaim c = withClass(pvc(name, size), cls);
    return c.withMetadata(c.metadata().withUid(Optional.of("uid-" + name)));
  }

  static PersistentVolume phase(PersistentVolume pv, String phase) {
    return pv.withStatus(pv.status().withPhase(Optional.of(phase)));
  }

  static PersistentVolumeClaim phase(PersistentVolumeClaim c, String phase) {
    return c.withStatus(c.status().withPhase(Optional.of(phase)));
  }

  static ObjectReference ref(PersistentVolumeClaim c) {
    return ObjectReferenceBuilder.builder().kind(Optional.of("PersistentVolumeClaim")).apiVersion(Optional.of("v1"))
        .namespace(Optional.of(NS)).name(Optional.of(c.metadata().name())).uid(c.metadata().uid()).build();
  }

  static PersistentVolume claimedBy(PersistentVolume pv, PersistentVolumeClaim c) {
    return pv.withSpec(pv.spec().withClaimRef(Optional.of(ref(c))));
  }

  static PersistentVolume annotated(PersistentVolume pv, String key) {
    return pv.withMetadata(pv.metadata().withAnnotation(key, "yes"));
  }

  static PersistentVolumeClaim annotated(PersistentVolumeClaim c, String key) {
    return c.withMetadata(c.metadata().withAnnotation(key, "yes"));
  }

  /** The claim as bind leaves it: volumeName, Bound with the volume's modes and size. */
  static PersistentVolumeClaim boundTo(PersistentVolumeClaim c, String pv, String size) {
    PersistentVolumeClaim n = c.withSpec(c.spec().withVolumeName(Optional.of(pv)));
    return n.withStatus(n.status().withPhase(Optional.of("Bound")).withAccessModes(ImmutableList.of(RWO))
        .withCapacity(ImmutableMap.of("storage", Quantity.parse(size))));
  }

  static EventRecord normal(ObjectKey on, String reason, String message) {
    return EventRecord.normal(SOURCE, on, reason, message);
  }

  static EventRecord warning(ObjectKey on, String reason, String message) {
    return EventRecord.warning(SOURCE, on, reason, message);
  }

  static Stream<Row> rows() {
    PersistentVolumeClaim c1 = claim("c1", "1Gi", "");
    PersistentVolume pv1 = phase(pv("pv1", "1Gi"), "Available");
    PersistentVolumeClaim named = c1.withSpec(c1.spec().withVolumeName(Optional.of("pv1")));
    PersistentVolumeClaim bound = boundTo(annotated(annotated(c1, BOUND_BY), COMPLETED), "pv1", "1Gi");
    PersistentVolume boundPv = phase(annotated(claimedBy(pv("pv1", "1Gi"), c1), BOUND_BY), "Bound");
    PersistentVolumeClaim other = claim("other", "1Gi", "");
    return Stream.of(
        new Row("A2 (1-1) binds the available volume: PV first, then the claim", state(pv1, c1), pvcKey("c1"),
            Decision.builder()
                .update(phase(annotated(claimedBy(pv1, c1), BOUND_BY), "Bound"))
                .update(boundTo(annotated(annotated(c1, BOUND_BY), COMPLETED), "pv1", "1Gi"))
                .build()),
        new Row("A3 (dc-2) gives a class-less claim the default class", state(asDefault(sc("standard")), pvc("c1", "1Gi")),
            pvcKey("c1"),
            Decision.update(withClass(pvc("c1", "1Gi"), "standard"))),
        new Row("A4 (1-13) waits for the first consumer", state(wffc(sc("local", "kubernetes.io/no-provisioner")),
                withClass(pv1, "local"), claim("c1", "1Gi", "local")), pvcKey("c1"),
            Decision.builder()
                .event(normal(pvcKey("c1"), "WaitForFirstConsumer", "waiting for first consumer to be created before binding"))
                .update(phase(claim("c1", "1Gi", "local"), "Pending"))
                .build()),
        new Row("A5 (11-17) hands the claim to the CSI provisioner", state(sc("fast"), claim("c1", "1Gi", "fast")),
            pvcKey("c1"),
            Decision.builder()
                .update(claim("c1", "1Gi", "fast").withMetadata(claim("c1", "1Gi", "fast").metadata()
                    .withAnnotation("volume.kubernetes.io/storage-provisioner", DRIVER)
                    .withAnnotation("volume.beta.kubernetes.io/storage-provisioner", DRIVER)))
                .event(normal(pvcKey("c1"), "ExternalProvisioning", "Waiting for a volume to be created either by the"
                    + " external provisioner '" + DRIVER + "' or manually by the system administrator. If volume"
                    + " creation is delayed, please verify that the provisioner is running and correctly registered."))
                .build()),
        new Row("A5b (11-2) reports an in-tree provisioner it has no plugin for",
            state(sc("gold", "kubernetes.io/glusterfs"), claim("c1", "1Gi", "gold")), pvcKey("c1"),
            Decision.event(warning(pvcKey("c1"), "ProvisioningFailed", "no volume plugin matched name: kubernetes.io/glusterfs"))),
        new Row("A5c (14-5) reports a class that does not exist", state(claim("c1", "1Gi", "gold")), pvcKey("c1"),
            Decision.event(warning(pvcKey("c1"), "ProvisioningFailed", "storageclass.storage.k8s.io \"gold\" not found"))),
        new Row("A6 (1-2) reports FailedBinding when nothing fits and there is no class",
            state(pv1, claim("c1", "10Gi", "")), pvcKey("c1"),
            Decision.builder()
                .event(normal(pvcKey("c1"), "FailedBinding",
                    "no persistent volumes available for this claim and no storage class is set"))
                .update(phase(claim("c1", "10Gi", ""), "Pending"))
                .build()),
        new Row("B1 (2-1) keeps a claim naming a missing volume Pending", state(named), pvcKey("c1"),
            Decision.builder()
                .event(normal(pvcKey("c1"), "FailedBinding",
                    "volume \"pv1\" requested and not found, waiting for it to be created"))
                .update(phase(named, "Pending"))
                .build()),
        new Row("B2 (2-9) reports VolumeMismatch for a named volume too small",
            state(pv1, claim("c1", "2Gi", "").withSpec(claim("c1", "2Gi", "").spec().withVolumeName(Optional.of("pv1")))),
            pvcKey("c1"),
            Decision.builder()
                .event(warning(pvcKey("c1"), "VolumeMismatch", "Cannot bind to requested volume \"pv1\": requested PV is too small"))
                .update(phase(claim("c1", "2Gi", "").withSpec(claim("c1", "2Gi", "").spec().withVolumeName(Optional.of("pv1"))),
                    "Pending"))
                .build()),
        new Row("B3 (2-3) binds the free volume the claim names; only the PV gets bound-by-controller",
            state(pv1, named), pvcKey("c1"),
            Decision.builder()
                .update(phase(annotated(claimedBy(pv1, c1), BOUND_BY), "Bound"))
                .update(boundTo(annotated(named, COMPLETED), "pv1", "1Gi"))
                .build()),
        new Row("B5 (2-6) keeps a claim Pending whose volume is bound to another claim",
            state(phase(claimedBy(pv("pv1", "1Gi"), other), "Bound"), other, named), pvcKey("c1"),
            Decision.builder()
                .event(warning(pvcKey("c1"), "FailedBinding", "volume \"pv1\" already bound to a different claim."))
                .update(phase(named, "Pending"))
                .build()),
        new Row("C2 (3-2) marks a bound claim whose volume vanished Lost", state(bound), pvcKey("c1"),
            Decision.builder()
                .update(bound.withStatus(bound.status().withPhase(Optional.of("Lost")).withAccessModes(ImmutableList.of())
                    .withCapacity(ImmutableMap.of())))
                .event(warning(pvcKey("c1"), "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!"))
                .build()),
        new Row("C4 (3-5) does nothing for a claim and volume bound to each other", state(boundPv, phase(bound, "Bound")),
            pvcKey("c1"), Decision.none()),
        new Row("C5 (3-4) marks a claim whose volume points at another claim ClaimMisbound",
            state(phase(claimedBy(pv("pv1", "1Gi"), other), "Bound"), other, phase(bound, "Bound")), pvcKey("c1"),
            Decision.builder()
                .update(bound.withStatus(bound.status().withPhase(Optional.of("Lost")).withAccessModes(ImmutableList.of())
                    .withCapacity(ImmutableMap.of())))
                .event(warning(pvcKey("c1"), "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly"))
                .build()),
        new Row("V1 (4-1) makes a new free volume Available", state(pv("pv1", "1Gi")), pvKey("pv1"),
            Decision.update(phase(pv("pv1", "1Gi"), "Available"))),
        new Row("V5 (4-3) releases a volume whose claim is gone", state(boundPv), pvKey("pv1"),
            Decision.update(phase(boundPv, "Released"))),
        new Row("V10 (4-7) frees a controller-bound volume whose claim is bound elsewhere",
            state(boundPv, boundTo(annotated(annotated(c1, BOUND_BY), COMPLETED), "pv2", "1Gi")), pvKey("pv1"),
            Decision.update(phase(pv("pv1", "1Gi"), "Available"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void binderDecides(Row row) {
    assertThat(binder.reconcile(row.state(), row.key())).isEqualTo(row.expected());
  }
}
