package io.volumekit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.cli.kind.ResourceArgs;
import io.volumekit.cli.state.ObjectFile;
import io.volumekit.model.meta.KindInfo;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What {@code get -w} does after the first listing: follows the state directory and reports each
 * object of the request that changed (a new resourceVersion), appeared or was deleted, as
 * kubectl's watch prints one row per watch event.
 *
 * <p>The CLI has no server to hold a watch open: each invocation saves the whole state by an
 * atomic rename of {@code objects.json}. The watch therefore waits on a {@link WatchService} for
 * that rename (no polling, no sleep), then reads the file without the lock and compares
 * resourceVersions with what it last reported. Changes between two saves are seen as one: an
 * object that changed three times within one {@code apply} is reported once, in its final state
 * (docs/kubernetes-differences.md row 93).
 */
final class StateWatch implements AutoCloseable {

  /** One reported change: the object as it is now (or was last seen, when deleted). */
  record Change(KindInfo kind, ObjectNode object, boolean deleted) {}

  private final Path dir;
  private final WatchService service;
  private final ResourceArgs request;
  private final String namespace;
  private final boolean allNamespaces;
  /** What was last reported, by kind/namespace/name. */
  private final Map<String, ObjectNode> known = new LinkedHashMap<>();

  /**
   * Starts following {@code dir} now: a save after this call is seen, even one made before the
   * first listing is handed to {@link #baseline}.
   */
  StateWatch(Path dir, ResourceArgs request, String namespace, boolean allNamespaces) throws IOException {
    this.dir = dir;
    this.request = request;
    this.namespace = namespace;
    this.allNamespaces = allNamespaces;
    Files.createDirectories(dir);
    this.service = FileSystems.getDefault().newWatchService();
    dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
  }

  /** The objects the first listing printed: later changes are reported against them. */
  void baseline(List<ObjectNode> listed) {
    for (ObjectNode o : listed) {
      known.put(key(o), o);
    }
  }

  /**
   * Waits for saves and reports the changes, until {@code maxChanges} were reported (if given) or
   * the thread is interrupted.
   *
   * @return how many changes were reported
   */
  int follow(Optional<Integer> maxChanges, Consumer<List<Change>> report) {
    int reported = 0;
    while (maxChanges.isEmpty() || reported < maxChanges.get()) {
      if (!awaitSave()) {
        return reported;
      }
      List<Change> changes = changes();
      if (maxChanges.isPresent() && changes.size() > maxChanges.get() - reported) {
        changes = changes.subList(0, maxChanges.get() - reported);
      }
      if (!changes.isEmpty()) {
        report.accept(changes);
        reported += changes.size();
      }
    }
    return reported;
  }

  /** Blocks until objects.json was replaced; false when interrupted or closed. */
  private boolean awaitSave() {
    while (true) {
      WatchKey key;
      try {
        key = service.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (ClosedWatchServiceException e) {
        return false;
      }
      boolean saved = false;
      for (WatchEvent<?> e : key.pollEvents()) {
        saved |= e.kind() == StandardWatchEventKinds.OVERFLOW
            || ObjectFile.NAME.equals(String.valueOf(e.context()));
      }
      key.reset();
      if (saved) {
        return true;
      }
    }
  }

  /** The changes of the requested objects since the last report, in file order, then deletions. */
  List<Change> changes() {
    List<ObjectNode> now = ObjectFile.peek(dir).map(ObjectFile.Saved::objects).map(List::copyOf).orElse(List.of());
    List<Change> out = new ArrayList<>();
    Map<String, ObjectNode> seen = new LinkedHashMap<>();
    for (ObjectNode o : now) {
      Optional<KindInfo> kind = matching(o);
      if (kind.isEmpty()) {
        continue;
      }
      String k = key(o);
      seen.put(k, o);
      ObjectNode before = known.get(k);
      if (before == null || !resourceVersion(before).equals(resourceVersion(o))) {
        out.add(new Change(kind.get(), o, false));
      }
    }
    for (Map.Entry<String, ObjectNode> e : known.entrySet()) {
      if (!seen.containsKey(e.getKey())) {
        matching(e.getValue()).ifPresent(kind -> out.add(new Change(kind, e.getValue(), true)));
      }
    }
    known.clear();
    known.putAll(seen);
    return out;
  }

  private Optional<KindInfo> matching(ObjectNode o) {
    String kind = o.path("kind").asText("");
    String ns = o.path("metadata").path("namespace").asText("");
    String name = o.path("metadata").path("name").asText("");
    for (ResourceArgs.Request r : request.requests()) {
      if (!r.kind().kind().equals(kind)) {
        continue;
      }
      if (r.kind().namespaced() && !allNamespaces && !ns.equals(namespace)) {
        continue;
      }
      if (r.name().isPresent() && !r.name().get().equals(name)) {
        continue;
      }
      return Optional.of(r.kind());
    }
    return Optional.empty();
  }

  private static String key(ObjectNode o) {
    return o.path("kind").asText("") + "/" + o.path("metadata").path("namespace").asText("") + "/"
        + o.path("metadata").path("name").asText("");
  }

  private static String resourceVersion(ObjectNode o) {
    return o.path("metadata").path("resourceVersion").asText("");
  }

  @Override
  public void close() throws IOException {
    service.close();
  }
}
