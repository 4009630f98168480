package io.volumekit.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.cli.print.GoJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The three-way merge of client-side {@code kubectl apply}: the manifest's fields are set on the
 * live object, fields the previous apply set and the manifest no longer has are removed, and
 * everything else (fields written by controllers, status, server metadata) is kept.
 *
 * <p>Mirrors kubectl's apply over the {@code kubectl.kubernetes.io/last-applied-configuration}
 * annotation, which holds the last applied manifest as JSON. Maps are merged key by key. The lists
 * that Kubernetes' strategic merge patch merges by key ({@code patchMergeKey} in
 * {@code k8s.io/api/core/v1/types.go}; see {@link #MERGE_KEYS}) are merged element by element: an
 * element the manifest has is merged into the live element with the same key (or added), an element
 * the last applied manifest had and the manifest no longer has is removed, and an element someone
 * else added is kept. The result is ordered as kubectl orders it ({@code $setElementOrder}): the
 * manifest's elements in the manifest's order, with the other live elements placed by their live
 * position. Other lists are replaced whole, as kubectl replaces lists without a merge key.
 */
public final class ApplyMerge {

  /** The annotation holding the last applied manifest. */
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  /**
   * The lists merged by key, by their path of field names from the object's root ({@code []} marks
   * a list element), with the key field: Pod's {@code patchMergeKey} tags.
   */
  static final Map<String, String> MERGE_KEYS = Map.ofEntries(
      Map.entry("spec.containers", "name"),
      Map.entry("spec.initContainers", "name"),
      Map.entry("spec.ephemeralContainers", "name"),
      Map.entry("spec.volumes", "name"),
      Map.entry("spec.imagePullSecrets", "name"),
      Map.entry("spec.containers[].volumeMounts", "mountPath"),
      Map.entry("spec.initContainers[].volumeMounts", "mountPath"),
      Map.entry("spec.containers[].volumeDevices", "devicePath"),
      Map.entry("spec.initContainers[].volumeDevices", "devicePath"),
      Map.entry("spec.containers[].env", "name"),
      Map.entry("spec.initContainers[].env", "name"),
      Map.entry("spec.containers[].ports", "containerPort"),
      Map.entry("spec.initContainers[].ports", "containerPort"));

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
    merge(result, lastApplied(live).orElse(null), desired, "");
    return result;
  }

  private static void merge(ObjectNode target, ObjectNode previous, ObjectNode desired, String path) {
    List<String> keys = new ArrayList<>();
    desired.fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      JsonNode want = desired.get(key);
      JsonNode have = target.get(key);
      JsonNode prev = previous == null ? null : previous.get(key);
      String at = path.isEmpty() ? key : path + "." + key;
      String mergeKey = MERGE_KEYS.get(at);
      if (want.isObject() && have != null && have.isObject()) {
        merge((ObjectNode) have, prev != null && prev.isObject() ? (ObjectNode) prev : null, (ObjectNode) want, at);
      } else if (mergeKey != null && want.isArray() && have != null && have.isArray()
          && keyed((ArrayNode) want, mergeKey) && keyed((ArrayNode) have, mergeKey)) {
        ArrayNode prevList = prev != null && prev.isArray() && keyed((ArrayNode) prev, mergeKey) ? (ArrayNode) prev : null;
        target.set(key, mergeList((ArrayNode) have, prevList, (ArrayNode) want, mergeKey, at + "[]"));
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

  /**
   * Strategic merge of a list by {@code mergeKey}: manifest elements merged into (or added to) the
   * live ones, elements only the last applied manifest had removed, others' elements kept.
   */
  private static ArrayNode mergeList(ArrayNode live, ArrayNode previous, ArrayNode desired, String mergeKey, String path) {
    Map<String, ObjectNode> liveByKey = byKey(live, mergeKey);
    Map<String, ObjectNode> previousByKey = previous == null ? Map.of() : byKey(previous, mergeKey);
    List<String> liveOrder = new ArrayList<>(liveByKey.keySet());
    Map<String, Integer> livePosition = new HashMap<>();
    for (int p = 0; p < liveOrder.size(); p++) {
      livePosition.put(liveOrder.get(p), p);
    }
    // the manifest's elements, in its order, each merged into its live counterpart
    List<String> patchKeys = new ArrayList<>();
    Map<String, JsonNode> merged = new LinkedHashMap<>();
    for (JsonNode want : desired) {
      String k = key(want, mergeKey);
      patchKeys.add(k);
      ObjectNode have = liveByKey.get(k);
      if (have == null) {
        merged.put(k, want.deepCopy());
      } else {
        ObjectNode item = have.deepCopy();
        merge(item, previousByKey.get(k), (ObjectNode) want, path);
        merged.put(k, item);
      }
    }
    // live elements the manifest does not name: kept unless the last apply set them
    List<String> serverOnly = new ArrayList<>();
    for (String k : liveOrder) {
      if (!merged.containsKey(k) && !previousByKey.containsKey(k)) {
        serverOnly.add(k);
      }
    }
    // kubectl's mergeSortedSlice: server-only elements go in front of the first manifest element
    // that comes after them in the live list
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    int i = 0;
    int j = 0;
    while (i < serverOnly.size() || j < patchKeys.size()) {
      if (j >= patchKeys.size()) {
        out.add(liveByKey.get(serverOnly.get(i++)));
      } else if (i >= serverOnly.size()) {
        out.add(merged.get(patchKeys.get(j++)));
      } else {
        Integer li = livePosition.get(serverOnly.get(i));
        Integer ri = livePosition.get(patchKeys.get(j));
        if (li != null && ri != null && li < ri) {
          out.add(liveByKey.get(serverOnly.get(i++)));
        } else {
          out.add(merged.get(patchKeys.get(j++)));
        }
      }
    }
    return out;
  }

  /** Whether every element is an object with a distinct value for the key (else the list is replaced whole). */
  private static boolean keyed(ArrayNode list, String mergeKey) {
    Set<String> seen = new HashSet<>();
    for (JsonNode item : list) {
      if (!item.isObject() || !item.path(mergeKey).isValueNode() || item.path(mergeKey).isNull()
          || !seen.add(key(item, mergeKey))) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, ObjectNode> byKey(ArrayNode list, String mergeKey) {
    Map<String, ObjectNode> out = new LinkedHashMap<>();
    list.forEach(item -> out.put(key(item, mergeKey), (ObjectNode) item));
    return out;
  }

  private static String key(JsonNode item, String mergeKey) {
    return item.path(mergeKey).asText();
  }
}
