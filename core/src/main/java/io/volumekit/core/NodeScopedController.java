package io.volumekit.core;

import com.google.common.collect.ImmutableSet;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.ForwardingController;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.mount.NodeVolumeKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.Pod;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A kubelet-side controller restricted to some nodes ({@link Role#nodeAgent}): it queues and
 * reconciles only keys of those nodes (a Node, a pod placed on one, a node-volume key naming one),
 * as each kubelet watches only its own node's pods. Keys whose node cannot be told go through.
 */
final class NodeScopedController extends ForwardingController {

  private final ImmutableSet<String> nodes;

  NodeScopedController(Controller inner, ImmutableSet<String> nodes) {
    super(inner);
    this.nodes = nodes;
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    delegate().watch(state, change, k -> {
      if (mine(state, k)) {
        enqueue.accept(k);
      }
    });
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    return mine(state, key) ? delegate().reconcile(state, key) : Decision.none();
  }

  private boolean mine(ClusterState state, ObjectKey key) {
    return node(state, key).map(nodes::contains).orElse(true);
  }

  private static Optional<String> node(ClusterState state, ObjectKey key) {
    Optional<NodeVolumeKey> nv = NodeVolumeKey.from(key);
    if (nv.isPresent()) {
      if (nv.get() instanceof NodeVolumeKey.Device d) {
        return Optional.of(d.node());
      }
      if (nv.get() instanceof NodeVolumeKey.PodDirectory p) {
        return Optional.of(p.node());
      }
      return Optional.empty();
    }
    if (key.kind().equals(Node.KIND)) {
      return Optional.of(key.name());
    }
    if (key.kind().equals(Pod.KIND)) {
      return state.get(key, Pod.class).flatMap(Pod::nodeName);
    }
    return Optional.empty();
  }
}
