package io.volumekit.core.mount;

import static io.volumekit.core.mount.KubeletOperations.failedMount;
import static io.volumekit.core.mount.KubeletOperations.setupId;

import io.volumekit.core.controller.Decision;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.PullImageVolume;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.mount.KubeletOperations.Outcome;
import io.volumekit.core.node.ImagePullException;
import io.volumekit.core.node.ImagePullPolicy;
import io.volumekit.core.node.ImageVolumeRequest;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.ImageVolumeSource;
import io.volumekit.model.core.LocalObjectReference;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Volume;
import java.util.Optional;

/**
 * The setup of a pod's image volumes for the {@link PodVolumeController} (docs/cases/node-side.md
 * rows IV1-IV5), as the kubelet has the container runtime pull an {@code image} volume's image and
 * mount it read-only: one {@link PullImageVolume} effect per volume, performed by the runtime with
 * the configured {@link io.volumekit.core.node.ImageVolumePuller}. Without a puller the pod waits
 * with a FailedMount event; a failed pull is reported once per failure and retried with backoff.
 * The pull happens once per pod volume (a pod's volumes cannot change).
 */
final class ImageVolumeSetup {

  private final VolumeHost host;

  ImageVolumeSetup(VolumeHost host) {
    this.host = host;
  }

  Outcome setup(ClusterState state, Pod pod, String node, String uid, Volume v, Decision.Builder b) {
    if (!host.imageVolumes()) {
      b.event(failedMount(pod, PodVolumeController.unsupported(v.name(), v.name(), PullImageVolume.NO_PULLER)));
      return Outcome.WAITING;
    }
    ImageVolumeSource source = v.image().orElseThrow();
    String prefix = "MountVolume.SetUp failed for volume \"" + v.name() + "\" : ";
    String reference = source.reference().orElse("");
    if (reference.isEmpty()) {
      b.event(failedMount(pod, prefix + ImagePullException.ERR_IMAGE_PULL + ": the image volume has no reference"));
      return Outcome.WAITING;
    }
    ImageVolumeRequest request = ImageVolumeRequest.of(reference, ImagePullPolicy.of(source.pullPolicy(), reference),
        pod.metadata().namespace().orElse(""), pod.metadata().name(), uid, v.name(),
        pod.spec().imagePullSecrets().stream().map(LocalObjectReference::name).toList());
    EffectId id = setupId(uid, v.name());
    PullImageVolume effect = new PullImageVolume(id, ObjectKey.of(pod), PodVolumeController.NAME, node, uid, v.name(),
        host.podVolumeDir(uid, VolumeHost.IMAGE_DIR, v.name()).toString(), request);
    Optional<Operation> op = state.operation(id);
    if (op.isPresent() && op.get().succeeded()) {
      return Outcome.READY;
    }
    if (op.isPresent() && op.get().inFlight()) {
      return Outcome.WAITING;
    }
    if (op.isPresent() && op.get().unreportedFailure()) {
      b.acknowledge(id);
      b.event(failedMount(pod, prefix + op.get().failure().orElseThrow().message()));
    }
    b.effect(effect);
    return Outcome.WAITING;
  }
}
