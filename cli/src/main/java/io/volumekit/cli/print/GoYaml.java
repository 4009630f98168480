package io.volumekit.cli.print;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a JSON tree as kubectl's {@code -o yaml} does: keys sorted, 2-space indent, sequence
 * items at their parent key's indent, strings quoted only when they would read as another type or
 * cannot be written plain, multi-line strings in literal block style.
 *
 * <p>Mirrors {@code sigs.k8s.io/yaml} (JSON converted to YAML by go-yaml v2) behind cli-runtime's
 * {@code YAMLPrinter}, including go-yaml's folding of long plain and
 * single-quoted values at 80 columns.
 */
public final class GoYaml {

  /** go-yaml's preferred line width. */
  static final int BEST_WIDTH = 80;

  private static final Set<String> RESERVED = Set.of(
      "", "~", "null", "Null", "NULL",
      "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
      "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
      ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<");

  private static final Pattern INT = Pattern.compile("[-+]?(0b[01]+|0x[0-9a-fA-F]+|0o?[0-7]+|[0-9]+)");
  private static final Pattern FLOAT = Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");
  private static final Pattern BASE60 = Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");
  private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?");

  private GoYaml() {}

  /** The object as kubectl prints it, ending with a newline. */
  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    if (node.isObject() && !node.isEmpty()) {
      writeMap(out, node, 0);
    } else if (node.isArray() && !node.isEmpty()) {
      writeSeq(out, node, 0);
    } else {
      out.append(scalarOrEmpty(node, 0)).append('\n');
    }
    return out.toString();
  }

  private static void writeMap(StringBuilder out, JsonNode node, int indent) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    Collections.sort(keys);
    boolean first = true;
    for (String key : keys) {
      if (!first) {
        out.append(" ".repeat(indent));
      }
      first = false;
      out.append(key.contains("\n") ? doubleQuoted(key) : scalar(key, indent)).append(':');
      writeValue(out, node.get(key), indent, true);
    }
  }

  private static void writeSeq(StringBuilder out, JsonNode node, int indent) {
    boolean first = true;
    for (JsonNode item : node) {
      if (!first) {
        out.append(" ".repeat(indent));
      }
      first = false;
      out.append('-');
      writeValue(out, item, indent, false);
    }
  }

  /** Writes what follows a {@code key:} or a {@code -}, up to and including the newline. */
  private static void writeValue(StringBuilder out, JsonNode value, int indent, boolean inMap) {
    if (value.isObject() && !value.isEmpty()) {
      if (inMap) {
        out.append('\n').append(" ".repeat(indent + 2));
      } else {
        out.append(' ');
      }
      writeMap(out, value, indent + 2);
    } else if (value.isArray() && !value.isEmpty()) {
      if (inMap) {
        out.append('\n').append(" ".repeat(indent));
        writeSeq(out, value, indent);
      } else {
        out.append(' ');
        writeSeq(out, value, indent + 2);
      }
    } else {
      out.append(' ');
      String text = scalarOrEmpty(value, indent);
      if (value.isTextual() && !text.startsWith("\"") && !text.startsWith("|")) {
        int column = out.length() - (out.lastIndexOf("\n") + 1);
        boolean quoted = text.startsWith("'");
        text = fold(text, column, indent + 2, quoted ? 2 : 0, quoted ? text.length() - 3 : text.length() - 1);
      }
      out.append(text).append('\n');
    }
  }

  /**
   * go-yaml's line folding of plain and single-quoted values: at a single space, once the line is
   * past {@value #BEST_WIDTH} columns, the space becomes a line break indented to the value's
   * level (a reader turns it back into a space).
   *
   * @param column the column the text starts at
   * @param from the first index at which a break may be made
   * @param to the last index at which a break may be made
   */
  static String fold(String text, int column, int continuation, int from, int to) {
    if (column + text.length() <= BEST_WIDTH) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    boolean spaces = false;
    int col = column;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ' ') {
        boolean nextIsSpace = i + 1 < text.length() && text.charAt(i + 1) == ' ';
        if (!spaces && col > BEST_WIDTH && !nextIsSpace && i >= from && i <= to) {
          out.append('\n').append(" ".repeat(continuation));
          col = continuation;
        } else {
          out.append(c);
          col++;
        }
        spaces = true;
      } else {
        out.append(c);
        col++;
        spaces = false;
      }
    }
    return out.toString();
  }

  private static String scalarOrEmpty(JsonNode node, int indent) {
    if (node.isObject()) {
      return "{}";
    }
    if (node.isArray()) {
      return "[]";
    }
    if (node.isNull() || node.isMissingNode()) {
      return "null";
    }
    if (node.isTextual()) {
      return scalar(node.textValue(), indent);
    }
    return node.asText();
  }

  /** A string scalar: plain, single-quoted, double-quoted or a literal block. */
  static String scalar(String s, int indent) {
    if (s.contains("\n") && isPrintable(s.replace("\n", "")) && !s.endsWith(" ") && !s.contains(" \n")) {
      return literal(s, indent);
    }
    if (!isPrintable(s) || s.indexOf('\t') >= 0) {
      return doubleQuoted(s); // go-yaml allows tabs in neither plain nor single-quoted scalars
    }
    if (readsAsOtherType(s)) {
      return doubleQuoted(s);
    }
    if (!plainAllowed(s)) {
      return "'" + s.replace("'", "''") + "'";
    }
    return s;
  }

  private static String literal(String s, int indent) {
    String chomp;
    String body;
    if (s.endsWith("\n\n") || s.equals("\n")) {
      chomp = "+";
      body = s.substring(0, s.length() - 1);
    } else if (s.endsWith("\n")) {
      chomp = "";
      body = s.substring(0, s.length() - 1);
    } else {
      chomp = "-";
      body = s;
    }
    String pad = " ".repeat(indent + 2);
    String firstLine = body.lines().filter(l -> !l.isEmpty()).findFirst().orElse("");
    String lead = firstLine.startsWith(" ") ? "2" : "";
    StringBuilder out = new StringBuilder("|").append(lead).append(chomp);
    for (String line : body.split("\n", -1)) {
      out.append('\n');
      if (!line.isEmpty()) {
        out.append(pad).append(line);
      }
    }
    return out.toString();
  }

  private static boolean readsAsOtherType(String s) {
    if (RESERVED.contains(s)) {
      return true;
    }
    char c = s.charAt(0);
    if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
      // go-yaml drops underscores before parsing numbers; YAML 1.1 readers take them as digits.
      // Quoting what either would read as a number keeps the output readable by both.
      String plain = s.replace("_", "");
      String digits = s.replace('_', '0');
      return INT.matcher(plain).matches()
          || FLOAT.matcher(plain).matches()
          || INT.matcher(digits).matches()
          || FLOAT.matcher(digits).matches()
          || BASE60.matcher(s).matches()
          || TIMESTAMP.matcher(s).matches();
    }
    return false;
  }

  /** go-yaml's analysis of whether a scalar may be written plain in block context. */
  private static boolean plainAllowed(String s) {
    if (s.isEmpty() || s.startsWith(" ") || s.endsWith(" ") || s.startsWith("---") || s.startsWith("...")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean followedBySpace = i + 1 == s.length() || s.charAt(i + 1) == ' ';
      boolean precededBySpace = i > 0 && s.charAt(i - 1) == ' ';
      if (i == 0) {
        switch (c) {
          case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
            return false;
          case '?', ':', '-':
            if (followedBySpace) {
              return false;
            }
            break;
          default:
            break;
        }
      } else {
        if (c == ':' && followedBySpace) {
          return false;
        }
        if (c == '#' && precededBySpace) {
          return false;
        }
      }
      if (c == '\t') {
        return false;
      }
    }
    return true;
  }

  private static boolean isPrintable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\ufeff') {
        return false;
      }
    }
    return true;
  }

  private static String doubleQuoted(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case 0 -> out.append("\\0");
        default -> {
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\ufeff') {
            out.append(c <= 0xff ? String.format("\\x%02X", (int) c) : String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
