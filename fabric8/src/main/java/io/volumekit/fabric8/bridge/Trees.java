package io.volumekit.fabric8.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** JSON tree helpers for the bridge: server-managed metadata, and carrying unmodelled fields over. */
final class Trees {
  private Trees() {}

  /** Metadata the API server (or volumekit's store) sets: never copied from one side to the other. */
  static final List<String> SERVER_METADATA = List.of(
      "uid", "resourceVersion", "creationTimestamp", "generation", "deletionTimestamp",
      "deletionGracePeriodSeconds", "managedFields", "selfLink");

  /** A copy of the tree without the server-managed metadata. */
  static ObjectNode withoutServerMetadata(JsonNode tree) {
    ObjectNode copy = ((ObjectNode) tree).deepCopy();
    JsonNode meta = copy.get("metadata");
    if (meta instanceof ObjectNode m) {
      m.remove(SERVER_METADATA);
    }
    return copy;
  }

  /** A copy of the tree without server-managed metadata and without status: what a user writes. */
  static ObjectNode userView(JsonNode tree) {
    ObjectNode copy = withoutServerMetadata(tree);
    copy.remove("status");
    return copy;
  }

  /**
   * Copies the values at {@code paths} (as {@code Conversion.unmappedFields} names them) from
   * {@code from} into {@code to}: the fields volumekit does not model survive a write of
   * volumekit's version of the object. A path whose parent array element is missing in {@code to}
   * is skipped.
   */
  static void carryOver(JsonNode from, ObjectNode to, List<String> paths) {
    for (String path : paths) {
      List<String> segments = parse(path);
      JsonNode src = from;
      for (String s : segments) {
        src = step(src, s);
      }
      if (src == null || src.isMissingNode()) {
        continue;
      }
      JsonNode parent = to;
      boolean ok = true;
      for (int i = 0; i < segments.size() - 1 && ok; i++) {
        String s = segments.get(i);
        JsonNode next = step(parent, s);
        if (next == null || next.isMissingNode() || next.isNull()) {
          if (parent instanceof ObjectNode o && !(step(from, segments, i + 1) instanceof ArrayNode)) {
            next = o.putObject(s);
          } else {
            ok = false;
          }
        }
        parent = next;
      }
      String last = segments.get(segments.size() - 1);
      if (ok && parent instanceof ObjectNode o) {
        o.set(last, src.deepCopy());
      } else if (ok && parent instanceof ArrayNode a && isIndex(last) && Integer.parseInt(last) < a.size()) {
        a.set(Integer.parseInt(last), src.deepCopy());
      }
    }
  }

  private static JsonNode step(JsonNode root, List<String> segments, int n) {
    JsonNode n0 = root;
    for (int i = 0; i < n && n0 != null; i++) {
      n0 = step(n0, segments.get(i));
    }
    return n0;
  }

  private static JsonNode step(JsonNode node, String segment) {
    if (node == null) {
      return null;
    }
    if (node.isArray() && isIndex(segment)) {
      return node.get(Integer.parseInt(segment));
    }
    return node.isObject() ? node.get(segment) : null;
  }

  private static boolean isIndex(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  /** {@code a.b[0].c[key.with.dots]} as [a, b, 0, c, key.with.dots]. */
  static List<String> parse(String path) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '.') {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      } else if (c == '[') {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
        int end = path.indexOf(']', i);
        out.add(path.substring(i + 1, end));
        i = end;
      } else {
        cur.append(c);
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }
}
