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
 * One requirement of a node selector term ({@code core/v1 NodeSelectorRequirement}).
 *
 * <p>Operators {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}, {@code Gt}, {@code Lt}; {@code Gt}/{@code Lt}
 * compare the single value as an integer, as {@code labels.Requirement} does. Unknown operators never match.
 */
@RecordBuilder
public record NodeSelectorRequirement(
    String key,
    String operator,
    ImmutableList<String> values) implements NodeSelectorRequirementBuilder.With {

  public NodeSelectorRequirement {
    key = Normalize.str(key);
    operator = Normalize.str(operator);
    values = Normalize.list(values);
  }

  public static final String IN = "In";
  public static final String NOT_IN = "NotIn";
  public static final String EXISTS = "Exists";
  public static final String DOES_NOT_EXIST = "DoesNotExist";
  public static final String GT = "Gt";
  public static final String LT = "Lt";
  /** The operators Kubernetes accepts, in its order. */
  public static final List<String> OPERATORS = List.of(IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GT, LT);

  /** Whether the key/value map (node labels or node fields) satisfies this requirement. */
  public boolean matches(Map<String, String> labels) {
    String v = labels.get(key);
    switch (operator) {
      case IN:
        return v != null && values.contains(v);
      case NOT_IN:
        return v == null || !values.contains(v);
      case EXISTS:
        return v != null;
      case DOES_NOT_EXIST:
        return v == null;
      case GT:
      case LT:
        if (v == null || values.size() != 1) {
          return false;
        }
        try {
          long have = Long.parseLong(v);
          long want = Long.parseLong(values.get(0));
          return operator.equals(GT) ? have > want : have < want;
        } catch (NumberFormatException e) {
          return false;
        }
      default:
        return false;
    }
  }
}
