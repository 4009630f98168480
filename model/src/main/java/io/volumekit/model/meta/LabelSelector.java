package io.volumekit.model.meta;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.Map;

/**
 * A label selector ({@code metav1.LabelSelector}): {@code matchLabels} and
 * {@code matchExpressions}, all ANDed.
 *
 * <p>An empty selector matches every object (as {@code metav1.LabelSelectorAsSelector} of an
 * empty selector gives {@code labels.Everything()}); an absent selector is modelled by the
 * caller as {@code Optional.empty()} and, where Kubernetes says so (e.g. a
 * CSIStorageCapacity's {@code nodeTopology}), matches nothing.
 */
@RecordBuilder
public record LabelSelector(
    ImmutableMap<String, String> matchLabels, ImmutableList<LabelSelectorRequirement> matchExpressions)
    implements LabelSelectorBuilder.With {

  public LabelSelector {
    matchLabels = Normalize.map(matchLabels);
    matchExpressions = Normalize.list(matchExpressions);
  }

  /** A selector with only matchLabels. */
  public static LabelSelector of(Map<String, String> matchLabels) {
    return new LabelSelector(ImmutableMap.copyOf(matchLabels), ImmutableList.of());
  }

  /** Whether the selector has neither labels nor expressions (and so matches everything). */
  @JsonIgnore
  public boolean isEmpty() {
    return matchLabels.isEmpty() && matchExpressions.isEmpty();
  }

  /** Whether the labels satisfy every matchLabels entry and every expression. */
  public boolean matches(Map<String, String> labels) {
    for (var e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (LabelSelectorRequirement r : matchExpressions) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }
}
