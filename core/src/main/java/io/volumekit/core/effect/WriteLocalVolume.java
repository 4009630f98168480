package io.volumekit.core.effect;

import io.volumekit.core.node.LocalVolume;
import io.volumekit.core.node.LocalVolumeWriter;
import io.volumekit.core.key.ObjectKey;
import java.io.IOException;
import java.util.Objects;

/**
 * Sets up (or refreshes) a node-local pod volume. While its operation is recorded as succeeded
 * the volume is mounted for the pod; the recorded volume is compared with the wanted one to
 * decide whether the payload must be rewritten (a changed Secret or ConfigMap).
 */
public record WriteLocalVolume(
    EffectId id, ObjectKey owner, String controller, String node, String podUid, String podVolume,
    LocalVolume volume)
    implements LocalEffect {

  public WriteLocalVolume {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(podVolume, "podVolume");
    Objects.requireNonNull(volume, "volume");
  }

  @Override
  public void apply(LocalVolumeWriter writer) throws IOException {
    writer.setUp(volume);
  }

  @Override
  public java.util.Optional<Object> applyForResult(LocalVolumeWriter writer,
      java.util.Optional<io.volumekit.core.node.ImageVolumePuller> puller) throws IOException {
    return writer.setUpReportingFallback(volume).map(Object.class::cast);
  }

  @Override
  public WriteLocalVolume withServiceAccountTokens(io.volumekit.core.token.TokenIssuer issuer, java.time.Instant now) {
    return volume.hasTokens()
        ? new WriteLocalVolume(id, owner, controller, node, podUid, podVolume, volume.withTokens(issuer, now))
        : this;
  }

  /** The same write under another id (a refresh of its tokens). */
  public WriteLocalVolume withId(EffectId newId) {
    return new WriteLocalVolume(newId, owner, controller, node, podUid, podVolume, volume);
  }

  @Override
  public String describe() {
    return "SetUp " + volume.kind() + " node=" + node + " path=" + volume.path() + " files=" + volume.payload().size();
  }
}
