package io.volumekit.cli.apply;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.volumekit.cli.error.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads the objects of {@code -f FILE|DIR|-}: multi-document YAML or JSON, a {@code kind: List}
 * unpacked into its items.
 *
 * <p>Mirrors kubectl's resource builder: a directory contributes its {@code .json}, {@code .yaml}
 * and {@code .yml} files in name order (not recursing), {@code -} reads standard input, empty
 * documents are skipped, and a parse error names the file.
 */
public final class Manifests {

  /** The name kubectl gives standard input in messages. */
  public static final String STDIN = "STDIN";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Manifests() {}

  /** One object read from a manifest, with the name of its source for messages. */
  public record Manifest(ObjectNode object, String source) {}

  /** Reads every object named by the {@code -f} arguments, in order. */
  public static List<Manifest> read(List<String> files, InputStream stdin) {
    List<Manifest> out = new ArrayList<>();
    for (String f : files) {
      if (f.equals("-")) {
        out.addAll(parse(readAll(stdin), STDIN));
        continue;
      }
      Path p = Path.of(f);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          for (Path child : s.filter(Manifests::isManifestFile).sorted().toList()) {
            out.addAll(parse(readFile(child, child.toString()), child.toString()));
          }
        } catch (IOException e) {
          throw CliException.error("error reading " + f + ": " + e.getMessage());
        }
      } else {
        out.addAll(parse(readFile(p, f), f));
      }
    }
    return out;
  }

  private static boolean isManifestFile(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
  }

  private static String readFile(Path p, String shown) {
    if (!Files.exists(p)) {
      throw CliException.error("the path \"" + shown + "\" does not exist");
    }
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.error("error reading " + shown + ": " + e.getMessage());
    }
  }

  private static String readAll(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input", e);
    }
  }

  /** The objects of one source's text (YAML documents or JSON values). */
  public static List<Manifest> parse(String text, String source) {
    List<Manifest> out = new ArrayList<>();
    String trimmed = text.stripLeading();
    ObjectMapper mapper = trimmed.startsWith("{") || trimmed.startsWith("[") ? JSON : YAML;
    try (MappingIterator<JsonNode> docs = mapper.readerFor(JsonNode.class).readValues(text)) {
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        collect(doc, source, out);
      }
    } catch (JsonProcessingException e) {
      throw CliException.error("error parsing " + source + ": " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    } catch (IOException e) {
      throw CliException.error("error parsing " + source + ": " + e.getMessage());
    }
    return out;
  }

  private static void collect(JsonNode doc, String source, List<Manifest> out) {
    if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())) {
      return;
    }
    if (doc.isArray()) {
      doc.forEach(d -> collect(d, source, out));
      return;
    }
    if (!doc.isObject()) {
      throw CliException.error("error validating \"" + source + "\": error validating data: the document is not an object");
    }
    String kind = doc.path("kind").asText("");
    if (kind.endsWith("List") && doc.path("items").isArray()) {
      doc.path("items").forEach(d -> collect(d, source, out));
      return;
    }
    List<String> missing = new ArrayList<>();
    if (doc.path("apiVersion").asText("").isEmpty()) {
      missing.add("apiVersion not set");
    }
    if (kind.isEmpty()) {
      missing.add("kind not set");
    }
    if (!missing.isEmpty()) {
      String list = missing.size() == 1 ? missing.get(0) : "[" + String.join(", ", missing) + "]";
      throw CliException.error("error validating \"" + source + "\": error validating data: " + list);
    }
    out.add(new Manifest((ObjectNode) doc, source));
  }
}
