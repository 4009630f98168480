package io.volumekit.cli.print;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.cli.error.CliException;
import io.volumekit.cli.kind.KindRegistry;
import io.volumekit.model.meta.KindInfo;
import java.util.List;
import java.util.Optional;

/**
 * The {@code -o} formats of {@code get}: the table, {@code wide}, {@code json}, {@code yaml} and
 * {@code name}.
 *
 * <p>Mirrors cli-runtime's printers: JSON and YAML print one object or a {@code List} wrapper
 * with exactly {@code apiVersion}, {@code items}, {@code kind} and {@code metadata:
 * {resourceVersion: ""}}; {@code name} prints {@code kind[.group]/name} lines
 * (kubectl's {@code -o} formats).
 */
public enum OutputFormat {
  TABLE, WIDE, JSON, YAML, NAME;

  /** The format named by {@code -o}, the table when absent. */
  public static OutputFormat parse(Optional<String> value) {
    if (value.isEmpty() || value.get().isEmpty()) {
      return TABLE;
    }
    return switch (value.get()) {
      case "wide" -> WIDE;
      case "json" -> JSON;
      case "yaml" -> YAML;
      case "name" -> NAME;
      default -> throw CliException.usage("unable to match a printer suitable for the output format \""
          + value.get() + "\", allowed formats are: json,name,wide,yaml");
    };
  }

  /** Whether this is one of the table layouts. */
  public boolean isTable() {
    return this == TABLE || this == WIDE;
  }

  /** The List wrapper around the objects, as kubectl writes it. */
  public static ObjectNode list(List<? extends JsonNode> items) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("apiVersion", "v1");
    ArrayNode array = root.putArray("items");
    items.forEach(array::add);
    root.put("kind", "List");
    root.putObject("metadata").put("resourceVersion", "");
    return root;
  }

  /** The objects in a JSON, YAML or name format; one object alone only when {@code single}. */
  public String render(List<? extends JsonNode> objects, boolean single, KindRegistry kinds) {
    return switch (this) {
      case JSON -> GoJson.write(single && objects.size() == 1 ? objects.get(0) : list(objects));
      case YAML -> GoYaml.write(single && objects.size() == 1 ? objects.get(0) : list(objects));
      case NAME -> {
        StringBuilder out = new StringBuilder();
        for (JsonNode o : objects) {
          out.append(qualifiedName(o, kinds)).append('\n');
        }
        yield out.toString();
      }
      default -> throw new IllegalStateException("tables are laid out by TablePrinter");
    };
  }

  /** {@code kind[.group]/name} of an object, as {@code -o name} prints it. */
  public static String qualifiedName(JsonNode o, KindRegistry kinds) {
    String kind = Fields.kind(o);
    String prefix = kinds.byKind(kind).map(KindInfo::qualifiedKindLower).orElseGet(() -> {
      String apiVersion = Fields.str(o, "apiVersion");
      int slash = apiVersion.indexOf('/');
      String lower = kind.toLowerCase(java.util.Locale.ROOT);
      return slash < 0 ? lower : lower + "." + apiVersion.substring(0, slash);
    });
    return prefix + "/" + Fields.name(o);
  }
}
