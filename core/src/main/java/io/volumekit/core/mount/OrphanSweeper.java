package io.volumekit.core.mount;

import io.volumekit.core.controller.ChangeFact;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.NodeStage;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.PullImageVolume;
import io.volumekit.core.effect.SetUpHostPath;
import io.volumekit.core.effect.WriteLocalVolume;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.NodeOperationIndex;
import io.volumekit.core.state.NodePodIndex;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.Pod;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The kubelet's sweep of a node that comes back (from out of service, or newly registered): tears
 * down the pod volumes whose pods no longer exist there (force-deleted while the node was down),
 * as the kubelet's reconstruction and orphaned pod cleanup do after a restart.
 *
 * <p>Reconciles Node keys. Mounts of pods still on the node are handed to the {@link
 * PodVolumeController}, staged devices to the {@link DeviceStagingController} (which unstages them
 * once nothing on the node has them published).
 */
public final class OrphanSweeper implements Controller {

  /** The controller's name. */
  public static final String NAME = "kubelet-orphan-sweeper";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WatchedKinds watches() {
    // A node's change matters only as it comes back in service.
    return WatchedKinds.of(Node.KIND).when(Node.KIND, Change.Type.MODIFIED, PodVolumeController.OUT_OF_SERVICE_CHANGED);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    if (change.kind().equals(Node.KIND)) {
      boolean wasDown = change.beforeAs(Node.class).map(PodVolumeSupport::isOutOfService).orElse(true);
      boolean down = change.afterAs(Node.class).map(PodVolumeSupport::isOutOfService).orElse(true);
      if (wasDown && !down) {
        enqueue.accept(change.key());
      }
    }
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    return key.kind().equals(Node.KIND) ? sweep(state, key.name()) : Decision.none();
  }

  /** Tears down mounts on the node whose pods no longer exist there. */
  private static Decision sweep(ClusterState state, String node) {
    if (PodVolumeSupport.nodeIsDown(state, node)) {
      return Decision.none();
    }
    // Only this node's pods and operations (NodePodIndex, NodeOperationIndex): a node coming back
    // costs what it holds, not a scan of the cluster. A pod that is elsewhere counts as gone here.
    Map<String, Pod> byUid = new HashMap<>();
    for (ObjectKey k : state.index(NodePodIndex.class).podsOn(node)) {
      state.get(k, Pod.class).ifPresent(p -> p.metadata().uid().ifPresent(u -> byUid.put(u, p)));
    }
    Decision.Builder b = Decision.builder();
    ObjectKey owner = ObjectKey.cluster(Node.KIND, node);
    for (EffectId id : state.index(NodeOperationIndex.class).onNode(node)) {
      Optional<Operation> recorded = state.operation(id);
      if (recorded.isEmpty() || !KubeletOperations.byKubelet(recorded.get().effect())) {
        continue;
      }
      Effect e = recorded.get().effect();
      String podUid;
      String volume;
      if (e instanceof NodePublish p && p.node().equals(node)) {
        podUid = p.podUid();
        volume = p.podVolume();
      } else if (e instanceof WriteLocalVolume w && w.node().equals(node)) {
        podUid = w.podUid();
        volume = w.podVolume();
      } else if (e instanceof PullImageVolume i && i.node().equals(node)) {
        podUid = i.podUid();
        volume = i.podVolume();
      } else if (e instanceof SetUpHostPath h && h.node().equals(node)) {
        podUid = h.podUid();
        volume = h.podVolume();
      } else if (e instanceof NodeStage s && s.node().equals(node)) {
        b.handOff(DeviceStagingController.NAME, new NodeVolumeKey.Device(node, s.volumeName()).objectKey());
        continue;
      } else {
        continue;
      }
      Pod p = byUid.get(podUid);
      if (p != null && p.nodeName().filter(node::equals).isPresent()) {
        b.handOff(PodVolumeController.NAME, ObjectKey.of(p));
        continue;
      }
      KubeletOperations.teardownVolume(state, NAME, owner, podUid, volume, b);
      if (e instanceof NodePublish orphan) {
        b.handOff(DeviceStagingController.NAME, new NodeVolumeKey.Device(node, orphan.volumeName()).objectKey());
      }
    }
    return b.build();
  }
}
