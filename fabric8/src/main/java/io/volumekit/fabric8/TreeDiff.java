package io.volumekit.fabric8;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds the fields one JSON tree sets that another lacks: what a conversion dropped.
 *
 * <p>A field counts when its value is not empty: {@code null}, {@code {}} and {@code []} are the
 * same as absent on both sides (both models leave empty fields out, and Kubernetes treats them
 * alike). An empty string is a value (a claim's {@code storageClassName: ""} means "no class").
 * Scalars present on both sides are not compared: a value the target writes differently (a
 * quantity's canonical form) was converted, not dropped.
 */
final class TreeDiff {
  private TreeDiff() {}

  /** The paths of {@code source}'s non-empty fields that {@code target} lacks, in document order. */
  static List<String> dropped(JsonNode source, JsonNode target) {
    List<String> out = new ArrayList<>();
    walk(source, target, "", out);
    return out;
  }

  static boolean isEmpty(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() || (n.isContainerNode() && n.isEmpty());
  }

  private static void walk(JsonNode source, JsonNode target, String path, List<String> out) {
    if (isEmpty(source)) {
      return;
    }
    if (isEmpty(target)) {
      out.add(path);
      return;
    }
    if (source.isObject() && target.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        walk(e.getValue(), target.get(e.getKey()), child(path, e.getKey()), out);
      }
    } else if (source.isArray() && target.isArray()) {
      for (int i = 0; i < source.size(); i++) {
        walk(source.get(i), target.get(i), path + "[" + i + "]", out);
      }
    }
    // Scalars, or a container against a scalar: converted, not dropped.
  }

  static String child(String path, String field) {
    if (field.contains(".") || field.contains("[")) {
      // A map key such as an annotation name: quoted, as the API server's field paths do.
      return path + "[" + field + "]";
    }
    return path.isEmpty() ? field : path + "." + field;
  }
}
