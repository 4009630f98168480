package io.volumekit.cli.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The saved objects of a state: {@code <state>/objects.json}, a {@code kind: List} whose {@code
 * metadata.resourceVersion} is the store's counter.
 *
 * <p>Like etcd holding the API server's objects, this file is the state; everything else (effects
 * in flight, indexes) is derived again from it on load, since the controllers are level-triggered.
 */
public final class ObjectFile {

  /** The file name inside the state directory. */
  public static final String NAME = "objects.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ObjectFile() {}

  /** The saved objects and the store counter. */
  public record Saved(long resourceVersion, ImmutableList<ObjectNode> objects) {
    public Saved {
      objects = ImmutableList.copyOf(objects);
    }
  }

  /** The saved state, or empty when the state is fresh. */
  public static Optional<Saved> load(StateDirectory dir) {
    return dir.read(NAME).map(bytes -> {
      try {
        JsonNode root = JSON.readTree(bytes);
        long rv = Long.parseLong(root.path("metadata").path("resourceVersion").asText("0"));
        ImmutableList.Builder<ObjectNode> objects = ImmutableList.builder();
        root.path("items").forEach(item -> objects.add((ObjectNode) item));
        return new Saved(rv, objects.build());
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("the saved state " + dir.path().resolve(NAME) + " cannot be read: "
            + e.getMessage(), e);
      }
    });
  }

  /** Saves the objects atomically. */
  public static void save(StateDirectory dir, long resourceVersion, List<? extends JsonNode> objects) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("apiVersion", "v1");
    root.put("kind", "List");
    root.putObject("metadata").put("resourceVersion", Long.toString(resourceVersion));
    ArrayNode items = root.putArray("items");
    objects.forEach(items::add);
    try {
      dir.write(NAME, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the state", e);
    }
  }
}
