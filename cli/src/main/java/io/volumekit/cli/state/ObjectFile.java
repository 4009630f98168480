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
 * metadata.resourceVersion} is the store's counter, plus the engine's record of what the node side
 * has done ({@code operations}, opaque here), saved in the same atomic write so the two always
 * agree.
 *
 * <p>Like etcd holding the API server's objects, this file is the state; indexes and work queues
 * are derived again from it on load, since the controllers are level-triggered.
 */
public final class ObjectFile {

  /** The file name inside the state directory. */
  public static final String NAME = "objects.json";

  private static final String OPERATIONS = "operations";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ObjectFile() {}

  /** The saved objects, the store counter and the engine's operations (an empty array if none). */
  public record Saved(long resourceVersion, ImmutableList<ObjectNode> objects, JsonNode operations) {
    public Saved {
      objects = ImmutableList.copyOf(objects);
      operations = operations == null || operations.isMissingNode() ? JsonNodeFactory.instance.arrayNode() : operations;
    }
  }

  /** The saved state, or empty when the state is fresh. */
  public static Optional<Saved> load(StateDirectory dir) {
    return parse(dir.path(), dir.read(NAME));
  }

  /**
   * The saved state in {@code dir}, read without taking the lock: safe because every save replaces
   * the file by an atomic rename, so a reader sees one whole save or the one before
   * ({@code get -w} follows the state this way while other invocations write it).
   */
  public static Optional<Saved> peek(java.nio.file.Path dir) {
    try {
      return parse(dir, Optional.of(java.nio.file.Files.readAllBytes(dir.resolve(NAME))));
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + dir.resolve(NAME), e);
    }
  }

  private static Optional<Saved> parse(java.nio.file.Path path, Optional<byte[]> content) {
    return content.map(bytes -> {
      try {
        JsonNode root = JSON.readTree(bytes);
        long rv = Long.parseLong(root.path("metadata").path("resourceVersion").asText("0"));
        ImmutableList.Builder<ObjectNode> objects = ImmutableList.builder();
        root.path("items").forEach(item -> objects.add((ObjectNode) item));
        return new Saved(rv, objects.build(), root.path(OPERATIONS));
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("the saved state " + path.resolve(NAME) + " cannot be read: "
            + e.getMessage(), e);
      }
    });
  }

  /** Saves the objects and operations atomically. */
  public static void save(StateDirectory dir, long resourceVersion, List<? extends JsonNode> objects,
      JsonNode operations) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("apiVersion", "v1");
    root.put("kind", "List");
    root.putObject("metadata").put("resourceVersion", Long.toString(resourceVersion));
    ArrayNode items = root.putArray("items");
    objects.forEach(items::add);
    root.set(OPERATIONS, operations);
    try {
      dir.write(NAME, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the state", e);
    }
  }
}
