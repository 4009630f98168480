package io.volumekit.core.docs;

import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.util.Optional;
import java.util.function.Consumer;

// The controller sketch of docs/architecture.md, compiled and tested (ArchitectureSketchTest).
// Everything from the javadoc below to the end must appear verbatim in the document.
/** Marks bound claims whose request exceeds their PV's capacity (sketch). */
public final class OversizeReporter implements Controller {
  public static final String NAME = "oversize-reporter";
  public static final String ANNOTATION = "example.com/oversize";

  @Override public String name() { return NAME; }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    if (change.kind().equals(PersistentVolumeClaim.KIND) && change.after().isPresent()) {
      enqueue.accept(change.key());
    }
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    Optional<PersistentVolumeClaim> claim = state.get(key, PersistentVolumeClaim.class);
    if (claim.isEmpty() || claim.get().volumeName().isEmpty()
        || claim.get().metadata().annotations().containsKey(ANNOTATION)) {
      return Decision.none();   // OBSERVATION: claim gone, not bound, or already marked
    }
    Optional<PersistentVolume> pv = state.get(
        ObjectKey.cluster(PersistentVolume.KIND, claim.get().volumeName().get()), PersistentVolume.class);
    boolean oversize = pv.flatMap(PersistentVolume::capacityStorage)
        .flatMap(cap -> claim.get().requestedStorage().map(req -> req.compareTo(cap) > 0))
        .orElse(false);
    if (!oversize) {
      return Decision.none();   // OBSERVATION: the volume is large enough
    }
    PersistentVolumeClaim c = claim.get();
    return Decision.builder()
        .update(c.withMetadata(c.metadata().withAnnotation(ANNOTATION, "true")))   // resourceVersion checked
        .event(EventRecord.warning(NAME, key, "Oversize", "the request exceeds the volume's capacity"))
        .build();
  }
}
