package io.volumekit.cli.print;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import java.time.Instant;
import java.util.List;

/**
 * The columns of one kind's {@code get} table and how to fill a row.
 *
 * <p>Mirrors a column definition list of the API server's table printers ({@code
 * pkg/printers/internalversion/printers.go}): the default columns are the priority-0 ones; {@code
 * -o wide} shows {@code wideColumns}, which for most kinds are the default ones followed by the
 * priority-1 ones (Event interleaves them).
 *
 * @param columns the headers without {@code -o wide}
 * @param wideColumns the headers with {@code -o wide}
 * @param cells computes a row's cells for one of the two layouts
 */
public record TableSpec(ImmutableList<String> columns, ImmutableList<String> wideColumns, RowFunction cells) {

  /** Computes a row. */
  @FunctionalInterface
  public interface RowFunction {
    /** The object's row at {@code now}: one cell per header of the chosen layout. */
    List<String> row(JsonNode obj, Instant now, boolean wide);
  }

  /** Computes all cells of a row, default ones first, wide ones after. */
  @FunctionalInterface
  public interface AllCells {
    /** Every cell of the object's row at {@code now}. */
    List<String> row(JsonNode obj, Instant now);
  }

  public TableSpec {
    columns = ImmutableList.copyOf(columns);
    wideColumns = ImmutableList.copyOf(wideColumns);
  }

  /** A spec without wide columns. */
  public static TableSpec of(List<String> columns, AllCells cells) {
    return of(columns, List.of(), cells);
  }

  /** A spec whose {@code wide} columns follow the default ones and show only with {@code -o wide}. */
  public static TableSpec of(List<String> columns, List<String> wide, AllCells cells) {
    ImmutableList<String> all = ImmutableList.<String>builder().addAll(columns).addAll(wide).build();
    int n = columns.size();
    return new TableSpec(
        ImmutableList.copyOf(columns), all, (obj, now, w) -> {
          List<String> row = cells.row(obj, now);
          return w ? row : row.subList(0, n);
        });
  }

  /** The headers of the chosen layout. */
  public List<String> headers(boolean wide) {
    return wide ? wideColumns : columns;
  }
}
