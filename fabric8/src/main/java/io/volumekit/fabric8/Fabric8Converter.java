package io.volumekit.fabric8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.volumekit.model.codec.DecodeException;
import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.meta.ApiObject;
import java.util.List;
import java.util.Objects;

/**
 * The conversion machinery behind {@link Fabric8}: JSON trees in, JSON trees out, and the tree
 * comparison that names what was dropped. Works on trees too, for callers that already hold one (the
 * bridge reads objects from the API server as trees).
 *
 * <p>Immutable and thread-safe.
 */
public final class Fabric8Converter {

  private static final Fabric8Converter STANDARD = new Fabric8Converter(
      ObjectCodec.standard().withMode(ObjectCodec.Mode.IGNORE));

  /** Reads fabric8's JSON text into trees; plain Jackson, numbers kept exact. */
  private static final JsonMapper TREES = JsonMapper.builder()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  private final ObjectCodec codec;

  private Fabric8Converter(ObjectCodec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /**
   * The converter {@link Fabric8} uses: volumekit's standard codec, unknown fields left to the tree
   * comparison (which reports them) rather than to the codec's warnings.
   */
  public static Fabric8Converter standard() {
    return STANDARD;
  }

  /** A fabric8 object as volumekit's record of its kind. */
  public Conversion<ApiObject> toVolumekit(HasMetadata object) {
    Objects.requireNonNull(object, "object");
    return toVolumekit(tree(object));
  }

  /** A fabric8 object as volumekit's record of the expected type. */
  public <T extends ApiObject> Conversion<T> toVolumekit(HasMetadata object, Class<T> type) {
    Conversion<ApiObject> c = toVolumekit(object);
    if (!type.isInstance(c.value())) {
      throw new IllegalArgumentException("expected a " + type.getSimpleName() + ", got " + c.value().kind());
    }
    return Conversion.of(type.cast(c.value()), c.unmappedFields());
  }

  /**
   * An object's JSON tree (as the API server or fabric8 writes it) as volumekit's record: the codec
   * dispatches on apiVersion and kind.
   *
   * @throws DecodeException if the tree is not one object of a modelled kind, or a value is not valid
   *     for volumekit's model
   */
  public Conversion<ApiObject> toVolumekit(JsonNode tree) {
    Objects.requireNonNull(tree, "tree");
    var decoded = codec.decode(tree).objects();
    if (decoded.size() != 1) {
      throw new DecodeException("expected one object, got " + decoded.size());
    }
    ApiObject value = decoded.get(0);
    return Conversion.of(value, TreeDiff.dropped(tree, codec.toTree(value)));
  }

  /** volumekit's object as fabric8's typed model of its kind. */
  public Conversion<HasMetadata> toFabric8(ApiObject object) {
    Objects.requireNonNull(object, "object");
    Class<? extends HasMetadata> type = Fabric8Kind.of(object.getClass()).fabric8Type();
    Conversion<? extends HasMetadata> c = toFabric8(object, type);
    return Conversion.of(c.value(), c.unmappedFields());
  }

  /** volumekit's object as the given fabric8 class (its typed model, or a generic resource). */
  public <F extends HasMetadata> Conversion<F> toFabric8(ApiObject object, Class<F> type) {
    Objects.requireNonNull(object, "object");
    JsonNode source = codec.toTree(object);
    F value = Serialization.unmarshal(source.toString(), type);
    return Conversion.of(value, TreeDiff.dropped(source, tree(value)));
  }

  /** volumekit's object as its JSON tree, as the API server would serve it. */
  public JsonNode toTree(ApiObject object) {
    return codec.toTree(object);
  }

  /** A fabric8 object's JSON tree, written by fabric8's {@code Serialization}. */
  public static JsonNode tree(HasMetadata object) {
    try {
      return TREES.readTree(Serialization.asJson(object));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("fabric8 wrote JSON that cannot be read back for " + object.getKind(), e);
    }
  }

  /** The paths of {@code source}'s fields that {@code target} lacks (empty values count as absent). */
  public static List<String> droppedFields(JsonNode source, JsonNode target) {
    return TreeDiff.dropped(source, target);
  }
}
