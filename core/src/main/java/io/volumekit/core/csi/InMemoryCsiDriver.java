package io.volumekit.core.csi;

import static io.volumekit.core.csi.CsiPreconditions.checkMaxEntries;
import static io.volumekit.core.csi.CsiPreconditions.checkRange;
import static io.volumekit.core.csi.CsiPreconditions.requireCapabilities;
import static io.volumekit.core.csi.CsiPreconditions.requireCapability;
import static io.volumekit.core.csi.CsiPreconditions.requireField;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * A CSI driver that keeps everything in memory and enforces the CSI spec's rules: required fields
 * (INVALID_ARGUMENT), idempotent repeats, ALREADY_EXISTS for an incompatible repeat, NOT_FOUND,
 * FAILED_PRECONDITION for calls out of the lifecycle order of the CSI spec's figures 5-6 (e.g. NodePublish
 * before NodeStage, DeleteVolume of a published volume), OUT_OF_RANGE and RESOURCE_EXHAUSTED for
 * capacity, the node attach limit and the single-node access modes (as the CSI spec prescribes).
 *
 * <p>One instance is one driver as seen from one node: the controller state (volumes, snapshots,
 * capacity, controller publications) is shared by all views made with {@link #forNode(String)},
 * while node calls (stage, publish) act on the view's node. That lets a simulation of several
 * nodes use one driver. Thread-safe: every call runs under one lock, so calls are atomic.
 *
 * <p>One lifecycle rule is the CO's to keep, not the driver's: NodeUnpublish and NodeUnstage
 * before ControllerUnpublish (CSI spec, ControllerUnpublishVolume). Every ControllerUnpublish that
 * breaks it is recorded in {@link #orderingViolations()}. What the driver then does is {@link
 * Config#withRejectOutOfOrderUnpublish configurable}: refuse with FAILED_PRECONDITION (the
 * default), or detach anyway as a cloud disk driver does, dropping what the node still had staged
 * or published. Kubernetes relies on the latter to force-detach the volumes of a node that was
 * shut down without draining (out-of-service taint) or deleted; see {@link
 * #controllerUnpublishVolume}.
 *
 * <pre>{@code
 * InMemoryCsiDriver driver = new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults()
 *     .withCapacityBytes(10L << 30).withMaxVolumesPerNode(2));
 * InMemoryCsiDriver node2 = driver.forNode("node-2");
 * }</pre>
 */
public final class InMemoryCsiDriver implements CsiDriver {

  /** The topology key naming the node a volume is accessible from, when topology is enabled. */
  public static final String TOPOLOGY_KEY = "topology.memory.csi.volumekit.io/node";

  /**
   * The driver's configuration: name, storage pool size, default volume size, which optional
   * behaviours are on (staging, controller publishing, topology, attach limit) and whether an
   * out-of-order ControllerUnpublishVolume is refused ({@link #withRejectOutOfOrderUnpublish}).
   */
  public record Config(
      String driverName,
      String vendorVersion,
      String nodeId,
      long capacityBytes,
      long defaultVolumeSizeBytes,
      boolean stageUnstage,
      boolean publishUnpublish,
      boolean topology,
      long maxVolumesPerNode,
      Clock clock,
      boolean rejectOutOfOrderUnpublish,
      ImmutableSortedSet<String> mutableParameterKeys) {
    /** Validates the configuration. */
    public Config {
      mutableParameterKeys = mutableParameterKeys == null ? ImmutableSortedSet.of() : mutableParameterKeys;
      requireNonEmpty(driverName, "driverName");
      vendorVersion = Objects.requireNonNullElse(vendorVersion, "");
      requireNonEmpty(nodeId, "nodeId");
      if (capacityBytes <= 0 || defaultVolumeSizeBytes <= 0 || maxVolumesPerNode < 0) {
        throw new IllegalArgumentException("capacityBytes and defaultVolumeSizeBytes must be > 0, "
            + "maxVolumesPerNode >= 0");
      }
      Objects.requireNonNull(clock, "clock");
    }

    private static void requireNonEmpty(String s, String field) {
      if (s == null || s.isEmpty()) {
        throw new IllegalArgumentException(field + ": required");
      }
    }

    /**
     * Driver {@code memory.csi.volumekit.io} on node {@code node-1}: 100 GiB pool, 1 GiB default
     * size, staging and controller publishing on, no topology, no attach limit, system UTC clock,
     * out-of-order ControllerUnpublishVolume refused and recorded ({@link
     * #withRejectOutOfOrderUnpublish}: the behaviour this driver always had, which volumekit's own
     * attach/detach tests assert).
     */
    public static Config defaults() {
      return new Config("memory.csi.volumekit.io", "0.1.0", "node-1", 100L << 30, 1L << 30,
          true, true, false, 0, Clock.systemUTC(), true, ImmutableSortedSet.of());
    }

    /** With another driver name. */
    public Config withDriverName(String v) {
      return new Config(v, vendorVersion, nodeId, capacityBytes, defaultVolumeSizeBytes, stageUnstage,
          publishUnpublish, topology, maxVolumesPerNode, clock, rejectOutOfOrderUnpublish, mutableParameterKeys);
    }

    /** With another first node id. */
    public Config withNodeId(String v) {
      return new Config(driverName, vendorVersion, v, capacityBytes, defaultVolumeSizeBytes, stageUnstage,
          publishUnpublish, topology, maxVolumesPerNode, clock, rejectOutOfOrderUnpublish, mutableParameterKeys);
    }

    /** With another pool size. */
    public Config withCapacityBytes(long v) {
      return new Config(driverName, vendorVersion, nodeId, v, defaultVolumeSizeBytes, stageUnstage,
          publishUnpublish, topology, maxVolumesPerNode, clock, rejectOutOfOrderUnpublish, mutableParameterKeys);
    }

    /** With another default volume size. */
    public Config withDefaultVolumeSizeBytes(long v) {
      return new Config(driverName, vendorVersion, nodeId, capacityBytes, v, stageUnstage,
          publishUnpublish, topology, maxVolumesPerNode, clock, rejectOutOfOrderUnpublish, mutableParameterKeys);
    }

    /** With STAGE_UNSTAGE_VOLUME on or off. */
    public Config withStageUnstage(boolean v) {
      return new Config(driverName, vendorVersion, nodeId, capacityBytes, defaultVolumeSizeBytes, v,
          publishUnpublish, topology, maxVolumesPerNode, clock, rejectOutOfOrderUnpublish, mutableParameterKeys);
    }

    /** With PUBLISH_UNPUBLISH_VOLUME on or off. */
    public Config withPublishUnpublish(boolean v) {
      return new Config(driverName, vendorVersion, nodeId, capacityBytes, defaultVolumeSizeBytes, stageUnstage,
          v, topology, maxVolumesPerNode, clock, rejectOutOfOrderUnpublish, mutableParameterKeys);
    }

    /** With topology (VOLUME_ACCESSIBILITY_CONSTRAINTS, one segment per node) on or off. */
    public Config withTopology(boolean v) {
      return new Config(driverName, vendorVersion, nodeId, capacityBytes, defaultVolumeSizeBytes, stageUnstage,
          publishUnpublish, v, maxVolumesPerNode, clock, rejectOutOfOrderUnpublish, mutableParameterKeys);
    }

    /** With an attach limit per node (0: none). */
    public Config withMaxVolumesPerNode(long v) {
      return new Config(driverName, vendorVersion, nodeId, capacityBytes, defaultVolumeSizeBytes, stageUnstage,
          publishUnpublish, topology, v, clock, rejectOutOfOrderUnpublish, mutableParameterKeys);
    }

    /** With another clock (snapshot creation times). */
    public Config withClock(Clock v) {
      return new Config(driverName, vendorVersion, nodeId, capacityBytes, defaultVolumeSizeBytes, stageUnstage,
          publishUnpublish, topology, maxVolumesPerNode, v, rejectOutOfOrderUnpublish, mutableParameterKeys);
    }

    /**
     * With the mutable parameter keys this driver accepts (CreateVolume's {@code
     * mutable_parameters} and ControllerModifyVolume). Empty, the default, means the driver has no
     * MODIFY_VOLUME capability and refuses mutable parameters; otherwise it advertises MODIFY_VOLUME
     * and answers INVALID_ARGUMENT, applying nothing, when a request names any other key.
     */
    public Config withMutableParameterKeys(java.util.Collection<String> v) {
      return new Config(driverName, vendorVersion, nodeId, capacityBytes, defaultVolumeSizeBytes, stageUnstage,
          publishUnpublish, topology, maxVolumesPerNode, clock, rejectOutOfOrderUnpublish, ImmutableSortedSet.copyOf(v));
    }

    /**
     * Whether ControllerUnpublishVolume for a node where the volume is still staged or published
     * is refused with FAILED_PRECONDITION ({@code true}, the default) or detaches the volume
     * anyway and drops the node's stage and publications of it ({@code false}, as real attachable
     * drivers do). Either way the call is recorded in {@link InMemoryCsiDriver#orderingViolations()}.
     *
     * <p>Refusing turns a CO ordering bug into a failed call, but it also stalls the forced detach
     * Kubernetes does after a non-graceful node shutdown or a node deletion: the attacher retries
     * until the node comes back and unstages, so the volume cannot move and {@code settle()} does
     * not become quiescent meanwhile. Pass {@code false} to simulate node loss as a cluster with a
     * cloud disk driver behaves, and assert the CO's ordering on the recorded violations instead.
     */
    public Config withRejectOutOfOrderUnpublish(boolean v) {
      return new Config(driverName, vendorVersion, nodeId, capacityBytes, defaultVolumeSizeBytes, stageUnstage,
          publishUnpublish, topology, maxVolumesPerNode, clock, v, mutableParameterKeys);
    }
  }

  private final Backend backend;
  private final String nodeId;

  /** A driver with {@link Config#defaults()}. */
  public InMemoryCsiDriver() {
    this(Config.defaults());
  }

  /** A driver with the given configuration, seen from {@code config.nodeId()}. */
  public InMemoryCsiDriver(Config config) {
    this(new Backend(config), config.nodeId());
  }

  private InMemoryCsiDriver(Backend backend, String nodeId) {
    this.backend = backend;
    this.nodeId = nodeId;
    synchronized (backend) {
      backend.nodes.add(nodeId);
    }
  }

  /** A view of the same driver from another node (the node becomes known to the controller). */
  @Override
  public InMemoryCsiDriver forNode(String otherNodeId) {
    Config.requireNonEmpty(otherNodeId, "nodeId");
    return new InMemoryCsiDriver(backend, otherNodeId);
  }

  /** The node this view's node calls act on. */
  public String nodeId() {
    return nodeId;
  }

  /** The configuration. */
  public Config config() {
    return backend.config;
  }

  /**
   * A ControllerUnpublishVolume for a node where the volume was still staged or published: the
   * CO skipped NodeUnpublish/NodeUnstage (the CSI spec's ControllerUnpublishVolume puts that order on
   * the CO). Kubernetes does it on purpose when it force-detaches from a node that is out of
   * service or deleted (non-graceful node shutdown); anywhere else it is a CO bug.
   *
   * @param volumeId the volume detached
   * @param nodeId the node it was detached from
   * @param stagingTargetPath where the volume was still staged on that node, if it was
   * @param targetPaths where it was still published on that node (sorted)
   * @param rejected whether the driver refused the call ({@link Config#rejectOutOfOrderUnpublish()})
   *     and kept everything as it was; otherwise the volume was detached and these records dropped
   */
  public record OrderingViolation(
      String volumeId, String nodeId, Optional<String> stagingTargetPath, ImmutableSortedSet<String> targetPaths,
      boolean rejected) {
    /** Validates and normalizes (null -> empty). */
    public OrderingViolation {
      Objects.requireNonNull(volumeId, "volumeId");
      Objects.requireNonNull(nodeId, "nodeId");
      stagingTargetPath = Objects.requireNonNullElse(stagingTargetPath, Optional.empty());
      targetPaths = targetPaths == null ? ImmutableSortedSet.of() : ImmutableSortedSet.copyOf(targetPaths);
    }

    /** One line for assertion messages, e.g. {@code vol-1 on node-1: staged at /s, published at [/p] (detached)}. */
    public String describe() {
      List<String> what = new ArrayList<>();
      stagingTargetPath.ifPresent(p -> what.add("staged at " + p));
      if (!targetPaths.isEmpty()) {
        what.add("published at " + targetPaths);
      }
      return volumeId + " on " + nodeId + ": " + String.join(", ", what) + (rejected ? " (refused)" : " (detached)");
    }
  }

  /**
   * Every ControllerUnpublishVolume this driver (any node's view) received while the volume was
   * still staged or published on the node it detached from, oldest first. A test asserts the
   * CO's ordering with it, e.g. that every entry names a node that was down or deleted.
   */
  public ImmutableList<OrderingViolation> orderingViolations() {
    synchronized (backend) {
      return ImmutableList.copyOf(backend.orderingViolations);
    }
  }

  // ------------------------------------------------------------------ state

  private record Vol(
      String id,
      String name,
      long capacity,
      ImmutableMap<String, String> parameters,
      Optional<VolumeContentSource> source,
      ImmutableList<Topology> topology,
      ImmutableMap<String, String> context,
      ImmutableMap<String, String> mutableParameters) {
    Volume toCsi() {
      return new Volume(capacity, id, context, source, topology);
    }

    Vol withCapacity(long c) {
      return new Vol(id, name, c, parameters, source, topology, context, mutableParameters);
    }

    Vol withMutableParameters(ImmutableMap<String, String> m) {
      return new Vol(id, name, capacity, parameters, source, topology, context, m);
    }
  }

  private record Snap(String id, String name, String sourceVolumeId, long size, Instant created, String groupId) {
    Snapshot toCsi(boolean ready) {
      return new Snapshot(size, id, sourceVolumeId, Optional.of(created), ready, groupId);
    }
  }

  private record Group(String id, String name, ImmutableList<String> sourceVolumeIds,
      ImmutableList<String> snapshotIds, Instant created) {}

  private record ControllerPublication(VolumeCapability capability, boolean readonly) {}

  private record Stage(String path, VolumeCapability capability) {}

  private record NodePublication(VolumeCapability capability, boolean readonly, String stagingPath) {}

  /**
   * A volume on a node: the key of the stage and publication maps, looked up in every node call.
   * Its equals and hashCode are written out: a record's generated ones go through method handles,
   * which showed in the lifecycle's profile.
   */
  private record NodeVolume(String node, String volumeId) {
    @Override
    public boolean equals(Object o) {
      return o instanceof NodeVolume v && Objects.equals(node, v.node)
          && Objects.equals(volumeId, v.volumeId);
    }

    @Override
    public int hashCode() {
      return 31 * Objects.hashCode(node) + Objects.hashCode(volumeId);
    }
  }

  /** The shared controller and node state; every access holds the backend's monitor. */
  private static final class Backend {
    final Config config;
    final Set<String> nodes = new HashSet<>();
    // TreeMaps keyed by id: ids grow monotonically, so iteration order is creation order and a
    // page starting at a token is a tailMap view, O(log n) to find.
    final NavigableMap<String, Vol> volumes = new TreeMap<>();
    final Map<String, String> volumeIdByName = new HashMap<>();
    final NavigableMap<String, Snap> snapshots = new TreeMap<>();
    final Map<String, String> snapshotIdByName = new HashMap<>();
    final NavigableMap<String, Group> groups = new TreeMap<>();
    final Map<String, String> groupIdByName = new HashMap<>();
    // Set by tests (setSnapshotsReadyAfter): how many more answers about a snapshot say not ready.
    int notReadyAnswers;
    final Map<String, Integer> pendingNotReady = new HashMap<>();
    final Map<String, Map<String, ControllerPublication>> controllerPublications = new HashMap<>();
    final Map<NodeVolume, Stage> stages = new HashMap<>();
    final Map<NodeVolume, Map<String, NodePublication>> nodePublications = new HashMap<>();
    final Set<String> ephemeral = new HashSet<>();
    // Set by tests (setVolumeCondition, setUsedBytes); absent means healthy and empty.
    final Map<String, VolumeCondition> conditions = new HashMap<>();
    final Map<String, Long> usedBytes = new HashMap<>();
    // Append-only, read by tests: an ArrayList (O(1) append) copied on read is enough.
    final List<OrderingViolation> orderingViolations = new ArrayList<>();
    long used;
    long nextId = 1;

    Backend(Config config) {
      this.config = config;
    }

    String newId(String prefix) {
      // Same text as String.format("%s-%012d", prefix, n) without the Formatter (2-3% of a lifecycle).
      String digits = Long.toString(nextId++);
      StringBuilder b = new StringBuilder(prefix.length() + 13).append(prefix).append('-');
      for (int i = digits.length(); i < 12; i++) {
        b.append('0');
      }
      return b.append(digits).toString();
    }

    Vol volume(String id) {
      Vol v = volumes.get(id);
      if (v == null) {
        throw CsiException.notFound("volume " + id + " does not exist");
      }
      return v;
    }

    long publishedCount(String node) {
      return controllerPublications.values().stream().filter(m -> m.containsKey(node)).count();
    }

    boolean inUseAnywhere(String volumeId) {
      return stages.keySet().stream().anyMatch(k -> k.volumeId().equals(volumeId))
          || nodePublications.entrySet().stream()
              .anyMatch(e -> e.getKey().volumeId().equals(volumeId) && !e.getValue().isEmpty())
          || !controllerPublications.getOrDefault(volumeId, Map.of()).isEmpty();
    }
  }

  // ------------------------------------------------------------------ identity

  @Override
  public GetPluginInfoResponse getPluginInfo() {
    return new GetPluginInfoResponse(backend.config.driverName(), backend.config.vendorVersion(), ImmutableMap.of());
  }

  @Override
  public GetPluginCapabilitiesResponse getPluginCapabilities() {
    ImmutableSet.Builder<PluginCapability> b = ImmutableSet.builder();
    b.add(PluginCapability.CONTROLLER_SERVICE, PluginCapability.GROUP_CONTROLLER_SERVICE,
        PluginCapability.ONLINE_VOLUME_EXPANSION);
    if (backend.config.topology()) {
      b.add(PluginCapability.VOLUME_ACCESSIBILITY_CONSTRAINTS);
    }
    return new GetPluginCapabilitiesResponse(b.build());
  }

  @Override
  public ProbeResponse probe() {
    return ProbeResponse.isReady();
  }

  // ------------------------------------------------------------------ controller

  @Override
  public ControllerGetCapabilitiesResponse controllerGetCapabilities() {
    ImmutableSet.Builder<ControllerCapability> b = ImmutableSet.builder();
    b.add(ControllerCapability.CREATE_DELETE_VOLUME, ControllerCapability.LIST_VOLUMES,
        ControllerCapability.GET_CAPACITY, ControllerCapability.CREATE_DELETE_SNAPSHOT,
        ControllerCapability.LIST_SNAPSHOTS, ControllerCapability.GET_SNAPSHOT, ControllerCapability.CLONE_VOLUME,
        ControllerCapability.EXPAND_VOLUME, ControllerCapability.VOLUME_CONDITION,
        ControllerCapability.GET_VOLUME, ControllerCapability.SINGLE_NODE_MULTI_WRITER);
    if (!backend.config.mutableParameterKeys().isEmpty()) {
      b.add(ControllerCapability.MODIFY_VOLUME);
    }
    if (backend.config.publishUnpublish()) {
      b.add(ControllerCapability.PUBLISH_UNPUBLISH_VOLUME, ControllerCapability.PUBLISH_READONLY,
          ControllerCapability.LIST_VOLUMES_PUBLISHED_NODES);
    }
    return new ControllerGetCapabilitiesResponse(b.build());
  }

  @Override
  public CreateVolumeResponse createVolume(CreateVolumeRequest r) {
    requireField(r.name(), "name");
    requireCapabilities(r.volumeCapabilities(), "volume_capabilities");
    checkMutableParameters(r.mutableParameters(), "mutable_parameters");
    synchronized (backend) {
      long size = CsiPreconditions.sizeFor(r.capacityRange(), backend.config.defaultVolumeSizeBytes(),
          backend.config.capacityBytes());
      String existingId = backend.volumeIdByName.get(r.name());
      if (existingId != null) {
        Vol v = backend.volumes.get(existingId);
        boolean compatible = r.capacityRange().map(cr -> cr.admits(v.capacity())).orElse(true)
            && v.parameters().equals(r.parameters())
            && v.source().equals(r.volumeContentSource());
        if (!compatible) {
          throw CsiException.alreadyExists("volume named " + r.name() + " exists with capacity "
              + v.capacity() + ", other parameters or another content source");
        }
        return new CreateVolumeResponse(v.toCsi());
      }
      if (r.volumeContentSource().isPresent()) {
        long sourceSize = sourceSize(r.volumeContentSource().get());
        if (sourceSize > size) {
          if (r.capacityRange().isPresent() && r.capacityRange().get().limitBytes() > 0
              && r.capacityRange().get().limitBytes() < sourceSize) {
            throw new CsiException(CsiCode.OUT_OF_RANGE, "capacity_range: limit "
                + r.capacityRange().get().limitBytes() + " below the source size " + sourceSize);
          }
          size = sourceSize;
        }
      }
      ImmutableList<Topology> topology = chooseTopology(r.accessibilityRequirements());
      if (backend.used + size > backend.config.capacityBytes()) {
        throw new CsiException(CsiCode.RESOURCE_EXHAUSTED, "not enough capacity: " + size
            + " bytes requested, " + (backend.config.capacityBytes() - backend.used) + " available");
      }
      String id = backend.newId("vol");
      Vol v = new Vol(id, r.name(), size, r.parameters(), r.volumeContentSource(), topology,
          ImmutableMap.of("memory.csi.volumekit.io/name", r.name()), r.mutableParameters());
      backend.volumes.put(id, v);
      backend.volumeIdByName.put(r.name(), id);
      backend.used += size;
      return new CreateVolumeResponse(v.toCsi());
    }
  }

  private long sourceSize(VolumeContentSource source) {
    if (source instanceof VolumeContentSource.SnapshotSource s) {
      requireField(s.snapshotId(), "volume_content_source.snapshot.snapshot_id");
      Snap snap = backend.snapshots.get(s.snapshotId());
      if (snap == null) {
        throw CsiException.notFound("snapshot " + s.snapshotId() + " does not exist");
      }
      return snap.size();
    }
    VolumeContentSource.VolumeSource vs = (VolumeContentSource.VolumeSource) source;
    requireField(vs.volumeId(), "volume_content_source.volume.volume_id");
    Vol v = backend.volumes.get(vs.volumeId());
    if (v == null) {
      throw CsiException.notFound("source volume " + vs.volumeId() + " does not exist");
    }
    return v.capacity();
  }

  private ImmutableList<Topology> chooseTopology(Optional<TopologyRequirement> requirement) {
    if (!backend.config.topology()) {
      return ImmutableList.of();
    }
    if (requirement.isEmpty()
        || (requirement.get().preferred().isEmpty() && requirement.get().requisite().isEmpty())) {
      return ImmutableList.of(Topology.of(TOPOLOGY_KEY, nodeId));
    }
    List<Topology> candidates = new ArrayList<>(requirement.get().preferred());
    candidates.addAll(requirement.get().requisite());
    for (Topology t : candidates) {
      String node = t.segments().get(TOPOLOGY_KEY);
      if (node != null && backend.nodes.contains(node)) {
        return ImmutableList.of(Topology.of(TOPOLOGY_KEY, node));
      }
    }
    throw new CsiException(CsiCode.RESOURCE_EXHAUSTED,
        "accessibility_requirements: no requested topology names a node of this driver");
  }

  private void checkAccessible(Vol v, String node) {
    if (!v.topology().isEmpty() && !v.topology().contains(Topology.of(TOPOLOGY_KEY, node))) {
      throw CsiException.failedPrecondition("volume " + v.id() + " is not accessible from node " + node);
    }
  }

  @Override
  public void deleteVolume(DeleteVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    synchronized (backend) {
      Vol v = backend.volumes.get(r.volumeId());
      if (v == null) {
        return;
      }
      if (backend.inUseAnywhere(v.id())) {
        throw CsiException.failedPrecondition("volume " + v.id() + " is still published or staged");
      }
      backend.volumes.remove(v.id());
      backend.conditions.remove(v.id());
      backend.usedBytes.remove(v.id());
      backend.volumeIdByName.remove(v.name());
      backend.controllerPublications.remove(v.id());
      backend.used -= v.capacity();
    }
  }

  @Override
  public ControllerPublishVolumeResponse controllerPublishVolume(ControllerPublishVolumeRequest r) {
    requirePublishUnpublish("ControllerPublishVolume");
    requireField(r.volumeId(), "volume_id");
    requireField(r.nodeId(), "node_id");
    VolumeCapability cap = requireCapability(r.volumeCapability(), "volume_capability");
    synchronized (backend) {
      Vol v = backend.volume(r.volumeId());
      if (!backend.nodes.contains(r.nodeId())) {
        throw CsiException.notFound("node " + r.nodeId() + " does not exist");
      }
      checkAccessible(v, r.nodeId());
      Map<String, ControllerPublication> pubs =
          backend.controllerPublications.computeIfAbsent(v.id(), k -> new LinkedHashMap<>());
      ControllerPublication wanted = new ControllerPublication(cap, r.readonly());
      ControllerPublication existing = pubs.get(r.nodeId());
      if (existing != null) {
        if (!existing.equals(wanted)) {
          throw CsiException.alreadyExists("volume " + v.id() + " is published to node " + r.nodeId()
              + " with another capability or readonly flag");
        }
        return publishContext(v.id(), r.nodeId());
      }
      if (!cap.accessMode().isMultiNode() && !pubs.isEmpty()) {
        throw CsiException.failedPrecondition("volume " + v.id() + " is published to node "
            + pubs.keySet().iterator().next() + " and its access mode " + cap.accessMode()
            + " allows one node");
      }
      long limit = backend.config.maxVolumesPerNode();
      if (limit > 0 && backend.publishedCount(r.nodeId()) >= limit) {
        throw new CsiException(CsiCode.RESOURCE_EXHAUSTED,
            "node " + r.nodeId() + " has reached its limit of " + limit + " volumes");
      }
      pubs.put(r.nodeId(), wanted);
      return publishContext(v.id(), r.nodeId());
    }
  }

  private static ControllerPublishVolumeResponse publishContext(String volumeId, String node) {
    return new ControllerPublishVolumeResponse(
        ImmutableMap.of("memory.csi.volumekit.io/attachment", volumeId + "@" + node));
  }

  /**
   * Detaches the volume from the node (from every node when {@code node_id} is empty; a node the
   * volume is not attached to is an idempotent success). If a node still has the volume staged or
   * published, the CO skipped NodeUnpublish/NodeUnstage: the spec makes that order the CO's duty
   * (CSI spec, ControllerUnpublishVolume) and does not ask the plugin to refuse. The call is recorded in
   * {@link #orderingViolations()}, then, per {@link Config#rejectOutOfOrderUnpublish()}:
   *
   * <ul>
   *   <li>{@code true}: FAILED_PRECONDITION, nothing changes (recorded with {@code rejected});
   *   <li>{@code false}: what real attachable drivers (cloud disks) do: the volume is detached and
   *       the node's stage and publications of it are dropped, since a detached disk is no longer
   *       usable there; a later NodeUnpublish/NodeUnstage from that node succeeds as a no-op. This
   *       lets Kubernetes' forced detach after a non-graceful node shutdown (out-of-service taint)
   *       or a node deletion move the volume instead of being retried until the node returns.
   * </ul>
   */
  @Override
  public void controllerUnpublishVolume(ControllerUnpublishVolumeRequest r) {
    requirePublishUnpublish("ControllerUnpublishVolume");
    requireField(r.volumeId(), "volume_id");
    synchronized (backend) {
      Map<String, ControllerPublication> pubs = backend.controllerPublications.get(r.volumeId());
      if (pubs == null) {
        return;
      }
      List<String> targets = r.nodeId().isEmpty() ? List.copyOf(pubs.keySet())
          : pubs.containsKey(r.nodeId()) ? List.of(r.nodeId()) : List.of();
      boolean reject = backend.config.rejectOutOfOrderUnpublish();
      List<OrderingViolation> violations = new ArrayList<>();
      for (String node : targets) {
        NodeVolume key = new NodeVolume(node, r.volumeId());
        Stage stage = backend.stages.get(key);
        Map<String, NodePublication> published = backend.nodePublications.getOrDefault(key, Map.of());
        if (stage != null || !published.isEmpty()) {
          violations.add(new OrderingViolation(r.volumeId(), node, Optional.ofNullable(stage).map(Stage::path),
              ImmutableSortedSet.copyOf(published.keySet()), reject));
        }
      }
      backend.orderingViolations.addAll(violations);
      if (reject && !violations.isEmpty()) {
        throw CsiException.failedPrecondition("volume " + r.volumeId() + " is still staged or published on node "
            + violations.get(0).nodeId() + "; unstage and unpublish it there first");
      }
      for (String node : targets) {
        NodeVolume key = new NodeVolume(node, r.volumeId());
        backend.stages.remove(key);
        backend.nodePublications.remove(key);
        pubs.remove(node);
      }
      if (pubs.isEmpty()) {
        backend.controllerPublications.remove(r.volumeId());
      }
    }
  }

  private void requirePublishUnpublish(String rpc) {
    if (!backend.config.publishUnpublish()) {
      throw CsiException.unimplemented(rpc);
    }
  }

  @Override
  public ValidateVolumeCapabilitiesResponse validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest r) {
    requireField(r.volumeId(), "volume_id");
    requireCapabilities(r.volumeCapabilities(), "volume_capabilities");
    synchronized (backend) {
      backend.volume(r.volumeId());
    }
    return new ValidateVolumeCapabilitiesResponse(
        Optional.of(new ValidateVolumeCapabilitiesResponse.Confirmed(r.volumeContext(),
            r.volumeCapabilities(), r.parameters(), r.mutableParameters())),
        "");
  }

  @Override
  public ListVolumesResponse listVolumes(ListVolumesRequest r) {
    checkMaxEntries(r.maxEntries());
    synchronized (backend) {
      NavigableMap<String, Vol> from = page(backend.volumes, r.startingToken());
      ImmutableList.Builder<ListVolumesResponse.Entry> entries = ImmutableList.builder();
      int n = 0;
      for (Vol v : from.values()) {
        if (r.maxEntries() > 0 && n == r.maxEntries()) {
          return new ListVolumesResponse(entries.build(), v.id());
        }
        entries.add(new ListVolumesResponse.Entry(v.toCsi(), Optional.of(status(v))));
        n++;
      }
      return new ListVolumesResponse(entries.build(), "");
    }
  }

  private VolumeStatus status(Vol v) {
    ImmutableList<String> nodes = backend.config.publishUnpublish()
        ? ImmutableList.copyOf(backend.controllerPublications.getOrDefault(v.id(), Map.of()).keySet())
        : ImmutableList.of();
    return new VolumeStatus(nodes, Optional.of(condition(v)));
  }

  private VolumeCondition condition(Vol v) {
    return backend.conditions.getOrDefault(v.id(), VolumeCondition.healthy("volume is healthy"));
  }

  /**
   * The condition the volume reports from now on, in ControllerGetVolume, ListVolumes and
   * NodeGetVolumeStats (as a storage system's own health checks would find it); on every node's
   * view of this driver.
   *
   * @throws CsiException NOT_FOUND for an unknown volume
   */
  public void setVolumeCondition(String volumeId, VolumeCondition condition) {
    synchronized (backend) {
      backend.volume(volumeId);
      backend.conditions.put(volumeId, java.util.Objects.requireNonNull(condition, "condition"));
    }
  }

  /**
   * How many bytes of the volume are in use from now on, as NodeGetVolumeStats reports them
   * (default 0; capped at the capacity).
   *
   * @throws CsiException NOT_FOUND for an unknown volume
   */
  public void setUsedBytes(String volumeId, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes: must not be negative: " + bytes);
    }
    synchronized (backend) {
      backend.volume(volumeId);
      backend.usedBytes.put(volumeId, bytes);
    }
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

  @Override
  public GetCapacityResponse getCapacity(GetCapacityRequest r) {
    for (int i = 0; i < r.volumeCapabilities().size(); i++) {
      CsiPreconditions.checkCapability(r.volumeCapabilities().get(i), "volume_capabilities[" + i + "]");
    }
    synchronized (backend) {
      long available = backend.config.capacityBytes() - backend.used;
      if (backend.config.topology() && r.accessibleTopology().isPresent()) {
        String node = r.accessibleTopology().get().segments().get(TOPOLOGY_KEY);
        if (node == null || !backend.nodes.contains(node)) {
          available = 0;
        }
      }
      return new GetCapacityResponse(available, OptionalLong.of(available), OptionalLong.empty());
    }
  }

  @Override
  public CreateSnapshotResponse createSnapshot(CreateSnapshotRequest r) {
    requireField(r.sourceVolumeId(), "source_volume_id");
    requireField(r.name(), "name");
    synchronized (backend) {
      String existing = backend.snapshotIdByName.get(r.name());
      if (existing != null) {
        Snap s = backend.snapshots.get(existing);
        if (!s.sourceVolumeId().equals(r.sourceVolumeId())) {
          throw CsiException.alreadyExists("snapshot named " + r.name() + " exists for volume " + s.sourceVolumeId());
        }
        return new CreateSnapshotResponse(answer(s));
      }
      Vol v = backend.volume(r.sourceVolumeId());
      Snap s = cut(v, r.name(), "");
      backend.snapshotIdByName.put(s.name(), s.id());
      return new CreateSnapshotResponse(answer(s));
    }
  }

  /** Cuts a snapshot of {@code v} (caller holds the backend's monitor). */
  private Snap cut(Vol v, String name, String groupId) {
    Snap s = new Snap(backend.newId("snap"), name, v.id(), v.capacity(), backend.config.clock().instant(), groupId);
    backend.snapshots.put(s.id(), s);
    if (backend.notReadyAnswers > 0) {
      backend.pendingNotReady.put(s.id(), backend.notReadyAnswers);
    }
    return s;
  }

  @Override
  public void deleteSnapshot(DeleteSnapshotRequest r) {
    requireField(r.snapshotId(), "snapshot_id");
    synchronized (backend) {
      Snap s = backend.snapshots.get(r.snapshotId());
      if (s != null && !s.groupId().isEmpty()) {
        throw CsiException.invalidArgument("snapshot " + s.id() + " is part of group snapshot " + s.groupId()
            + "; delete it with DeleteVolumeGroupSnapshot");
      }
      forget(s);
    }
  }

  private void forget(Snap s) {
    if (s != null) {
      backend.snapshots.remove(s.id());
      backend.snapshotIdByName.remove(s.name());
      backend.pendingNotReady.remove(s.id());
    }
  }

  // ------------------------------------------------------------------ group controller

  @Override
  public GroupControllerGetCapabilitiesResponse groupControllerGetCapabilities() {
    return new GroupControllerGetCapabilitiesResponse(
        ImmutableSet.of(GroupControllerCapability.CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT));
  }

  /**
   * Snapshots every source volume at the same instant. A repeat with the same name and the same
   * volumes (in any order) answers the same group; another set of volumes is ALREADY_EXISTS; an
   * unknown volume is NOT_FOUND and cuts nothing.
   */
  @Override
  public CreateVolumeGroupSnapshotResponse createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest r) {
    requireField(r.name(), "name");
    if (r.sourceVolumeIds().isEmpty()) {
      throw CsiException.invalidArgument("source_volume_ids: required");
    }
    ImmutableSet<String> sources = ImmutableSet.copyOf(r.sourceVolumeIds());
    synchronized (backend) {
      String existing = backend.groupIdByName.get(r.name());
      if (existing != null) {
        Group g = backend.groups.get(existing);
        if (!ImmutableSet.copyOf(g.sourceVolumeIds()).equals(sources)) {
          throw CsiException.alreadyExists("group snapshot named " + r.name() + " exists for volumes "
              + g.sourceVolumeIds());
        }
        return new CreateVolumeGroupSnapshotResponse(answer(g));
      }
      List<Vol> vols = new ArrayList<>();
      for (String id : sources) {
        vols.add(backend.volume(id));
      }
      String groupId = backend.newId("group");
      ImmutableList.Builder<String> ids = ImmutableList.builder();
      for (Vol v : vols) {
        ids.add(cut(v, groupId + "/" + v.id(), groupId).id());
      }
      Group g = new Group(groupId, r.name(), sources.asList(), ids.build(), backend.config.clock().instant());
      backend.groups.put(g.id(), g);
      backend.groupIdByName.put(g.name(), g.id());
      return new CreateVolumeGroupSnapshotResponse(answer(g));
    }
  }

  @Override
  public void deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest r) {
    requireField(r.groupSnapshotId(), "group_snapshot_id");
    synchronized (backend) {
      Group g = backend.groups.get(r.groupSnapshotId());
      if (g == null) {
        return;
      }
      checkMembers(g, r.snapshotIds());
      for (String id : g.snapshotIds()) {
        forget(backend.snapshots.get(id));
      }
      backend.groups.remove(g.id());
      backend.groupIdByName.remove(g.name());
    }
  }

  @Override
  public GetVolumeGroupSnapshotResponse getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest r) {
    requireField(r.groupSnapshotId(), "group_snapshot_id");
    synchronized (backend) {
      Group g = backend.groups.get(r.groupSnapshotId());
      if (g == null) {
        throw CsiException.notFound("group snapshot " + r.groupSnapshotId() + " does not exist");
      }
      checkMembers(g, r.snapshotIds());
      return new GetVolumeGroupSnapshotResponse(answer(g));
    }
  }

  private static void checkMembers(Group g, ImmutableList<String> snapshotIds) {
    if (snapshotIds.isEmpty()) {
      throw CsiException.invalidArgument("snapshot_ids: required");
    }
    if (!ImmutableSet.copyOf(snapshotIds).equals(ImmutableSet.copyOf(g.snapshotIds()))) {
      throw CsiException.invalidArgument("snapshot_ids: " + snapshotIds + " do not match the members "
          + g.snapshotIds() + " of group snapshot " + g.id());
    }
  }

  /** The group as one answer reports it: ready when every member's answer is ready. */
  private VolumeGroupSnapshot answer(Group g) {
    ImmutableList<Snapshot> members = g.snapshotIds().stream()
        .map(id -> answer(backend.snapshots.get(id)))
        .collect(ImmutableList.toImmutableList());
    boolean ready = members.stream().allMatch(Snapshot::readyToUse);
    return new VolumeGroupSnapshot(g.id(), members, Optional.of(g.created()), ready);
  }

  @Override
  public ListSnapshotsResponse listSnapshots(ListSnapshotsRequest r) {
    checkMaxEntries(r.maxEntries());
    synchronized (backend) {
      if (!r.snapshotId().isEmpty()) {
        Snap s = backend.snapshots.get(r.snapshotId());
        boolean matches = s != null && (r.sourceVolumeId().isEmpty() || s.sourceVolumeId().equals(r.sourceVolumeId()));
        return new ListSnapshotsResponse(matches ? ImmutableList.of(answer(s)) : ImmutableList.of(), "");
      }
      NavigableMap<String, Snap> from = page(backend.snapshots, r.startingToken());
      ImmutableList.Builder<Snapshot> entries = ImmutableList.builder();
      int n = 0;
      for (Snap s : from.values()) {
        if (!r.sourceVolumeId().isEmpty() && !s.sourceVolumeId().equals(r.sourceVolumeId())) {
          continue;
        }
        if (r.maxEntries() > 0 && n == r.maxEntries()) {
          return new ListSnapshotsResponse(entries.build(), s.id());
        }
        entries.add(answer(s));
        n++;
      }
      return new ListSnapshotsResponse(entries.build(), "");
    }
  }

  @Override
  public GetSnapshotResponse getSnapshot(GetSnapshotRequest r) {
    requireField(r.snapshotId(), "snapshot_id");
    synchronized (backend) {
      Snap s = backend.snapshots.get(r.snapshotId());
      if (s == null) {
        throw CsiException.notFound("snapshot " + r.snapshotId() + " does not exist");
      }
      return new GetSnapshotResponse(answer(s));
    }
  }

  /** The snapshot as one answer reports it; each answer uses up one of its not-ready answers. */
  private Snapshot answer(Snap s) {
    Integer left = backend.pendingNotReady.get(s.id());
    if (left == null) {
      return s.toCsi(true);
    }
    if (left <= 1) {
      backend.pendingNotReady.remove(s.id());
    } else {
      backend.pendingNotReady.put(s.id(), left - 1);
    }
    return s.toCsi(false);
  }

  /**
   * Makes the snapshots cut from now on answer {@code readyToUse: false} to their first {@code
   * answers} CreateSnapshot, ListSnapshots and GetSnapshot answers, as a driver that uploads its
   * snapshots does, and ready afterwards (0, the default: ready at once). On every node's view of
   * this driver.
   */
  public void setSnapshotsReadyAfter(int answers) {
    if (answers < 0) {
      throw new IllegalArgumentException("answers: must not be negative: " + answers);
    }
    synchronized (backend) {
      backend.notReadyAnswers = answers;
    }
  }

  @Override
  public ControllerExpandVolumeResponse controllerExpandVolume(ControllerExpandVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    CapacityRange range = checkRange(
        r.capacityRange().orElseThrow(() -> CsiException.invalidArgument("capacity_range: required")),
        "capacity_range");
    r.volumeCapability().ifPresent(c -> CsiPreconditions.checkCapability(c, "volume_capability"));
    synchronized (backend) {
      Vol v = backend.volume(r.volumeId());
      long wanted = range.requiredBytes();
      if (wanted <= v.capacity()) {
        return new ControllerExpandVolumeResponse(v.capacity(), false);
      }
      if (wanted > backend.config.capacityBytes()) {
        throw new CsiException(CsiCode.OUT_OF_RANGE, "capacity_range: " + wanted
            + " bytes exceeds the maximum volume size " + backend.config.capacityBytes());
      }
      long extra = wanted - v.capacity();
      if (backend.used + extra > backend.config.capacityBytes()) {
        throw new CsiException(CsiCode.RESOURCE_EXHAUSTED, "not enough capacity to grow volume " + v.id());
      }
      backend.used += extra;
      backend.volumes.put(v.id(), v.withCapacity(wanted));
      boolean block = r.volumeCapability().map(VolumeCapability::isBlock).orElse(false);
      return new ControllerExpandVolumeResponse(wanted, !block);
    }
  }

  /**
   * Applies the mutable parameters, all or none: a key outside {@link Config#mutableParameterKeys()}
   * is INVALID_ARGUMENT and changes nothing. The volume keeps the union of what it was created with
   * and every later modification, the newest value of each key winning.
   */
  @Override
  public ControllerModifyVolumeResponse controllerModifyVolume(ControllerModifyVolumeRequest r) {
    if (backend.config.mutableParameterKeys().isEmpty()) {
      throw CsiException.unimplemented("ControllerModifyVolume");
    }
    requireField(r.volumeId(), "volume_id");
    if (r.mutableParameters().isEmpty()) {
      throw CsiException.invalidArgument("mutable_parameters: required");
    }
    checkMutableParameters(r.mutableParameters(), "mutable_parameters");
    synchronized (backend) {
      Vol v = backend.volume(r.volumeId());
      Map<String, String> merged = new TreeMap<>(v.mutableParameters());
      merged.putAll(r.mutableParameters());
      backend.volumes.put(v.id(), v.withMutableParameters(ImmutableMap.copyOf(merged)));
      return new ControllerModifyVolumeResponse();
    }
  }

  /**
   * The mutable parameters the volume has now (from CreateVolume and every ControllerModifyVolume
   * since), or empty if there is no such volume. For tests and invariants; not a CSI call.
   */
  public Optional<ImmutableMap<String, String>> mutableParameters(String volumeId) {
    synchronized (backend) {
      return Optional.ofNullable(backend.volumes.get(volumeId)).map(Vol::mutableParameters);
    }
  }

  private void checkMutableParameters(Map<String, String> params, String field) {
    if (params.isEmpty()) {
      return;
    }
    if (backend.config.mutableParameterKeys().isEmpty()) {
      throw CsiException.invalidArgument(field + ": not supported (no MODIFY_VOLUME)");
    }
    for (String k : params.keySet()) {
      if (!backend.config.mutableParameterKeys().contains(k)) {
        throw CsiException.invalidArgument(field + ": parameter \"" + k + "\" is not supported; accepted: "
            + backend.config.mutableParameterKeys());
      }
    }
  }

  @Override
  public ControllerGetVolumeResponse controllerGetVolume(ControllerGetVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    synchronized (backend) {
      Vol v = backend.volume(r.volumeId());
      return new ControllerGetVolumeResponse(v.toCsi(), status(v));
    }
  }

  // ------------------------------------------------------------------ node

  @Override
  public NodeGetCapabilitiesResponse nodeGetCapabilities() {
    ImmutableSet.Builder<NodeCapability> b = ImmutableSet.builder();
    if (backend.config.stageUnstage()) {
      b.add(NodeCapability.STAGE_UNSTAGE_VOLUME);
    }
    b.add(NodeCapability.GET_VOLUME_STATS, NodeCapability.EXPAND_VOLUME, NodeCapability.VOLUME_CONDITION,
        NodeCapability.SINGLE_NODE_MULTI_WRITER);
    return new NodeGetCapabilitiesResponse(b.build());
  }

  @Override
  public NodeGetInfoResponse nodeGetInfo() {
    return new NodeGetInfoResponse(nodeId, backend.config.maxVolumesPerNode(),
        backend.config.topology() ? Optional.of(Topology.of(TOPOLOGY_KEY, nodeId)) : Optional.empty());
  }

  @Override
  public void nodeStageVolume(NodeStageVolumeRequest r) {
    requireStage("NodeStageVolume");
    requireField(r.volumeId(), "volume_id");
    requireField(r.stagingTargetPath(), "staging_target_path");
    VolumeCapability cap = requireCapability(r.volumeCapability(), "volume_capability");
    synchronized (backend) {
      Vol v = backend.volume(r.volumeId());
      checkAccessible(v, nodeId);
      requireControllerPublished(v.id());
      NodeVolume key = new NodeVolume(nodeId, v.id());
      Stage existing = backend.stages.get(key);
      if (existing != null) {
        if (!existing.path().equals(r.stagingTargetPath())) {
          throw CsiException.failedPrecondition("volume " + v.id() + " is already staged at "
              + existing.path() + " on node " + nodeId);
        }
        if (!existing.capability().equals(cap)) {
          throw CsiException.alreadyExists("volume " + v.id() + " is staged at " + existing.path()
              + " with another capability");
        }
        return;
      }
      backend.stages.put(key, new Stage(r.stagingTargetPath(), cap));
    }
  }

  private void requireControllerPublished(String volumeId) {
    if (backend.config.publishUnpublish()
        && !backend.controllerPublications.getOrDefault(volumeId, Map.of()).containsKey(nodeId)) {
      throw CsiException.failedPrecondition("volume " + volumeId + " is not controller-published to node " + nodeId);
    }
  }

  private void requireStage(String rpc) {
    if (!backend.config.stageUnstage()) {
      throw CsiException.unimplemented(rpc);
    }
  }

  @Override
  public void nodeUnstageVolume(NodeUnstageVolumeRequest r) {
    requireStage("NodeUnstageVolume");
    requireField(r.volumeId(), "volume_id");
    requireField(r.stagingTargetPath(), "staging_target_path");
    synchronized (backend) {
      backend.volume(r.volumeId());
      NodeVolume key = new NodeVolume(nodeId, r.volumeId());
      Stage existing = backend.stages.get(key);
      if (existing == null || !existing.path().equals(r.stagingTargetPath())) {
        return;
      }
      if (!backend.nodePublications.getOrDefault(key, Map.of()).isEmpty()) {
        throw CsiException.failedPrecondition("volume " + r.volumeId() + " is still published on node "
            + nodeId + "; unpublish it first");
      }
      backend.stages.remove(key);
    }
  }

  @Override
  public void nodePublishVolume(NodePublishVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    requireField(r.targetPath(), "target_path");
    VolumeCapability cap = requireCapability(r.volumeCapability(), "volume_capability");
    synchronized (backend) {
      if (backend.ephemeral.contains(r.volumeId())
          || EphemeralVolumes.isEphemeral(r, backend.volumes.containsKey(r.volumeId()))) {
        publishEphemeral(r, cap);
        return;
      }
      if (backend.config.stageUnstage() && r.stagingTargetPath().isEmpty()) {
        throw CsiException.failedPrecondition("staging_target_path: required because the driver stages volumes");
      }
      Vol v = backend.volume(r.volumeId());
      checkAccessible(v, nodeId);
      NodeVolume key = new NodeVolume(nodeId, v.id());
      if (backend.config.stageUnstage()) {
        Stage stage = backend.stages.get(key);
        if (stage == null || !stage.path().equals(r.stagingTargetPath())) {
          throw CsiException.failedPrecondition("volume " + v.id() + " is not staged at "
              + r.stagingTargetPath() + " on node " + nodeId);
        }
      } else {
        requireControllerPublished(v.id());
      }
      Map<String, NodePublication> pubs = backend.nodePublications.computeIfAbsent(key, k -> new LinkedHashMap<>());
      NodePublication wanted = new NodePublication(cap, r.readonly(), r.stagingTargetPath());
      NodePublication existing = pubs.get(r.targetPath());
      if (existing != null) {
        if (!existing.equals(wanted)) {
          throw CsiException.alreadyExists("volume " + v.id() + " is published at " + r.targetPath()
              + " with another capability or readonly flag");
        }
        return;
      }
      if (!pubs.isEmpty()) {
        if (cap.accessMode().isSinglePublication()) {
          throw CsiException.failedPrecondition("volume " + v.id() + " is already published at "
              + pubs.keySet().iterator().next() + " and access mode " + cap.accessMode()
              + " allows one publication");
        }
        if (!pubs.values().iterator().next().capability().equals(cap)) {
          throw CsiException.failedPrecondition("volume " + v.id()
              + " is already published on this node with another capability");
        }
      }
      pubs.put(r.targetPath(), wanted);
    }
  }

  @Override
  public void nodeUnpublishVolume(NodeUnpublishVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    requireField(r.targetPath(), "target_path");
    synchronized (backend) {
      if (!backend.volumes.containsKey(r.volumeId()) && EphemeralVolumes.isInlineHandle(r.volumeId())) {
        return; // an inline volume already unpublished and deleted
      }
      backend.volume(r.volumeId());
      NodeVolume key = new NodeVolume(nodeId, r.volumeId());
      Map<String, NodePublication> pubs = backend.nodePublications.get(key);
      if (pubs != null) {
        pubs.remove(r.targetPath());
        if (pubs.isEmpty()) {
          backend.nodePublications.remove(key);
          if (backend.ephemeral.remove(r.volumeId())) {
            Vol v = backend.volumes.remove(r.volumeId());
            backend.volumeIdByName.remove(v.name());
            backend.used -= v.capacity();
          }
        }
      }
    }
  }

  /** NodePublish of an inline ephemeral volume: created here on first publish (docs/cases/node-side.md row E4). */
  private void publishEphemeral(NodePublishVolumeRequest r, VolumeCapability cap) {
    Vol v = backend.volumes.get(r.volumeId());
    if (v == null) {
      long size = backend.config.defaultVolumeSizeBytes();
      if (backend.used + size > backend.config.capacityBytes()) {
        throw new CsiException(CsiCode.RESOURCE_EXHAUSTED, "not enough capacity for ephemeral volume " + r.volumeId());
      }
      ImmutableList<Topology> topology = backend.config.topology()
          ? ImmutableList.of(Topology.of(TOPOLOGY_KEY, nodeId)) : ImmutableList.of();
      v = new Vol(r.volumeId(), "ephemeral-" + r.volumeId(), size, ImmutableMap.of(), Optional.empty(), topology,
          r.volumeContext(), ImmutableMap.of());
      backend.volumes.put(v.id(), v);
      backend.volumeIdByName.put(v.name(), v.id());
      backend.ephemeral.add(v.id());
      backend.used += size;
    } else if (!backend.ephemeral.contains(v.id())) {
      throw CsiException.failedPrecondition("volume " + v.id() + " exists and is not an inline ephemeral volume");
    }
    NodeVolume key = new NodeVolume(nodeId, v.id());
    Map<String, NodePublication> pubs = backend.nodePublications.computeIfAbsent(key, k -> new LinkedHashMap<>());
    NodePublication wanted = new NodePublication(cap, r.readonly(), "");
    NodePublication existing = pubs.get(r.targetPath());
    if (existing != null && !existing.equals(wanted)) {
      throw CsiException.alreadyExists("ephemeral volume " + v.id() + " is published at " + r.targetPath()
          + " with another capability or readonly flag");
    }
    if (existing == null && !pubs.isEmpty()) {
      throw CsiException.failedPrecondition("ephemeral volume " + v.id() + " is already published at "
          + pubs.keySet().iterator().next());
    }
    pubs.put(r.targetPath(), wanted);
  }

  @Override
  public NodeGetVolumeStatsResponse nodeGetVolumeStats(NodeGetVolumeStatsRequest r) {
    requireField(r.volumeId(), "volume_id");
    requireField(r.volumePath(), "volume_path");
    synchronized (backend) {
      Vol v = backend.volume(r.volumeId());
      requireAtPath(v.id(), r.volumePath());
      long used = Math.min(v.capacity(), backend.usedBytes.getOrDefault(v.id(), 0L));
      return new NodeGetVolumeStatsResponse(
          ImmutableList.of(new VolumeUsage(v.capacity() - used, v.capacity(), used, VolumeUsage.Unit.BYTES)),
          Optional.of(condition(v)));
    }
  }

  private void requireAtPath(String volumeId, String path) {
    NodeVolume key = new NodeVolume(nodeId, volumeId);
    Stage stage = backend.stages.get(key);
    boolean found = backend.nodePublications.getOrDefault(key, Map.of()).containsKey(path)
        || (stage != null && stage.path().equals(path));
    if (!found) {
      throw CsiException.notFound("volume " + volumeId + " is not published or staged at " + path
          + " on node " + nodeId);
    }
  }

  @Override
  public NodeExpandVolumeResponse nodeExpandVolume(NodeExpandVolumeRequest r) {
    requireField(r.volumeId(), "volume_id");
    requireField(r.volumePath(), "volume_path");
    r.capacityRange().ifPresent(c -> checkRange(c, "capacity_range"));
    r.volumeCapability().ifPresent(c -> CsiPreconditions.checkCapability(c, "volume_capability"));
    synchronized (backend) {
      Vol v = backend.volume(r.volumeId());
      requireAtPath(v.id(), r.volumePath());
      if (r.capacityRange().isPresent() && r.capacityRange().get().requiredBytes() > v.capacity()) {
        throw new CsiException(CsiCode.OUT_OF_RANGE, "capacity_range: " + r.capacityRange().get().requiredBytes()
            + " bytes is more than the volume's " + v.capacity() + "; expand it on the controller first");
      }
      return new NodeExpandVolumeResponse(v.capacity());
    }
  }
}
