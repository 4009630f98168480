package io.volumekit.model.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.common.collect.ImmutableList;
import io.volumekit.model.core.PersistentVolumeSpec;
import io.volumekit.model.core.Volume;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.KindInfo;
import io.volumekit.model.meta.Kinds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes Kubernetes manifests: the one entry point from YAML/JSON text to typed API
 * objects and back.
 *
 * <p>{@link #decode(String)} reads a stream of multi-document YAML or JSON (also {@code kind:
 * List}), dispatches each document on apiVersion + kind to its record ({@link Kinds}), and
 * returns the objects with warnings. Unknown fields are warnings naming their path ({@code
 * unknown field "spec.foo"}), or, in {@linkplain Mode#STRICT strict} mode, a {@link
 * StrictDecodingException} worded like the API server's. Anything else wrong (malformed text, a
 * wrong type, an unknown kind, input over {@link CodecLimits}) is a {@link DecodeException} and
 * nothing is returned. {@link #encodeYaml} / {@link #encodeJson} write what kubectl accepts:
 * apiVersion and kind first, empty fields left out.
 *
 * <pre>{@code
 * ObjectCodec codec = ObjectCodec.standard();
 * DecodeResult r = codec.decode(Files.readString(path));
 * r.warningMessages().forEach(w -> System.err.println("Warning: " + w));
 * String yaml = codec.encodeYaml(r.objects().get(0));
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ObjectCodec {

  /** How unknown and duplicate fields are treated, as kubectl's {@code --validate}. */
  public enum Mode {
    /** Unknown fields are an error ({@code --validate=strict}). */
    STRICT,
    /** Unknown fields are warnings ({@code --validate=warn}). */
    WARN,
    /** Unknown fields are dropped silently ({@code --validate=ignore}). */
    IGNORE
  }

  private static final ObjectCodec STANDARD = new ObjectCodec(Mode.WARN, CodecLimits.DEFAULT);

  private final Mode mode;
  private final CodecLimits limits;
  private final JsonMapper json;
  private final YAMLMapper yaml;
  private final YamlTrees yamlTrees;

  private ObjectCodec(Mode mode, CodecLimits limits) {
    this.mode = mode;
    this.limits = limits;
    this.json = ModelMappers.json(limits);
    this.yaml = ModelMappers.yaml(limits);
    this.yamlTrees = new YamlTrees(limits);
  }

  /** Warn mode with default limits. */
  public static ObjectCodec standard() {
    return STANDARD;
  }

  /** A codec with the given unknown-field mode and limits. */
  public static ObjectCodec of(Mode mode, CodecLimits limits) {
    return new ObjectCodec(mode, limits);
  }

  /** This codec with another unknown-field mode. */
  public ObjectCodec withMode(Mode mode) {
    return mode == this.mode ? this : new ObjectCodec(mode, limits);
  }

  public Mode mode() {
    return mode;
  }

  // ------------------------------------------------------------------ decoding

  /** Reads all objects of a YAML or JSON stream; the stream is read to its end (at most maxBytes). */
  public DecodeResult decode(InputStream in) {
    byte[] bytes;
    try {
      bytes = readBounded(in, limits.maxBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest input", e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DecodeException("input is not valid UTF-8");
    }
    return decode(text);
  }

  /** Reads all objects of a YAML or JSON text. */
  public DecodeResult decode(String text) {
    if (text.length() > limits.maxBytes()) {
      throw tooLarge();
    }
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    List<JsonNode> docs = new ArrayList<>();
    List<List<String>> dups = new ArrayList<>();
    if (looksLikeJson(text)) {
      readJson(text, docs, dups);
    } else {
      for (YamlTrees.Doc d : yamlTrees.read(text)) {
        docs.add(d.tree());
        dups.add(d.duplicateFields());
      }
    }
    List<ApiObject> objects = new ArrayList<>();
    List<DecodeWarning> warnings = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      JsonNode doc = docs.get(i);
      if (doc == null || doc.isNull() || (doc.isObject() && doc.isEmpty())) {
        continue; // empty document, e.g. after a trailing ---
      }
      decodeDocument(i + 1, doc, dups.get(i), objects, warnings);
    }
    return new DecodeResult(ImmutableList.copyOf(objects), ImmutableList.copyOf(warnings));
  }

  /**
   * Reads the objects of one already-parsed document (an object, or a {@code kind: List}), with
   * the same dispatch, unknown-field handling and errors as {@link #decode(String)}.
   */
  public DecodeResult decode(JsonNode tree) {
    List<ApiObject> objects = new ArrayList<>();
    List<DecodeWarning> warnings = new ArrayList<>();
    if (tree != null && !tree.isNull() && !(tree.isObject() && tree.isEmpty())) {
      decodeDocument(1, tree, List.of(), objects, warnings);
    }
    return new DecodeResult(ImmutableList.copyOf(objects), ImmutableList.copyOf(warnings));
  }

  /** Reads exactly one object of the given type; throws {@link DecodeException} otherwise. */
  public <T extends ApiObject> T decodeOne(String text, Class<T> type) {
    DecodeResult r = decode(text);
    if (r.objects().size() != 1 || !type.isInstance(r.objects().get(0))) {
      throw new DecodeException("expected one " + type.getSimpleName() + ", got "
          + r.objects().stream().map(ApiObject::kind).toList());
    }
    return type.cast(r.objects().get(0));
  }

  private static boolean looksLikeJson(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{' || c == '[';
      }
    }
    return false;
  }

  private void readJson(String text, List<JsonNode> docs, List<List<String>> dups) {
    try (JsonParser p = json.getFactory().createParser(text)) {
      while (p.nextToken() != null) {
        List<String> d = new ArrayList<>();
        docs.add(jsonValue(p, "", d));
        dups.add(d);
      }
    } catch (StreamConstraintsException e) {
      throw new DecodeException("input exceeds limits: " + firstLine(e.getOriginalMessage()), docs.size() + 1, null, null);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": ";
      throw new DecodeException("error parsing JSON: " + where + "malformed JSON", docs.size() + 1, null, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds a tree from the current token, noting duplicate keys (last one wins, as in Go). */
  private static JsonNode jsonValue(JsonParser p, String path, List<String> dups) throws IOException {
    var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          String child = path.isEmpty() ? key : path + "." + key;
          p.nextToken();
          if (o.has(key)) {
            dups.add(child);
          }
          o.set(key, jsonValue(p, child, dups));
        }
        return o;
      }
      case START_ARRAY -> {
        var a = f.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(jsonValue(p, path + "[" + i++ + "]", dups));
        }
        return a;
      }
      case VALUE_STRING -> {
        return f.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return f.numberNode(p.getBigIntegerValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return f.numberNode(p.getDecimalValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return f.booleanNode(t == JsonToken.VALUE_TRUE);
      }
      case VALUE_NULL -> {
        return f.nullNode();
      }
      default -> throw new DecodeException("error parsing JSON: unexpected " + t);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }

  private void decodeDocument(int index, JsonNode doc, List<String> dupPaths, List<ApiObject> out,
      List<DecodeWarning> warnings) {
    if (!doc.isObject()) {
      throw new DecodeException("document " + index + " is not an object (found " + nodeType(doc) + ")",
          index, null, null);
    }
    ObjectNode obj = (ObjectNode) doc;
    String apiVersion = text(obj, "apiVersion");
    String kind = text(obj, "kind");
    List<String> missing = new ArrayList<>();
    if (apiVersion.isEmpty()) {
      missing.add("apiVersion not set");
    }
    if (kind.isEmpty()) {
      missing.add("kind not set");
    }
    if (!missing.isEmpty()) {
      throw new DecodeException("error validating data: [" + String.join(", ", missing) + "]", index, null, null);
    }
    if (kind.equals("List") || (kind.endsWith("List") && obj.has("items") && apiVersion.equals("v1"))) {
      JsonNode items = obj.get("items");
      if (items != null && !items.isNull()) {
        if (!items.isArray()) {
          throw new DecodeException("items: expected a list, got " + nodeType(items), index, "items", null);
        }
        for (JsonNode item : items) {
          if (item.isObject() && text((ObjectNode) item, "kind").equals("List")) {
            throw new DecodeException("a List may not contain a List", index, "items", null);
          }
          decodeDocument(index, item, List.of(), out, warnings);
        }
      }
      return;
    }
    JsonNode meta = obj.get("metadata");
    String name = meta != null && meta.isObject() ? text((ObjectNode) meta, "name") : "";
    String namespace = meta != null && meta.isObject() ? text((ObjectNode) meta, "namespace") : "";
    Optional<KindInfo> info = Kinds.byApiVersionAndKind(apiVersion, kind);
    if (info.isEmpty()) {
      throw new UnknownKindException(index, apiVersion, kind, name, namespace);
    }
    List<String> violations = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (String d : dupPaths) {
      violations.add("duplicate field \"" + d + "\"");
      paths.add(d);
    }
    List<String> refused = new ArrayList<>();
    UnknownFields handler = new UnknownFields(violations, paths, refused);
    ApiObject value;
    try {
      value = json.readerFor(info.get().type()).withHandler(handler).readValue(obj);
    } catch (JsonMappingException e) {
      throw typeError(index, kind, e, obj);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!refused.isEmpty()) {
      // Not an unknown field to warn about and drop: dropping it would leave a volume without a
      // source ("must specify a volume type"), or worse, one that seems to work.
      String path = refused.get(0);
      throw new DecodeException(kind + " is invalid: " + path
          + ": Forbidden: flexVolume volumes are not supported; use a CSI driver", index, path, null);
    }
    if (!violations.isEmpty()) {
      if (mode == Mode.STRICT) {
        throw new StrictDecodingException(index, apiVersion, kind, name, violations);
      }
      if (mode == Mode.WARN) {
        for (int i = 0; i < violations.size(); i++) {
          warnings.add(new DecodeWarning(index, kind, name, paths.get(i), violations.get(i)));
        }
      }
    }
    out.add(value);
  }

  private static DecodeException typeError(int index, String kind, JsonMappingException e, JsonNode doc) {
    String path = path(e.getPath());
    String what = describe(e, find(doc, e.getPath()));
    String msg = (path.isEmpty() ? "" : path + ": ") + what;
    // Jackson's own message quotes the offending input, which may be secret (a Secret's data,
    // an env value): it is translated into path + expected type here and not chained.
    return new DecodeException(kind + " is invalid: " + msg, index, path.isEmpty() ? null : path, null);
  }

  private static JsonNode find(JsonNode doc, List<JsonMappingException.Reference> refs) {
    JsonNode n = doc;
    for (JsonMappingException.Reference r : refs) {
      if (n == null) {
        return null;
      }
      n = r.getIndex() >= 0 ? n.get(r.getIndex()) : r.getFieldName() != null ? n.get(r.getFieldName()) : n;
    }
    return n;
  }

  private static String describe(JsonMappingException e, JsonNode found) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof io.volumekit.model.quantity.QuantityFormatException q) {
      return q.getMessage();
    }
    if (root instanceof NullPointerException) {
      return "null is not allowed here";
    }
    if (e instanceof MismatchedInputException mi) {
      String expected = expected(mi.getTargetType());
      String got = "";
      if (found != null) {
        got = ", got " + nodeType(found);
      } else if (mi.getProcessor() instanceof JsonParser p && p.currentToken() != null) {
        got = ", got " + tokenType(p.currentToken());
      }
      return "expected " + expected + got;
    }
    if (root instanceof java.time.DateTimeException || root instanceof java.time.format.DateTimeParseException) {
      return "expected a time in RFC 3339 form, e.g. 2006-01-02T15:04:05Z";
    }
    return "invalid value";
  }

  private static String expected(Class<?> t) {
    if (t == null) {
      return "another type";
    }
    if (Collection.class.isAssignableFrom(t) || t.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(t)) {
      return "a map";
    }
    if (t == String.class) {
      return "a string";
    }
    if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
      return "an integer";
    }
    if (t == Boolean.class || t == boolean.class) {
      return "a boolean";
    }
    if (t == java.time.Instant.class) {
      return "a time";
    }
    if (t == io.volumekit.model.quantity.Quantity.class) {
      return "a quantity";
    }
    return "an object";
  }

  private static String tokenType(JsonToken t) {
    return switch (t) {
      case START_ARRAY, END_ARRAY -> "a list";
      case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> "another type";
    };
  }

  private static String nodeType(JsonNode n) {
    if (n.isArray()) {
      return "a list";
    }
    if (n.isObject()) {
      return "an object";
    }
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    if (n.isNumber()) {
      return "a number";
    }
    return "null";
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      } else if (r.getFieldName() != null) {
        if (r.getFrom() instanceof Map<?, ?> || isMapTarget(r)) {
          b.append('[').append(r.getFieldName()).append(']');
        } else {
          if (b.length() > 0) {
            b.append('.');
          }
          b.append(r.getFieldName());
        }
      }
    }
    return b.toString();
  }

  private static boolean isMapTarget(JsonMappingException.Reference r) {
    return r.getFrom() instanceof Class<?> c && Map.class.isAssignableFrom(c);
  }

  private static String text(ObjectNode obj, String field) {
    JsonNode n = obj.get(field);
    return n != null && n.isTextual() ? n.asText() : "";
  }

  private DecodeException tooLarge() {
    return new DecodeException("input is larger than " + limits.maxBytes() + " bytes");
  }

  private static byte[] readBounded(InputStream in, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    int total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > max) {
        throw new DecodeException("input is larger than " + max + " bytes");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  /** Kubernetes' FlexVolume source (pod volumes and PVs), which volumekit does not support. */
  private static final String FLEX_VOLUME = "flexVolume";

  /**
   * Records unknown fields with their JSON path and skips their values; a {@code flexVolume}
   * source is recorded apart, to be refused.
   */
  private static final class UnknownFields extends DeserializationProblemHandler {
    private final List<String> violations;
    private final List<String> paths;
    private final List<String> refused;

    UnknownFields(List<String> violations, List<String> paths, List<String> refused) {
      this.violations = violations;
      this.paths = paths;
      this.refused = refused;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
        JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName) throws IOException {
      Class<?> type = beanOrClass instanceof Class<?> cl ? cl
          : beanOrClass != null ? beanOrClass.getClass() : deserializer.handledType();
      if (KnownFields.isDropped(type, propertyName)) {
        p.skipChildren();
        return true;
      }
      JsonStreamContext c = p.getParsingContext();
      JsonToken t = p.currentToken();
      if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && c.getParent() != null) {
        c = c.getParent();
      }
      String parent = contextPath(c.getParent());
      String path = parent.isEmpty() ? propertyName : parent + "." + propertyName;
      if (propertyName.equals(FLEX_VOLUME) && (type == Volume.class || type == PersistentVolumeSpec.class)) {
        refused.add(path); // a Kubernetes volume source the model does not hold: refused, not dropped
      } else {
        violations.add("unknown field \"" + path + "\"");
        paths.add(path);
      }
      p.skipChildren();
      return true;
    }

    private static String contextPath(JsonStreamContext c) {
      Deque<String> parts = new ArrayDeque<>();
      while (c != null && !c.inRoot()) {
        if (c.inArray()) {
          parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
        } else if (c.inObject() && c.getCurrentName() != null) {
          parts.push("." + c.getCurrentName());
        }
        c = c.getParent();
      }
      String s = String.join("", parts);
      return s.startsWith(".") ? s.substring(1) : s;
    }
  }

  // ------------------------------------------------------------------ encoding

  /** The object as YAML, apiVersion and kind first, empty fields left out. */
  public String encodeYaml(ApiObject object) {
    try {
      return yaml.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + object.kind(), e);
    }
  }

  /** Several objects as one YAML stream, separated by {@code ---}. */
  public String encodeYaml(List<? extends ApiObject> objects) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < objects.size(); i++) {
      if (i > 0) {
        b.append("---\n");
      }
      b.append(encodeYaml(objects.get(i)));
    }
    return b.toString();
  }

  /** The object as pretty-printed JSON (4-space indent, trailing newline), as kubectl prints. */
  public String encodeJson(ApiObject object) {
    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsString(object) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + object.kind(), e);
    }
  }

  /** The object as compact one-line JSON. */
  public String encodeJsonCompact(ApiObject object) {
    try {
      return json.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + object.kind(), e);
    }
  }

  /** The object as a generic JSON tree (e.g. for a List wrapper or sorted-key printing). */
  public JsonNode toTree(ApiObject object) {
    return json.valueToTree(object);
  }
}
