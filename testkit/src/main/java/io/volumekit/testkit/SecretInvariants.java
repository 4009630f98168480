package io.volumekit.testkit;

import io.volumekit.core.api.Annotations;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.protection.SecretUsers;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.SecretReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The invariant of the secret protection: the volumes' teardown never lacks its secrets.
 *
 * <p>It checks, independently of the controller's own bookkeeping, that a Secret is never removed
 * while an existing PV names it (its {@code spec.csi.*SecretRef}s or its provisioner
 * deletion-secret annotations, which DeleteVolume reads), that no DeleteVolume or mount reports a
 * missing secret of a PV, and, once settled, that no Secret stays Terminating without a user.
 * (CSI's NodeUnstage and NodeUnpublish carry no secrets; NodeStage, ControllerPublish and
 * ControllerUnpublish do, and read the PV's references.)
 */
public final class SecretInvariants {

  private SecretInvariants() {}

  /** A Secret a volume needs is kept until the volume is gone. */
  public static final Invariant KEPT_WHILE_NEEDED = new Invariant() {
    @Override
    public String name() {
      return "secret-kept-while-needed";
    }

    @Override
    public String description() {
      return "A Secret is never removed while a PV names it (csi secret references, provisioner deletion"
          + " secret), no DeleteVolume or NodeStage of a PV misses its secret, and a deleted Secret is"
          + " gone once nothing uses it.";
    }

    @Override
    public Optional<String> onChange(Change change, SimView view) {
      if (change.kind().equals(Secret.KIND) && change.after().isEmpty()) {
        for (PersistentVolume pv : view.state().list(PersistentVolume.KIND, PersistentVolume.class)) {
          List<String> roles = roles(pv, change.key());
          if (!roles.isEmpty()) {
            return Optional.of("secret " + change.key().namespacedName() + " was removed while PV "
                + pv.metadata().name() + " names it as " + String.join(", ", roles));
          }
        }
      }
      if (change.kind().equals(Event.KIND)) {
        Optional<Event> e = change.afterAs(Event.class);
        if (e.isPresent() && e.get().involvedObject().kind().orElse("").equals(PersistentVolume.KIND)
            && e.get().message().map(m -> m.contains("failed to get secret") || m.contains("failed to fetch secret")
                || m.contains("failed to load secret")).orElse(false)) {
          return Optional.of("PV " + e.get().involvedObject().name().orElse("") + " missed a secret: "
              + e.get().reason().orElse("") + " " + e.get().message().orElse(""));
        }
      }
      return Optional.empty();
    }

    @Override
    public Optional<String> atQuiescence(SimView view) {
      ClusterState s = view.state();
      for (Secret secret : s.list(Secret.KIND, Secret.class)) {
        if (secret.metadata().isDeleting() && SecretUsers.of(s, ObjectKey.of(secret)).isEmpty()) {
          return Optional.of("secret " + ObjectKey.of(secret).namespacedName() + " is stuck Terminating (finalizers "
              + secret.metadata().finalizers() + ") though nothing uses it");
        }
      }
      return Optional.empty();
    }
  };

  /** The roles in which the PV names the secret (empty if it does not). */
  static List<String> roles(PersistentVolume pv, ObjectKey secret) {
    List<String> out = new ArrayList<>();
    String ns = pv.metadata().annotation(Annotations.DELETION_SECRET_NAMESPACE).orElse("");
    String name = pv.metadata().annotation(Annotations.DELETION_SECRET_NAME).orElse("");
    if (ns.equals(secret.namespace()) && name.equals(secret.name())) {
      out.add("provisioner deletion secret");
    }
    Optional<CSIPersistentVolumeSource> csi = pv.csi();
    if (csi.isPresent()) {
      add(out, "controllerPublishSecretRef", csi.get().controllerPublishSecretRef(), secret);
      add(out, "nodeStageSecretRef", csi.get().nodeStageSecretRef(), secret);
      add(out, "nodePublishSecretRef", csi.get().nodePublishSecretRef(), secret);
      add(out, "controllerExpandSecretRef", csi.get().controllerExpandSecretRef(), secret);
      add(out, "nodeExpandSecretRef", csi.get().nodeExpandSecretRef(), secret);
    }
    return out;
  }

  private static void add(List<String> out, String role, Optional<SecretReference> ref, ObjectKey secret) {
    if (ref.isPresent() && ref.get().name().equals(secret.name())
        && ref.get().namespace().orElse("").equals(secret.namespace())) {
      out.add(role);
    }
  }
}
