package io.volumekit.model.meta;

import com.google.common.collect.ImmutableList;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;
import java.util.Map;

/**
 * One {@code matchExpressions} entry of a label selector ({@code metav1.LabelSelectorRequirement}).
 *
 * <p>Operators are the Kubernetes spellings {@code In}, {@code NotIn}, {@code Exists},
 * {@code DoesNotExist}, kept as strings so that an unknown operator survives decoding and is
 * reported by validation; {@link #matches(Map)} treats an unknown operator as not matching.
 */
@RecordBuilder
public record LabelSelectorRequirement(String key, String operator, ImmutableList<String> values)
    implements LabelSelectorRequirementBuilder.With {

  public static final String IN = "In";
  public static final String NOT_IN = "NotIn";
  public static final String EXISTS = "Exists";
  public static final String DOES_NOT_EXIST = "DoesNotExist";
  /** The operators a label selector accepts, in the order Kubernetes lists them. */
  public static final List<String> OPERATORS = List.of(IN, NOT_IN, EXISTS, DOES_NOT_EXIST);

  public LabelSelectorRequirement {
    key = Normalize.str(key);
    operator = Normalize.str(operator);
    values = Normalize.list(values);
  }

  /** Whether labels satisfy this requirement, as {@code labels.Requirement.Matches}. */
  public boolean matches(Map<String, String> labels) {
    String v = labels.get(key);
    return switch (operator) {
      case IN -> v != null && values.contains(v);
      case NOT_IN -> v == null || !values.contains(v);
      case EXISTS -> v != null;
      case DOES_NOT_EXIST -> v == null;
      default -> false;
    };
  }
}
