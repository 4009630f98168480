package io.volumekit.core.datasource;

import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.TypedObjectReference;
import io.volumekit.model.gateway.ReferenceGrant;
import io.volumekit.model.gateway.ReferenceGrantFrom;
import io.volumekit.model.gateway.ReferenceGrantTo;
import java.util.Optional;

/**
 * Whether a claim may use a data source in another namespace: Kubernetes' {@code IsGranted} of the
 * external provisioner and lib-volume-populator (the {@code CrossNamespaceVolumeDataSource}
 * feature). A {@link ReferenceGrant} in the data source's namespace must have a {@code from} entry
 * {@code {group: "", kind: PersistentVolumeClaim, namespace: <claim namespace>}} and, in the same
 * grant, a {@code to} entry of the data source's group and kind whose {@code name} is empty or the
 * data source's name.
 */
public final class ReferenceGrants {

  /** The feature gate's name, as Kubernetes spells it. */
  public static final String FEATURE = "CrossNamespaceVolumeDataSource";
  /** The provisioner's refusal when the gate is off. */
  public static final String DISABLED =
      "dataSourceRef namespace specified but the " + FEATURE + " feature is disabled";

  private ReferenceGrants() {}

  /** The namespace of the claim's {@code dataSourceRef} when it is another namespace than the claim's. */
  public static Optional<String> crossNamespace(PersistentVolumeClaim claim) {
    if (claim.spec().dataSource().isPresent()) {
      return Optional.empty(); // dataSource wins and is always local
    }
    String own = claim.metadata().namespaceOrEmpty();
    return claim.spec().dataSourceRef().flatMap(TypedObjectReference::namespace)
        .filter(n -> !n.isEmpty() && !n.equals(own));
  }

  /**
   * Empty if the claim's data source is in its own namespace or a grant allows it; otherwise
   * Kubernetes' refusal, "accessing &lt;ns&gt;/&lt;name&gt; of &lt;Kind&gt; dataSource from
   * &lt;claim ns&gt;/&lt;claim&gt; isn't allowed".
   */
  public static Optional<String> refusal(ClusterState state, PersistentVolumeClaim claim) {
    Optional<String> ns = crossNamespace(claim);
    if (ns.isEmpty()) {
      return Optional.empty();
    }
    TypedObjectReference ref = claim.spec().dataSourceRef().orElseThrow();
    for (ReferenceGrant g : state.list(ReferenceGrant.KIND, ReferenceGrant.class)) {
      if (g.metadata().namespaceOrEmpty().equals(ns.get()) && allows(g, claim, ref)) {
        return Optional.empty();
      }
    }
    return Optional.of("accessing " + ns.get() + "/" + ref.name() + " of " + ref.kind() + " dataSource from "
        + claim.metadata().namespaceOrEmpty() + "/" + claim.metadata().name() + " isn't allowed");
  }

  private static boolean allows(ReferenceGrant g, PersistentVolumeClaim claim, TypedObjectReference ref) {
    boolean from = false;
    for (ReferenceGrantFrom f : g.spec().from()) {
      if (f.group().isEmpty() && f.kind().equals(PersistentVolumeClaim.KIND)
          && f.namespace().equals(claim.metadata().namespaceOrEmpty())) {
        from = true;
        break;
      }
    }
    if (!from) {
      return false;
    }
    String group = ref.apiGroup().orElse("");
    for (ReferenceGrantTo t : g.spec().to()) {
      if (t.group().equals(group) && t.kind().equals(ref.kind())
          && t.name().filter(n -> !n.isEmpty()).map(ref.name()::equals).orElse(true)) {
        return true;
      }
    }
    return false;
  }
}
