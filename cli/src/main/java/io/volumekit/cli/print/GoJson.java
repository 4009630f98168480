package io.volumekit.cli.print;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Writes a JSON tree as kubectl's {@code -o json} does: keys sorted at every depth, 4-space
 * indent, {@code "key": value}, HTML-sensitive characters escaped, a trailing newline.
 *
 * <p>Mirrors Go's {@code json.MarshalIndent} over an untyped map as used by cli-runtime's {@code
 * JSONPrinter}.
 */
public final class GoJson {

  private GoJson() {}

  /** The object as kubectl prints it, ending with a newline. */
  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    write(out, node, 0);
    return out.append('\n').toString();
  }

  /** The object on one line with sorted keys and no trailing newline, as Go's {@code json.Marshal} writes a map. */
  public static String compact(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    compact(out, node);
    return out.toString();
  }

  private static void compact(StringBuilder out, JsonNode node) {
    if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      Collections.sort(keys);
      out.append('{');
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        quote(out, keys.get(i));
        out.append(':');
        compact(out, node.get(keys.get(i)));
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        compact(out, node.get(i));
      }
      out.append(']');
    } else if (node.isTextual()) {
      quote(out, node.textValue());
    } else {
      out.append(node.isMissingNode() ? "null" : node.toString());
    }
  }

  private static void write(StringBuilder out, JsonNode node, int depth) {
    if (node.isObject()) {
      if (node.isEmpty()) {
        out.append("{}");
        return;
      }
      List<String> keys = new ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      Collections.sort(keys);
      out.append("{\n");
      for (int i = 0; i < keys.size(); i++) {
        indent(out, depth + 1);
        quote(out, keys.get(i));
        out.append(": ");
        write(out, node.get(keys.get(i)), depth + 1);
        out.append(i + 1 < keys.size() ? ",\n" : "\n");
      }
      indent(out, depth);
      out.append('}');
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      for (int i = 0; i < node.size(); i++) {
        indent(out, depth + 1);
        write(out, node.get(i), depth + 1);
        out.append(i + 1 < node.size() ? ",\n" : "\n");
      }
      indent(out, depth);
      out.append(']');
    } else if (node.isTextual()) {
      quote(out, node.textValue());
    } else if (node.isMissingNode()) {
      out.append("null");
    } else {
      out.append(node.toString());
    }
  }

  private static void indent(StringBuilder out, int depth) {
    out.append("    ".repeat(depth));
  }

  /** Appends the string quoted with Go's encoding/json escapes. */
  static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
