package io.volumekit.cli.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.model.meta.KindInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The cluster one command invocation works on: the saved objects loaded into the engine, seen
 * through their JSON form as kubectl sees an API server.
 *
 * <p>Reads return objects in store order (namespace, then name). Writes are refused with a {@link
 * io.volumekit.cli.error.CliException} worded as the API server words it, and change nothing.
 * Nothing is saved until {@link #save()}: a command that fails leaves the state as it was.
 */
public interface Cluster extends AutoCloseable {

  /** The current time of the engine's clock, for ages. */
  Instant now();

  /** Every object of the kind, in every namespace, in store order. */
  List<ObjectNode> list(KindInfo kind);

  /**
   * The objects of the kind a command sees: those of {@code namespace} for a namespaced kind, or
   * all of them for a cluster-scoped kind or with {@code allNamespaces} ({@code -A}).
   */
  default List<ObjectNode> list(KindInfo kind, String namespace, boolean allNamespaces) {
    List<ObjectNode> all = list(kind);
    if (!kind.namespaced() || allNamespaces) {
      return all;
    }
    return all.stream().filter(o -> namespace.equals(o.path("metadata").path("namespace").asText(""))).toList();
  }

  /** The object, if stored. */
  Optional<ObjectNode> get(KindInfo kind, String namespace, String name);

  /**
   * Creates the object, or replaces the stored one with {@code desired} (the caller has merged
   * it with the live object, carrying over {@code metadata.resourceVersion}).
   *
   * @param source where the manifest came from, for messages ({@code pvc.yaml}, {@code STDIN})
   * @return the object as stored
   */
  ObjectNode write(KindInfo kind, ObjectNode desired, boolean create, String source);

  /** Requests deletion; the object stays while finalizers remain. Fails with NotFound when absent. */
  void delete(KindInfo kind, String namespace, String name);

  /** Runs the engine until nothing is left to do, reporting progress to the listener. */
  void settle(Progress progress);

  /** Saves the objects to the state directory (atomically), if anything changed since loading. */
  void save();

  /**
   * The metrics in the Prometheus text format, when the cluster was opened with {@link
   * ClusterConfig#withMetrics()}: the gauges computed from the state now, and what this invocation
   * recorded (reconciles, effects) since the engine started.
   */
  default Optional<String> metrics() {
    return Optional.empty();
  }

  /** Problems worth telling the user that did not stop the command (a CSI driver that cannot be reached). */
  default List<String> warnings() {
    return List.of();
  }

  /** Releases what the engine holds (driver connections); the state is not saved. */
  @Override
  default void close() {}

  /** Progress of a long settle. */
  @FunctionalInterface
  interface Progress {
    /** Called from time to time with the number of changes committed so far. */
    void update(long changes);

    /** A listener that ignores updates. */
    static Progress none() {
      return changes -> {};
    }
  }

}
