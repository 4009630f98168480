package io.volumekit.cli.print;

import java.util.ArrayList;
import java.util.List;

/**
 * Elastic tab stops laid out exactly like Go's {@code text/tabwriter}, which kubectl uses for every
 * table and describe.
 *
 * <p>Input lines hold tab-terminated cells; the text after a line's last tab is not part of any
 * column. A column block is a run of consecutive lines that all have a cell in that column; each
 * block gets its own width: {@code max(minWidth, widest cell + padding)}. Cells are padded with
 * spaces on the right. Tables use {@code (6, 3)} and describe {@code (0, 2)}, as kubectl's
 * printers do.
 */
public final class TabWriter {

  private final int minWidth;
  private final int padding;

  /** A writer with the given minimum cell width and padding. */
  public TabWriter(int minWidth, int padding) {
    this.minWidth = minWidth;
    this.padding = padding;
  }

  /** kubectl's table settings: minimum width 6, padding 3. */
  public static TabWriter table() {
    return new TabWriter(6, 3);
  }

  /** kubectl's describe settings: minimum width 0, padding 2. */
  public static TabWriter describe() {
    return new TabWriter(0, 2);
  }

  /** Lays out {@code text} (lines separated by {@code \n}, cells by {@code \t}). */
  public String format(String text) {
    List<String[]> lines = new ArrayList<>();
    boolean trailingNewline = text.endsWith("\n");
    String body = trailingNewline ? text.substring(0, text.length() - 1) : text;
    if (!text.isEmpty()) {
      for (String line : body.split("\n", -1)) {
        lines.add(line.split("\t", -1));
      }
    }
    StringBuilder out = new StringBuilder(text.length() + 64);
    List<Integer> widths = new ArrayList<>();
    format(out, lines, widths, 0, lines.size());
    if (!trailingNewline && out.length() > 0) {
      out.setLength(out.length() - 1);
    }
    return out.toString();
  }

  private void format(StringBuilder out, List<String[]> lines, List<Integer> widths, int line0, int line1) {
    int column = widths.size();
    for (int i = line0; i < line1; i++) {
      if (column >= lines.get(i).length - 1) {
        continue;
      }
      // A cell exists in this column: lines before it are printed with the outer widths.
      writeLines(out, lines, widths, line0, i);
      line0 = i;
      int width = minWidth;
      for (; i < line1; i++) {
        String[] cells = lines.get(i);
        if (column >= cells.length - 1) {
          break;
        }
        width = Math.max(width, textWidth(cells[column]) + padding);
      }
      widths.add(width);
      format(out, lines, widths, line0, i);
      widths.remove(widths.size() - 1);
      line0 = i; // line i has no cell in this column, so skipping its check is safe
    }
    writeLines(out, lines, widths, line0, line1);
  }

  private static void writeLines(StringBuilder out, List<String[]> lines, List<Integer> widths, int from, int to) {
    for (int i = from; i < to; i++) {
      String[] cells = lines.get(i);
      for (int j = 0; j < cells.length; j++) {
        out.append(cells[j]);
        if (j < widths.size()) {
          out.append(" ".repeat(Math.max(0, widths.get(j) - textWidth(cells[j]))));
        }
      }
      out.append('\n');
    }
  }

  private static int textWidth(String cell) {
    return cell.codePointCount(0, cell.length());
  }
}
