package io.volumekit.model.core;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;
import java.util.Optional;

/**
 * Container-level security settings ({@code core/v1 SecurityContext}). The SELinux options matter
 * to volume mounting: where set, they replace the pod-level ones for that container, and the
 * kubelet derives the volume's {@code -o context=} label from the containers that mount it. The
 * user and privilege settings are carried along; capabilities, seccomp, AppArmor, proc mount and
 * Windows options are accepted and dropped.
 */
@RecordBuilder
public record SecurityContext(
    Optional<SELinuxOptions> seLinuxOptions,
    Optional<Long> runAsUser,
    Optional<Long> runAsGroup,
    Optional<Boolean> runAsNonRoot,
    Optional<Boolean> privileged,
    Optional<Boolean> readOnlyRootFilesystem,
    Optional<Boolean> allowPrivilegeEscalation) implements SecurityContextBuilder.With {

  public SecurityContext {
    seLinuxOptions = Normalize.opt(seLinuxOptions);
    runAsUser = Normalize.opt(runAsUser);
    runAsGroup = Normalize.opt(runAsGroup);
    runAsNonRoot = Normalize.opt(runAsNonRoot);
    privileged = Normalize.opt(privileged);
    readOnlyRootFilesystem = Normalize.opt(readOnlyRootFilesystem);
    allowPrivilegeEscalation = Normalize.opt(allowPrivilegeEscalation);
  }
}
