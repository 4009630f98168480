package io.volumekit.model.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.quantity.QuantityFormatException;
import java.io.IOException;
import java.math.BigDecimal;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the Jackson mappers of the codec: records with Kubernetes' JSON names, absent fields
 * omitted (empty lists, maps, strings and records), {@code Optional} written whenever present
 * (so {@code storageClassName: ""} survives), no scalar coercion (a number where a string is
 * expected is an error, as in Kubernetes), no polymorphic typing, bounded parsing.
 */
final class ModelMappers {
  private ModelMappers() {}

  static JsonMapper json(CodecLimits limits) {
    var factory = com.fasterxml.jackson.core.JsonFactory.builder()
        .streamReadConstraints(constraints(limits))
        .enable(JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS)
        .build();
    JsonMapper m = JsonMapper.builder(factory)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(MapperFeature.BLOCK_UNSAFE_POLYMORPHIC_BASE_TYPES)
        .build();
    configure(m);
    DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
        .withObjectIndenter(new DefaultIndenter("    ", "\n"))
        .withArrayIndenter(new DefaultIndenter("    ", "\n"))
        .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER));
    m.setDefaultPrettyPrinter(pp);
    return m;
  }

  static YAMLMapper yaml(CodecLimits limits) {
    YAMLFactory f = YAMLFactory.builder()
        .streamReadConstraints(constraints(limits))
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
        .disable(YAMLGenerator.Feature.SPLIT_LINES)
        .stringQuotingChecker(new KubeQuoting())
        .build();
    YAMLMapper m = YAMLMapper.builder(f)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(MapperFeature.BLOCK_UNSAFE_POLYMORPHIC_BASE_TYPES)
        .build();
    configure(m);
    return m;
  }

  private static StreamReadConstraints constraints(CodecLimits limits) {
    return StreamReadConstraints.builder()
        .maxNestingDepth(limits.maxDepth())
        .maxStringLength(limits.maxBytes())
        .maxDocumentLength(limits.maxBytes())
        .maxNumberLength(100)
        .maxNameLength(64 * 1024)
        .build();
  }

  private static void configure(ObjectMapper m) {
    m.registerModule(new Jdk8Module());
    m.registerModule(new JavaTimeModule());
    SimpleModule mod = new SimpleModule("volumekit-model") {
      @Override
      public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addDeserializers(new ImmutableCollections());
      }
    };
    mod.addDeserializer(Quantity.class, new QuantityDeserializer());
    mod.setSerializerModifier(new EmptyRecordModifier());
    m.registerModule(mod);

    m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    m.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    m.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    m.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    m.setDefaultPropertyInclusion(
        JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.ALWAYS));
    m.configOverride(Optional.class).setInclude(
        JsonInclude.Value.construct(JsonInclude.Include.NON_ABSENT, JsonInclude.Include.ALWAYS));

    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
  }

  /** Reads a quantity from a string or a JSON/YAML number, as Kubernetes' UnmarshalJSON does. */
  static final class QuantityDeserializer extends StdDeserializer<Quantity> {
    QuantityDeserializer() {
      super(Quantity.class);
    }

    @Override
    public Quantity deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      String text;
      if (t == JsonToken.VALUE_STRING) {
        text = p.getText().strip();
      } else if (t == JsonToken.VALUE_NUMBER_INT) {
        text = p.getBigIntegerValue().toString();
      } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
        // As Kubernetes' YAML path does: an unquoted 1e3 is the number 1000, so it prints as 1k.
        BigDecimal d = p.getDecimalValue();
        // (huge exponents stay in scientific form: never expand 1e999999 into a million digits)
        text = Math.abs(d.scale()) > 40 ? d.toString() : d.toPlainString();
      } else {
        return (Quantity) ctxt.handleUnexpectedToken(Quantity.class, p);
      }
      try {
        return Quantity.parse(text);
      } catch (QuantityFormatException e) {
        throw JsonMappingException.from(p, e.getMessage(), e);
      }
    }
  }

  /**
   * Makes a model record count as "empty" when every component is absent/empty, so that e.g. an
   * unset {@code status:} is omitted like Kubernetes' {@code omitempty} on pointers.
   */
  static final class EmptyRecordModifier extends BeanSerializerModifier {
    @Override
    public JsonSerializer<?> modifySerializer(
        SerializationConfig config, BeanDescription desc, JsonSerializer<?> serializer) {
      Class<?> c = desc.getBeanClass();
      if (c.isRecord() && c.getName().startsWith("io.volumekit.model.")) {
        @SuppressWarnings("unchecked")
        JsonSerializer<Object> s = (JsonSerializer<Object>) serializer;
        return new EmptyAware(s);
      }
      return serializer;
    }
  }

  static final class EmptyAware extends JsonSerializer<Object>
      implements ResolvableSerializer, ContextualSerializer {
    private final JsonSerializer<Object> delegate;

    EmptyAware(JsonSerializer<Object> delegate) {
      this.delegate = delegate;
    }

    @Override
    public void resolve(SerializerProvider provider) throws JsonMappingException {
      if (delegate instanceof ResolvableSerializer r) {
        r.resolve(provider);
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public JsonSerializer<?> createContextual(SerializerProvider prov, BeanProperty property)
        throws JsonMappingException {
      if (delegate instanceof ContextualSerializer c) {
        JsonSerializer<?> d = c.createContextual(prov, property);
        return d == delegate ? this : new EmptyAware((JsonSerializer<Object>) d);
      }
      return this;
    }

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      delegate.serialize(value, gen, serializers);
    }

    @Override
    public void serializeWithType(Object value, JsonGenerator gen, SerializerProvider serializers,
        TypeSerializer typeSer) throws IOException {
      delegate.serializeWithType(value, gen, serializers, typeSer);
    }

    @Override
    public boolean isEmpty(SerializerProvider provider, Object value) {
      return isEmptyValue(value);
    }

    @Override
    public Class<Object> handledType() {
      return delegate.handledType();
    }
  }

  private static final Map<Class<?>, RecordComponent[]> COMPONENTS = new ConcurrentHashMap<>();

  /** Whether the value would be written as nothing (or as an empty object). */
  static boolean isEmptyValue(Object v) {
    if (v == null) {
      return true;
    }
    if (v instanceof Optional<?> o) {
      return o.isEmpty();
    }
    if (v instanceof Collection<?> c) {
      return c.isEmpty();
    }
    if (v instanceof Map<?, ?> mp) {
      return mp.isEmpty();
    }
    if (v instanceof String s) {
      return s.isEmpty();
    }
    if (v instanceof Number n) {
      return n.longValue() == 0 && n.doubleValue() == 0;
    }
    if (v instanceof Boolean b) {
      return !b;
    }
    Class<?> c = v.getClass();
    if (c.isRecord() && c.getName().startsWith("io.volumekit.model.")) {
      for (RecordComponent rc : COMPONENTS.computeIfAbsent(c, Class::getRecordComponents)) {
        try {
          if (!isEmptyValue(rc.getAccessor().invoke(v))) {
            return false;
          }
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + rc.getName() + " of " + c.getSimpleName(), e);
        }
      }
      return true;
    }
    return false;
  }
}
