package io.volumekit.model.gateway;

import com.google.common.collect.ImmutableList;
import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;

/**
 * A ReferenceGrant's spec: who may refer ({@code from}, 1 to 16 entries) to what in the grant's
 * namespace ({@code to}, 1 to 16 entries); a reference is allowed when one {@code from} and one
 * {@code to} of the same grant both match it.
 */
@RecordBuilder
public record ReferenceGrantSpec(ImmutableList<ReferenceGrantFrom> from, ImmutableList<ReferenceGrantTo> to)
    implements ReferenceGrantSpecBuilder.With {

  public ReferenceGrantSpec {
    from = Normalize.list(from);
    to = Normalize.list(to);
  }
}
