package io.volumekit.cli.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.cli.state.ObjectFile;
import io.volumekit.model.meta.KindInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The saved objects of a state, read as they are, for verbs that only read ({@code get}, {@code
 * describe}): no engine is started, so these stay quick and change nothing.
 *
 * <p>Objects are saved in store order (kind, namespace, name), which listings keep. Writing
 * through this view is a programming error.
 */
public final class SavedCluster implements Cluster {

  private final List<ObjectNode> objects;
  private final Clock clock;

  /** A read-only view of the saved objects, with ages computed on the clock. */
  public SavedCluster(ObjectFile.Saved saved, Clock clock) {
    this.objects = saved.objects();
    this.clock = clock;
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public List<ObjectNode> list(KindInfo kind) {
    return objects.stream().filter(o -> isOfKind(o, kind)).toList();
  }

  @Override
  public Optional<ObjectNode> get(KindInfo kind, String namespace, String name) {
    return objects.stream()
        .filter(o -> isOfKind(o, kind)
            && namespace.equals(o.path("metadata").path("namespace").asText(""))
            && name.equals(o.path("metadata").path("name").asText("")))
        .findFirst();
  }

  private static boolean isOfKind(ObjectNode o, KindInfo kind) {
    return kind.kind().equals(o.path("kind").asText()) && kind.apiVersion().equals(o.path("apiVersion").asText());
  }

  @Override
  public ObjectNode write(KindInfo kind, ObjectNode desired, boolean create, String source) {
    throw new UnsupportedOperationException("the saved objects are read-only");
  }

  @Override
  public void delete(KindInfo kind, String namespace, String name) {
    throw new UnsupportedOperationException("the saved objects are read-only");
  }

  @Override
  public void settle(Progress progress) {
    throw new UnsupportedOperationException("the saved objects are read-only");
  }

  @Override
  public void save() {
    // Nothing was changed.
  }
}
