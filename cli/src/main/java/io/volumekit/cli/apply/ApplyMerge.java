package io.volumekit.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.cli.print.GoJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The three-way merge of client-side {@code kubectl apply}: the manifest's fields are set on the
 * live object, fields the previous apply set and the manifest no longer has are removed, and
 * everything else (fields written by controllers, status, server metadata) is kept.
 *
 * <p>Mirrors kubectl's apply over the {@code kubectl.kubernetes.io/last-applied-configuration}
 * annotation, which holds the last applied manifest as JSON. Lists are replaced whole (a strategic
 * merge by key is not reproduced); maps are merged key by key.
 */
public final class ApplyMerge {

  /** The annotation holding the last applied manifest. */
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private ApplyMerge() {}

  /** The manifest with its last-applied annotation set: what {@code apply} creates. */
  public static ObjectNode withLastApplied(ObjectNode manifest) {
    ObjectNode desired = manifest.deepCopy();
    ObjectNode forAnnotation = manifest.deepCopy();
    ObjectNode meta = forAnnotation.withObjectProperty("metadata");
    if (meta.path("annotations").isObject()) {
      ((ObjectNode) meta.get("annotations")).remove(LAST_APPLIED);
      if (meta.get("annotations").isEmpty()) {
        meta.remove("annotations");
      }
    }
    desired.withObjectProperty("metadata").withObjectProperty("annotations").put(LAST_APPLIED, GoJson.compact(forAnnotation) + "\n");
    return desired;
  }

  /** The previous manifest recorded on the live object, if any. */
  public static Optional<ObjectNode> lastApplied(JsonNode live) {
    JsonNode a = live.path("metadata").path("annotations").path(LAST_APPLIED);
    if (!a.isTextual()) {
      return Optional.empty();
    }
    try {
      JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(a.textValue());
      return n != null && n.isObject() ? Optional.of((ObjectNode) n) : Optional.empty();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Optional.empty(); // a corrupt annotation counts as absent, as in kubectl
    }
  }

  /**
   * The live object changed as {@code apply} changes it.
   *
   * @param live the stored object
   * @param desired the manifest, with its last-applied annotation already set
   */
  public static ObjectNode merge(ObjectNode live, ObjectNode desired) {
    ObjectNode result = live.deepCopy();
    merge(result, lastApplied(live).orElse(null), desired);
    return result;
  }

  private static void merge(ObjectNode target, ObjectNode previous, ObjectNode desired) {
    List<String> keys = new ArrayList<>();
    desired.fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      JsonNode want = desired.get(key);
      JsonNode have = target.get(key);
      if (want.isObject() && have != null && have.isObject()) {
        JsonNode prev = previous == null ? null : previous.get(key);
        merge((ObjectNode) have, prev != null && prev.isObject() ? (ObjectNode) prev : null, (ObjectNode) want);
      } else if (want.isNull()) {
        target.remove(key);
      } else {
        target.set(key, want.deepCopy());
      }
    }
    if (previous != null) {
      previous.fieldNames().forEachRemaining(key -> {
        if (!desired.has(key)) {
          target.remove(key);
        }
      });
    }
  }
}
