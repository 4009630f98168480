package io.volumekit.model.codec;

import io.volumekit.model.apps.RollingUpdateStatefulSetStrategy;
import io.volumekit.model.apps.StatefulSetStatus;
import io.volumekit.model.core.Container;
import io.volumekit.model.core.ContainerPort;
import io.volumekit.model.core.EnvVarSource;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.NodeSpec;
import io.volumekit.model.core.NodeStatus;
import io.volumekit.model.core.NodeSystemInfo;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import io.volumekit.model.core.PodSecurityContext;
import io.volumekit.model.core.PodSpec;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.core.SecurityContext;
import io.volumekit.model.core.VolumeProjection;
import io.volumekit.model.meta.ObjectMeta;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes fields that volumekit does not model but that are legitimate parts of the API
 * (probes, DNS settings, managed fields, container statuses, ...). A manifest carrying them is
 * accepted without an unknown-field warning and the fields are dropped: they do not affect
 * storage behaviour. A misplaced field (e.g. {@code volumes} inside a container) is still
 * reported, because it is not in this list for that place.
 */
final class KnownFields {
  private KnownFields() {}

  private static final Map<Class<?>, Set<String>> DROPPED = Map.ofEntries(
      Map.entry(ObjectMeta.class, Set.of("managedFields", "selfLink", "deletionGracePeriodSeconds")),
      Map.entry(PodSpec.class, Set.of("dnsPolicy", "dnsConfig", "terminationGracePeriodSeconds",
          "activeDeadlineSeconds", "hostNetwork", "hostPID", "hostIPC", "priority",
          "enableServiceLinks", "preemptionPolicy", "automountServiceAccountToken", "serviceAccount", "hostname",
          "subdomain", "hostAliases", "runtimeClassName", "overhead", "topologySpreadConstraints", "readinessGates",
          "shareProcessNamespace", "os", "schedulingGates", "resourceClaims", "ephemeralContainers",
          "setHostnameAsFQDN", "hostUsers", "resources")),
      Map.entry(Container.class, Set.of("livenessProbe", "readinessProbe", "startupProbe", "lifecycle",
          "envFrom", "terminationMessagePath", "terminationMessagePolicy", "stdin", "stdinOnce",
          "tty", "resizePolicy", "restartPolicy")),
      Map.entry(SecurityContext.class, Set.of("capabilities", "seccompProfile", "appArmorProfile", "windowsOptions",
          "procMount")),
      Map.entry(ContainerPort.class, Set.of("hostIP")),
      Map.entry(EnvVarSource.class, Set.of("fileKeyRef")),
      Map.entry(PodSecurityContext.class, Set.of("seccompProfile", "sysctls", "windowsOptions", "appArmorProfile",
          "supplementalGroupsPolicy")),
      Map.entry(PodStatus.class, Set.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses",
          "qosClass", "podIPs", "hostIPs", "nominatedNodeName", "resize", "resourceClaimStatuses",
          "observedGeneration")),
      Map.entry(NodeSpec.class, Set.of("podCIDRs", "configSource", "externalID")),
      Map.entry(NodeStatus.class, Set.of("images", "daemonEndpoints", "volumesInUse", "volumesAttached",
          "config", "phase", "runtimeHandlers", "features")),
      Map.entry(NodeSystemInfo.class, Set.of("swap")),
      Map.entry(PersistentVolumeClaimStatus.class, Set.of("healthStatus")),
      Map.entry(VolumeProjection.class, Set.of("clusterTrustBundle", "podCertificate")),
      Map.entry(StatefulSetStatus.class, Set.of("currentRevision", "updateRevision", "collisionCount", "conditions")),
      Map.entry(RollingUpdateStatefulSetStrategy.class, Set.of("maxUnavailable")),
      Map.entry(Event.class, Set.of("eventTime", "reportingComponent", "reportingInstance", "action", "related",
          "series")));

  /** Whether the property is a known Kubernetes field of that record that volumekit drops. */
  static boolean isDropped(Class<?> type, String property) {
    Set<String> s = DROPPED.get(type);
    return s != null && s.contains(property);
  }
}
