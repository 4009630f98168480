package io.volumekit.cli.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.datatype.guava.GuavaModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.CreateSnapshotResponse;
import io.volumekit.core.csi.CsiNodeRegistration;
import io.volumekit.core.csi.ListSnapshotsResponse;
import io.volumekit.core.effect.CreateSnapshot;
import io.volumekit.core.effect.DeleteSnapshot;
import io.volumekit.core.effect.ListSnapshot;
import io.volumekit.core.effect.RegisterPlugin;
import io.volumekit.core.csi.AccessType;
import io.volumekit.core.csi.ControllerPublishVolumeResponse;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.VolumeContentSource;
import io.volumekit.core.effect.ControllerPublish;
import io.volumekit.core.effect.ControllerUnpublish;
import io.volumekit.core.effect.CreateVolume;
import io.volumekit.core.effect.DeleteVolume;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.NodeStage;
import io.volumekit.core.effect.NodeUnpublish;
import io.volumekit.core.effect.NodeUnstage;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.RemoveLocalVolume;
import io.volumekit.core.effect.SetUpHostPath;
import io.volumekit.core.effect.SetVolumeOwnership;
import io.volumekit.core.effect.WriteLocalVolume;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes and reads the engine's finished operations, so that what the node side has done (volumes
 * staged and published, attachments) is known to the next invocation.
 *
 * <p>The kubelet keeps this "actual state of the world" in memory and rebuilds it from the mounts
 * on disk when it restarts; volumekit's engine keeps it as {@link Operation}s in the cluster state,
 * and the command, which restarts on every invocation, saves them next to the objects. Only
 * succeeded operations are kept: a failed one is simply tried again, and nothing is in flight after
 * a command. Records are written field by field; where a field can hold several types (the effect,
 * a CSI access type or content source, an operation's result) an {@code "@type"} property names
 * the type with a stable name from {@link #TYPE_NAMES} (e.g. {@code "NodeStage"}), never a Java
 * class name, so renaming or moving a class does not break saved state. Files written by earlier
 * versions, which named Java classes, are still read ({@link #LEGACY}).
 */
final class OperationCodec {

  /**
   * The stable name of every type that is saved behind an {@code "@type"} property. A name, once
   * written to a state file, must keep meaning the same type.
   */
  static final ImmutableMap<String, Class<?>> TYPE_NAMES = ImmutableMap.<String, Class<?>>builder()
      .put("CreateVolume", CreateVolume.class)
      .put("DeleteVolume", DeleteVolume.class)
      .put("ControllerPublish", ControllerPublish.class)
      .put("ControllerUnpublish", ControllerUnpublish.class)
      .put("NodeStage", NodeStage.class)
      .put("NodeUnstage", NodeUnstage.class)
      .put("NodePublish", NodePublish.class)
      .put("NodeUnpublish", NodeUnpublish.class)
      .put("WriteLocalVolume", WriteLocalVolume.class)
      .put("RemoveLocalVolume", RemoveLocalVolume.class)
      .put("SetVolumeOwnership", SetVolumeOwnership.class)
      .put("SetUpHostPath", SetUpHostPath.class)
      .put("PullImageVolume", io.volumekit.core.effect.PullImageVolume.class)
      .put("PopulateVolume", io.volumekit.core.effect.PopulateVolume.class)
      .put("MeasureLocalVolume", io.volumekit.core.effect.MeasureLocalVolume.class)
      .put("LocalVolumeUsage", io.volumekit.core.node.LocalVolumeUsage.class)
      .put("MemoryFallback", io.volumekit.core.node.MemoryFallback.class)
      .put("Mount", AccessType.Mount.class)
      .put("Block", AccessType.Block.class)
      .put("SnapshotSource", VolumeContentSource.SnapshotSource.class)
      .put("VolumeSource", VolumeContentSource.VolumeSource.class)
      .put("CreateVolumeResponse", CreateVolumeResponse.class)
      .put("ControllerPublishVolumeResponse", ControllerPublishVolumeResponse.class)
      .put("CreateSnapshot", CreateSnapshot.class)
      .put("DeleteSnapshot", DeleteSnapshot.class)
      .put("ListSnapshot", ListSnapshot.class)
      .put("NodeGetVolumeStats", io.volumekit.core.effect.NodeGetVolumeStats.class)
      .put("ControllerGetVolume", io.volumekit.core.effect.ControllerGetVolume.class)
      .put("NodeGetVolumeStatsResponse", io.volumekit.core.csi.NodeGetVolumeStatsResponse.class)
      .put("ControllerGetVolumeResponse", io.volumekit.core.csi.ControllerGetVolumeResponse.class)
      .put("RegisterPlugin", RegisterPlugin.class)
      .put("CreateSnapshotResponse", CreateSnapshotResponse.class)
      .put("ListSnapshotsResponse", ListSnapshotsResponse.class)
      .put("CsiNodeRegistration", CsiNodeRegistration.class)
      .put("ControllerExpand", io.volumekit.core.effect.ControllerExpand.class)
      .put("NodeExpand", io.volumekit.core.effect.NodeExpand.class)
      .put("ControllerExpandVolumeResponse", io.volumekit.core.csi.ControllerExpandVolumeResponse.class)
      .put("NodeExpandVolumeResponse", io.volumekit.core.csi.NodeExpandVolumeResponse.class)
      .put("ModifyVolume", io.volumekit.core.effect.ModifyVolume.class)
      .put("ControllerModifyVolumeResponse", io.volumekit.core.csi.ControllerModifyVolumeResponse.class)
      .build();

  /**
   * Classes that the first format named and that have moved since (the package layering of core):
   * old name -> current name. A nested class ({@code $Kind}) follows its outer class.
   */
  private static final ImmutableMap<String, String> MOVED_CLASSES = ImmutableMap.of(
      "io.volumekit.core.ephemeral.LocalVolume", "io.volumekit.core.node.LocalVolume",
      "io.volumekit.core.ephemeral.PayloadFile", "io.volumekit.core.node.PayloadFile",
      "io.volumekit.core.state.ObjectKey", "io.volumekit.core.key.ObjectKey");

  /** Base types whose values carry an {@code "@type"} name. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "@type")
  private interface Named {}

  /** An operation's result (an {@code Object}) carries its {@code "@type"} name too. */
  private abstract static class OperationNames {
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "@type")
    Optional<Object> result;
  }

  private static final ObjectMapper MAPPER = base()
      .addMixIn(Effect.class, Named.class)
      .addMixIn(AccessType.class, Named.class)
      .addMixIn(VolumeContentSource.class, Named.class)
      .addMixIn(Operation.class, OperationNames.class)
      .registerSubtypes(TYPE_NAMES.entrySet().stream()
          .map(e -> new NamedType(e.getValue(), e.getKey())).toArray(NamedType[]::new))
      .build();

  /**
   * Reads files of the first format, which named Java classes ({@code ["io.volumekit.core.effect.NodeStage",
   * {...}]}); only types of the engine, the JDK and Guava are accepted.
   */
  private static final ObjectMapper LEGACY = base()
      .activateDefaultTyping(BasicPolymorphicTypeValidator.builder()
              .allowIfSubType("io.volumekit.")
              .allowIfSubType("java.")
              .allowIfSubType("com.google.common.")
              .build(),
          ObjectMapper.DefaultTyping.NON_FINAL_AND_ENUMS)
      .build();

  private static JsonMapper.Builder base() {
    return JsonMapper.builder()
      .addModule(new Jdk8Module())
      .addModule(new JavaTimeModule())
      .addModule(new GuavaModule())
      .addModule(new SimpleModule("volumekit-secrets")
          // Secrets are never written to disk; an operation read back carries none (a kubelet that
          // restarts does not have them either until it reads them again).
          .addSerializer(Secrets.class, new JsonSerializer<Secrets>() {
            @Override
            public void serialize(Secrets value, JsonGenerator gen, SerializerProvider provider) throws IOException {
              gen.writeStartObject();
              gen.writeEndObject();
            }
          })
          .addDeserializer(Secrets.class, new JsonDeserializer<Secrets>() {
            @Override
            public Secrets deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
              p.skipChildren();
              return Secrets.none();
            }
          }))
      .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  private OperationCodec() {}

  /** The succeeded operations as a JSON array. */
  static JsonNode write(Iterable<Operation> operations) {
    List<Operation> kept = new ArrayList<>();
    for (Operation o : operations) {
      if (o.status() == Operation.Status.SUCCEEDED) {
        kept.add(o);
      }
    }
    return MAPPER.valueToTree(kept.toArray(new Operation[0]));
  }

  /**
   * One operation, whatever its status, as JSON (the etcd store's value of an operation key, where
   * operations in flight and failed ones are kept too). Secrets are left out as in {@link #write}.
   */
  static byte[] encodeOne(Operation operation) {
    try {
      return MAPPER.writeValueAsBytes(operation);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot encode the operation " + operation.id(), e);
    }
  }

  /** The operation {@link #encodeOne} wrote. */
  static Operation decodeOne(byte[] json) {
    try {
      return MAPPER.readValue(json, Operation.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not an operation: " + e.getMessage(), e);
    }
  }

  /** The operations of a JSON array written by {@link #write}. */
  static List<Operation> read(JsonNode array) {
    try {
      boolean legacy = array.size() > 0 && array.get(0).path("effect").isArray();
      return List.of(legacy
          ? LEGACY.treeToValue(renameMovedClasses(array.deepCopy()), Operation[].class)
          : MAPPER.treeToValue(array, Operation[].class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the saved operations cannot be read: " + e.getOriginalMessage(), e);
    }
  }

  /** The first format's tree with the names of moved classes replaced by their current names. */
  private static JsonNode renameMovedClasses(JsonNode node) {
    if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode element = array.get(i);
        if (element.isTextual()) {
          array.set(i, array.textNode(currentClassName(element.asText())));
        } else {
          renameMovedClasses(element);
        }
      }
    } else if (node.isObject()) {
      node.forEach(OperationCodec::renameMovedClasses);
    }
    return node;
  }

  private static String currentClassName(String name) {
    for (var moved : MOVED_CLASSES.entrySet()) {
      if (name.equals(moved.getKey()) || name.startsWith(moved.getKey() + "$")) {
        return moved.getValue() + name.substring(moved.getKey().length());
      }
    }
    return name;
  }
}
