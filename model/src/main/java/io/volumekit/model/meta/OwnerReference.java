package io.volumekit.model.meta;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.Objects;
import java.util.Optional;

/**
 * A reference from a dependent object to its owner ({@code metadata.ownerReferences[]}).
 *
 * <p>Mirrors {@code metav1.OwnerReference}: when the owner (matched by {@code uid}) is gone, the
 * garbage collector deletes the dependent. A generic ephemeral volume's claim is owned by its pod
 * with {@code controller: true}.
 */
@RecordBuilder
public record OwnerReference(
    String apiVersion,
    String kind,
    String name,
    String uid,
    Optional<Boolean> controller,
    Optional<Boolean> blockOwnerDeletion) implements OwnerReferenceBuilder.With {

  public OwnerReference {
    apiVersion = Objects.requireNonNullElse(apiVersion, "");
    kind = Objects.requireNonNullElse(kind, "");
    name = Objects.requireNonNullElse(name, "");
    uid = Objects.requireNonNullElse(uid, "");
    controller = controller == null ? Optional.empty() : controller;
    blockOwnerDeletion = blockOwnerDeletion == null ? Optional.empty() : blockOwnerDeletion;
  }

  /** Whether this reference names the managing controller of the dependent. */
  @JsonIgnore
  public boolean isController() {
    return controller.orElse(false);
  }
}
