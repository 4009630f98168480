package io.volumekit.model.codec;

import com.google.common.collect.ImmutableList;
import io.volumekit.model.meta.ApiObject;
import java.util.List;

/**
 * The objects read from a stream, in order ({@code kind: List} items flattened in place), and
 * the warnings about tolerated problems.
 */
public record DecodeResult(ImmutableList<ApiObject> objects, ImmutableList<DecodeWarning> warnings) {
  public DecodeResult {
    objects = ImmutableList.copyOf(objects);
    warnings = ImmutableList.copyOf(warnings);
  }

  /** The warning texts, duplicates removed, in order (as kubectl prints them). */
  public List<String> warningMessages() {
    return warnings.stream().map(DecodeWarning::message).distinct().toList();
  }

  /** The only object; throws if there is not exactly one. */
  public ApiObject single() {
    if (objects.size() != 1) {
      throw new IllegalStateException("expected exactly one object, got " + objects.size());
    }
    return objects.get(0);
  }
}
