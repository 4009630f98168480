package io.volumekit.model.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads multi-document YAML into JSON trees, the way Kubernetes converts YAML to JSON before
 * decoding (sigs.k8s.io/yaml), within {@link CodecLimits}: SnakeYAML's composer with limits on
 * aliases, nesting depth and code points, then a conversion that counts every value (aliases
 * expanded) so an alias bomb stops early. Duplicate keys are reported, not silently merged.
 */
final class YamlTrees {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final CodecLimits limits;

  YamlTrees(CodecLimits limits) {
    this.limits = limits;
  }

  /** One document's tree (null for an empty document) and its duplicate-key paths. */
  record Doc(JsonNode tree, List<String> duplicateFields) {}

  List<Doc> read(String text) {
    LoaderOptions opts = new LoaderOptions();
    opts.setMaxAliasesForCollections(limits.maxAliases());
    opts.setNestingDepthLimit(limits.maxDepth());
    opts.setCodePointLimit(limits.maxBytes());
    opts.setAllowRecursiveKeys(false);
    opts.setAllowDuplicateKeys(false);
    DumperOptions dump = new DumperOptions();
    Yaml yaml = new Yaml(new SafeConstructor(opts), new Representer(dump), dump, opts);
    List<Doc> docs = new ArrayList<>();
    int[] budget = {limits.maxValues()};
    int index = 0;
    try {
      for (Node node : yaml.composeAll(new StringReader(text))) {
        index++;
        List<String> dups = new ArrayList<>();
        JsonNode tree = node == null ? null : convert(node, 0, "", budget, dups, index);
        docs.add(new Doc(tree, dups));
      }
    } catch (MarkedYAMLException e) {
      throw new DecodeException(describe(e), index + 1, null, null);
    } catch (YAMLException e) {
      throw new DecodeException("error parsing YAML: " + safe(e.getMessage()), index + 1, null, null);
    } catch (StackOverflowError e) {
      throw new DecodeException("error parsing YAML: nesting is too deep", index + 1, null, null);
    }
    return docs;
  }

  private static String describe(MarkedYAMLException e) {
    Mark m = e.getProblemMark();
    String where = m == null ? "" : "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ": ";
    String problem = e.getProblem() == null ? "malformed YAML" : e.getProblem();
    return "error parsing YAML: " + where + problem;
  }

  private static String safe(String s) {
    if (s == null) {
      return "malformed YAML";
    }
    // SnakeYAML limit messages are fixed texts; keep the first line only (no input snippets).
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private JsonNode convert(Node node, int depth, String path, int[] budget, List<String> dups, int doc) {
    if (--budget[0] < 0) {
      throw new DecodeException(
          "document is too large: more than " + limits.maxValues() + " values (after expanding aliases)",
          doc, null, null);
    }
    if (depth > limits.maxDepth()) {
      throw new DecodeException("nesting is deeper than " + limits.maxDepth() + " levels", doc, path, null);
    }
    if (node instanceof MappingNode map) {
      ObjectNode obj = F.objectNode();
      for (NodeTuple t : map.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
          throw new DecodeException(
              (path.isEmpty() ? "" : path + ": ") + "mapping keys must be strings", doc, path, null);
        }
        String key = keyNode.getValue();
        String childPath = path.isEmpty() ? key : path + "." + key;
        if (obj.has(key)) {
          dups.add(childPath);
        }
        obj.set(key, convert(t.getValueNode(), depth + 1, childPath, budget, dups, doc));
      }
      return obj;
    }
    if (node instanceof SequenceNode seq) {
      ArrayNode arr = F.arrayNode();
      int i = 0;
      for (Node item : seq.getValue()) {
        arr.add(convert(item, depth + 1, path + "[" + i + "]", budget, dups, doc));
        i++;
      }
      return arr;
    }
    ScalarNode s = (ScalarNode) node;
    return scalar(s);
  }

  private static JsonNode scalar(ScalarNode s) {
    String v = s.getValue();
    Tag tag = s.getTag();
    if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
      return F.textNode(v);
    }
    if (Tag.NULL.equals(tag)) {
      return F.nullNode();
    }
    if (Tag.BOOL.equals(tag)) {
      String l = v.toLowerCase(java.util.Locale.ROOT);
      return F.booleanNode(l.equals("true") || l.equals("yes") || l.equals("on") || l.equals("y"));
    }
    if (Tag.INT.equals(tag)) {
      BigInteger i = parseInt(v);
      return i == null ? F.textNode(v) : F.numberNode(i);
    }
    if (Tag.FLOAT.equals(tag)) {
      try {
        return F.numberNode(new BigDecimal(v.replace("_", "")));
      } catch (NumberFormatException e) {
        return F.textNode(v);
      }
    }
    return F.textNode(v);
  }

  private static BigInteger parseInt(String raw) {
    String v = raw.replace("_", "");
    boolean neg = false;
    if (v.startsWith("-") || v.startsWith("+")) {
      neg = v.startsWith("-");
      v = v.substring(1);
    }
    if (v.length() > 64) {
      return null;
    }
    try {
      BigInteger r;
      if (v.startsWith("0x")) {
        r = new BigInteger(v.substring(2), 16);
      } else if (v.startsWith("0b")) {
        r = new BigInteger(v.substring(2), 2);
      } else if (v.startsWith("0o")) {
        r = new BigInteger(v.substring(2), 8);
      } else if (v.length() > 1 && v.startsWith("0")) {
        r = new BigInteger(v.substring(1), 8);
      } else {
        r = new BigInteger(v);
      }
      return neg ? r.negate() : r;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
