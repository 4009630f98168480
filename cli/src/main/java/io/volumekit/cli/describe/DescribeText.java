package io.volumekit.cli.describe;

import com.fasterxml.jackson.databind.JsonNode;
import io.volumekit.cli.apply.ApplyMerge;
import io.volumekit.cli.print.Fields;
import io.volumekit.cli.print.HumanDuration;
import io.volumekit.cli.print.TabWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds describe text the way kubectl's describers do: {@code Label:<TAB>value} lines at 2-space
 * indent levels, laid out by a tab writer with padding 2.
 *
 * <p>Mirrors {@code prefixWriter}, {@code printLabelsMultiline}, {@code printAnnotationsMultiline}
 * and {@code DescribeEvents} of kubectl's {@code pkg/describe/describe.go}.
 */
final class DescribeText {

  private static final DateTimeFormatter RFC1123 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final StringBuilder text = new StringBuilder(512);
  private final Instant now;

  DescribeText(Instant now) {
    this.now = now;
  }

  Instant now() {
    return now;
  }

  /** {@code Label:<TAB>value} at the indent level. */
  DescribeText line(int level, String label, String value) {
    text.append("  ".repeat(level)).append(label).append(":\t").append(value).append('\n');
    return this;
  }

  /** A line without a tab (ends the alignment block). */
  DescribeText plain(int level, String content) {
    text.append("  ".repeat(level)).append(content).append('\n');
    return this;
  }

  /** Raw tabbed text. */
  DescribeText raw(String content) {
    text.append(content);
    return this;
  }

  /** {@code Labels:} as kubectl prints them (one per line, sorted). */
  DescribeText labels(int level, String title, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return line(level, title, "<none>");
    }
    boolean first = true;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (first) {
        line(level, title, e.getKey() + "=" + e.getValue());
        first = false;
      } else {
        text.append("  ".repeat(level)).append('\t').append(e.getKey()).append('=').append(e.getValue()).append('\n');
      }
    }
    return this;
  }

  /** {@code Annotations:} as kubectl prints them (last-applied hidden). */
  DescribeText annotations(int level, Map<String, String> annotations) {
    List<Map.Entry<String, String>> shown = annotations.entrySet().stream()
        .filter(e -> !e.getKey().equals(ApplyMerge.LAST_APPLIED))
        .toList();
    if (shown.isEmpty()) {
      return line(level, "Annotations", "<none>");
    }
    String indent = "  ".repeat(level);
    text.append(indent).append("Annotations:\t");
    boolean first = true;
    for (Map.Entry<String, String> e : shown) {
      if (!first) {
        text.append(indent).append('\t');
      }
      first = false;
      String value = e.getValue();
      String trimmed = value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
      if (e.getKey().length() + value.length() + 2 > 140 || trimmed.contains("\n")) {
        text.append(e.getKey()).append(":\n");
        for (String l : trimmed.split("\n", -1)) {
          text.append(indent).append("\t  ").append(l.length() > 138 ? l.substring(0, 138) + "..." : l).append('\n');
        }
      } else {
        text.append(e.getKey()).append(": ").append(value).append('\n');
      }
    }
    return this;
  }

  /** The {@code Events:} section, as kubectl prints it, for the events about one object. */
  DescribeText events(List<? extends JsonNode> events) {
    if (events.isEmpty()) {
      return line(0, "Events", "<none>");
    }
    List<JsonNode> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparing(e -> Fields.time(e, "lastTimestamp").orElse(Instant.EPOCH)));
    plain(0, "Events:");
    text.append("  Type\tReason\tAge\tFrom\tMessage\n");
    text.append("  ----\t------\t----\t----\t-------\n");
    for (JsonNode e : sorted) {
      Optional<Instant> first = Fields.time(e, "eventTime").or(() -> Fields.time(e, "firstTimestamp"));
      String firstAge = HumanDuration.age(first, now);
      long count = e.path("count").asLong(0);
      String age;
      if (Fields.has(e, "series")) {
        age = HumanDuration.age(Fields.time(e, "series", "lastObservedTime"), now)
            + " (x" + e.path("series").path("count").asLong(0) + " over " + firstAge + ")";
      } else if (count > 1) {
        age = HumanDuration.age(Fields.time(e, "lastTimestamp"), now) + " (x" + count + " over " + firstAge + ")";
      } else {
        age = firstAge;
      }
      String from = Fields.text(e, "source", "component").filter(s -> !s.isEmpty())
          .orElse(Fields.str(e, "reportingController"));
      String message = Fields.str(e, "message").strip();
      String fieldPath = Fields.str(e, "involvedObject", "fieldPath");
      if (!fieldPath.isEmpty()) {
        message = fieldPath + ": " + message;
      }
      text.append("  ").append(Fields.str(e, "type")).append('\t').append(Fields.str(e, "reason")).append('\t')
          .append(age).append('\t').append(from).append('\t').append(message).append('\n');
    }
    return this;
  }

  /** {@code Status:} value: the phase, or {@code Terminating (lasts <age>)}. */
  String phaseOrTerminating(JsonNode o) {
    Optional<Instant> deleting = Fields.time(o, "metadata", "deletionTimestamp");
    if (deleting.isPresent()) {
      return "Terminating (lasts " + HumanDuration.age(deleting, now) + ")";
    }
    return Fields.str(o, "status", "phase");
  }

  /** RFC 1123 with a numeric zone, as kubectl describe prints times. */
  static String timestamp(Instant t) {
    return RFC1123.format(t);
  }

  /** The laid-out text. */
  String render() {
    return TabWriter.describe().format(text.toString());
  }
}
