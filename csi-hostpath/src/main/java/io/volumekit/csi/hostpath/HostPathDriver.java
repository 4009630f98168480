package io.volumekit.csi.hostpath;

import static io.volumekit.core.csi.CsiPreconditions.checkMaxEntries;
import static io.volumekit.core.csi.CsiPreconditions.checkRange;
import static io.volumekit.core.csi.CsiPreconditions.requireCapabilities;
import static io.volumekit.core.csi.CsiPreconditions.requireCapability;
import static io.volumekit.core.csi.CsiPreconditions.requireField;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.volumekit.core.csi.CapacityRange;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.ControllerExpandVolumeRequest;
import io.volumekit.core.csi.ControllerExpandVolumeResponse;
import io.volumekit.core.csi.ControllerGetCapabilitiesResponse;
import io.volumekit.core.csi.ControllerModifyVolumeRequest;
import io.volumekit.core.csi.ControllerModifyVolumeResponse;
import io.volumekit.core.csi.ControllerGetVolumeRequest;
import io.volumekit.core.csi.ControllerGetVolumeResponse;
import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerPublishVolumeResponse;
import io.volumekit.core.csi.ControllerUnpublishVolumeRequest;
import io.volumekit.core.csi.CreateSnapshotRequest;
import io.volumekit.core.csi.CreateSnapshotResponse;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotResponse;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.CsiPreconditions;
import io.volumekit.core.csi.DeleteSnapshotRequest;
import io.volumekit.core.csi.DeleteVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.EphemeralVolumes;
import io.volumekit.core.csi.GetCapacityRequest;
import io.volumekit.core.csi.GetCapacityResponse;
import io.volumekit.core.csi.GetPluginCapabilitiesResponse;
import io.volumekit.core.csi.GetPluginInfoResponse;
import io.volumekit.core.csi.GetVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.GetVolumeGroupSnapshotResponse;
import io.volumekit.core.csi.GroupControllerCapability;
import io.volumekit.core.csi.GroupControllerGetCapabilitiesResponse;
import io.volumekit.core.csi.ListSnapshotsRequest;
import io.volumekit.core.csi.ListSnapshotsResponse;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.csi.ListVolumesResponse;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.csi.NodeExpandVolumeRequest;
import io.volumekit.core.csi.NodeExpandVolumeResponse;
import io.volumekit.core.csi.NodeGetCapabilitiesResponse;
import io.volumekit.core.csi.NodeGetInfoResponse;
import io.volumekit.core.csi.NodeGetVolumeStatsRequest;
import io.volumekit.core.csi.NodeGetVolumeStatsResponse;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnpublishVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import io.volumekit.core.csi.PluginCapability;
import io.volumekit.core.csi.ProbeResponse;
import io.volumekit.core.csi.Snapshot;
import io.volumekit.core.csi.Topology;
import io.volumekit.core.csi.TopologyRequirement;
import io.volumekit.core.csi.ValidateVolumeCapabilitiesRequest;
import io.volumekit.core.csi.ValidateVolumeCapabilitiesResponse;
import io.volumekit.core.csi.Volume;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.csi.VolumeCondition;
import io.volumekit.core.csi.VolumeContentSource;
import io.volumekit.core.csi.VolumeGroupSnapshot;
import io.volumekit.core.csi.VolumeStatus;
import io.volumekit.core.csi.VolumeUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real CSI driver, {@value #DRIVER_NAME}, that stores each volume as a directory under a data
 * root, modelled on kubernetes-csi's csi-driver-host-path.
 *
 * <p>Controller: CreateVolume (idempotent by name, ALREADY_EXISTS on an incompatible repeat,
 * logical capacity accounting against the configured pool, content from a snapshot or a volume),
 * DeleteVolume, ControllerPublish/Unpublish recorded per node, ValidateVolumeCapabilities,
 * ListVolumes with paging, GetCapacity, snapshots as directory copies, ControllerExpandVolume,
 * ControllerGetVolume, ControllerModifyVolume (recorded; the accepted keys are configured).
 * GroupController: volume group snapshots as one snapshot (directory copy) per source volume, cut
 * one after another under the driver's lock (writes are not frozen), with ids derived from the
 * group's name so a repeated call finds what an interrupted one left. Node: NodeStage/Unstage as a bind mount of the volume directory at the
 * staging path (there is no device to format), NodePublish/Unpublish as real bind mounts
 * ({@code mount --bind}, remounted read-only when asked) or, where mounting is not permitted,
 * symlinks (and stages that are only recorded), NodeGetVolumeStats with a volume condition,
 * NodeExpandVolume, NodeGetInfo with topology key {@value #TOPOLOGY_KEY}. Block access is served
 * with loop devices where the host allows it ({@link BlockDevices}: a sparse backing file,
 * attached by {@code losetup} on NodePublish, the target a symlink to the device node; NodeStage
 * only records its directory); elsewhere it is refused saying why (INVALID_ARGUMENT on the
 * controller, FAILED_PRECONDITION on the node, unconfirmed in ValidateVolumeCapabilities). Block
 * volumes are not cloned, restored, inline or expanded (refused, INVALID_ARGUMENT).
 *
 * <p>All state is kept in one JSON file per volume, snapshot and group snapshot under {@code <dataDir>/state},
 * written atomically, and read back at start, so a restarted driver still knows its volumes,
 * publications and snapshots. A driver killed in the middle of a call leaves a state the restarted
 * driver and the CO's repeated call recover from: node RPCs mount before they record and
 * NodeUnpublish/NodeUnstage remove whatever is mounted at the path, recorded or not; at start the
 * records are reconciled with the mount table; deletions forget the record before the data.
 * Calls are serialised by one lock.
 *
 * <pre>{@code
 * HostPathDriver driver = new HostPathDriver(HostPathConfig.of(Path.of("/var/lib/hostpath"), "node-1"));
 * // in-process through the CSI port, or served: CsiGrpcServer.start(driver, CsiEndpoint.parse(...))
 * }</pre>
 */
public final class HostPathDriver implements CsiDriver {
  /** The driver name. */
  public static final String DRIVER_NAME = "hostpath.csi.volumekit.io";
  /** The topology key naming the node a volume lives on. */
  public static final String TOPOLOGY_KEY = "topology.hostpath.csi.volumekit.io/node";
  /** The driver version. */
  public static final String VERSION = "0.1.0";

  private static final Logger LOG = LoggerFactory.getLogger(HostPathDriver.class);

  private final HostPathConfig config;
  private final StateStore store;
  private final Mounter mounter;
  private final Syscalls sys;
  private final Path volumesRoot;
  private final Path snapshotsRoot;
  // Indexed by id in TreeMaps: ListVolumes/ListSnapshots pages start at a token id (tailMap,
  // O(log n)); names map to ids for the idempotency check.
  private final NavigableMap<String, StateRecords.Vol> volumes = new TreeMap<>();
  private final Map<String, String> volumeIdByName = new HashMap<>();
  private final NavigableMap<String, StateRecords.Snap> snapshots = new TreeMap<>();
  private final Map<String, String> snapshotIdByName = new HashMap<>();
  private final Map<String, StateRecords.Group> groups = new HashMap<>();
  private final Map<String, String> groupIdByName = new HashMap<>();
  private long used;

  /**
   * A driver over {@code config.dataDir()}, loading any state a previous run left there and
   * reconciling it with the host's mounts (see {@link #reconcile}).
   */
  public HostPathDriver(HostPathConfig config) {
    this(config, Syscalls.linux());
  }

  /** A driver making its changes to the host through {@code sys} (tests inject crashes there). */
  HostPathDriver(HostPathConfig config, Syscalls sys) {
    this.config = config;
    this.sys = sys;
    this.volumesRoot = config.dataDir().resolve("volumes");
    this.snapshotsRoot = config.dataDir().resolve("snapshots");
    Path scratch = config.dataDir().resolve("tmp");
    try {
      Files.createDirectories(volumesRoot);
      Files.createDirectories(snapshotsRoot);
      Files.createDirectories(scratch);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directories under " + config.dataDir(), e);
    }
    this.store = new StateStore(config.dataDir(), sys);
    for (StateRecords.Vol v : store.loadVolumes()) {
      volumes.put(v.id(), v);
      volumeIdByName.put(v.name(), v.id());
      used += v.capacityBytes();
    }
    for (StateRecords.Group g : store.loadGroups()) {
      groups.put(g.id(), g);
      groupIdByName.put(g.name(), g.id());
    }
    for (StateRecords.Snap s : store.loadSnapshots()) {
      if (!s.groupSnapshotId().isEmpty() && !groups.containsKey(s.groupSnapshotId())) {
        // A member cut by an interrupted CreateVolumeGroupSnapshot (the group is recorded last)
        // or left by an interrupted DeleteVolumeGroupSnapshot (the group is forgotten first).
        LOG.info("removing snapshot {}: its group snapshot {} is not recorded", s.id(), s.groupSnapshotId());
        store.deleteSnapshot(s.id());
        continue;
      }
      snapshots.put(s.id(), s);
      snapshotIdByName.put(s.name(), s.id());
    }
    this.mounter = Mounter.create(config.mountMode(), scratch, sys);
    reconcile();
    removeOrphans(volumesRoot, volumes.keySet());
    removeOrphans(snapshotsRoot, snapshots.keySet());
    LOG.info("hostpath driver on node {} with {} volumes and {} snapshots in {}; publishing by {}",
        config.nodeId(), volumes.size(), snapshots.size(), config.dataDir(), mounter.how());
  }

  /**
   * Makes the records agree with the host after a restart (the driver may have been killed in the
   * middle of a node RPC, or the node rebooted): a publication whose mount or symlink is gone is
   * dropped (a NodeUnpublish was interrupted after its unmount); a bind-mounted stage whose mount
   * is gone likewise, once nothing is published from it; an inline ephemeral volume left without
   * publications is deleted. A mount without a record (a NodePublish or NodeStage interrupted
   * before its record was written) is not searched for: the CO repeats the call or calls its
   * negation, and both take the mount found at the path as it is.
   */
  private void reconcile() {
    MountTable table = mounter.mountTable();
    for (StateRecords.Vol v : List.copyOf(volumes.values())) {
      Map<String, StateRecords.NodePub> pubs = new LinkedHashMap<>();
      v.nodePublications().forEach((path, p) -> {
        if (mounter.isPublished(table, Path.of(path), p.how())) {
          pubs.put(path, p);
        } else {
          LOG.info("volume {} is no longer published at {}; dropping the record", v.id(), path);
        }
      });
      StateRecords.Vol next = v.withNodePublications(pubs);
      if (!next.stagingPath().isEmpty() && pubs.isEmpty()
          && !mounter.isStaged(table, Path.of(next.stagingPath()), next.stageHow())) {
        LOG.info("volume {} is no longer staged at {}; dropping the record", v.id(), next.stagingPath());
        next = next.withStage("", null, "");
      }
      if (next.ephemeral() && pubs.isEmpty()) {
        LOG.info("deleting inline ephemeral volume {}: it is published nowhere", v.id());
        removeVolume(next);
      } else if (!next.equals(v)) {
        update(next);
      }
    }
  }

  /**
   * Removes directories without a state file: left by a CreateVolume or CreateSnapshot that
   * crashed between copying data and recording it (the CO repeats the call, which makes a new
   * one), or by a deletion that crashed after removing the record.
   */
  private void removeOrphans(Path root, java.util.Set<String> known) {
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.toList()) {
        if (!known.contains(dir.getFileName().toString())) {
          LOG.info("removing {}: no state recorded for it (an interrupted create)", dir);
          deleteTreeQuietly(dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  /** The configuration. */
  public HostPathConfig config() {
    return config;
  }

  /** The directory holding a volume's data. */
  public Path volumePath(String volumeId) {
    return volumesRoot.resolve(volumeId);
  }

  /** How volumes are published: {@code bind} or {@code symlink}. */
  public String publishMode() {
    return mounter.how();
  }

  // ------------------------------------------------------------------ identity

  @Override
  public GetPluginInfoResponse getPluginInfo() {
    return new GetPluginInfoResponse(DRIVER_NAME, VERSION, ImmutableMap.of());
  }

  @Override
  public GetPluginCapabilitiesResponse getPluginCapabilities() {
    return new GetPluginCapabilitiesResponse(ImmutableSet.of(PluginCapability.CONTROLLER_SERVICE,
        PluginCapability.GROUP_CONTROLLER_SERVICE, PluginCapability.VOLUME_ACCESSIBILITY_CONSTRAINTS,
        PluginCapability.ONLINE_VOLUME_EXPANSION));
  }

  @Override
  public ProbeResponse probe() {
    if (!Files.isDirectory(volumesRoot) || !Files.isWritable(volumesRoot)) {
      throw CsiException.failedPrecondition("data directory " + volumesRoot + " is missing or not writable");
    }
    return ProbeResponse.isReady();
  }

  // ------------------------------------------------------------------ controller

  @Override
  public ControllerGetCapabilitiesResponse controllerGetCapabilities() {
    return new ControllerGetCapabilitiesResponse(ImmutableSet.<ControllerCapability>builder().add(
        ControllerCapability.CREATE_DELETE_VOLUME,
        ControllerCapability.PUBLISH_UNPUBLISH_VOLUME, ControllerCapability.LIST_VOLUMES,
        ControllerCapability.GET_CAPACITY, ControllerCapability.CREATE_DELETE_SNAPSHOT,
        ControllerCapability.LIST_SNAPSHOTS, ControllerCapability.GET_SNAPSHOT, ControllerCapability.CLONE_VOLUME,
        ControllerCapability.PUBLISH_READONLY, ControllerCapability.EXPAND_VOLUME,
        ControllerCapability.LIST_VOLUMES_PUBLISHED_NODES, ControllerCapability.VOLUME_CONDITION,
        ControllerCapability.GET_VOLUME, ControllerCapability.SINGLE_NODE_MULTI_WRITER)
        .addAll(config.mutableParameterKeys().isEmpty() ? ImmutableSet.of() : ImmutableSet.of(ControllerCapability.MODIFY_VOLUME))
        .build());
  }

  private static void refuseBlock(VolumeCapability c, String field, CsiCode code) {
    if (c.isBlock()) {
      throw new CsiException(code, field + ": block access is not supported by " + DRIVER_NAME + " for this call");
    }
  }

  @Override
  public synchronized CreateVolumeResponse createVolume(CreateVolumeRequest r) {
    requireField(r.name(), "name");
    requireCapabilities(r.volumeCapabilities(), "volume_capabilities");
    // A missing source is NOT_FOUND even when the capability is also refused.
    r.volumeContentSource().ifPresent(this::requireSourceExists);
    boolean block = r.volumeCapabilities().stream().anyMatch(VolumeCapability::isBlock);
    BlockDevices.requireAvailable(block, "volume_capabilities", CsiCode.INVALID_ARGUMENT);
    if (block && r.volumeContentSource().isPresent()) {
      throw CsiException.invalidArgument("volume_content_source: block volumes cannot be cloned or restored by "
          + DRIVER_NAME);
    }
    checkMutableParameters(r.mutableParameters());
    long size = CsiPreconditions.sizeFor(r.capacityRange(), config.defaultVolumeSizeBytes(), config.capacityBytes());
    String existingId = volumeIdByName.get(r.name());
    if (existingId != null) {
      StateRecords.Vol v = volumes.get(existingId);
      boolean compatible = r.capacityRange().map(cr -> cr.admits(v.capacityBytes())).orElse(true)
          && v.parameters().equals(r.parameters())
          && contentSource(v).equals(r.volumeContentSource());
      if (!compatible) {
        throw CsiException.alreadyExists("volume named " + r.name() + " exists with capacity " + v.capacityBytes()
            + ", other parameters or another content source");
      }
      return new CreateVolumeResponse(toCsi(v));
    }
    if (!accessibleHere(r.accessibilityRequirements())) {
      throw new CsiException(CsiCode.RESOURCE_EXHAUSTED, "accessibility_requirements: volumes of this driver live on node "
          + config.nodeId() + ", which none of the requested topologies includes");
    }
    Path copyFrom = null;
    String sourceSnapshot = "";
    String sourceVolume = "";
    if (r.volumeContentSource().isPresent()) {
      VolumeContentSource src = r.volumeContentSource().get();
      long sourceSize;
      if (src instanceof VolumeContentSource.SnapshotSource s) {
        requireField(s.snapshotId(), "volume_content_source.snapshot.snapshot_id");
        StateRecords.Snap snap = snapshots.get(s.snapshotId());
        if (snap == null) {
          throw CsiException.notFound("snapshot " + s.snapshotId() + " does not exist");
        }
        if (!snapshotReady(snap)) {
          throw CsiException.failedPrecondition("snapshot " + snap.id() + " is not ready to use: its data is missing");
        }
        sourceSize = snap.sizeBytes();
        copyFrom = snapshotsRoot.resolve(snap.id());
        sourceSnapshot = snap.id();
      } else {
        VolumeContentSource.VolumeSource vs = (VolumeContentSource.VolumeSource) src;
        requireField(vs.volumeId(), "volume_content_source.volume.volume_id");
        StateRecords.Vol sv = volumes.get(vs.volumeId());
        if (sv == null) {
          throw CsiException.notFound("source volume " + vs.volumeId() + " does not exist");
        }
        sourceSize = sv.capacityBytes();
        copyFrom = volumePath(sv.id());
        sourceVolume = sv.id();
      }
      if (sourceSize > size) {
        long limit = r.capacityRange().map(CapacityRange::limitBytes).orElse(0L);
        if (limit > 0 && limit < sourceSize) {
          throw new CsiException(CsiCode.OUT_OF_RANGE, "capacity_range: limit " + limit + " is below the source size "
              + sourceSize);
        }
        size = sourceSize;
      }
    }
    if (used + size > config.capacityBytes()) {
      throw new CsiException(CsiCode.RESOURCE_EXHAUSTED, "not enough capacity: " + size + " bytes requested, "
          + (config.capacityBytes() - used) + " available");
    }
    String id = "vol-" + UUID.randomUUID();
    Path dir = volumePath(id);
    try {
      Files.createDirectories(dir);
      if (copyFrom != null) {
        copyTree(copyFrom, dir);
      }
      if (block) {
        BlockDevices.create(dir, size);
      }
    } catch (IOException e) {
      deleteTreeQuietly(dir);
      throw new CsiException(CsiCode.INTERNAL, "cannot create volume directory " + dir + ": " + e.getMessage(), e);
    }
    StateRecords.Vol v = new StateRecords.Vol(id, r.name(), size, r.parameters(), sourceSnapshot, sourceVolume,
        config.clock().instant().toString(), Map.of(), "", null, "", Map.of(), false, 0, r.mutableParameters());
    store.save(v);
    volumes.put(id, v);
    volumeIdByName.put(r.name(), id);
    used += size;
    LOG.info("created volume {} ({} bytes) for {}", id, size, r.name());
    return new CreateVolumeResponse(toCsi(v));
  }

  private void requireSourceExists(VolumeContentSource src) {
    if (src instanceof VolumeContentSource.SnapshotSource s) {
      requireField(s.snapshotId(), "volume_content_source.snapshot.snapshot_id");
      if (!snapshots.containsKey(s.snapshotId())) {
        throw CsiException.notFound("snapshot " + s.snapshotId() + " does not exist");
      }
    } else if (src instanceof VolumeContentSource.VolumeSource vs) {
      requireField(vs.volumeId(), "volume_content_source.volume.volume_id");
      if (!volumes.containsKey(vs.volumeId())) {
        throw CsiException.notFound("source volume " + vs.volumeId() + " does not exist");
      }
    }
  }

  private boolean accessibleHere(Optional<TopologyRequirement> req) {
    if (req.isEmpty() || (req.get().requisite().isEmpty() && req.get().preferred().isEmpty())) {
      return true;
    }
    Topology here = Topology.of(TOPOLOGY_KEY, config.nodeId());
    return req.get().requisite().contains(here) || req.get().preferred().contains(here);
  }

  private static Optional<VolumeContentSource> contentSource(StateRecords.Vol v) {
    if (!v.sourceSnapshotId().isEmpty()) {
      return Optional.of(VolumeContentSource.snapshot(v.sourceSnapshotId()));
    }
    if (!v.sourceVolumeId().isEmpty()) {
      return Optional.of(VolumeContentSource.volume(v.sourceVolumeId()));
    }
    return Optional.empty();
  }

  private Volume toCsi(StateRecords.Vol v) {
    return new Volume(v.capacityBytes(), v.id(), ImmutableMap.of(), contentSource(v),
        ImmutableList.of(Topology.of(TOPOLOGY_KEY, config.nodeId())));
  }

  private StateRecords.Vol volume(String id) {
    StateRecords.Vol v = volumes.get(id);
    if (v == null) {
      throw CsiException.notFound("volume " + id + " does not exist");
    }
    return v;
  }

  private void update(StateRecords.Vol v) {
    store.save(v);
    volumes.put(v.id(), v);
  }

  @Override
  public synchronized void deleteVolume(DeleteVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    StateRecords.Vol v = volumes.get(r.volumeId());
    if (v == null) {
      return;
    }
    if (v.inUse()) {
      throw CsiException.failedPrecondition("volume " + v.id() + " is still published or staged");
    }
    removeVolume(v);
    LOG.info("deleted volume {}", v.id());
  }

  /**
   * Forgets a volume, then deletes its directory: a crash in between leaves a directory without a
   * record, which the next start removes; the other order would leave a listed volume without its
   * data.
   */
  private void removeVolume(StateRecords.Vol v) {
    Path dir = volumePath(v.id());
    if (mounter.mountTable().isMountPoint(dir)) {
      throw new CsiException(CsiCode.INTERNAL, dir + " is a mount point; refusing to delete it");
    }
    if (BlockDevices.isBlock(dir)) {
      BlockDevices.detach(dir); // a loop device left by a crash would keep the deleted file alive
    }
    store.deleteVolume(v.id());
    volumes.remove(v.id());
    volumeIdByName.remove(v.name());
    used -= v.capacityBytes();
    deleteTree(dir);
  }

  @Override
  public synchronized ControllerPublishVolumeResponse controllerPublishVolume(ControllerPublishVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    requireField(r.nodeId(), "node_id");
    VolumeCapability cap = requireCapability(r.volumeCapability(), "volume_capability");
    StateRecords.Vol v = volume(r.volumeId());
    if (!config.knownNodes().contains(r.nodeId())) {
      throw CsiException.notFound("node " + r.nodeId() + " does not exist");
    }
    // a missing volume or node first: NOT_FOUND
    BlockDevices.requireAvailable(cap.isBlock(), "volume_capability", CsiCode.INVALID_ARGUMENT);
    if (!r.nodeId().equals(config.nodeId())) {
      throw CsiException.failedPrecondition("volume " + v.id() + " lives on node " + config.nodeId()
          + " and is not accessible from node " + r.nodeId());
    }
    StateRecords.ControllerPub wanted = new StateRecords.ControllerPub(StateRecords.Cap.of(cap), r.readonly());
    StateRecords.ControllerPub existing = v.controllerPublications().get(r.nodeId());
    if (existing != null) {
      if (!existing.equals(wanted)) {
        throw CsiException.alreadyExists("volume " + v.id() + " is published to node " + r.nodeId()
            + " with another capability or readonly flag");
      }
      return publishContext(v);
    }
    if (!cap.accessMode().isMultiNode() && !v.controllerPublications().isEmpty()) {
      throw CsiException.failedPrecondition("volume " + v.id() + " is published to node "
          + v.controllerPublications().keySet().iterator().next() + " and access mode " + cap.accessMode()
          + " allows one node");
    }
    long limit = config.maxVolumesPerNode();
    if (limit > 0) {
      long count = volumes.values().stream().filter(x -> x.controllerPublications().containsKey(r.nodeId())).count();
      if (count >= limit) {
        throw new CsiException(CsiCode.RESOURCE_EXHAUSTED, "node " + r.nodeId() + " has reached its limit of "
            + limit + " volumes");
      }
    }
    Map<String, StateRecords.ControllerPub> pubs = new LinkedHashMap<>(v.controllerPublications());
    pubs.put(r.nodeId(), wanted);
    update(v.withControllerPublications(pubs));
    return publishContext(v);
  }

  private ControllerPublishVolumeResponse publishContext(StateRecords.Vol v) {
    return new ControllerPublishVolumeResponse(ImmutableMap.of(DRIVER_NAME + "/path", volumePath(v.id()).toString()));
  }

  @Override
  public synchronized void controllerUnpublishVolume(ControllerUnpublishVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    StateRecords.Vol v = volumes.get(r.volumeId());
    if (v == null) {
      return;
    }
    List<String> nodes = r.nodeId().isEmpty() ? List.copyOf(v.controllerPublications().keySet()) : List.of(r.nodeId());
    if (nodes.stream().noneMatch(v.controllerPublications()::containsKey)) {
      return;
    }
    if (nodes.contains(config.nodeId()) && (!v.stagingPath().isEmpty() || !v.nodePublications().isEmpty())) {
      throw CsiException.failedPrecondition("volume " + v.id() + " is still staged or published on node "
          + config.nodeId());
    }
    Map<String, StateRecords.ControllerPub> pubs = new LinkedHashMap<>(v.controllerPublications());
    nodes.forEach(pubs::remove);
    update(v.withControllerPublications(pubs));
  }

  @Override
  public synchronized ValidateVolumeCapabilitiesResponse validateVolumeCapabilities(
      ValidateVolumeCapabilitiesRequest r) {
    requireField(r.volumeId(), "volume_id");
    requireCapabilities(r.volumeCapabilities(), "volume_capabilities");
    volume(r.volumeId());
    if (r.volumeCapabilities().stream().anyMatch(VolumeCapability::isBlock) && BlockDevices.unavailable().isPresent()) {
      return new ValidateVolumeCapabilitiesResponse(Optional.empty(),
          "block access is not available on this node: " + BlockDevices.unavailable().get());
    }
    return new ValidateVolumeCapabilitiesResponse(Optional.of(new ValidateVolumeCapabilitiesResponse.Confirmed(
        r.volumeContext(), r.volumeCapabilities(), r.parameters(), r.mutableParameters())), "");
  }

  @Override
  public synchronized ListVolumesResponse listVolumes(ListVolumesRequest r) {
    checkMaxEntries(r.maxEntries());
    NavigableMap<String, StateRecords.Vol> from = page(volumes, r.startingToken());
    ImmutableList.Builder<ListVolumesResponse.Entry> entries = ImmutableList.builder();
    int n = 0;
    for (StateRecords.Vol v : from.values()) {
      if (r.maxEntries() > 0 && n == r.maxEntries()) {
        return new ListVolumesResponse(entries.build(), v.id());
      }
      entries.add(new ListVolumesResponse.Entry(toCsi(v), Optional.of(status(v))));
      n++;
    }
    return new ListVolumesResponse(entries.build(), "");
  }

  private static <T> NavigableMap<String, T> page(NavigableMap<String, T> all, String token) {
    if (token.isEmpty()) {
      return all;
    }
    if (!all.containsKey(token)) {
      throw new CsiException(CsiCode.ABORTED, "starting_token " + token + " is not valid; restart the listing");
    }
    return all.tailMap(token, true);
  }

  private VolumeStatus status(StateRecords.Vol v) {
    return new VolumeStatus(ImmutableList.copyOf(v.controllerPublications().keySet()), Optional.of(condition(v)));
  }

  private VolumeCondition condition(StateRecords.Vol v) {
    if (!Files.isDirectory(volumePath(v.id()))) {
      return new VolumeCondition(true, "volume directory " + volumePath(v.id()) + " is missing");
    }
    MountTable table = mounter.mountTable();
    for (Map.Entry<String, StateRecords.NodePub> p : v.nodePublications().entrySet()) {
      if (!mounter.isPublished(table, Path.of(p.getKey()), p.getValue().how())) {
        return new VolumeCondition(true, "volume is no longer published at " + p.getKey());
      }
    }
    return VolumeCondition.healthy("volume is healthy");
  }

  @Override
  public synchronized GetCapacityResponse getCapacity(GetCapacityRequest r) {
    for (int i = 0; i < r.volumeCapabilities().size(); i++) {
      CsiPreconditions.checkCapability(r.volumeCapabilities().get(i), "volume_capabilities[" + i + "]");
    }
    long available = config.capacityBytes() - used;
    if (r.accessibleTopology().isPresent()
        && !config.nodeId().equals(r.accessibleTopology().get().segments().get(TOPOLOGY_KEY))) {
      available = 0;
    }
    if (r.volumeCapabilities().stream().anyMatch(VolumeCapability::isBlock) && BlockDevices.unavailable().isPresent()) {
      available = 0;
    }
    return new GetCapacityResponse(available, OptionalLong.of(available), OptionalLong.empty());
  }

  @Override
  public synchronized CreateSnapshotResponse createSnapshot(CreateSnapshotRequest r) {
    requireField(r.sourceVolumeId(), "source_volume_id");
    requireField(r.name(), "name");
    String existing = snapshotIdByName.get(r.name());
    if (existing != null) {
      StateRecords.Snap s = snapshots.get(existing);
      if (!s.sourceVolumeId().equals(r.sourceVolumeId())) {
        throw CsiException.alreadyExists("snapshot named " + r.name() + " exists for volume " + s.sourceVolumeId());
      }
      return new CreateSnapshotResponse(toCsi(s));
    }
    StateRecords.Vol v = volume(r.sourceVolumeId());
    return new CreateSnapshotResponse(toCsi(cut(v, "snap-" + UUID.randomUUID(), r.name(), "")));
  }

  /** Copies volume {@code v} into a new snapshot {@code id}, then records it. */
  private StateRecords.Snap cut(StateRecords.Vol v, String id, String name, String groupSnapshotId) {
    Path dir = snapshotsRoot.resolve(id);
    try {
      deleteTreeQuietly(dir); // a copy an interrupted call left unrecorded
      Files.createDirectories(dir);
      copyTree(volumePath(v.id()), dir);
    } catch (IOException e) {
      deleteTreeQuietly(dir);
      throw new CsiException(CsiCode.INTERNAL, "cannot copy volume " + v.id() + " into snapshot: " + e.getMessage(), e);
    }
    StateRecords.Snap s = new StateRecords.Snap(id, name, v.id(), v.capacityBytes(),
        config.clock().instant().toString(), groupSnapshotId);
    store.save(s);
    snapshots.put(id, s);
    snapshotIdByName.put(s.name(), id);
    LOG.info("created snapshot {} of volume {}", id, v.id());
    return s;
  }

  /** A snapshot is ready to use while its data directory exists. */
  private Snapshot toCsi(StateRecords.Snap s) {
    return new Snapshot(s.sizeBytes(), s.id(), s.sourceVolumeId(), Optional.of(Instant.parse(s.createdAt())),
        snapshotReady(s), s.groupSnapshotId());
  }

  private boolean snapshotReady(StateRecords.Snap s) {
    return Files.isDirectory(snapshotsRoot.resolve(s.id()));
  }

  @Override
  public synchronized void deleteSnapshot(DeleteSnapshotRequest r) {
    requireField(r.snapshotId(), "snapshot_id");
    StateRecords.Snap s = snapshots.get(r.snapshotId());
    if (s == null) {
      return;
    }
    if (!s.groupSnapshotId().isEmpty()) {
      throw CsiException.invalidArgument("snapshot " + s.id() + " is part of group snapshot " + s.groupSnapshotId()
          + "; delete it with DeleteVolumeGroupSnapshot");
    }
    forget(s);
  }

  private void forget(StateRecords.Snap s) {
    // The record first: a crash in between leaves data without a record (removed at the next
    // start), never a listed snapshot without its data.
    store.deleteSnapshot(s.id());
    snapshots.remove(s.id());
    snapshotIdByName.remove(s.name());
    deleteTree(snapshotsRoot.resolve(s.id()));
  }

  // ------------------------------------------------------------------ group controller

  @Override
  public GroupControllerGetCapabilitiesResponse groupControllerGetCapabilities() {
    return new GroupControllerGetCapabilitiesResponse(
        ImmutableSet.of(GroupControllerCapability.CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT));
  }

  /**
   * Snapshots every source volume. The group's id and its members' ids derive from the name, so a
   * repeat with the same name and the same volumes (in any order) answers the same group, also
   * after a crash in the middle (members already cut are kept); another set of volumes is
   * ALREADY_EXISTS; an unknown volume is NOT_FOUND and cuts nothing.
   */
  @Override
  public synchronized CreateVolumeGroupSnapshotResponse createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest r) {
    requireField(r.name(), "name");
    if (r.sourceVolumeIds().isEmpty()) {
      throw CsiException.invalidArgument("source_volume_ids: required");
    }
    ImmutableSet<String> sources = ImmutableSet.copyOf(r.sourceVolumeIds());
    String existing = groupIdByName.get(r.name());
    if (existing != null) {
      StateRecords.Group g = groups.get(existing);
      if (!ImmutableSet.copyOf(g.sourceVolumeIds()).equals(sources)) {
        throw CsiException.alreadyExists("group snapshot named " + r.name() + " exists for volumes "
            + g.sourceVolumeIds());
      }
      return new CreateVolumeGroupSnapshotResponse(toCsi(g));
    }
    List<StateRecords.Vol> vols = new ArrayList<>();
    for (String id : sources) {
      vols.add(volume(id));
    }
    String groupId = "group-" + nameUuid(r.name());
    List<StateRecords.Snap> members = new ArrayList<>();
    try {
      for (StateRecords.Vol v : vols) {
        String id = "snap-" + nameUuid(groupId + "/" + v.id());
        StateRecords.Snap s = snapshots.get(id);
        members.add(s != null ? s : cut(v, id, groupId + "/" + v.id(), groupId));
      }
    } catch (CsiException e) {
      members.forEach(this::forget); // all or nothing
      throw e;
    }
    // The group is recorded last: members without it are removed at the next start.
    StateRecords.Group g = new StateRecords.Group(groupId, r.name(), sources.asList(),
        members.stream().map(StateRecords.Snap::id).toList(), config.clock().instant().toString());
    store.save(g);
    groups.put(g.id(), g);
    groupIdByName.put(g.name(), g.id());
    LOG.info("created group snapshot {} of volumes {}", g.id(), g.sourceVolumeIds());
    return new CreateVolumeGroupSnapshotResponse(toCsi(g));
  }

  private static UUID nameUuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
  }

  /** Deletes the group and its members; an unknown group succeeds, mismatching member ids do not. */
  @Override
  public synchronized void deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest r) {
    requireField(r.groupSnapshotId(), "group_snapshot_id");
    StateRecords.Group g = groups.get(r.groupSnapshotId());
    if (g == null) {
      return;
    }
    checkMembers(g, r.snapshotIds());
    // The group first: members a crash leaves behind are removed at the next start.
    store.deleteGroup(g.id());
    groups.remove(g.id());
    groupIdByName.remove(g.name());
    for (String id : g.snapshotIds()) {
      StateRecords.Snap s = snapshots.get(id);
      if (s != null) {
        forget(s);
      }
    }
  }

  @Override
  public synchronized GetVolumeGroupSnapshotResponse getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest r) {
    requireField(r.groupSnapshotId(), "group_snapshot_id");
    StateRecords.Group g = groups.get(r.groupSnapshotId());
    if (g == null) {
      throw CsiException.notFound("group snapshot " + r.groupSnapshotId() + " does not exist");
    }
    checkMembers(g, r.snapshotIds());
    return new GetVolumeGroupSnapshotResponse(toCsi(g));
  }

  private static void checkMembers(StateRecords.Group g, List<String> snapshotIds) {
    if (snapshotIds.isEmpty()) {
      throw CsiException.invalidArgument("snapshot_ids: required");
    }
    if (!ImmutableSet.copyOf(snapshotIds).equals(ImmutableSet.copyOf(g.snapshotIds()))) {
      throw CsiException.invalidArgument("snapshot_ids: " + snapshotIds + " do not match the members "
          + g.snapshotIds() + " of group snapshot " + g.id());
    }
  }

  /** The group as it is now: ready when every member is. */
  private VolumeGroupSnapshot toCsi(StateRecords.Group g) {
    ImmutableList<Snapshot> members = g.snapshotIds().stream().map(snapshots::get).map(this::toCsi)
        .collect(ImmutableList.toImmutableList());
    return new VolumeGroupSnapshot(g.id(), members, Optional.of(Instant.parse(g.createdAt())),
        members.stream().allMatch(Snapshot::readyToUse));
  }

  @Override
  public synchronized ListSnapshotsResponse listSnapshots(ListSnapshotsRequest r) {
    checkMaxEntries(r.maxEntries());
    if (!r.snapshotId().isEmpty()) {
      StateRecords.Snap s = snapshots.get(r.snapshotId());
      boolean matches = s != null && (r.sourceVolumeId().isEmpty() || s.sourceVolumeId().equals(r.sourceVolumeId()));
      return new ListSnapshotsResponse(matches ? ImmutableList.of(toCsi(s)) : ImmutableList.of(), "");
    }
    NavigableMap<String, StateRecords.Snap> from = page(snapshots, r.startingToken());
    ImmutableList.Builder<Snapshot> entries = ImmutableList.builder();
    int n = 0;
    for (StateRecords.Snap s : from.values()) {
      if (!r.sourceVolumeId().isEmpty() && !s.sourceVolumeId().equals(r.sourceVolumeId())) {
        continue;
      }
      if (r.maxEntries() > 0 && n == r.maxEntries()) {
        return new ListSnapshotsResponse(entries.build(), s.id());
      }
      entries.add(toCsi(s));
      n++;
    }
    return new ListSnapshotsResponse(entries.build(), "");
  }

  @Override
  public synchronized io.volumekit.core.csi.GetSnapshotResponse getSnapshot(io.volumekit.core.csi.GetSnapshotRequest r) {
    requireField(r.snapshotId(), "snapshot_id");
    StateRecords.Snap s = snapshots.get(r.snapshotId());
    if (s == null) {
      throw CsiException.notFound("snapshot " + r.snapshotId() + " does not exist");
    }
    return new io.volumekit.core.csi.GetSnapshotResponse(toCsi(s));
  }

  @Override
  public synchronized ControllerExpandVolumeResponse controllerExpandVolume(ControllerExpandVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    CapacityRange range = checkRange(
        r.capacityRange().orElseThrow(() -> CsiException.invalidArgument("capacity_range: required")),
        "capacity_range");
    StateRecords.Vol v = volume(r.volumeId());
    if (r.volumeCapability().isPresent()) {
      CsiPreconditions.checkCapability(r.volumeCapability().get(), "volume_capability");
      refuseBlock(r.volumeCapability().get(), "volume_capability", CsiCode.INVALID_ARGUMENT);
    }
    long wanted = range.requiredBytes();
    if (wanted <= v.capacityBytes()) {
      return new ControllerExpandVolumeResponse(v.capacityBytes(), false);
    }
    if (wanted > config.capacityBytes()) {
      throw new CsiException(CsiCode.OUT_OF_RANGE, "capacity_range: " + wanted + " bytes exceeds the maximum volume size "
          + config.capacityBytes());
    }
    if (used + wanted - v.capacityBytes() > config.capacityBytes()) {
      throw new CsiException(CsiCode.RESOURCE_EXHAUSTED, "not enough capacity to grow volume " + v.id());
    }
    used += wanted - v.capacityBytes();
    update(v.withCapacity(wanted));
    return new ControllerExpandVolumeResponse(wanted, true);
  }

  /**
   * Records the mutable parameters in the volume's state file, all or none: a key outside the
   * configured {@link HostPathConfig#mutableParameterKeys()} is INVALID_ARGUMENT and changes
   * nothing. A directory has no performance attributes, so nothing else changes.
   */
  @Override
  public synchronized ControllerModifyVolumeResponse controllerModifyVolume(ControllerModifyVolumeRequest r) {
    if (config.mutableParameterKeys().isEmpty()) {
      throw CsiException.unimplemented("ControllerModifyVolume");
    }
    requireField(r.volumeId(), "volume_id");
    if (r.mutableParameters().isEmpty()) {
      throw CsiException.invalidArgument("mutable_parameters: required");
    }
    checkMutableParameters(r.mutableParameters());
    StateRecords.Vol v = volume(r.volumeId());
    Map<String, String> merged = new TreeMap<>(v.mutableParameters());
    merged.putAll(r.mutableParameters());
    update(v.withMutableParameters(merged));
    return new ControllerModifyVolumeResponse();
  }

  /** The mutable parameters a volume has now, or empty if there is no such volume (not a CSI call). */
  public synchronized Optional<Map<String, String>> mutableParameters(String volumeId) {
    return Optional.ofNullable(volumes.get(volumeId)).map(StateRecords.Vol::mutableParameters);
  }

  private void checkMutableParameters(Map<String, String> params) {
    if (params.isEmpty()) {
      return;
    }
    if (config.mutableParameterKeys().isEmpty()) {
      throw CsiException.invalidArgument("mutable_parameters: not supported (no MODIFY_VOLUME)");
    }
    for (String k : params.keySet()) {
      if (!config.mutableParameterKeys().contains(k)) {
        throw CsiException.invalidArgument("mutable_parameters: parameter \"" + k + "\" is not supported; accepted: "
            + config.mutableParameterKeys());
      }
    }
  }

  @Override
  public synchronized ControllerGetVolumeResponse controllerGetVolume(ControllerGetVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    StateRecords.Vol v = volume(r.volumeId());
    return new ControllerGetVolumeResponse(toCsi(v), status(v));
  }

  // ------------------------------------------------------------------ node

  @Override
  public NodeGetCapabilitiesResponse nodeGetCapabilities() {
    return new NodeGetCapabilitiesResponse(ImmutableSet.of(NodeCapability.STAGE_UNSTAGE_VOLUME,
        NodeCapability.GET_VOLUME_STATS, NodeCapability.EXPAND_VOLUME, NodeCapability.VOLUME_CONDITION,
        NodeCapability.SINGLE_NODE_MULTI_WRITER));
  }

  @Override
  public NodeGetInfoResponse nodeGetInfo() {
    return new NodeGetInfoResponse(config.nodeId(), config.maxVolumesPerNode(),
        Optional.of(Topology.of(TOPOLOGY_KEY, config.nodeId())));
  }

  private void requireControllerPublished(StateRecords.Vol v) {
    if (!v.controllerPublications().containsKey(config.nodeId())) {
      throw CsiException.failedPrecondition("volume " + v.id() + " is not controller-published to node "
          + config.nodeId());
    }
  }

  @Override
  public synchronized void nodeStageVolume(NodeStageVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    requireField(r.stagingTargetPath(), "staging_target_path");
    VolumeCapability cap = requireCapability(r.volumeCapability(), "volume_capability");
    StateRecords.Vol v = volume(r.volumeId());
    BlockDevices.requireAvailable(cap.isBlock(), "volume_capability", CsiCode.FAILED_PRECONDITION);
    requireBlockVolume(v, cap);
    requireControllerPublished(v);
    StateRecords.Cap wanted = StateRecords.Cap.of(cap);
    // A block volume's staging path is only a directory (the kubelet's volumeDevices/staging/<pv>).
    String how = cap.isBlock() ? SYMLINK : mounter.how();
    if (!v.stagingPath().isEmpty()) {
      if (!v.stagingPath().equals(r.stagingTargetPath())) {
        throw CsiException.failedPrecondition("volume " + v.id() + " is already staged at " + v.stagingPath());
      }
      if (!wanted.equals(v.stageCapability())) {
        throw CsiException.alreadyExists("volume " + v.id() + " is staged at " + v.stagingPath()
            + " with another capability");
      }
      mounter.stage(volumePath(v.id()), Path.of(v.stagingPath()), v.stageHow()); // a lost mount: restore it
      return;
    }
    // Mount, then record: a crash in between leaves a mount the repeated call adopts.
    mounter.stage(volumePath(v.id()), Path.of(r.stagingTargetPath()), how);
    update(v.withStage(r.stagingTargetPath(), wanted, how));
  }

  @Override
  public synchronized void nodeUnstageVolume(NodeUnstageVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    requireField(r.stagingTargetPath(), "staging_target_path");
    StateRecords.Vol v = volume(r.volumeId());
    boolean recorded = v.stagingPath().equals(r.stagingTargetPath());
    if (recorded && !v.nodePublications().isEmpty()) {
      throw CsiException.failedPrecondition("volume " + v.id() + " is still published on node " + config.nodeId()
          + "; unpublish it first");
    }
    // Whatever is mounted there goes, recorded or not (a NodeStage may have been killed between
    // its mount and its record); the directory is the CO's and stays.
    mounter.unmountAll(Path.of(r.stagingTargetPath()));
    if (recorded) {
      update(v.withStage("", null, ""));
    }
  }

  @Override
  public synchronized void nodePublishVolume(NodePublishVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    requireField(r.targetPath(), "target_path");
    VolumeCapability cap = requireCapability(r.volumeCapability(), "volume_capability");
    StateRecords.Vol known = volumes.get(r.volumeId());
    if ((known != null && known.ephemeral()) || EphemeralVolumes.isEphemeral(r, known != null)) {
      publishEphemeral(r, cap);
      return;
    }
    if (r.stagingTargetPath().isEmpty()) {
      throw CsiException.failedPrecondition("staging_target_path: required because the driver stages volumes");
    }
    StateRecords.Vol v = volume(r.volumeId());
    BlockDevices.requireAvailable(cap.isBlock(), "volume_capability", CsiCode.FAILED_PRECONDITION);
    requireBlockVolume(v, cap);
    if (!v.stagingPath().equals(r.stagingTargetPath())) {
      throw CsiException.failedPrecondition("volume " + v.id() + " is not staged at " + r.stagingTargetPath());
    }
    Path target = Path.of(r.targetPath()).toAbsolutePath().normalize();
    String key = target.toString();
    StateRecords.Cap wantedCap = StateRecords.Cap.of(cap);
    StateRecords.NodePub existing = v.nodePublications().get(key);
    if (existing != null) {
      if (!existing.capability().equals(wantedCap) || existing.readonly() != r.readonly()
          || !existing.stagingPath().equals(r.stagingTargetPath())) {
        throw CsiException.alreadyExists("volume " + v.id() + " is published at " + key
            + " with another capability or readonly flag");
      }
      mounter.publish(publishSource(v, cap), target, existing.readonly(), existing.how()); // a lost mount: restore it
      return;
    }
    if (!v.nodePublications().isEmpty()) {
      if (cap.accessMode().isSinglePublication()) {
        throw CsiException.failedPrecondition("volume " + v.id() + " is already published at "
            + v.nodePublications().keySet().iterator().next() + " and access mode " + cap.accessMode()
            + " allows one publication");
      }
      if (!v.nodePublications().values().iterator().next().capability().equals(wantedCap)) {
        throw CsiException.failedPrecondition("volume " + v.id() + " is already published with another capability");
      }
    }
    if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
      throw CsiException.failedPrecondition("parent of target_path " + key + " does not exist; the CO creates it");
    }
    // Mount, then record: a crash in between leaves a mount that the repeated call adopts (fixing
    // its read-only flag) and that NodeUnpublish removes without a record.
    String how = cap.isBlock() ? SYMLINK : mounter.how();
    mounter.publish(publishSource(v, cap), target, r.readonly(), how);
    Map<String, StateRecords.NodePub> pubs = new LinkedHashMap<>(v.nodePublications());
    pubs.put(key, new StateRecords.NodePub(wantedCap, r.readonly(), r.stagingTargetPath(), how));
    update(v.withNodePublications(pubs));
  }

  @Override
  public synchronized void nodeUnpublishVolume(NodeUnpublishVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    requireField(r.targetPath(), "target_path");
    Path target = Path.of(r.targetPath()).toAbsolutePath().normalize();
    StateRecords.Vol v = volumes.get(r.volumeId());
    if (v == null && EphemeralVolumes.isInlineHandle(r.volumeId())) {
      mounter.unpublish(target); // an inline volume already deleted; its target may outlive a crash
      return;
    }
    v = volume(r.volumeId());
    // Whatever is at the target goes, recorded or not (a NodePublish may have been killed between
    // its mount and its record), then the record.
    mounter.unpublish(target);
    if (!v.nodePublications().containsKey(target.toString())) {
      return;
    }
    Map<String, StateRecords.NodePub> pubs = new LinkedHashMap<>(v.nodePublications());
    pubs.remove(target.toString());
    if (pubs.isEmpty() && BlockDevices.isBlock(volumePath(v.id()))) {
      BlockDevices.detach(volumePath(v.id())); // the last publication gone: free the loop device
    }
    if (v.ephemeral() && pubs.isEmpty()) {
      removeVolume(v);
      LOG.info("deleted inline ephemeral volume {}", v.id());
      return;
    }
    update(v.withNodePublications(pubs));
  }

  /**
   * NodePublish of an inline ephemeral volume (docs/cases/node-side.md row E4): the volume directory is
   * created on first publish, of the default size or of the {@code size} volume attribute (bytes).
   */
  private void publishEphemeral(NodePublishVolumeRequest r, VolumeCapability cap) {
    refuseBlock(cap, "volume_capability", CsiCode.FAILED_PRECONDITION);
    StateRecords.Vol v = volumes.get(r.volumeId());
    Path target = Path.of(r.targetPath()).toAbsolutePath().normalize();
    StateRecords.Cap wantedCap = StateRecords.Cap.of(cap);
    if (v == null) {
      long size = config.defaultVolumeSizeBytes();
      String requested = r.volumeContext().getOrDefault("size", "");
      if (!requested.isEmpty()) {
        try {
          size = Long.parseLong(requested);
        } catch (NumberFormatException e) {
          throw CsiException.invalidArgument("volume_context.size: expected a number of bytes, got " + requested);
        }
      }
      if (size <= 0 || size > config.capacityBytes()) {
        throw new CsiException(CsiCode.OUT_OF_RANGE, "volume_context.size: " + size + " bytes is out of range");
      }
      if (used + size > config.capacityBytes()) {
        throw new CsiException(CsiCode.RESOURCE_EXHAUSTED, "not enough capacity for inline volume " + r.volumeId());
      }
      try {
        mounter.createDirectories(volumePath(r.volumeId()));
      } catch (IOException e) {
        throw new CsiException(CsiCode.INTERNAL, "cannot create inline volume directory: " + e.getMessage(), e);
      }
      v = new StateRecords.Vol(r.volumeId(), "ephemeral-" + r.volumeId(), size, Map.of(), "", "",
          config.clock().instant().toString(), Map.of(), "", null, "", Map.of(), true, 0, Map.of());
      store.save(v);
      volumes.put(v.id(), v);
      volumeIdByName.put(v.name(), v.id());
      used += size;
    } else if (!v.ephemeral()) {
      throw CsiException.failedPrecondition("volume " + v.id() + " exists and is not an inline ephemeral volume");
    }
    StateRecords.NodePub existing = v.nodePublications().get(target.toString());
    if (existing != null) {
      if (!existing.capability().equals(wantedCap) || existing.readonly() != r.readonly()) {
        throw CsiException.alreadyExists("inline volume " + v.id() + " is published at " + target
            + " with another capability or readonly flag");
      }
      mounter.publish(volumePath(v.id()), target, existing.readonly(), existing.how());
      return;
    }
    if (!v.nodePublications().isEmpty()) {
      throw CsiException.failedPrecondition("inline volume " + v.id() + " is already published at "
          + v.nodePublications().keySet().iterator().next());
    }
    if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
      throw CsiException.failedPrecondition("parent of target_path " + target + " does not exist; the CO creates it");
    }
    mounter.publish(volumePath(v.id()), target, r.readonly(), mounter.how());
    Map<String, StateRecords.NodePub> pubs = new LinkedHashMap<>(v.nodePublications());
    pubs.put(target.toString(), new StateRecords.NodePub(wantedCap, r.readonly(), "", mounter.how()));
    update(v.withNodePublications(pubs));
  }

  /** How block publications and stages are made: a symlink to the device, a directory. */
  private static final String SYMLINK = "symlink";

  /** A block capability on a filesystem volume, or the reverse, is refused. */
  private void requireBlockVolume(StateRecords.Vol v, VolumeCapability cap) {
    boolean block = BlockDevices.isBlock(volumePath(v.id()));
    if (cap.isBlock() != block) {
      throw CsiException.invalidArgument("volume_capability: volume " + v.id() + " is a "
          + (block ? "block" : "filesystem") + " volume and cannot be used with " + (cap.isBlock() ? "block" : "mount")
          + " access");
    }
  }

  /** What a publication shows: the volume directory, or the loop device of a block volume (attached here). */
  private Path publishSource(StateRecords.Vol v, VolumeCapability cap) {
    return cap.isBlock() ? BlockDevices.attach(volumePath(v.id())) : volumePath(v.id());
  }

  private void requireAtPath(StateRecords.Vol v, String path) {
    String p = Path.of(path).toAbsolutePath().normalize().toString();
    if (!v.nodePublications().containsKey(p) && !v.stagingPath().equals(path)) {
      throw CsiException.notFound("volume " + v.id() + " is not published or staged at " + path);
    }
  }

  @Override
  public synchronized NodeGetVolumeStatsResponse nodeGetVolumeStats(NodeGetVolumeStatsRequest r) {
    requireField(r.volumeId(), "volume_id");
    requireField(r.volumePath(), "volume_path");
    StateRecords.Vol v = volume(r.volumeId());
    requireAtPath(v, r.volumePath());
    long[] usage = usage(volumePath(v.id()));
    long usedBytes = usage[0];
    return new NodeGetVolumeStatsResponse(ImmutableList.of(
        new VolumeUsage(Math.max(0, v.filesystemSize() - usedBytes), v.filesystemSize(), usedBytes, VolumeUsage.Unit.BYTES),
        new VolumeUsage(0, 0, usage[1], VolumeUsage.Unit.INODES)),
        Optional.of(condition(v)));
  }

  /** Bytes and files used under a directory. */
  private static long[] usage(Path dir) {
    long[] totals = new long[2];
    if (!Files.isDirectory(dir)) {
      return totals;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.forEach(f -> {
        totals[1]++;
        if (Files.isRegularFile(f)) {
          try {
            totals[0] += Files.size(f);
          } catch (IOException e) {
            LOG.debug("cannot size {}: {}", f, e.toString());
          }
        }
      });
    } catch (IOException e) {
      throw new CsiException(CsiCode.INTERNAL, "cannot measure " + dir + ": " + e.getMessage(), e);
    }
    return totals;
  }

  @Override
  public synchronized NodeExpandVolumeResponse nodeExpandVolume(NodeExpandVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    requireField(r.volumePath(), "volume_path");
    r.capacityRange().ifPresent(c -> checkRange(c, "capacity_range"));
    StateRecords.Vol v = volume(r.volumeId());
    if (r.volumeCapability().isPresent()) {
      CsiPreconditions.checkCapability(r.volumeCapability().get(), "volume_capability");
      refuseBlock(r.volumeCapability().get(), "volume_capability", CsiCode.INVALID_ARGUMENT);
    }
    requireAtPath(v, r.volumePath());
    if (r.capacityRange().isPresent() && r.capacityRange().get().requiredBytes() > v.capacityBytes()) {
      throw new CsiException(CsiCode.OUT_OF_RANGE, "capacity_range: " + r.capacityRange().get().requiredBytes()
          + " bytes is more than the volume's " + v.capacityBytes() + "; expand it on the controller first");
    }
    // A directory has no filesystem of its own to grow: the node side's size (what
    // NodeGetVolumeStats reports) catches up with the controller's, and is kept in the state file.
    if (v.filesystemSize() != v.capacityBytes()) {
      update(v.withFilesystemGrown());
    }
    return new NodeExpandVolumeResponse(v.capacityBytes());
  }

  // ------------------------------------------------------------------ files

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir)));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.COPY_ATTRIBUTES, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    if (mounter.mountTable().isMountPoint(dir)) {
      throw new CsiException(CsiCode.INTERNAL, dir + " is a mount point; refusing to delete it");
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(paths.toList());
      java.util.Collections.reverse(all);
      for (Path p : all) {
        sys.delete(p);
      }
    } catch (IOException e) {
      throw new CsiException(CsiCode.INTERNAL, "cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  private void deleteTreeQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (CsiException e) {
      LOG.warn("cleanup of {} failed: {}", dir, e.getMessage());
    }
  }
}
