package io.volumekit.core.effect;

/**
 * A CSI call to a driver's node plugin on one node (NodeStage, NodePublish and their negations),
 * as the kubelet makes it through the plugin's socket on that node.
 *
 * <p>The runtime sends it to the node plugin registered for ({@link #driver()}, {@link #node()})
 * rather than to the controller plugin.
 *
 * @param <R> the type of the call's response
 */
public sealed interface NodeCsiEffect<R> extends CsiEffect<R>
    permits NodeStage, NodeUnstage, NodePublish, NodeUnpublish {

  /** The Kubernetes node name whose kubelet makes the call. */
  String node();
}
