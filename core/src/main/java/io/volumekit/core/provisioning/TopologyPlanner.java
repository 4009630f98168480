package io.volumekit.core.provisioning;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.csi.Topology;
import io.volumekit.core.csi.TopologyRequirement;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.NodeSelector;
import io.volumekit.model.core.NodeSelectorRequirement;
import io.volumekit.model.core.NodeSelectorTerm;
import io.volumekit.model.core.TopologySelectorLabelRequirement;
import io.volumekit.model.core.TopologySelectorTerm;
import io.volumekit.model.core.VolumeNodeAffinity;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.CSINodeDriver;
import io.volumekit.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Topology for CreateVolume and the provisioned PV's node affinity (docs/cases/provisioning.md row topo-1).
 *
 * <p>A simplified {@code GenerateAccessibilityRequirements}: the driver is taken to support
 * topology when some CSINode lists it with topology keys. Requisite = the class's {@code
 * allowedTopologies} flattened, else the segments of every node running the driver; preferred =
 * the same terms with the selected node's segment first. The PV gets one node selector term per
 * accessible topology segment the driver returns ({@code GenerateVolumeNodeAffinity}).
 */
final class TopologyPlanner {

  private TopologyPlanner() {}

  static Optional<TopologyRequirement> requirement(
      ClusterState state, String driver, StorageClass sc, Optional<String> selectedNode) {
    TreeMap<String, Topology> segmentsByNode = new TreeMap<>();
    for (CSINode cn : state.list(CSINode.KIND, CSINode.class)) {
      Optional<CSINodeDriver> d = cn.spec().driver(driver);
      if (d.isEmpty() || d.get().topologyKeys().isEmpty()) {
        continue;
      }
      Optional<Node> node = state.get(ObjectKey.cluster(Node.KIND, cn.metadata().name()), Node.class);
      if (node.isEmpty()) {
        continue;
      }
      Map<String, String> seg = new TreeMap<>();
      boolean complete = true;
      for (String k : d.get().topologyKeys()) {
        String v = node.get().metadata().labels().get(k);
        if (v == null) {
          complete = false;
          break;
        }
        seg.put(k, v);
      }
      if (complete) {
        segmentsByNode.put(cn.metadata().name(), Topology.of(seg));
      }
    }
    if (segmentsByNode.isEmpty()) {
      return Optional.empty(); // the driver has no topology
    }
    List<Topology> requisite = new ArrayList<>();
    if (!sc.allowedTopologies().isEmpty()) {
      for (TopologySelectorTerm t : sc.allowedTopologies()) {
        requisite.addAll(flatten(t));
      }
    } else {
      requisite.addAll(new java.util.LinkedHashSet<>(segmentsByNode.values()));
    }
    requisite = dedupSorted(requisite);
    List<Topology> preferred = new ArrayList<>(requisite);
    Optional<Topology> sel = selectedNode.map(segmentsByNode::get);
    if (sel.isPresent() && preferred.remove(sel.get())) {
      preferred.add(0, sel.get());
    } else if (sel.isPresent() && sc.allowedTopologies().isEmpty()) {
      preferred.add(0, sel.get());
    }
    return Optional.of(new TopologyRequirement(ImmutableList.copyOf(requisite), ImmutableList.copyOf(preferred)));
  }

  /** One term with multi-valued requirements as the cartesian product of single-valued segments. */
  static List<Topology> flatten(TopologySelectorTerm term) {
    List<Map<String, String>> acc = new ArrayList<>();
    acc.add(new LinkedHashMap<>());
    for (TopologySelectorLabelRequirement r : term.matchLabelExpressions()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> m : acc) {
        for (String v : r.values()) {
          Map<String, String> n = new TreeMap<>(m);
          n.put(r.key(), v);
          next.add(n);
        }
      }
      acc = next;
    }
    List<Topology> out = new ArrayList<>();
    for (Map<String, String> m : acc) {
      if (!m.isEmpty()) {
        out.add(Topology.of(m));
      }
    }
    return out;
  }

  private static List<Topology> dedupSorted(List<Topology> in) {
    TreeMap<String, Topology> byString = new TreeMap<>();
    for (Topology t : in) {
      byString.putIfAbsent(new TreeMap<>(t.segments()).toString(), t);
    }
    return new ArrayList<>(byString.values());
  }

  /** The PV node affinity for the driver's accessible topology; empty when it returned none. */
  static Optional<VolumeNodeAffinity> nodeAffinity(List<Topology> accessible) {
    if (accessible.isEmpty()) {
      return Optional.empty();
    }
    List<NodeSelectorTerm> terms = new ArrayList<>();
    for (Topology t : accessible) {
      List<NodeSelectorRequirement> exprs = new ArrayList<>();
      for (String k : new TreeSet<>(t.segments().keySet())) {
        exprs.add(new NodeSelectorRequirement(k, NodeSelectorRequirement.IN, ImmutableList.of(t.segments().get(k))));
      }
      terms.add(new NodeSelectorTerm(ImmutableList.copyOf(exprs), ImmutableList.of()));
    }
    return Optional.of(new VolumeNodeAffinity(Optional.of(new NodeSelector(ImmutableList.copyOf(terms)))));
  }
}
