package io.volumekit.model.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.soabase.recordbuilder.core.RecordBuilder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import io.volumekit.model.meta.*;
import io.volumekit.model.quantity.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A secret ({@code v1 Secret}, namespaced). {@code data} values are base64 text as on the wire;
 * {@code stringData} is write-only plain text merged into data by the API server.
 *
 * <p>{@link #toString()} never shows values: only the keys.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record Secret(
    ObjectMeta metadata,
    Optional<String> type,
    ImmutableMap<String, String> data,
    ImmutableMap<String, String> stringData,
    Optional<Boolean> immutable) implements SecretBuilder.With, ApiObject {

  /** The API version, v1. */
  public static final String API_VERSION = "v1";
  /** The kind, Secret. */
  public static final String KIND = "Secret";

  public Secret {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    type = Normalize.opt(type);
    data = Normalize.map(data);
    stringData = Normalize.map(stringData);
    immutable = Normalize.opt(immutable);
  }

  @Override
  @JsonProperty("apiVersion")
  public String apiVersion() {
    return API_VERSION;
  }

  @Override
  @JsonProperty("kind")
  public String kind() {
    return KIND;
  }

  @Override
  public Secret withMetadata(ObjectMeta metadata) {
    return SecretBuilder.builder(this).metadata(metadata).build();
  }

  /**
   * The secret as the API server stores it: every {@code stringData} entry folded into {@code
   * data} as base64 of its UTF-8 bytes, a stringData key replacing the same data key, and {@code
   * stringData} emptied (it is write-only: the server never returns it). Mirrors the v1-to-internal
   * conversion of {@code pkg/apis/core/v1/conversion.go} ({@code Convert_v1_Secret_To_core_Secret}).
   * Pure; a secret without stringData is returned as is.
   */
  public Secret withStringDataFolded() {
    if (stringData.isEmpty()) {
      return this;
    }
    var merged = new java.util.TreeMap<String, String>(data);
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    stringData.forEach((k, v) -> merged.put(k, b64.encodeToString(v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    return SecretBuilder.builder(this).data(ImmutableMap.copyOf(merged)).stringData(ImmutableMap.of()).build();
  }

  /** The decoded value of a key: {@code data} (base64) first, then {@code stringData}. */
  public Optional<byte[]> value(String key) {
    String enc = data.get(key);
    if (enc != null) {
      return Optional.of(java.util.Base64.getDecoder().decode(enc));
    }
    String plain = stringData.get(key);
    return plain == null
        ? Optional.empty()
        : Optional.of(plain.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** All keys of data and stringData, sorted. */
  @JsonIgnore
  public java.util.SortedSet<String> keys() {
    var keys = new java.util.TreeSet<String>(data.keySet());
    keys.addAll(stringData.keySet());
    return keys;
  }

  @Override
  public String toString() {
    // Annotations may hold secret data too (kubectl's last-applied-configuration): keys only.
    return "Secret[name=" + metadata.name() + ", namespace=" + metadata.namespaceOrEmpty()
        + ", labels=" + metadata.labels() + ", annotation keys=" + metadata.annotations().keySet() + ", type=" + type + ", data keys=" + data.keySet()
        + ", stringData keys=" + stringData.keySet() + ", immutable=" + immutable + "]";
  }
}
