package io.volumekit.core;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.mount.DeviceStagingController;
import io.volumekit.core.mount.NodeRegistrar;
import io.volumekit.core.mount.OrphanSweeper;
import io.volumekit.core.mount.PodVolumeController;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which of the engine's controllers a process runs, as a Kubernetes cluster splits them between
 * the control plane (kube-controller-manager, kube-scheduler, the CSI controller sidecars) and one
 * kubelet per node. With a shared store (etcd) several processes divide the work this way; the
 * default, {@link #all()}, runs everything in one process, as an embedded engine does.
 *
 * <p>A node agent runs the kubelet's controllers (plugin registration, pod volume setup, device
 * staging, orphan sweeping) for its nodes only: keys of other nodes are neither queued nor
 * reconciled. A key whose node cannot be told (a pod already gone) is reconciled by every agent;
 * its effects go to the node plugins of the process, and a write from a stale view is a Conflict.
 */
public final class Role {

  /** The kubelet-side controllers, by name. */
  static final ImmutableSet<String> KUBELET = ImmutableSet.of(
      NodeRegistrar.NAME, PodVolumeController.NAME, DeviceStagingController.NAME, OrphanSweeper.NAME);

  private final boolean controlPlane;
  private final ImmutableSet<String> nodes;
  private final boolean allNodes;

  private Role(boolean controlPlane, ImmutableSet<String> nodes, boolean allNodes) {
    if (allNodes && !nodes.isEmpty()) {
      throw new IllegalArgumentException("a role runs either every node or the listed ones: " + nodes);
    }
    if (!controlPlane && !allNodes && nodes.isEmpty()) {
      throw new IllegalArgumentException("a role runs the control plane, a node agent, or both");
    }
    this.controlPlane = controlPlane;
    this.nodes = nodes;
    this.allNodes = allNodes;
  }

  /** Whether the process runs the control-plane controllers. */
  public boolean runsControlPlane() {
    return controlPlane;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Role r && r.controlPlane == controlPlane && r.allNodes == allNodes && r.nodes.equals(nodes);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(controlPlane, nodes, allNodes);
  }

  @Override
  public String toString() {
    return allNodes ? (controlPlane ? "all" : "every node")
        : (controlPlane ? "controlPlane" + (nodes.isEmpty() ? "" : " + ") : "") + (nodes.isEmpty() ? "" : "nodeAgent" + nodes);
  }

  /** Everything, every node: the embedded default. */
  public static Role all() {
    return new Role(true, ImmutableSet.of(), true);
  }

  /** The control plane only (controller manager, scheduler, CSI controller sidecars). */
  public static Role controlPlane() {
    return new Role(true, ImmutableSet.of(), false);
  }

  /** The kubelet side of the named nodes only. */
  public static Role nodeAgent(String... nodes) {
    if (nodes.length == 0) {
      throw new IllegalArgumentException("a node agent needs at least one node");
    }
    return new Role(false, ImmutableSet.copyOf(nodes), false);
  }

  /** This role plus the kubelet side of the named nodes. */
  public Role andNodeAgent(String... more) {
    if (allNodes) {
      return this;
    }
    return new Role(controlPlane, ImmutableSet.<String>builder().addAll(nodes).add(more).build(), false);
  }

  /** This role plus the control plane. */
  public Role andControlPlane() {
    return new Role(true, nodes, allNodes);
  }

  /** The controllers of the list this role runs, the kubelet ones scoped to its nodes. */
  ImmutableList<Controller> select(List<Controller> controllers) {
    ImmutableList.Builder<Controller> out = ImmutableList.builder();
    for (Controller c : controllers) {
      boolean kubelet = KUBELET.contains(c.name());
      if (!kubelet && controlPlane) {
        out.add(c);
      } else if (kubelet && allNodes) {
        out.add(c);
      } else if (kubelet && !nodes.isEmpty()) {
        out.add(new NodeScopedController(c, nodes));
      }
    }
    return out.build();
  }

  /** Whether the process runs the kubelet side of {@code node}. */
  public boolean runsNode(String node) {
    return allNodes || nodes.contains(node);
  }

  /**
   * Whether this role makes {@code effect}'s call ({@link Caller#of}): the control plane's calls
   * if it runs the control plane, a kubelet's calls if it runs that node. A process that starts
   * being the only one running a role (a node agent when it starts, a control plane when elected)
   * takes over the operations in flight it owns: their caller is gone.
   */
  public boolean owns(Effect effect) {
    Caller caller = Caller.of(effect);
    return caller instanceof Caller.Kubelet k ? runsNode(k.node()) : controlPlane;
  }

  /** The nodes of a node agent (empty for {@link #all()} and {@link #controlPlane()}). */
  public Optional<Set<String>> agentNodes() {
    return nodes.isEmpty() ? Optional.empty() : Optional.of(nodes);
  }
}
