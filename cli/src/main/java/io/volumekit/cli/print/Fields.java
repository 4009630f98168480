package io.volumekit.cli.print;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads fields of an object in its JSON form, the way kubectl's printers read unstructured
 * objects: a missing field is absent, never an error.
 */
public final class Fields {

  private Fields() {}

  /** The node at the path, or a missing node. */
  public static JsonNode at(JsonNode obj, String... path) {
    JsonNode n = obj;
    for (String p : path) {
      if (n == null || !n.isObject()) {
        return MissingNode.getInstance();
      }
      n = n.path(p);
    }
    return n == null ? MissingNode.getInstance() : n;
  }

  /** Whether the path leads to a value (not missing, not null). */
  public static boolean has(JsonNode obj, String... path) {
    JsonNode n = at(obj, path);
    return !n.isMissingNode() && !n.isNull();
  }

  /** The text at the path, or empty. */
  public static Optional<String> text(JsonNode obj, String... path) {
    JsonNode n = at(obj, path);
    return n.isValueNode() && !n.isNull() ? Optional.of(n.asText()) : Optional.empty();
  }

  /** The text at the path, or {@code ""}. */
  public static String str(JsonNode obj, String... path) {
    return text(obj, path).orElse("");
  }

  /** The boolean at the path, or the default when absent. */
  public static boolean bool(JsonNode obj, boolean dflt, String... path) {
    JsonNode n = at(obj, path);
    return n.isBoolean() ? n.booleanValue() : n.isTextual() ? Boolean.parseBoolean(n.asText()) : dflt;
  }

  /** The elements of the array at the path (empty when absent). */
  public static List<JsonNode> list(JsonNode obj, String... path) {
    JsonNode n = at(obj, path);
    List<JsonNode> out = new ArrayList<>();
    if (n.isArray()) {
      n.forEach(out::add);
    }
    return out;
  }

  /** The strings of the array at the path. */
  public static List<String> strings(JsonNode obj, String... path) {
    return list(obj, path).stream().map(JsonNode::asText).toList();
  }

  /** The string map at the path, sorted by key (empty when absent). */
  public static Map<String, String> map(JsonNode obj, String... path) {
    Map<String, String> out = new TreeMap<>();
    JsonNode n = at(obj, path);
    if (n.isObject()) {
      n.properties().forEach(e -> out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
    }
    return out;
  }

  /** The RFC 3339 timestamp at the path, if present and parseable. */
  public static Optional<Instant> time(JsonNode obj, String... path) {
    return text(obj, path).filter(s -> !s.isEmpty()).flatMap(s -> {
      try {
        return Optional.of(Instant.parse(s));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    });
  }

  /** {@code metadata.name}. */
  public static String name(JsonNode obj) {
    return str(obj, "metadata", "name");
  }

  /** {@code metadata.namespace}, or {@code ""}. */
  public static String namespace(JsonNode obj) {
    return str(obj, "metadata", "namespace");
  }

  /** {@code kind}. */
  public static String kind(JsonNode obj) {
    return str(obj, "kind");
  }
}
