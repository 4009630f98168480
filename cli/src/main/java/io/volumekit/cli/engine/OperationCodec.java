package io.volumekit.cli.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
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
import com.fasterxml.jackson.datatype.guava.GuavaModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.effect.Operation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads the engine's finished operations, so that what the node side has done (volumes
 * staged and published, attachments) is known to the next invocation.
 *
 * <p>The kubelet keeps this "actual state of the world" in memory and rebuilds it from the mounts
 * on disk when it restarts; volumekit's engine keeps it as {@link Operation}s in the cluster state,
 * and the command, which restarts on every invocation, saves them next to the objects. Only
 * succeeded operations are kept: a failed one is simply tried again, and nothing is in flight after
 * a command. Records are written field by field with their Java type, read back only for types of
 * the engine ({@code io.volumekit.}), the JDK and Guava.
 */
final class OperationCodec {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
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
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .activateDefaultTyping(BasicPolymorphicTypeValidator.builder()
              .allowIfSubType("io.volumekit.")
              .allowIfSubType("java.")
              .allowIfSubType("com.google.common.")
              .build(),
          ObjectMapper.DefaultTyping.NON_FINAL_AND_ENUMS)
      .build();

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

  /** The operations of a JSON array written by {@link #write}. */
  static List<Operation> read(JsonNode array) {
    try {
      return List.of(MAPPER.treeToValue(array, Operation[].class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the saved operations cannot be read: " + e.getOriginalMessage(), e);
    }
  }
}
