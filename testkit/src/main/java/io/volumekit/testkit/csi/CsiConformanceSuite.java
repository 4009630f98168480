package io.volumekit.testkit.csi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.CapacityRange;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.ControllerExpandVolumeRequest;
import io.volumekit.core.csi.ControllerGetVolumeRequest;
import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerPublishVolumeResponse;
import io.volumekit.core.csi.ControllerUnpublishVolumeRequest;
import io.volumekit.core.csi.CreateSnapshotRequest;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.DeleteSnapshotRequest;
import io.volumekit.core.csi.DeleteVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.GetCapacityRequest;
import io.volumekit.core.csi.GetPluginInfoResponse;
import io.volumekit.core.csi.GetVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.GroupControllerCapability;
import io.volumekit.core.csi.ListSnapshotsRequest;
import io.volumekit.core.csi.ListSnapshotsResponse;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.csi.ListVolumesResponse;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.csi.NodeExpandVolumeRequest;
import io.volumekit.core.csi.NodeGetInfoResponse;
import io.volumekit.core.csi.NodeGetVolumeStatsRequest;
import io.volumekit.core.csi.NodeGetVolumeStatsResponse;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnpublishVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import io.volumekit.core.csi.PluginCapability;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.Snapshot;
import io.volumekit.core.csi.ValidateVolumeCapabilitiesRequest;
import io.volumekit.core.csi.Volume;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.csi.VolumeContentSource;
import io.volumekit.core.csi.VolumeGroupSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSI conformance suite: the rules of the CSI spec (required fields, idempotency, error codes,
 * lifecycle order, paging) as JUnit 5 tests, to run against any {@link CsiDriver}.
 *
 * <p>Written for volumekit from the spec (container-storage-interface/spec spec.md, and the
 * csi-sanity inventory); tests of optional
 * RPCs are skipped (JUnit assumptions) when the driver does not advertise the capability.
 * Extend it, give it a fresh driver per test, and run it with JUnit:
 *
 * <pre>{@code
 * class MyDriverConformanceTest extends CsiConformanceSuite {
 *   protected CsiDriver createDriver(Path workDir) { return new MyDriver(workDir); }
 * }
 * }</pre>
 *
 * <p>Node tests use staging and target paths under a temporary directory: the staging directory
 * is created by the suite (the CO's job), the target's parent too; the target itself is left to
 * the driver, as the spec says.
 */
public abstract class CsiConformanceSuite {

  /** One GiB. */
  protected static final long GIB = 1L << 30;

  private static final Pattern DRIVER_NAME =
      Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$");

  @TempDir
  Path workDir;

  /** The driver under test, fresh for each test. */
  protected CsiDriver driver;

  private final AtomicInteger names = new AtomicInteger();

  /** A fresh driver for one test; {@code workDir} is a fresh empty temporary directory. */
  protected abstract CsiDriver createDriver(Path workDir) throws Exception;

  /** Releases a driver made by {@link #createDriver}; by default closes it if it is closeable. */
  protected void closeDriver(CsiDriver driver) throws Exception {
    if (driver instanceof AutoCloseable c) {
      c.close();
    }
  }

  /** The capability volumes are created and published with; a mount capability by default. */
  protected VolumeCapability capability() {
    return VolumeCapability.mount("", AccessMode.SINGLE_NODE_WRITER);
  }

  /**
   * Whether NodePublish creates something at the target path (true for real drivers); the
   * in-memory driver only records the publication.
   */
  protected boolean publishesOnFilesystem() {
    return true;
  }

  /**
   * Whether the driver supports Kubernetes' CSI inline ephemeral volumes (NodePublish without
   * CreateVolume, docs/cases/node-side.md row E4). Not part of the CSI spec; off by default.
   */
  protected boolean supportsInlineEphemeral() {
    return false;
  }

  /**
   * Mutable parameters the driver accepts (CreateVolume's {@code mutable_parameters},
   * ControllerModifyVolume); the ModifyVolume tests run only for a driver with MODIFY_VOLUME that
   * names some here. None by default.
   */
  protected java.util.Map<String, String> supportedMutableParameters() {
    return java.util.Map.of();
  }

  @BeforeEach
  void startDriver() throws Exception {
    Files.createDirectories(workDir.resolve("driver"));
    driver = createDriver(workDir.resolve("driver"));
  }

  @AfterEach
  void stopDriver() throws Exception {
    if (driver != null) {
      closeDriver(driver);
    }
  }

  // ------------------------------------------------------------------ helpers

  /** A name unique within this test. */
  protected String uniqueName(String prefix) {
    return prefix + "-" + getClass().getSimpleName().toLowerCase() + "-" + names.incrementAndGet();
  }

  /** Asserts that {@code call} fails with {@code code}; returns the exception. */
  protected static CsiException assertCode(CsiCode code, ThrowingCallable call) {
    CsiException e = catchThrowableOfType(CsiException.class, call);
    assertThat(e).as("expected CsiException with code %s", code).isNotNull();
    assertThat(e.code()).as("code of: %s", e.getMessage()).isEqualTo(code);
    return e;
  }

  /** Creates a volume of 1 GiB with {@link #capability()}. */
  protected Volume newVolume() {
    return driver.createVolume(CreateVolumeRequest.of(uniqueName("vol"), GIB, capability())).volume();
  }

  protected boolean hasController(ControllerCapability c) {
    return driver.controllerGetCapabilities().has(c);
  }

  protected boolean hasNode(NodeCapability c) {
    return driver.nodeGetCapabilities().has(c);
  }

  protected void assumeController(ControllerCapability c) {
    assumeTrue(hasController(c), "driver lacks controller capability " + c);
  }

  protected void assumeNode(NodeCapability c) {
    assumeTrue(hasNode(c), "driver lacks node capability " + c);
  }

  /** A staging directory the CO has created (CSI spec: the CO creates it). */
  protected String stagingPath(String name) throws IOException {
    Path p = workDir.resolve("staging").resolve(name);
    Files.createDirectories(p);
    return p.toString();
  }

  /** A target path whose parent exists (CSI spec: the driver creates the target itself). */
  protected String targetPath(String name) throws IOException {
    Path parent = workDir.resolve("pods").resolve(name);
    Files.createDirectories(parent);
    return parent.resolve("mount").toString();
  }

  private String nodeId() {
    return driver.nodeGetInfo().nodeId();
  }

  /** The state reached by bringing a volume up to NodePublish on this driver's node. */
  protected record Published(Volume volume, Map<String, String> publishContext, String staging, String target) {}

  /** Runs ControllerPublish (if supported), NodeStage (if supported) and NodePublish. */
  protected Published publish(Volume v, boolean readonly) throws IOException {
    Map<String, String> ctx = Map.of();
    if (hasController(ControllerCapability.PUBLISH_UNPUBLISH_VOLUME)) {
      ctx = driver.controllerPublishVolume(new ControllerPublishVolumeRequest(v.volumeId(), nodeId(),
          Optional.of(capability()), false, Secrets.none(), v.volumeContext())).publishContext();
    }
    String staging = "";
    if (hasNode(NodeCapability.STAGE_UNSTAGE_VOLUME)) {
      staging = stagingPath(v.volumeId());
      driver.nodeStageVolume(new NodeStageVolumeRequest(v.volumeId(), toImmutable(ctx), staging,
          Optional.of(capability()), Secrets.none(), v.volumeContext()));
    }
    String target = targetPath(v.volumeId());
    driver.nodePublishVolume(new NodePublishVolumeRequest(v.volumeId(), toImmutable(ctx), staging, target,
        Optional.of(capability()), readonly, Secrets.none(), v.volumeContext()));
    return new Published(v, ctx, staging, target);
  }

  /** Undoes {@link #publish}: NodeUnpublish, NodeUnstage, ControllerUnpublish. */
  protected void unpublish(Published p) {
    driver.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(p.volume().volumeId(), p.target()));
    if (!p.staging().isEmpty()) {
      driver.nodeUnstageVolume(new NodeUnstageVolumeRequest(p.volume().volumeId(), p.staging()));
    }
    if (hasController(ControllerCapability.PUBLISH_UNPUBLISH_VOLUME)) {
      driver.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(p.volume().volumeId(), nodeId()));
    }
  }

  private static com.google.common.collect.ImmutableMap<String, String> toImmutable(Map<String, String> m) {
    return com.google.common.collect.ImmutableMap.copyOf(m);
  }

  private List<String> listAllVolumeIds(int pageSize) {
    List<String> ids = new ArrayList<>();
    String token = "";
    do {
      ListVolumesResponse page = driver.listVolumes(new ListVolumesRequest(pageSize, token));
      if (pageSize > 0) {
        assertThat(page.entries()).hasSizeLessThanOrEqualTo(pageSize);
      }
      page.entries().forEach(e -> ids.add(e.volume().volumeId()));
      token = page.nextToken();
    } while (!token.isEmpty());
    return ids;
  }

  // ------------------------------------------------------------------ Identity

  /** Identity service rules (CSI spec, "Identity Service RPC"). */
  @Nested
  class Identity {
    @Test
    void pluginInfoHasDnsLikeNameAndVersion() {
      GetPluginInfoResponse info = driver.getPluginInfo();
      assertThat(info.name()).hasSizeLessThanOrEqualTo(63).matches(DRIVER_NAME);
      assertThat(info.vendorVersion()).isNotEmpty();
    }

    @Test
    void probeAnswers() {
      assertThatCode(driver::probe).doesNotThrowAnyException();
    }

    @Test
    void controllerCapabilitiesOnlyWithControllerService() {
      boolean controller = driver.getPluginCapabilities().has(PluginCapability.CONTROLLER_SERVICE);
      if (!controller) {
        assertThat(driver.controllerGetCapabilities().capabilities()).isEmpty();
      }
    }

    @Test
    void listVolumesPublishedNodesRequiresPublishUnpublish() {
      if (hasController(ControllerCapability.LIST_VOLUMES_PUBLISHED_NODES)) {
        assertThat(hasController(ControllerCapability.PUBLISH_UNPUBLISH_VOLUME)).isTrue();
      }
    }
  }

  // ------------------------------------------------------------------ CreateVolume / DeleteVolume

  /** CreateVolume and DeleteVolume rules. */
  @Nested
  class CreateAndDelete {
    @BeforeEach
    void requireCapability() {
      assumeController(ControllerCapability.CREATE_DELETE_VOLUME);
    }

    @Test
    void createVolumeWithoutNameIsInvalidArgument() {
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.createVolume(CreateVolumeRequest.of("", GIB, capability())));
    }

    @Test
    void createVolumeWithoutCapabilitiesIsInvalidArgument() {
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.createVolume(
          CreateVolumeRequest.of(uniqueName("vol"), GIB, capability()).withVolumeCapabilities(List.of())));
    }

    @Test
    void createVolumeWithoutAccessModeIsInvalidArgument() {
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.createVolume(
          CreateVolumeRequest.of(uniqueName("vol"), GIB, VolumeCapability.mount("", AccessMode.UNKNOWN))));
    }

    @Test
    void createVolumeReturnsIdAndAtLeastTheRequiredCapacity() {
      Volume v = newVolume();
      assertThat(v.volumeId()).isNotEmpty();
      assertThat(v.capacityBytes()).satisfiesAnyOf(c -> assertThat(c).isZero(), c -> assertThat(c).isGreaterThanOrEqualTo(GIB));
    }

    @Test
    void createVolumeWithoutCapacityRangeSucceeds() {
      Volume v = driver.createVolume(CreateVolumeRequest.of(uniqueName("vol"), 0, capability())).volume();
      assertThat(v.volumeId()).isNotEmpty();
    }

    @Test
    void createVolumeIsIdempotentByName() {
      CreateVolumeRequest r = CreateVolumeRequest.of(uniqueName("vol"), GIB, capability());
      Volume first = driver.createVolume(r).volume();
      Volume second = driver.createVolume(r).volume();
      assertThat(second).isEqualTo(first);
      assertThat(listAllVolumeIds(0)).containsOnlyOnce(first.volumeId());
    }

    @Test
    void createVolumeWithSameNameAndIncompatibleCapacityIsAlreadyExists() {
      String name = uniqueName("vol");
      driver.createVolume(CreateVolumeRequest.of(name, GIB, capability())
          .withCapacityRange(Optional.of(CapacityRange.exactly(GIB))));
      assertCode(CsiCode.ALREADY_EXISTS, () -> driver.createVolume(CreateVolumeRequest.of(name, 2 * GIB, capability())
          .withCapacityRange(Optional.of(CapacityRange.exactly(2 * GIB)))));
    }

    @Test
    void createVolumeWithSameNameAndOtherParametersIsAlreadyExists() {
      String name = uniqueName("vol");
      driver.createVolume(CreateVolumeRequest.of(name, GIB, capability()).withParameters(Map.of("tier", "gold")));
      assertCode(CsiCode.ALREADY_EXISTS, () -> driver.createVolume(
          CreateVolumeRequest.of(name, GIB, capability()).withParameters(Map.of("tier", "bronze"))));
    }

    @Test
    void createVolumeWithInvalidRangeIsOutOfRange() {
      assertCode(CsiCode.OUT_OF_RANGE, () -> driver.createVolume(CreateVolumeRequest.of(uniqueName("vol"), GIB, capability())
          .withCapacityRange(Optional.of(new CapacityRange(2 * GIB, GIB)))));
    }

    @Test
    void createVolumeWithMaximumLengthNameSucceeds() {
      String name = "v" + "x".repeat(126);
      Volume v = driver.createVolume(CreateVolumeRequest.of(name, GIB, capability())).volume();
      assertThat(driver.createVolume(CreateVolumeRequest.of(name, GIB, capability())).volume()).isEqualTo(v);
    }

    @Test
    void deleteVolumeWithoutIdIsInvalidArgument() {
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.deleteVolume(DeleteVolumeRequest.of("")));
    }

    @Test
    void deleteUnknownVolumeSucceeds() {
      assertThatCode(() -> driver.deleteVolume(DeleteVolumeRequest.of("no-such-volume"))).doesNotThrowAnyException();
    }

    @Test
    void deleteVolumeIsIdempotent() {
      Volume v = newVolume();
      driver.deleteVolume(DeleteVolumeRequest.of(v.volumeId()));
      driver.deleteVolume(DeleteVolumeRequest.of(v.volumeId()));
      if (hasController(ControllerCapability.LIST_VOLUMES)) {
        assertThat(listAllVolumeIds(0)).doesNotContain(v.volumeId());
      }
    }

    @Test
    void nameCanBeReusedAfterDelete() {
      CreateVolumeRequest r = CreateVolumeRequest.of(uniqueName("vol"), GIB, capability());
      Volume first = driver.createVolume(r).volume();
      driver.deleteVolume(DeleteVolumeRequest.of(first.volumeId()));
      Volume again = driver.createVolume(r).volume();
      assertThat(again.volumeId()).isNotEmpty();
    }

    @Test
    void createVolumeFromMissingSnapshotIsNotFound() {
      assumeController(ControllerCapability.CREATE_DELETE_SNAPSHOT);
      assertCode(CsiCode.NOT_FOUND, () -> driver.createVolume(CreateVolumeRequest.of(uniqueName("vol"), GIB, capability())
          .withContentSource(VolumeContentSource.snapshot("no-such-snapshot"))));
    }

    @Test
    void createVolumeFromSnapshotSucceeds() {
      assumeController(ControllerCapability.CREATE_DELETE_SNAPSHOT);
      Volume source = newVolume();
      Snapshot snap = driver.createSnapshot(CreateSnapshotRequest.of(source.volumeId(), uniqueName("snap"))).snapshot();
      Volume restored = driver.createVolume(CreateVolumeRequest.of(uniqueName("vol"), GIB, capability())
          .withContentSource(VolumeContentSource.snapshot(snap.snapshotId()))).volume();
      assertThat(restored.contentSource()).contains(VolumeContentSource.snapshot(snap.snapshotId()));
      assertThat(restored.volumeId()).isNotEqualTo(source.volumeId());
    }

    @Test
    void createVolumeFromMissingVolumeIsNotFound() {
      assumeController(ControllerCapability.CLONE_VOLUME);
      assertCode(CsiCode.NOT_FOUND, () -> driver.createVolume(CreateVolumeRequest.of(uniqueName("vol"), GIB, capability())
          .withContentSource(VolumeContentSource.volume("no-such-volume"))));
    }

    @Test
    void cloneVolumeSucceeds() {
      assumeController(ControllerCapability.CLONE_VOLUME);
      Volume source = newVolume();
      Volume clone = driver.createVolume(CreateVolumeRequest.of(uniqueName("vol"), GIB, capability())
          .withContentSource(VolumeContentSource.volume(source.volumeId()))).volume();
      assertThat(clone.contentSource()).contains(VolumeContentSource.volume(source.volumeId()));
    }
  }

  // ------------------------------------------------------------------ ValidateVolumeCapabilities

  /** ValidateVolumeCapabilities rules. */
  @Nested
  class Validate {
    @BeforeEach
    void requireCapability() {
      assumeController(ControllerCapability.CREATE_DELETE_VOLUME);
    }

    @Test
    void withoutVolumeIdIsInvalidArgument() {
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.validateVolumeCapabilities(
          ValidateVolumeCapabilitiesRequest.of("", List.of(capability()))));
    }

    @Test
    void withoutCapabilitiesIsInvalidArgument() {
      Volume v = newVolume();
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.validateVolumeCapabilities(
          ValidateVolumeCapabilitiesRequest.of(v.volumeId(), List.of())));
    }

    @Test
    void unknownVolumeIsNotFound() {
      assertCode(CsiCode.NOT_FOUND, () -> driver.validateVolumeCapabilities(
          ValidateVolumeCapabilitiesRequest.of("no-such-volume", List.of(capability()))));
    }

    @Test
    void confirmsTheCapabilityTheVolumeWasCreatedWith() {
      Volume v = newVolume();
      var r = driver.validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.of(v.volumeId(), List.of(capability())));
      assertThat(r.confirmed()).isPresent();
      assertThat(r.confirmed().get().volumeCapabilities()).containsExactly(capability());
    }
  }

  // ------------------------------------------------------------------ ListVolumes / GetCapacity

  /** ListVolumes paging and GetCapacity. */
  @Nested
  class Listing {
    @Test
    void listsCreatedVolumesAndNotDeletedOnes() {
      assumeController(ControllerCapability.LIST_VOLUMES);
      Volume a = newVolume();
      Volume b = newVolume();
      driver.deleteVolume(DeleteVolumeRequest.of(b.volumeId()));
      assertThat(listAllVolumeIds(0)).contains(a.volumeId()).doesNotContain(b.volumeId());
    }

    @Test
    void pagesThroughAllVolumesWithoutDuplicates() {
      assumeController(ControllerCapability.LIST_VOLUMES);
      Set<String> created = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        created.add(newVolume().volumeId());
      }
      List<String> paged = listAllVolumeIds(2);
      assertThat(paged).doesNotHaveDuplicates().containsAll(created);
      assertThat(paged).containsExactlyInAnyOrderElementsOf(listAllVolumeIds(0));
    }

    @Test
    void firstPageOfTwoHasNextToken() {
      assumeController(ControllerCapability.LIST_VOLUMES);
      for (int i = 0; i < 3; i++) {
        newVolume();
      }
      ListVolumesResponse page = driver.listVolumes(ListVolumesRequest.firstPage(2));
      assertThat(page.entries()).hasSize(2);
      assertThat(page.nextToken()).isNotEmpty();
    }

    @Test
    void invalidStartingTokenIsAborted() {
      assumeController(ControllerCapability.LIST_VOLUMES);
      newVolume();
      assertCode(CsiCode.ABORTED, () -> driver.listVolumes(new ListVolumesRequest(1, "no-such-token")));
    }

    @Test
    void negativeMaxEntriesIsInvalidArgument() {
      assumeController(ControllerCapability.LIST_VOLUMES);
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.listVolumes(new ListVolumesRequest(-1, "")));
    }

    @Test
    void listVolumesReportsPublishedNodes() throws IOException {
      assumeController(ControllerCapability.LIST_VOLUMES_PUBLISHED_NODES);
      Volume v = newVolume();
      driver.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), nodeId(), capability()));
      var entry = driver.listVolumes(ListVolumesRequest.firstPage(0)).entries().stream()
          .filter(e -> e.volume().volumeId().equals(v.volumeId())).findFirst().orElseThrow();
      assertThat(entry.status()).isPresent();
      assertThat(entry.status().get().publishedNodeIds()).containsExactly(nodeId());
    }

    @Test
    void capacityIsNotNegative() {
      assumeController(ControllerCapability.GET_CAPACITY);
      assertThat(driver.getCapacity(GetCapacityRequest.all()).availableCapacity()).isNotNegative();
    }
  }

  // ------------------------------------------------------------------ ControllerPublish / Unpublish

  /** ControllerPublishVolume and ControllerUnpublishVolume rules. */
  @Nested
  class ControllerPublish {
    @BeforeEach
    void requireCapability() {
      assumeController(ControllerCapability.PUBLISH_UNPUBLISH_VOLUME);
    }

    @Test
    void withoutVolumeIdIsInvalidArgument() {
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.controllerPublishVolume(
          ControllerPublishVolumeRequest.of("", nodeId(), capability())));
    }

    @Test
    void withoutNodeIdIsInvalidArgument() {
      Volume v = newVolume();
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.controllerPublishVolume(
          ControllerPublishVolumeRequest.of(v.volumeId(), "", capability())));
    }

    @Test
    void withoutCapabilityIsInvalidArgument() {
      Volume v = newVolume();
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.controllerPublishVolume(new ControllerPublishVolumeRequest(
          v.volumeId(), nodeId(), Optional.empty(), false, Secrets.none(), v.volumeContext())));
    }

    @Test
    void unknownVolumeIsNotFound() {
      assertCode(CsiCode.NOT_FOUND, () -> driver.controllerPublishVolume(
          ControllerPublishVolumeRequest.of("no-such-volume", nodeId(), capability())));
    }

    @Test
    void unknownNodeIsNotFound() {
      Volume v = newVolume();
      assertCode(CsiCode.NOT_FOUND, () -> driver.controllerPublishVolume(
          ControllerPublishVolumeRequest.of(v.volumeId(), "no-such-node", capability())));
    }

    @Test
    void publishIsIdempotent() {
      Volume v = newVolume();
      ControllerPublishVolumeResponse first = driver.controllerPublishVolume(
          ControllerPublishVolumeRequest.of(v.volumeId(), nodeId(), capability()));
      ControllerPublishVolumeResponse second = driver.controllerPublishVolume(
          ControllerPublishVolumeRequest.of(v.volumeId(), nodeId(), capability()));
      assertThat(second).isEqualTo(first);
    }

    @Test
    void republishWithOtherReadonlyIsAlreadyExists() {
      assumeController(ControllerCapability.PUBLISH_READONLY);
      Volume v = newVolume();
      driver.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), nodeId(), capability()));
      assertCode(CsiCode.ALREADY_EXISTS, () -> driver.controllerPublishVolume(new ControllerPublishVolumeRequest(
          v.volumeId(), nodeId(), Optional.of(capability()), true, Secrets.none(), v.volumeContext())));
    }

    @Test
    void republishWithOtherCapabilityIsAlreadyExists() {
      Volume v = newVolume();
      driver.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), nodeId(), capability()));
      VolumeCapability other = VolumeCapability.mount("xfs", List.of("noatime"), capability().accessMode());
      assertCode(CsiCode.ALREADY_EXISTS, () -> driver.controllerPublishVolume(
          ControllerPublishVolumeRequest.of(v.volumeId(), nodeId(), other)));
    }

    @Test
    void unpublishWithoutVolumeIdIsInvalidArgument() {
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.controllerUnpublishVolume(
          ControllerUnpublishVolumeRequest.of("", nodeId())));
    }

    @Test
    void unpublishOfUnknownVolumeSucceeds() {
      assertThatCode(() -> driver.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of("no-such-volume", nodeId())))
          .doesNotThrowAnyException();
    }

    @Test
    void unpublishIsIdempotentAndAllowsDelete() {
      Volume v = newVolume();
      driver.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), nodeId(), capability()));
      driver.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(v.volumeId(), nodeId()));
      driver.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(v.volumeId(), nodeId()));
      driver.deleteVolume(DeleteVolumeRequest.of(v.volumeId()));
    }

    @Test
    void unpublishWithoutNodeIdUnpublishesEverywhere() {
      Volume v = newVolume();
      driver.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), nodeId(), capability()));
      driver.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(v.volumeId(), ""));
      if (hasController(ControllerCapability.GET_VOLUME)) {
        assertThat(driver.controllerGetVolume(new ControllerGetVolumeRequest(v.volumeId())).status().publishedNodeIds())
            .isEmpty();
      }
    }
  }

  // ------------------------------------------------------------------ ModifyVolume

  /** ControllerModifyVolume rules and mutable parameters at CreateVolume. */
  @Nested
  class ModifyVolume {
    @BeforeEach
    void requireCapability() {
      assumeController(ControllerCapability.MODIFY_VOLUME);
      org.junit.jupiter.api.Assumptions.assumeFalse(supportedMutableParameters().isEmpty(),
          "no supported mutable parameters named");
    }

    @Test
    void withoutVolumeIdIsInvalidArgument() {
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.controllerModifyVolume(
          io.volumekit.core.csi.ControllerModifyVolumeRequest.of("", supportedMutableParameters())));
    }

    @Test
    void unknownVolumeIsNotFound() {
      assertCode(CsiCode.NOT_FOUND, () -> driver.controllerModifyVolume(
          io.volumekit.core.csi.ControllerModifyVolumeRequest.of("no-such-volume", supportedMutableParameters())));
    }

    @Test
    void unsupportedParameterIsInvalidArgument() {
      Volume v = newVolume();
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.controllerModifyVolume(
          io.volumekit.core.csi.ControllerModifyVolumeRequest.of(v.volumeId(),
              java.util.Map.of("volumekit.io/no-such-parameter", "1"))));
    }

    @Test
    void modifyOfVolumeCreatedWithoutMutableParametersSucceeds() {
      Volume v = newVolume();
      assertThatCode(() -> driver.controllerModifyVolume(io.volumekit.core.csi.ControllerModifyVolumeRequest.of(
          v.volumeId(), supportedMutableParameters()))).doesNotThrowAnyException();
    }

    @Test
    void createWithMutableParametersThenModifySucceeds() {
      CreateVolumeRequest r = CreateVolumeRequest.of(uniqueName("vol"), GIB, capability());
      r = new CreateVolumeRequest(r.name(), r.capacityRange(), r.volumeCapabilities(), r.parameters(), r.secrets(),
          r.volumeContentSource(), r.accessibilityRequirements(), com.google.common.collect.ImmutableMap.copyOf(
              supportedMutableParameters()));
      Volume v = driver.createVolume(r).volume();
      assertThatCode(() -> driver.controllerModifyVolume(io.volumekit.core.csi.ControllerModifyVolumeRequest.of(
          v.volumeId(), supportedMutableParameters()))).doesNotThrowAnyException();
    }

    @Test
    void createWithUnsupportedMutableParameterIsInvalidArgument() {
      CreateVolumeRequest r = CreateVolumeRequest.of(uniqueName("vol"), GIB, capability());
      CreateVolumeRequest bad = new CreateVolumeRequest(r.name(), r.capacityRange(), r.volumeCapabilities(),
          r.parameters(), r.secrets(), r.volumeContentSource(), r.accessibilityRequirements(),
          com.google.common.collect.ImmutableMap.of("volumekit.io/no-such-parameter", "1"));
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.createVolume(bad));
    }
  }

  // ------------------------------------------------------------------ Snapshots

  /** CreateSnapshot, DeleteSnapshot and ListSnapshots rules. */
  @Nested
  class Snapshots {
    @BeforeEach
    void requireCapability() {
      assumeController(ControllerCapability.CREATE_DELETE_SNAPSHOT);
    }

    @Test
    void withoutNameIsInvalidArgument() {
      Volume v = newVolume();
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.createSnapshot(CreateSnapshotRequest.of(v.volumeId(), "")));
    }

    @Test
    void withoutSourceIsInvalidArgument() {
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.createSnapshot(CreateSnapshotRequest.of("", uniqueName("snap"))));
    }

    @Test
    void unknownSourceIsNotFound() {
      assertCode(CsiCode.NOT_FOUND, () -> driver.createSnapshot(CreateSnapshotRequest.of("no-such-volume", uniqueName("snap"))));
    }

    @Test
    void createSnapshotIsIdempotent() {
      Volume v = newVolume();
      String name = uniqueName("snap");
      Snapshot first = driver.createSnapshot(CreateSnapshotRequest.of(v.volumeId(), name)).snapshot();
      Snapshot second = driver.createSnapshot(CreateSnapshotRequest.of(v.volumeId(), name)).snapshot();
      assertThat(second.snapshotId()).isEqualTo(first.snapshotId());
      assertThat(first.sourceVolumeId()).isEqualTo(v.volumeId());
    }

    @Test
    void sameNameOtherSourceIsAlreadyExists() {
      Volume a = newVolume();
      Volume b = newVolume();
      String name = uniqueName("snap");
      driver.createSnapshot(CreateSnapshotRequest.of(a.volumeId(), name));
      assertCode(CsiCode.ALREADY_EXISTS, () -> driver.createSnapshot(CreateSnapshotRequest.of(b.volumeId(), name)));
    }

    @Test
    void deleteWithoutIdIsInvalidArgument() {
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.deleteSnapshot(DeleteSnapshotRequest.of("")));
    }

    @Test
    void deleteOfUnknownSnapshotSucceeds() {
      assertThatCode(() -> driver.deleteSnapshot(DeleteSnapshotRequest.of("no-such-snapshot"))).doesNotThrowAnyException();
    }

    @Test
    void listFiltersBySnapshotIdAndSource() {
      assumeController(ControllerCapability.LIST_SNAPSHOTS);
      Volume a = newVolume();
      Volume b = newVolume();
      Snapshot sa = driver.createSnapshot(CreateSnapshotRequest.of(a.volumeId(), uniqueName("snap"))).snapshot();
      Snapshot sb = driver.createSnapshot(CreateSnapshotRequest.of(b.volumeId(), uniqueName("snap"))).snapshot();
      ListSnapshotsResponse byId = driver.listSnapshots(new ListSnapshotsRequest(0, "", "", sa.snapshotId(), Secrets.none()));
      assertThat(byId.entries()).extracting(Snapshot::snapshotId).containsExactly(sa.snapshotId());
      ListSnapshotsResponse bySource = driver.listSnapshots(new ListSnapshotsRequest(0, "", b.volumeId(), "", Secrets.none()));
      assertThat(bySource.entries()).extracting(Snapshot::snapshotId).containsExactly(sb.snapshotId());
      ListSnapshotsResponse unknown = driver.listSnapshots(new ListSnapshotsRequest(0, "", "", "no-such-snapshot", Secrets.none()));
      assertThat(unknown.entries()).isEmpty();
      ListSnapshotsResponse unknownSource = driver.listSnapshots(new ListSnapshotsRequest(0, "", "no-such-volume", "", Secrets.none()));
      assertThat(unknownSource.entries()).isEmpty();
    }

    @Test
    void listPagesThroughAllSnapshots() {
      assumeController(ControllerCapability.LIST_SNAPSHOTS);
      Volume v = newVolume();
      Set<String> created = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        created.add(driver.createSnapshot(CreateSnapshotRequest.of(v.volumeId(), uniqueName("snap"))).snapshot().snapshotId());
      }
      List<String> seen = new ArrayList<>();
      String token = "";
      do {
        ListSnapshotsResponse page = driver.listSnapshots(new ListSnapshotsRequest(2, token, "", "", Secrets.none()));
        assertThat(page.entries()).hasSizeLessThanOrEqualTo(2);
        page.entries().forEach(s -> seen.add(s.snapshotId()));
        token = page.nextToken();
      } while (!token.isEmpty());
      assertThat(seen).doesNotHaveDuplicates().containsAll(created);
    }

    @Test
    void deletedSnapshotIsNotListed() {
      assumeController(ControllerCapability.LIST_SNAPSHOTS);
      Volume v = newVolume();
      Snapshot s = driver.createSnapshot(CreateSnapshotRequest.of(v.volumeId(), uniqueName("snap"))).snapshot();
      driver.deleteSnapshot(DeleteSnapshotRequest.of(s.snapshotId()));
      driver.deleteSnapshot(DeleteSnapshotRequest.of(s.snapshotId()));
      assertThat(driver.listSnapshots(ListSnapshotsRequest.firstPage(0)).entries())
          .extracting(Snapshot::snapshotId).doesNotContain(s.snapshotId());
    }

    @Test
    void getSnapshotAnswersTheSnapshotAndNotFoundOnceDeleted() {
      assumeController(ControllerCapability.GET_SNAPSHOT);
      Volume v = newVolume();
      Snapshot s = driver.createSnapshot(CreateSnapshotRequest.of(v.volumeId(), uniqueName("snap"))).snapshot();
      Snapshot got = driver.getSnapshot(io.volumekit.core.csi.GetSnapshotRequest.of(s.snapshotId())).snapshot();
      assertThat(got.snapshotId()).isEqualTo(s.snapshotId());
      assertThat(got.sourceVolumeId()).isEqualTo(v.volumeId());
      assertThat(got.sizeBytes()).isEqualTo(s.sizeBytes());
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.getSnapshot(io.volumekit.core.csi.GetSnapshotRequest.of("")));
      driver.deleteSnapshot(DeleteSnapshotRequest.of(s.snapshotId()));
      assertCode(CsiCode.NOT_FOUND, () -> driver.getSnapshot(io.volumekit.core.csi.GetSnapshotRequest.of(s.snapshotId())));
    }

    @Test
    void invalidStartingTokenIsAborted() {
      assumeController(ControllerCapability.LIST_SNAPSHOTS);
      Volume v = newVolume();
      driver.createSnapshot(CreateSnapshotRequest.of(v.volumeId(), uniqueName("snap")));
      assertCode(CsiCode.ABORTED, () -> driver.listSnapshots(new ListSnapshotsRequest(1, "no-such-token", "", "", Secrets.none())));
    }
  }

  // ------------------------------------------------------------------ GroupController

  /**
   * Volume group snapshots (CSI spec, "GroupController Service RPC"): run when the plugin
   * advertises GROUP_CONTROLLER_SERVICE and the group capability
   * CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT.
   */
  @Nested
  class GroupSnapshots {
    @BeforeEach
    void requireCapability() {
      assumeTrue(driver.getPluginCapabilities().has(PluginCapability.GROUP_CONTROLLER_SERVICE),
          "driver lacks plugin capability GROUP_CONTROLLER_SERVICE");
      assumeTrue(driver.groupControllerGetCapabilities()
          .has(GroupControllerCapability.CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT),
          "driver lacks group controller capability CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT");
    }

    private VolumeGroupSnapshot create(String name, Volume... sources) {
      String[] ids = java.util.Arrays.stream(sources).map(Volume::volumeId).toArray(String[]::new);
      return driver.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of(name, ids)).groupSnapshot();
    }

    private VolumeGroupSnapshot get(VolumeGroupSnapshot g) {
      return driver.getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds()))
          .groupSnapshot();
    }

    @Test
    void withoutNameIsInvalidArgument() {
      Volume v = newVolume();
      assertCode(CsiCode.INVALID_ARGUMENT,
          () -> driver.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("", v.volumeId())));
    }

    @Test
    void withoutSourcesIsInvalidArgument() {
      assertCode(CsiCode.INVALID_ARGUMENT,
          () -> driver.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of(uniqueName("group"))));
    }

    @Test
    void unknownSourceIsNotFoundAndCutsNothing() {
      Volume v = newVolume();
      String name = uniqueName("group");
      assertCode(CsiCode.NOT_FOUND, () -> driver.createVolumeGroupSnapshot(
          CreateVolumeGroupSnapshotRequest.of(name, v.volumeId(), "no-such-volume")));
      if (hasController(ControllerCapability.LIST_SNAPSHOTS)) {
        assertThat(driver.listSnapshots(new ListSnapshotsRequest(0, "", v.volumeId(), "", Secrets.none())).entries())
            .isEmpty();
      }
    }

    @Test
    void createCutsOneSnapshotPerSourceInTheGroup() {
      Volume a = newVolume();
      Volume b = newVolume();
      VolumeGroupSnapshot g = create(uniqueName("group"), a, b);
      assertThat(g.groupSnapshotId()).isNotEmpty();
      assertThat(g.creationTime()).isPresent();
      assertThat(g.snapshots()).extracting(Snapshot::sourceVolumeId)
          .containsExactlyInAnyOrder(a.volumeId(), b.volumeId());
      assertThat(g.snapshots()).extracting(Snapshot::groupSnapshotId).containsOnly(g.groupSnapshotId());
      assertThat(g.snapshots()).extracting(Snapshot::snapshotId).doesNotHaveDuplicates().doesNotContain("");
      assertThat(g.readyToUse()).isEqualTo(g.snapshots().stream().allMatch(Snapshot::readyToUse));
    }

    @Test
    void createIsIdempotentByNameInAnyOrder() {
      Volume a = newVolume();
      Volume b = newVolume();
      String name = uniqueName("group");
      VolumeGroupSnapshot first = create(name, a, b);
      VolumeGroupSnapshot second = create(name, b, a);
      assertThat(second.groupSnapshotId()).isEqualTo(first.groupSnapshotId());
      assertThat(second.snapshotIds()).containsExactlyInAnyOrderElementsOf(first.snapshotIds());
    }

    @Test
    void sameNameOtherSourcesIsAlreadyExists() {
      Volume a = newVolume();
      Volume b = newVolume();
      String name = uniqueName("group");
      create(name, a, b);
      assertCode(CsiCode.ALREADY_EXISTS, () -> create(name, a));
    }

    @Test
    void getAnswersTheGroupAndChecksItsMembers() {
      Volume a = newVolume();
      Volume b = newVolume();
      VolumeGroupSnapshot g = create(uniqueName("group"), a, b);
      VolumeGroupSnapshot got = get(g);
      assertThat(got.groupSnapshotId()).isEqualTo(g.groupSnapshotId());
      assertThat(got.snapshotIds()).containsExactlyInAnyOrderElementsOf(g.snapshotIds());
      assertThat(got.readyToUse()).isEqualTo(got.snapshots().stream().allMatch(Snapshot::readyToUse));
      assertCode(CsiCode.INVALID_ARGUMENT,
          () -> driver.getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest.of("", g.snapshotIds())));
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.getVolumeGroupSnapshot(
          GetVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), List.of(g.snapshotIds().get(0)))));
      assertCode(CsiCode.NOT_FOUND, () -> driver.getVolumeGroupSnapshot(
          GetVolumeGroupSnapshotRequest.of("no-such-group", List.of("no-such-snapshot"))));
    }

    @Test
    void deleteRemovesTheGroupAndItsMembersIdempotently() {
      Volume a = newVolume();
      Volume b = newVolume();
      VolumeGroupSnapshot g = create(uniqueName("group"), a, b);
      driver.deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds()));
      driver.deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds()));
      assertCode(CsiCode.NOT_FOUND, () -> get(g));
      if (hasController(ControllerCapability.LIST_SNAPSHOTS)) {
        assertThat(driver.listSnapshots(ListSnapshotsRequest.firstPage(0)).entries()).extracting(Snapshot::snapshotId)
            .doesNotContainAnyElementsOf(g.snapshotIds());
      }
    }

    @Test
    void deleteChecksItsArguments() {
      Volume a = newVolume();
      Volume b = newVolume();
      VolumeGroupSnapshot g = create(uniqueName("group"), a, b);
      assertCode(CsiCode.INVALID_ARGUMENT,
          () -> driver.deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest.of("", g.snapshotIds())));
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.deleteVolumeGroupSnapshot(
          DeleteVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), List.of(g.snapshotIds().get(0)))));
      assertThat(get(g).snapshotIds()).containsExactlyInAnyOrderElementsOf(g.snapshotIds());
      assertThatCode(() -> driver.deleteVolumeGroupSnapshot(
          DeleteVolumeGroupSnapshotRequest.of("no-such-group", List.of("no-such-snapshot"))))
          .doesNotThrowAnyException();
    }

    @Test
    void aMemberIsNotDeletedAlone() {
      Volume a = newVolume();
      Volume b = newVolume();
      VolumeGroupSnapshot g = create(uniqueName("group"), a, b);
      CsiException e = catchThrowableOfType(CsiException.class,
          () -> driver.deleteSnapshot(DeleteSnapshotRequest.of(g.snapshotIds().get(0))));
      assertThat(e).as("DeleteSnapshot of a group member").isNotNull();
      assertThat(get(g).snapshotIds()).containsExactlyInAnyOrderElementsOf(g.snapshotIds());
    }

    @Test
    void aMemberRestoresAVolume() {
      Volume a = newVolume();
      Volume b = newVolume();
      VolumeGroupSnapshot g = create(uniqueName("group"), a, b);
      Snapshot member = get(g).snapshots().get(0);
      assumeTrue(member.readyToUse(), "member snapshot not ready yet");
      Volume restored = driver.createVolume(CreateVolumeRequest.of(uniqueName("vol"), GIB, capability())
          .withContentSource(VolumeContentSource.snapshot(member.snapshotId()))).volume();
      assertThat(restored.contentSource()).contains(VolumeContentSource.snapshot(member.snapshotId()));
    }
  }

  // ------------------------------------------------------------------ Expansion and GetVolume

  /** ControllerExpandVolume and ControllerGetVolume rules. */
  @Nested
  class ExpandAndGet {
    @Test
    void expandWithoutIdIsInvalidArgument() {
      assumeController(ControllerCapability.EXPAND_VOLUME);
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.controllerExpandVolume(ControllerExpandVolumeRequest.of("", GIB)));
    }

    @Test
    void expandWithoutRangeIsInvalidArgument() {
      assumeController(ControllerCapability.EXPAND_VOLUME);
      Volume v = newVolume();
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.controllerExpandVolume(new ControllerExpandVolumeRequest(
          v.volumeId(), Optional.empty(), Secrets.none(), Optional.empty())));
    }

    @Test
    void expandUnknownVolumeIsNotFound() {
      assumeController(ControllerCapability.EXPAND_VOLUME);
      assertCode(CsiCode.NOT_FOUND, () -> driver.controllerExpandVolume(ControllerExpandVolumeRequest.of("no-such-volume", GIB)));
    }

    @Test
    void expandGrowsTheVolumeAndIsIdempotent() {
      assumeController(ControllerCapability.EXPAND_VOLUME);
      Volume v = newVolume();
      var grown = driver.controllerExpandVolume(ControllerExpandVolumeRequest.of(v.volumeId(), 2 * GIB));
      assertThat(grown.capacityBytes()).isGreaterThanOrEqualTo(2 * GIB);
      var again = driver.controllerExpandVolume(ControllerExpandVolumeRequest.of(v.volumeId(), 2 * GIB));
      assertThat(again.capacityBytes()).isEqualTo(grown.capacityBytes());
      if (hasController(ControllerCapability.GET_VOLUME)) {
        assertThat(driver.controllerGetVolume(new ControllerGetVolumeRequest(v.volumeId())).volume().capacityBytes())
            .isEqualTo(grown.capacityBytes());
      }
    }

    @Test
    void getVolumeWithoutIdIsInvalidArgument() {
      assumeController(ControllerCapability.GET_VOLUME);
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.controllerGetVolume(new ControllerGetVolumeRequest("")));
    }

    @Test
    void getUnknownVolumeIsNotFound() {
      assumeController(ControllerCapability.GET_VOLUME);
      assertCode(CsiCode.NOT_FOUND, () -> driver.controllerGetVolume(new ControllerGetVolumeRequest("no-such-volume")));
    }

    @Test
    void getVolumeReturnsTheCreatedVolume() {
      assumeController(ControllerCapability.GET_VOLUME);
      Volume v = newVolume();
      assertThat(driver.controllerGetVolume(new ControllerGetVolumeRequest(v.volumeId())).volume()).isEqualTo(v);
    }
  }

  // ------------------------------------------------------------------ Node

  /** Node service rules. */
  @Nested
  class Node {
    @Test
    void nodeInfoHasNodeIdAndTopologyOnlyWithAccessibilityConstraints() {
      NodeGetInfoResponse info = driver.nodeGetInfo();
      assertThat(info.nodeId()).isNotEmpty();
      assertThat(info.maxVolumesPerNode()).isNotNegative();
      if (info.accessibleTopology().isPresent()) {
        assertThat(driver.getPluginCapabilities().has(PluginCapability.VOLUME_ACCESSIBILITY_CONSTRAINTS)).isTrue();
      }
    }

    @Test
    void stageWithoutVolumeIdIsInvalidArgument() throws IOException {
      assumeNode(NodeCapability.STAGE_UNSTAGE_VOLUME);
      String staging = stagingPath("s");
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.nodeStageVolume(NodeStageVolumeRequest.of("", staging, capability())));
    }

    @Test
    void stageWithoutStagingPathIsInvalidArgument() {
      assumeNode(NodeCapability.STAGE_UNSTAGE_VOLUME);
      Volume v = newVolume();
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.nodeStageVolume(NodeStageVolumeRequest.of(v.volumeId(), "", capability())));
    }

    @Test
    void stageWithoutCapabilityIsInvalidArgument() throws IOException {
      assumeNode(NodeCapability.STAGE_UNSTAGE_VOLUME);
      Volume v = newVolume();
      String staging = stagingPath("s");
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.nodeStageVolume(new NodeStageVolumeRequest(v.volumeId(),
          com.google.common.collect.ImmutableMap.of(), staging, Optional.empty(), Secrets.none(), v.volumeContext())));
    }

    @Test
    void stageOfUnknownVolumeIsNotFound() throws IOException {
      assumeNode(NodeCapability.STAGE_UNSTAGE_VOLUME);
      String staging = stagingPath("s");
      assertCode(CsiCode.NOT_FOUND, () -> driver.nodeStageVolume(NodeStageVolumeRequest.of("no-such-volume", staging, capability())));
    }

    @Test
    void restageAtTheSamePathWithAnotherCapabilityIsAlreadyExists() throws IOException {
      assumeNode(NodeCapability.STAGE_UNSTAGE_VOLUME);
      Volume v = newVolume();
      Published p = publish(v, false);
      VolumeCapability other = VolumeCapability.mount("xfs", List.of("noatime"), capability().accessMode());
      assertCode(CsiCode.ALREADY_EXISTS, () -> driver.nodeStageVolume(new NodeStageVolumeRequest(v.volumeId(),
          toImmutable(p.publishContext()), p.staging(), Optional.of(other), Secrets.none(), v.volumeContext())));
      unpublish(p);
    }

    @Test
    void unstageAndUnpublishOfUnknownVolumeAreNotFound() throws IOException {
      String target = targetPath("t");
      assertCode(CsiCode.NOT_FOUND, () -> driver.nodeUnpublishVolume(new NodeUnpublishVolumeRequest("no-such-volume", target)));
      if (hasNode(NodeCapability.STAGE_UNSTAGE_VOLUME)) {
        String staging = stagingPath("s");
        assertCode(CsiCode.NOT_FOUND, () -> driver.nodeUnstageVolume(new NodeUnstageVolumeRequest("no-such-volume", staging)));
      }
    }

    @Test
    void unstageWithoutFieldsIsInvalidArgument() {
      assumeNode(NodeCapability.STAGE_UNSTAGE_VOLUME);
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.nodeUnstageVolume(new NodeUnstageVolumeRequest("", "/x")));
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.nodeUnstageVolume(new NodeUnstageVolumeRequest("v", "")));
    }

    @Test
    void publishWithoutVolumeIdIsInvalidArgument() throws IOException {
      String target = targetPath("t");
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.nodePublishVolume(
          NodePublishVolumeRequest.of("", "", target, capability(), false)));
    }

    @Test
    void publishWithoutTargetPathIsInvalidArgument() {
      Volume v = newVolume();
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.nodePublishVolume(
          NodePublishVolumeRequest.of(v.volumeId(), "", "", capability(), false)));
    }

    @Test
    void publishWithoutCapabilityIsInvalidArgument() throws IOException {
      Volume v = newVolume();
      String target = targetPath("t");
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.nodePublishVolume(new NodePublishVolumeRequest(v.volumeId(),
          com.google.common.collect.ImmutableMap.of(), "", target, Optional.empty(), false, Secrets.none(),
          v.volumeContext())));
    }

    @Test
    void publishOfUnknownVolumeIsNotFound() throws IOException {
      String staging = hasNode(NodeCapability.STAGE_UNSTAGE_VOLUME) ? stagingPath("s") : "";
      String target = targetPath("t");
      assertCode(CsiCode.NOT_FOUND, () -> driver.nodePublishVolume(
          NodePublishVolumeRequest.of("no-such-volume", staging, target, capability(), false)));
    }

    @Test
    void publishWithoutStagingPathIsFailedPreconditionWhenDriverStages() throws IOException {
      assumeNode(NodeCapability.STAGE_UNSTAGE_VOLUME);
      Volume v = newVolume();
      String target = targetPath("t");
      assertCode(CsiCode.FAILED_PRECONDITION, () -> driver.nodePublishVolume(
          NodePublishVolumeRequest.of(v.volumeId(), "", target, capability(), false)));
    }

    @Test
    void unpublishWithoutFieldsIsInvalidArgument() {
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.nodeUnpublishVolume(new NodeUnpublishVolumeRequest("", "/x")));
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.nodeUnpublishVolume(new NodeUnpublishVolumeRequest("v", "")));
    }

    @Test
    void volumeStatsWithoutFieldsIsInvalidArgument() {
      assumeNode(NodeCapability.GET_VOLUME_STATS);
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.nodeGetVolumeStats(new NodeGetVolumeStatsRequest("", "/x", "")));
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.nodeGetVolumeStats(new NodeGetVolumeStatsRequest("v", "", "")));
    }

    @Test
    void volumeStatsOfUnknownVolumeIsNotFound() {
      assumeNode(NodeCapability.GET_VOLUME_STATS);
      assertCode(CsiCode.NOT_FOUND, () -> driver.nodeGetVolumeStats(
          new NodeGetVolumeStatsRequest("no-such-volume", workDir.toString(), "")));
    }

    @Test
    void volumeStatsAtAWrongPathIsNotFound() throws IOException {
      assumeNode(NodeCapability.GET_VOLUME_STATS);
      Volume v = newVolume();
      Published p = publish(v, false);
      String elsewhere = targetPath("elsewhere");
      assertCode(CsiCode.NOT_FOUND, () -> driver.nodeGetVolumeStats(new NodeGetVolumeStatsRequest(v.volumeId(), elsewhere, "")));
      unpublish(p);
    }

    @Test
    void nodeExpandWithoutFieldsIsInvalidArgument() {
      assumeNode(NodeCapability.EXPAND_VOLUME);
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.nodeExpandVolume(NodeExpandVolumeRequest.of("", "/x", GIB)));
      assertCode(CsiCode.INVALID_ARGUMENT, () -> driver.nodeExpandVolume(NodeExpandVolumeRequest.of("v", "", GIB)));
    }

    @Test
    void nodeExpandOfUnknownVolumeIsNotFound() {
      assumeNode(NodeCapability.EXPAND_VOLUME);
      assertCode(CsiCode.NOT_FOUND, () -> driver.nodeExpandVolume(
          NodeExpandVolumeRequest.of("no-such-volume", workDir.toString(), GIB)));
    }

    @Test
    void nodeExpandWorksAfterPublish() throws IOException {
      assumeNode(NodeCapability.EXPAND_VOLUME);
      assumeController(ControllerCapability.EXPAND_VOLUME);
      Volume v = newVolume();
      Published p = publish(v, false);
      long size = driver.controllerExpandVolume(ControllerExpandVolumeRequest.of(v.volumeId(), 2 * GIB)).capacityBytes();
      assertThat(driver.nodeExpandVolume(NodeExpandVolumeRequest.of(v.volumeId(), p.target(), 2 * GIB)).capacityBytes())
          .satisfiesAnyOf(c -> assertThat(c).isZero(), c -> assertThat(c).isEqualTo(size));
      unpublish(p);
    }

    @Test
    void republishAtSameTargetWithOtherReadonlyIsAlreadyExists() throws IOException {
      Volume v = newVolume();
      Published p = publish(v, false);
      assertCode(CsiCode.ALREADY_EXISTS, () -> driver.nodePublishVolume(NodePublishVolumeRequest.of(
          v.volumeId(), p.staging(), p.target(), capability(), true)));
      unpublish(p);
    }

    @Test
    void singleNodeSingleWriterAtASecondTargetIsFailedPrecondition() throws IOException {
      assumeNode(NodeCapability.SINGLE_NODE_MULTI_WRITER);
      VolumeCapability sn = VolumeCapability.mount("", AccessMode.SINGLE_NODE_SINGLE_WRITER);
      Volume v = driver.createVolume(CreateVolumeRequest.of(uniqueName("vol"), GIB, sn)).volume();
      Map<String, String> ctx = Map.of();
      if (hasController(ControllerCapability.PUBLISH_UNPUBLISH_VOLUME)) {
        ctx = driver.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), nodeId(), sn)).publishContext();
      }
      String staging = "";
      if (hasNode(NodeCapability.STAGE_UNSTAGE_VOLUME)) {
        staging = stagingPath(v.volumeId());
        driver.nodeStageVolume(new NodeStageVolumeRequest(v.volumeId(), toImmutable(ctx), staging, Optional.of(sn),
            Secrets.none(), v.volumeContext()));
      }
      String first = targetPath("first");
      String second = targetPath("second");
      String stagingPath = staging;
      driver.nodePublishVolume(NodePublishVolumeRequest.of(v.volumeId(), stagingPath, first, sn, false));
      assertCode(CsiCode.FAILED_PRECONDITION, () -> driver.nodePublishVolume(
          NodePublishVolumeRequest.of(v.volumeId(), stagingPath, second, sn, false)));
      driver.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(v.volumeId(), first));
    }

    @Test
    void unpublishRemovesTheTargetPath() throws IOException {
      Volume v = newVolume();
      Published p = publish(v, false);
      if (publishesOnFilesystem()) {
        assertThat(Path.of(p.target())).exists();
      }
      driver.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(v.volumeId(), p.target()));
      assertThat(Path.of(p.target())).doesNotExist();
      unpublish(p);
    }

    @Test
    void fullLifecycleWorks() throws IOException {
      Volume v = newVolume();
      Published p = publish(v, false);
      if (hasNode(NodeCapability.GET_VOLUME_STATS)) {
        NodeGetVolumeStatsResponse stats = driver.nodeGetVolumeStats(new NodeGetVolumeStatsRequest(v.volumeId(), p.target(), p.staging()));
        assertThat(stats.usage()).isNotEmpty();
      }
      unpublish(p);
      driver.deleteVolume(DeleteVolumeRequest.of(v.volumeId()));
    }

    @Test
    void fullLifecycleIsIdempotent() throws IOException {
      Volume v = newVolume();
      Published p = publish(v, false);
      Published again = publish(v, false);
      assertThat(again.publishContext()).isEqualTo(p.publishContext());
      unpublish(p);
      unpublish(p);
      driver.deleteVolume(DeleteVolumeRequest.of(v.volumeId()));
      driver.deleteVolume(DeleteVolumeRequest.of(v.volumeId()));
    }

    @Test
    void inlineEphemeralVolumeLivesFromPublishToUnpublish() throws IOException {
      assumeTrue(supportsInlineEphemeral(), "driver does not support inline ephemeral volumes");
      for (boolean podInfo : new boolean[] {true, false}) {
        String id = io.volumekit.core.csi.EphemeralVolumes.volumeHandle("pod-uid-" + podInfo, "scratch");
        String target = targetPath(id);
        var context = podInfo
            ? com.google.common.collect.ImmutableMap.of(io.volumekit.core.csi.EphemeralVolumes.EPHEMERAL_CONTEXT_KEY, "true")
            : com.google.common.collect.ImmutableMap.<String, String>of();
        NodePublishVolumeRequest publish = new NodePublishVolumeRequest(id, com.google.common.collect.ImmutableMap.of(),
            "", target, Optional.of(capability()), false, Secrets.none(), context);
        driver.nodePublishVolume(publish);
        driver.nodePublishVolume(publish);
        if (publishesOnFilesystem()) {
          assertThat(Path.of(target)).exists();
        }
        driver.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(id, target));
        driver.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(id, target));
        assertThat(Path.of(target)).doesNotExist();
        if (hasController(ControllerCapability.LIST_VOLUMES)) {
          assertThat(listAllVolumeIds(0)).doesNotContain(id);
        }
      }
    }

    @Test
    void readOnlyPublicationSucceeds() throws IOException {
      Volume v = newVolume();
      Published p = publish(v, true);
      if (publishesOnFilesystem()) {
        assertThat(Path.of(p.target())).exists();
      }
      unpublish(p);
    }
  }
}
