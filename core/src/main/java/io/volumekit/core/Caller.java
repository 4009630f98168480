package io.volumekit.core;

import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.LocalEffect;
import io.volumekit.core.effect.NodeCsiEffect;
import java.util.Objects;

/**
 * Which component of a cluster makes an effect's call, and therefore which process owns the
 * effect's operation while it is in flight when several processes share a store ({@link Role}).
 *
 * <p>Kubernetes splits the calls between two sides. The kubelet of a node makes that node's calls:
 * NodeStageVolume, NodePublishVolume and their negations, plugin registration, volume statistics,
 * and the writes under its root directory (emptyDir, secret, configMap, projected, hostPath and
 * image volumes). kube-controller-manager and the CSI controller sidecars (external-provisioner,
 * -attacher, -snapshotter, -resizer) make the others: CreateVolume, ControllerPublishVolume,
 * CreateSnapshot, volume populators and so on.
 *
 * <p>{@link #of} tells the side from the operation record alone, by the controller that issued
 * the effect: an effect of a kubelet controller (those a {@link Role#nodeAgent} runs) belongs to
 * the kubelet of the node it names; every other effect belongs to the control plane. The issuing
 * controller, not the kind of call, decides, because the process running that controller is the
 * one that started the call: NodeExpandVolume, for instance, is a kubelet call in Kubernetes, but
 * the engine's kubelet-volume-expansion controller runs in the control-plane role, so its calls
 * are the control plane's.
 */
public sealed interface Caller {

  /** kube-controller-manager, the scheduler and the CSI controller sidecars. */
  record ControlPlane() implements Caller {}

  /**
   * The kubelet of one node.
   *
   * @param node the Kubernetes node name
   */
  record Kubelet(String node) implements Caller {
    public Kubelet {
      Objects.requireNonNull(node, "node");
    }
  }

  /** The side that makes {@code effect}'s call. */
  static Caller of(Effect effect) {
    if (Role.KUBELET.contains(effect.controller())) {
      if (effect instanceof NodeCsiEffect<?> n) {
        return new Kubelet(n.node());
      }
      if (effect instanceof LocalEffect l) {
        return new Kubelet(l.node());
      }
    }
    return new ControlPlane();
  }
}
