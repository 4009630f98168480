package io.volumekit.core.provisioning;

import static io.volumekit.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.CapacityRange;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.Volume;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.effect.CreateVolume;
import io.volumekit.core.effect.DeleteVolume;
import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.CSIPersistentVolumeSourceBuilder;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeBuilder;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeSpecBuilder;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectMetaBuilder;
import io.volumekit.model.meta.ObjectReferenceBuilder;
import io.volumekit.model.meta.LabelSelector;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.storage.StorageClass;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CSI provisioner alone: each row builds a state (objects and operations), calls {@code
 * reconcile(state, key)} once and compares the {@link Decision} by equality, so a failing row
 * names the provisioner as the one at fault ({@link ProvisioningTableTest} checks the settled
 * outcome of all controllers). Row ids are those of docs/cases/provisioning.md.
 */
class ProvisioningDecisionTest {

  private static final long GI = 1L << 30;
  private static final ObjectKey C1 = pvcKey("c1");
  private static final EffectId OP = EffectId.of("provision-default/c1");

  private final ProvisioningController provisioner = new ProvisioningController(Set.of(DRIVER));

  /** One row: the state, the key reconciled and the decision the provisioner must return. */
  record Row(String name, ClusterState state, ObjectKey key, Decision expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static ClusterState state(List<Operation> operations, ApiObject... objects) {
    ClusterState s = ClusterState.empty();
    for (ApiObject o : objects) {
      s = s.put(o);
    }
    for (Operation o : operations) {
      s = s.withOperation(o);
    }
    return s;
  }

  static ClusterState state(ApiObject... objects) {
    return state(List.of(), objects);
  }

  /** A claim of class fast with a uid, handed to the driver by the binder (unless {@code handed} is false). */
  static PersistentVolumeClaim claim(String cls, boolean handed) {
    PersistentVolumeClaim c = withClass(pvc("c1", "1Gi"), cls);
    var meta = c.metadata().withUid(Optional.of("u1"));
    if (handed) {
      meta = meta.withAnnotation("volume.kubernetes.io/storage-provisioner", DRIVER)
          .withAnnotation("volume.beta.kubernetes.io/storage-provisioner", DRIVER);
    }
    return c.withMetadata(meta);
  }

  static PersistentVolumeClaim claim() {
    return claim("fast", true);
  }

  static CreateVolume create(String fsType, ImmutableMap<String, String> parameters) {
    return new CreateVolume(OP, C1, "provisioning", DRIVER, new CreateVolumeRequest("pvc-u1",
        Optional.of(CapacityRange.atLeast(GI)),
        ImmutableList.of(VolumeCapability.mount(fsType, List.of(), AccessMode.SINGLE_NODE_WRITER)),
        parameters, Secrets.none(), Optional.empty(), Optional.empty(), ImmutableMap.of()));
  }

  static CreateVolume create() {
    return create("", ImmutableMap.of());
  }

  static EventRecord event(String type, String reason, String message) {
    return type.equals("Normal") ? EventRecord.normal(DRIVER, C1, reason, message)
        : EventRecord.warning(DRIVER, C1, reason, message);
  }

  static final String PREFIX = "failed to provision volume with StorageClass \"fast\": ";

  /** The PV the provisioner stores for volume vol-1 of c1 (class fast: Delete, no secrets). */
  static PersistentVolume provisionedPv() {
    return PersistentVolumeBuilder.builder()
        .metadata(ObjectMetaBuilder.builder().name("pvc-u1")
            .annotations(ImmutableMap.of("pv.kubernetes.io/provisioned-by", DRIVER,
                "volume.kubernetes.io/provisioner-deletion-secret-name", "",
                "volume.kubernetes.io/provisioner-deletion-secret-namespace", ""))
            .finalizers(ImmutableList.of("external-provisioner.volume.kubernetes.io/finalizer"))
            .build())
        .spec(PersistentVolumeSpecBuilder.builder()
            .capacity(ImmutableMap.of("storage", Quantity.parse("1Gi")))
            .accessModes(ImmutableList.of(RWO))
            .claimRef(Optional.of(ObjectReferenceBuilder.builder().kind(Optional.of("PersistentVolumeClaim"))
                .apiVersion(Optional.of("v1")).namespace(Optional.of(NS)).name(Optional.of("c1")).uid(Optional.of("u1"))
                .build()))
            .persistentVolumeReclaimPolicy(Optional.of("Delete"))
            .storageClassName("fast")
            .csi(Optional.of(CSIPersistentVolumeSourceBuilder.builder().driver(DRIVER).volumeHandle("vol-1")
                .volumeAttributes(ImmutableMap.of("storage.kubernetes.io/csiProvisionerIdentity", "volumekit-" + DRIVER))
                .build()))
            .build())
        .build();
  }

  static Stream<Row> rows() {
    CreateVolumeResponse made = new CreateVolumeResponse(new Volume(GI, "vol-1", ImmutableMap.of(), Optional.empty(),
        ImmutableList.of()));
    EffectFailure unavailable = new EffectFailure(CsiCode.UNAVAILABLE, "try later");
    Operation succeeded = Operation.started(create(), 1).succeeded(made);
    Operation failed = Operation.started(create(), 1).failed(unavailable, Instant.EPOCH);
    StorageClass fastXfs = sc("fast").withParameters(ImmutableMap.of("csi.storage.k8s.io/fstype", "xfs", "tier", "gold"));
    PersistentVolumeClaim selector = claim().withSpec(claim().spec()
        .withSelector(Optional.of(LabelSelector.of(ImmutableMap.of("tier", "gold")))));
    StorageClass withSecret = sc("fast").withParameters(ImmutableMap.of(
        "csi.storage.k8s.io/provisioner-secret-name", "creds",
        "csi.storage.k8s.io/provisioner-secret-namespace", NS));
    return Stream.of(
        new Row("11-1a issues CreateVolume named pvc-<uid> and says so", state(sc("fast"), claim()), C1,
            Decision.builder()
                .event(event("Normal", "Provisioning", "External provisioner is provisioning volume for claim \"default/c1\""))
                .effect(create())
                .build()),
        new Row("11-1b stores the PV once CreateVolume succeeded", state(List.of(succeeded), sc("fast"), claim()), C1,
            Decision.builder()
                .forget(OP)
                .create(provisionedPv())
                .event(event("Normal", "ProvisioningSucceeded", "Successfully provisioned volume pvc-u1"))
                .build()),
        new Row("11-7 does not provision again when the PV already exists", state(sc("fast"), claim(), provisionedPv()), C1,
            Decision.none()),
        new Row("11-14 does nothing for a class that does not exist", state(claim()), C1, Decision.none()),
        new Row("11-15 does nothing for class \"\"", state(claim("", true)), C1, Decision.none()),
        new Row("hand-1 waits until the binder hands the claim over", state(sc("fast"), claim("fast", false)), C1,
            Decision.none()),
        new Row("wffc-1 waits for a selected node under WaitForFirstConsumer", state(wffc(sc("fast")), claim()), C1,
            Decision.none()),
        new Row("pm-1 strips csi.storage.k8s.io parameters and sends the fsType", state(fastXfs, claim()), C1,
            Decision.builder()
                .event(event("Normal", "Provisioning", "External provisioner is provisioning volume for claim \"default/c1\""))
                .effect(create("xfs", ImmutableMap.of("tier", "gold")))
                .build()),
        new Row("sel-1 refuses a claim with a selector", state(sc("fast"), selector), C1,
            Decision.event(event("Warning", "ProvisioningFailed", PREFIX + "claim Selector is not supported"))),
        new Row("sec-2 reports a provisioner secret that does not exist", state(withSecret, claim()), C1,
            Decision.event(event("Warning", "ProvisioningFailed",
                PREFIX + "failed to get secret default/creds: secrets \"creds\" not found"))),
        new Row("err-1 reports a failed CreateVolume once and retries the same request", state(List.of(failed), sc("fast"), claim()),
            C1,
            Decision.builder()
                .acknowledge(OP)
                .event(event("Warning", "ProvisioningFailed", PREFIX + "rpc error: code = Unavailable desc = try later"))
                .effect(create())
                .build()),
        new Row("err-4 deletes a volume made for a claim that vanished", state(List.of(succeeded), sc("fast")), C1,
            Decision.builder()
                .effect(new DeleteVolume(EffectId.of("provision-cleanup-default/c1"), C1, "provisioning", DRIVER,
                    new DeleteVolumeRequest("vol-1", Secrets.none())))
                .build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void provisionerDecides(Row row) {
    assertThat(provisioner.reconcile(row.state(), row.key())).isEqualTo(row.expected());
  }
}
