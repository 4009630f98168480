package io.volumekit.cli.engine;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.csi.ControllerExpandVolumeRequest;
import io.volumekit.core.csi.ControllerExpandVolumeResponse;
import io.volumekit.core.csi.ControllerModifyVolumeRequest;
import io.volumekit.core.csi.ControllerModifyVolumeResponse;
import io.volumekit.core.csi.ControllerGetCapabilitiesResponse;
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
import io.volumekit.core.csi.DeleteSnapshotRequest;
import io.volumekit.core.csi.DeleteVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.GetVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.GetVolumeGroupSnapshotResponse;
import io.volumekit.core.csi.GroupControllerGetCapabilitiesResponse;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.GetCapacityRequest;
import io.volumekit.core.csi.GetCapacityResponse;
import io.volumekit.core.csi.GetPluginCapabilitiesResponse;
import io.volumekit.core.csi.GetPluginInfoResponse;
import io.volumekit.core.csi.ListSnapshotsRequest;
import io.volumekit.core.csi.ListSnapshotsResponse;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.csi.ListVolumesResponse;
import io.volumekit.core.csi.NodeGetCapabilitiesResponse;
import io.volumekit.core.csi.ProbeResponse;
import io.volumekit.core.csi.Snapshot;
import io.volumekit.core.csi.Topology;
import io.volumekit.core.csi.TopologyRequirement;
import io.volumekit.core.csi.ValidateVolumeCapabilitiesRequest;
import io.volumekit.core.csi.ValidateVolumeCapabilitiesResponse;
import io.volumekit.core.csi.VolumeContentSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The controller side of a node-local CSI driver deployed on every node with its own
 * external-provisioner ("distributed provisioning"): what the engine's controllers call, made of the
 * driver instances of all nodes.
 *
 * <p>Mirrors external-provisioner's {@code --node-deployment} mode: a volume is created by the
 * instance on the node the claim's {@code volume.kubernetes.io/selected-node} names, so a
 * WaitForFirstConsumer volume lands where its pod goes, and it is deleted (expanded, published,
 * snapshotted) by the instance on its own node. The engine's provisioner puts the selected node's
 * topology segment first among the request's preferred topologies (the CSI way to say "this node
 * first"), so the segment's {@code topologyKey} value names the instance. Differences, documented in
 * docs/kubernetes-differences.md:
 *
 * <ul>
 *   <li>Immediate binding: external-provisioner's instances race to claim the PVC by writing their
 *       own node into selected-node after a random delay. Here the first node (by name) among the
 *       request's topologies provisions, without the annotation: deterministic.
 *   <li>The instance owning an existing volume or snapshot is found by asking each node's instance
 *       ({@code ControllerGetVolume}, {@code ListSnapshots}), where external-provisioner reads the
 *       PV's node affinity; a volume no instance knows is already deleted (DeleteVolume succeeds).
 * </ul>
 *
 * <p>Nodes are the directories under the drivers' root (an instance keeps its data in {@code
 * <root>/<node>}), so volumes made by an earlier invocation are found. Thread-safe when the
 * instances are.
 */
public final class NodeLocalDriver implements CsiDriver {

  private final Path root;
  private final String topologyKey;
  private final Function<String, ? extends CsiDriver> instance;
  private final String firstNode;

  /**
   * The controller side over the per-node instances.
   *
   * @param root the directory holding one data directory per node's instance
   * @param topologyKey the driver's topology key, whose value is the node name
   * @param instance the driver instance of a node (made on first use, then the same one)
   * @param firstNode the node answering identity calls while no instance exists yet
   */
  public NodeLocalDriver(Path root, String topologyKey, Function<String, ? extends CsiDriver> instance, String firstNode) {
    this.root = root;
    this.topologyKey = topologyKey;
    this.instance = instance;
    this.firstNode = firstNode;
  }

  /** The nodes with an instance, sorted by name. */
  TreeSet<String> nodes() {
    TreeSet<String> nodes = new TreeSet<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> dirs = Files.list(root)) {
        dirs.filter(Files::isDirectory).forEach(d -> nodes.add(d.getFileName().toString()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + root, e);
      }
    }
    return nodes;
  }

  private CsiDriver any() {
    TreeSet<String> nodes = nodes();
    return instance.apply(nodes.isEmpty() ? firstNode : nodes.first());
  }

  /**
   * The node whose instance creates the volume: the first preferred topology's node (the selected
   * node), else the first requisite one, else the node of the content source.
   */
  Optional<String> creatingNode(CreateVolumeRequest r) {
    Optional<TopologyRequirement> req = r.accessibilityRequirements();
    if (req.isPresent()) {
      Optional<String> node = nodeOf(req.get().preferred()).or(() -> nodeOf(req.get().requisite()));
      if (node.isPresent()) {
        return node;
      }
    }
    if (r.volumeContentSource().isPresent()) {
      VolumeContentSource src = r.volumeContentSource().get();
      return src instanceof VolumeContentSource.SnapshotSource s ? snapshotOwner(s.snapshotId())
          : volumeOwner(((VolumeContentSource.VolumeSource) src).volumeId());
    }
    return Optional.empty();
  }

  private Optional<String> nodeOf(List<Topology> topologies) {
    return topologies.stream().map(t -> t.segments().get(topologyKey)).filter(n -> n != null && !n.isEmpty())
        .findFirst();
  }

  /** The node whose instance has the volume. */
  Optional<String> volumeOwner(String volumeId) {
    for (String node : nodes()) {
      try {
        instance.apply(node).controllerGetVolume(new ControllerGetVolumeRequest(volumeId));
        return Optional.of(node);
      } catch (CsiException e) {
        if (e.code() != CsiCode.NOT_FOUND) {
          throw e;
        }
      }
    }
    return Optional.empty();
  }

  private Optional<String> snapshotOwner(String snapshotId) {
    for (String node : nodes()) {
      ListSnapshotsResponse r = instance.apply(node).listSnapshots(
          new ListSnapshotsRequest(0, "", "", snapshotId, null));
      if (!r.entries().isEmpty()) {
        return Optional.of(node);
      }
    }
    return Optional.empty();
  }

  /** The instance of the volume's node, or of any node when no instance has it (for its own error). */
  private CsiDriver ofVolume(String volumeId) {
    return volumeOwner(volumeId).<CsiDriver>map(instance::apply).orElseGet(this::any);
  }

  // ------------------------------------------------------------------ identity

  @Override
  public GetPluginInfoResponse getPluginInfo() {
    return any().getPluginInfo();
  }

  @Override
  public GetPluginCapabilitiesResponse getPluginCapabilities() {
    return any().getPluginCapabilities();
  }

  @Override
  public ProbeResponse probe() {
    return any().probe();
  }

  @Override
  public ControllerGetCapabilitiesResponse controllerGetCapabilities() {
    return any().controllerGetCapabilities();
  }

  @Override
  public NodeGetCapabilitiesResponse nodeGetCapabilities() {
    return any().nodeGetCapabilities(); // the same on every node
  }

  // ------------------------------------------------------------------ controller

  @Override
  public CreateVolumeResponse createVolume(CreateVolumeRequest r) {
    String node = creatingNode(r).orElseThrow(() -> new CsiException(CsiCode.UNAVAILABLE,
        "accessibility_requirements: no node runs this node-local driver (no topology names one)"));
    return instance.apply(node).createVolume(r);
  }

  @Override
  public void deleteVolume(DeleteVolumeRequest r) {
    Optional<String> node = volumeOwner(r.volumeId());
    if (node.isPresent()) {
      instance.apply(node.get()).deleteVolume(r);
    } else {
      any().deleteVolume(r); // no node has it: already deleted (the instance checks the request)
    }
  }

  @Override
  public ControllerPublishVolumeResponse controllerPublishVolume(ControllerPublishVolumeRequest r) {
    return ofVolume(r.volumeId()).controllerPublishVolume(r);
  }

  @Override
  public void controllerUnpublishVolume(ControllerUnpublishVolumeRequest r) {
    ofVolume(r.volumeId()).controllerUnpublishVolume(r);
  }

  @Override
  public ValidateVolumeCapabilitiesResponse validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest r) {
    return ofVolume(r.volumeId()).validateVolumeCapabilities(r);
  }

  @Override
  public ControllerExpandVolumeResponse controllerExpandVolume(ControllerExpandVolumeRequest r) {
    return ofVolume(r.volumeId()).controllerExpandVolume(r);
  }

  @Override
  public ControllerModifyVolumeResponse controllerModifyVolume(ControllerModifyVolumeRequest r) {
    return ofVolume(r.volumeId()).controllerModifyVolume(r);
  }

  @Override
  public ControllerGetVolumeResponse controllerGetVolume(ControllerGetVolumeRequest r) {
    return ofVolume(r.volumeId()).controllerGetVolume(r);
  }

  /** The volumes of every node, sorted by id; the page token is the id the next page starts at. */
  @Override
  public ListVolumesResponse listVolumes(ListVolumesRequest r) {
    if (r.maxEntries() < 0) {
      throw CsiException.invalidArgument("max_entries: must not be negative");
    }
    List<ListVolumesResponse.Entry> all = new ArrayList<>();
    for (String node : nodes()) {
      CsiDriver d = instance.apply(node);
      String token = "";
      do {
        ListVolumesResponse page = d.listVolumes(new ListVolumesRequest(0, token));
        all.addAll(page.entries());
        token = page.nextToken();
      } while (!token.isEmpty());
    }
    all.sort(Comparator.comparing(e -> e.volume().volumeId()));
    int from = 0;
    if (!r.startingToken().isEmpty()) {
      while (from < all.size() && !all.get(from).volume().volumeId().equals(r.startingToken())) {
        from++;
      }
      if (from == all.size()) {
        throw new CsiException(CsiCode.ABORTED, "starting_token: " + r.startingToken() + " is not a volume id");
      }
    }
    int to = r.maxEntries() == 0 ? all.size() : Math.min(all.size(), from + r.maxEntries());
    String next = to < all.size() ? all.get(to).volume().volumeId() : "";
    return new ListVolumesResponse(ImmutableList.copyOf(all.subList(from, to)), next);
  }

  /** The capacity of the segment's node; without a segment, the sum over the nodes. */
  @Override
  public GetCapacityResponse getCapacity(GetCapacityRequest r) {
    Optional<String> node = r.accessibleTopology().map(t -> t.segments().get(topologyKey));
    if (node.isPresent()) {
      return instance.apply(node.get()).getCapacity(r);
    }
    long available = 0;
    long maximum = 0;
    for (String n : nodes()) {
      GetCapacityResponse c = instance.apply(n).getCapacity(r);
      available += c.availableCapacity();
      maximum = Math.max(maximum, c.maximumVolumeSize().orElse(c.availableCapacity()));
    }
    return new GetCapacityResponse(available, OptionalLong.of(maximum), OptionalLong.empty());
  }

  @Override
  public CreateSnapshotResponse createSnapshot(CreateSnapshotRequest r) {
    return ofVolume(r.sourceVolumeId()).createSnapshot(r);
  }

  @Override
  public void deleteSnapshot(DeleteSnapshotRequest r) {
    snapshotOwner(r.snapshotId()).<CsiDriver>map(instance::apply).orElseGet(this::any).deleteSnapshot(r);
  }

  /** GetSnapshot on the snapshot's node (NOT_FOUND from any node when no instance has it). */
  @Override
  public io.volumekit.core.csi.GetSnapshotResponse getSnapshot(io.volumekit.core.csi.GetSnapshotRequest r) {
    return snapshotOwner(r.snapshotId()).<CsiDriver>map(instance::apply).orElseGet(this::any).getSnapshot(r);
  }

  @Override
  public GroupControllerGetCapabilitiesResponse groupControllerGetCapabilities() {
    return any().groupControllerGetCapabilities();
  }

  /**
   * CreateVolumeGroupSnapshot on the node of the source volumes. Node-local storage cuts a group
   * on one node only: sources on different nodes are INVALID_ARGUMENT.
   */
  @Override
  public CreateVolumeGroupSnapshotResponse createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest r) {
    TreeSet<String> owners = new TreeSet<>();
    for (String volumeId : r.sourceVolumeIds()) {
      volumeOwner(volumeId).ifPresent(owners::add);
    }
    if (owners.size() > 1) {
      throw CsiException.invalidArgument("source_volume_ids: the volumes live on different nodes " + owners
          + "; a node-local driver snapshots a group on one node");
    }
    return owners.isEmpty() ? any().createVolumeGroupSnapshot(r) : instance.apply(owners.first())
        .createVolumeGroupSnapshot(r);
  }

  /** DeleteVolumeGroupSnapshot on the group's node; a group no instance has is already deleted. */
  @Override
  public void deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest r) {
    Optional<String> owner = groupOwner(new GetVolumeGroupSnapshotRequest(r.groupSnapshotId(), r.snapshotIds(),
        r.secrets()));
    owner.<CsiDriver>map(instance::apply).orElseGet(this::any).deleteVolumeGroupSnapshot(r);
  }

  /** GetVolumeGroupSnapshot on the group's node (NOT_FOUND from any node when no instance has it). */
  @Override
  public GetVolumeGroupSnapshotResponse getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest r) {
    return groupOwner(r).<CsiDriver>map(instance::apply).orElseGet(this::any).getVolumeGroupSnapshot(r);
  }

  /** The node whose instance knows the group: the first that does not answer NOT_FOUND. */
  private Optional<String> groupOwner(GetVolumeGroupSnapshotRequest r) {
    if (r.groupSnapshotId().isEmpty()) {
      return Optional.empty(); // the instance's own error
    }
    for (String node : nodes()) {
      try {
        instance.apply(node).getVolumeGroupSnapshot(r);
        return Optional.of(node);
      } catch (CsiException e) {
        if (e.code() != CsiCode.NOT_FOUND) {
          return Optional.of(node); // it knows the group but refuses the request: its answer stands
        }
      }
    }
    return Optional.empty();
  }

  /** The snapshots of the source volume's node or of the snapshot's node, else of every node. */
  @Override
  public ListSnapshotsResponse listSnapshots(ListSnapshotsRequest r) {
    if (!r.sourceVolumeId().isEmpty()) {
      return ofVolume(r.sourceVolumeId()).listSnapshots(r);
    }
    if (!r.snapshotId().isEmpty()) {
      return snapshotOwner(r.snapshotId()).<CsiDriver>map(instance::apply).orElseGet(this::any).listSnapshots(r);
    }
    if (!r.startingToken().isEmpty() || r.maxEntries() != 0) {
      throw CsiException.invalidArgument("max_entries, starting_token: paging over all nodes' snapshots is not supported");
    }
    List<Snapshot> all = new ArrayList<>();
    for (String node : nodes()) {
      all.addAll(instance.apply(node).listSnapshots(r).entries());
    }
    all.sort(Comparator.comparing(Snapshot::snapshotId));
    return new ListSnapshotsResponse(ImmutableList.copyOf(all), "");
  }

  @Override
  public String toString() {
    return "NodeLocalDriver" + nodes();
  }
}
