package io.volumekit.model.codec;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.deser.std.StdDelegatingDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.MapType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.Converter;
import com.fasterxml.jackson.databind.util.StdConverter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Guava's ImmutableList and ImmutableMap through Jackson's standard list and map
 * deserializers (then copies), so that an error inside a list or map carries the index or key
 * in its path ({@code spec.containers[0].volumeMounts[0].readOnly}, {@code data[password]}).
 */
final class ImmutableCollections extends Deserializers.Base {

  @Override
  public JsonDeserializer<?> findCollectionDeserializer(CollectionType type, DeserializationConfig config,
      BeanDescription beanDesc, TypeDeserializer elementTypeDeserializer, JsonDeserializer<?> elementDeserializer) {
    if (type.getRawClass() != ImmutableList.class) {
      return null;
    }
    JavaType delegate = config.getTypeFactory().constructCollectionType(ArrayList.class, type.getContentType());
    return new StdDelegatingDeserializer<Object>(erase(new StdConverter<List<Object>, ImmutableList<Object>>() {
      @Override
      public ImmutableList<Object> convert(List<Object> value) {
        return ImmutableList.copyOf(value);
      }

      @Override
      public JavaType getInputType(TypeFactory tf) {
        return delegate;
      }
    }), delegate, null);
  }

  @Override
  public JsonDeserializer<?> findMapDeserializer(MapType type, DeserializationConfig config, BeanDescription beanDesc,
      KeyDeserializer keyDeserializer, TypeDeserializer elementTypeDeserializer, JsonDeserializer<?> elementDeserializer) {
    if (type.getRawClass() != ImmutableMap.class) {
      return null;
    }
    JavaType delegate = config.getTypeFactory()
        .constructMapType(LinkedHashMap.class, type.getKeyType(), type.getContentType());
    return new StdDelegatingDeserializer<Object>(erase(new StdConverter<Map<Object, Object>, ImmutableMap<Object, Object>>() {
      @Override
      public ImmutableMap<Object, Object> convert(Map<Object, Object> value) {
        return ImmutableMap.copyOf(value);
      }

      @Override
      public JavaType getInputType(TypeFactory tf) {
        return delegate;
      }
    }), delegate, null);
  }

  @SuppressWarnings("unchecked")
  private static Converter<Object, Object> erase(Converter<?, ?> c) {
    return (Converter<Object, Object>) c;
  }
}
