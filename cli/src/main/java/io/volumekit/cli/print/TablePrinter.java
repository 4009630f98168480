package io.volumekit.cli.print;

import com.fasterxml.jackson.databind.JsonNode;
import io.volumekit.model.meta.KindInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out one kind's objects as kubectl's {@code get} table.
 *
 * <p>Mirrors cli-runtime's {@code tableprinter.go}: upper-case headers, a {@code NAMESPACE} column
 * in front with {@code -A} for namespaced kinds, {@code kind[.group]/name} in NAME when several
 * kinds were asked for, cells cut at the first line break, and a header only when there is a row
 * (docs/cli.md, "Output and messages").
 *
 * @param wide whether {@code -o wide} was given
 * @param allNamespaces whether {@code -A} was given
 * @param kindPrefix whether NAME cells carry the {@code kind[.group]/} prefix
 */
public record TablePrinter(boolean wide, boolean allNamespaces, boolean kindPrefix) {

  /** The table text (tab-separated, not yet laid out), or the empty string when there are no objects. */
  public String tabbed(KindInfo kind, List<JsonNode> objects, Instant now) {
    if (objects.isEmpty()) {
      return "";
    }
    TableSpec spec = KindTables.forKind(kind.kind());
    boolean nsColumn = allNamespaces && kind.namespaced();
    List<String> headers = spec.headers(wide);
    int nameIndex = headers.indexOf("NAME");
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>();
    if (nsColumn) {
      header.add("NAMESPACE");
    }
    header.addAll(headers);
    out.append(String.join("\t", header)).append('\n');
    for (JsonNode o : objects) {
      List<String> row = new ArrayList<>();
      if (nsColumn) {
        row.add(Fields.namespace(o));
      }
      List<String> cells = new ArrayList<>(spec.cells().row(o, now, wide));
      if (kindPrefix && nameIndex >= 0) {
        cells.set(nameIndex, kind.qualifiedKindLower() + "/" + cells.get(nameIndex));
      }
      cells.forEach(c -> row.add(cell(c)));
      out.append(String.join("\t", row)).append('\n');
    }
    return out.toString();
  }

  /** The laid-out table (kubectl's tab writer settings), or the empty string when there are no objects. */
  public String print(KindInfo kind, List<JsonNode> objects, Instant now) {
    return TabWriter.table().format(tabbed(kind, objects, now));
  }

  /** A cell cut at the first line break with {@code ...} appended, escapes made visible, as kubectl does. */
  static String cell(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\n' || c == '\r' || c == '\f') {
        return out.append("...").toString();
      }
      if (c == '\u001b') {
        out.append("^[");
      } else if (c == '\t') {
        out.append(' ');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
