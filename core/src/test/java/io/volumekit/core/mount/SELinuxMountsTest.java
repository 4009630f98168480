package io.volumekit.core.mount;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.AccessType;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.node.NodeOs;
import io.volumekit.model.core.Container;
import io.volumekit.model.core.ContainerBuilder;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeBuilder;
import io.volumekit.model.core.PersistentVolumeSpecBuilder;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodSecurityContextBuilder;
import io.volumekit.model.core.SELinuxOptions;
import io.volumekit.model.core.SecurityContextBuilder;
import io.volumekit.model.core.VolumeMount;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.CSIDriver;
import io.volumekit.model.storage.CSIDriverBuilder;
import io.volumekit.model.storage.CSIDriverSpecBuilder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The kubelet's rules for {@code -o context=} mounts, one row per rule. */
class SELinuxMountsTest {

  static final String LABEL = "system_u:object_r:container_file_t:s0:c1,c2";

  record Row(String name, NodeOs os, boolean gate, Optional<CSIDriver> driver, List<String> modes, Pod pod,
      Optional<String> expected) {
    Row(String name, NodeOs os, Optional<CSIDriver> driver, List<String> modes, Pod pod, Optional<String> expected) {
      this(name, os, false, driver, modes, pod, expected);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Optional<CSIDriver> driver(Optional<Boolean> seLinuxMount) {
    return Optional.of(CSIDriverBuilder.builder().metadata(ObjectMeta.named("d.example.com"))
        .spec(CSIDriverSpecBuilder.builder().seLinuxMount(seLinuxMount).build()).build());
  }

  static Pod pod(Optional<SELinuxOptions> options, Optional<String> policy) {
    Pod p = NodeKit.pod("web", "node-1", NodeKit.claim("data"));
    return p.withSpec(p.spec().withSecurityContext(Optional.of(PodSecurityContextBuilder.builder()
        .seLinuxOptions(options).seLinuxChangePolicy(policy).build())));
  }

  static SELinuxOptions level(String level) {
    return new SELinuxOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(level));
  }

  static Stream<Row> rows() {
    Optional<CSIDriver> yes = driver(Optional.of(true));
    List<String> rwop = List.of("ReadWriteOncePod");
    Pod labelled = pod(Optional.of(level("s0:c1,c2")), Optional.empty());
    return Stream.of(
        new Row("seLinuxMount driver, RWOP, pod level: context of the container file type", NodeOs.LINUX, yes, rwop,
            labelled, Optional.of(LABEL)),
        new Row("the options' user is kept; role and type are the file defaults", NodeOs.LINUX, yes, rwop,
            pod(Optional.of(new SELinuxOptions(Optional.of("user_u"), Optional.of("r"), Optional.of("spc_t"),
                Optional.of("s0:c5"))), Optional.empty()), Optional.of("user_u:object_r:container_file_t:s0:c5")),
        new Row("seLinuxChangePolicy MountOption (the default, explicit)", NodeOs.LINUX, yes, rwop,
            pod(Optional.of(level("s0:c1,c2")), Optional.of("MountOption")), Optional.of(LABEL)),
        new Row("seLinuxChangePolicy Recursive: the runtime relabels, no mount option", NodeOs.LINUX, yes, rwop,
            pod(Optional.of(level("s0:c1,c2")), Optional.of("Recursive")), Optional.empty()),
        new Row("options without a level: no shared context", NodeOs.LINUX, yes, rwop,
            pod(Optional.of(new SELinuxOptions(Optional.of("system_u"), Optional.empty(), Optional.of("container_t"),
                Optional.empty())), Optional.empty()), Optional.empty()),
        new Row("no seLinuxOptions", NodeOs.LINUX, yes, rwop, pod(Optional.empty(), Optional.empty()), Optional.empty()),
        new Row("no securityContext", NodeOs.LINUX, yes, rwop, NodeKit.pod("web", "node-1", NodeKit.claim("data")),
            Optional.empty()),
        new Row("CSIDriver without seLinuxMount (default false)", NodeOs.LINUX, driver(Optional.empty()), rwop,
            labelled, Optional.empty()),
        new Row("no CSIDriver object", NodeOs.LINUX, Optional.empty(), rwop, labelled, Optional.empty()),
        new Row("ReadWriteOnce: only RWOP volumes while the SELinuxMount gate is off", NodeOs.LINUX, yes,
            List.of("ReadWriteOnce"), labelled, Optional.empty()),
        new Row("two access modes: never", NodeOs.LINUX, yes, List.of("ReadWriteOncePod", "ReadWriteOnce"),
            labelled, Optional.empty()),
        new Row("Windows node: no SELinux", NodeOs.WINDOWS, yes, rwop, labelled, Optional.empty()),
        new Row("SELinuxMount gate on: ReadWriteOnce volumes too", NodeOs.LINUX, true, yes, List.of("ReadWriteOnce"),
            labelled, Optional.of(LABEL)),
        new Row("SELinuxMount gate on: ReadWriteMany and two modes too", NodeOs.LINUX, true, yes,
            List.of("ReadWriteMany", "ReadOnlyMany"), labelled, Optional.of(LABEL)),
        new Row("SELinuxMount gate on, Recursive policy: no mount option", NodeOs.LINUX, true, yes, List.of("ReadWriteOnce"),
            pod(Optional.of(level("s0:c1,c2")), Optional.of("Recursive")), Optional.empty()),
        new Row("SELinuxMount gate on, driver without seLinuxMount: none", NodeOs.LINUX, true, driver(Optional.of(false)),
            List.of("ReadWriteOnce"), labelled, Optional.empty()),
        new Row("container options replace the pod's", NodeOs.LINUX, yes, rwop,
            withContainers(labelled, containerWith(Optional.of(level("s0:c7")), true)),
            Optional.of("system_u:object_r:container_file_t:s0:c7")),
        new Row("container options without pod options", NodeOs.LINUX, yes, rwop,
            withContainers(pod(Optional.empty(), Optional.empty()), containerWith(Optional.of(level("s0:c7")), true)),
            Optional.of("system_u:object_r:container_file_t:s0:c7")),
        new Row("containers that agree (one inherits the pod's, one repeats it)", NodeOs.LINUX, yes, rwop,
            withContainers(labelled, containerWith(Optional.empty(), true), containerWith(Optional.of(level("s0:c1,c2")), true)),
            Optional.of(LABEL)),
        new Row("containers with two labels on the volume: no context", NodeOs.LINUX, yes, rwop,
            withContainers(labelled, containerWith(Optional.empty(), true), containerWith(Optional.of(level("s0:c7")), true)),
            Optional.empty()),
        new Row("a container that does not mount the volume does not count", NodeOs.LINUX, yes, rwop,
            withContainers(labelled, containerWith(Optional.empty(), true), containerWith(Optional.of(level("s0:c7")), false)),
            Optional.of(LABEL)),
        new Row("an init container mounting the volume counts", NodeOs.LINUX, yes, rwop,
            withInit(labelled, containerWith(Optional.of(level("s0:c7")), true)), Optional.empty()),
        new Row("no container mounts the volume: no label", NodeOs.LINUX, yes, rwop,
            withContainers(labelled, containerWith(Optional.of(level("s0:c7")), false)), Optional.empty()));
  }

  static Container containerWith(Optional<SELinuxOptions> options, boolean mountsData) {
    String level = options.flatMap(SELinuxOptions::level).orElse("none").replaceAll("[^a-z0-9]", "-");
    return ContainerBuilder.builder().name("c-" + level + (mountsData ? "-m" : "-n")).image(Optional.of("busybox"))
        .volumeMounts(mountsData ? ImmutableList.of(VolumeMount.of("v-data", "/data")) : ImmutableList.of())
        .securityContext(options.map(o -> SecurityContextBuilder.builder().seLinuxOptions(Optional.of(o)).build()))
        .build();
  }

  static Pod withContainers(Pod p, Container... containers) {
    return p.withSpec(p.spec().withContainers(ImmutableList.copyOf(containers)));
  }

  static Pod withInit(Pod p, Container init) {
    return p.withSpec(p.spec().withInitContainers(ImmutableList.of(init)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void context(Row row) {
    PersistentVolume pv = PersistentVolumeBuilder.builder().metadata(ObjectMeta.named("pv-1"))
        .spec(PersistentVolumeSpecBuilder.builder().accessModes(ImmutableList.copyOf(row.modes())).build()).build();
    assertThat(SELinuxMounts.context(row.os(), row.gate(), row.driver(), pv, row.pod(), Set.of("v-data")))
        .isEqualTo(row.expected());
  }

  @Test
  void twoLabelsOnAVolumeMountedWithAContextAreTheKubeletsError() {
    PersistentVolume rwop = PersistentVolumeBuilder.builder().metadata(ObjectMeta.named("pv-1"))
        .spec(PersistentVolumeSpecBuilder.builder().accessModes(ImmutableList.of("ReadWriteOncePod")).build()).build();
    Pod two = withContainers(pod(Optional.of(level("s0:c1,c2")), Optional.empty()),
        containerWith(Optional.empty(), true), containerWith(Optional.of(level("s0:c7")), true));
    Optional<CSIDriver> yes = driver(Optional.of(true));
    assertThat(SELinuxMounts.twoContexts(NodeOs.LINUX, false, yes, rwop, two, Set.of("v-data"))).contains(
        "volume pv-1 is used with two different SELinux contexts in the same pod: \"" + LABEL
            + "\", \"system_u:object_r:container_file_t:s0:c7\"");
    assertThat(SELinuxMounts.twoContexts(NodeOs.LINUX, false, driver(Optional.empty()), rwop, two, Set.of("v-data")))
        .as("not mounted with a context: only a warning metric upstream").isEmpty();
    assertThat(SELinuxMounts.twoContexts(NodeOs.WINDOWS, false, yes, rwop, two, Set.of("v-data"))).isEmpty();
    assertThat(SELinuxMounts.twoContexts(NodeOs.LINUX, false, yes, rwop,
        pod(Optional.of(level("s0:c1,c2")), Optional.empty()), Set.of("v-data"))).isEmpty();
  }

  @Test
  void mountOptionIsReadBackFromACapability() {
    String flag = SELinuxMounts.mountOption(LABEL);
    assertThat(flag).isEqualTo("context=\"" + LABEL + "\"");
    VolumeCapability cap = new VolumeCapability(new AccessType.Mount("ext4", ImmutableList.of("debug", flag), ""),
        AccessMode.SINGLE_NODE_SINGLE_WRITER);
    assertThat(SELinuxMounts.contextOf(Optional.of(cap))).contains(LABEL);
    assertThat(SELinuxMounts.contextOf(Optional.of(VolumeCapability.block(AccessMode.SINGLE_NODE_SINGLE_WRITER))))
        .isEmpty();
    assertThat(SELinuxMounts.contextOf(Optional.of(new VolumeCapability(
        new AccessType.Mount("ext4", ImmutableList.of("context=bare"), ""), AccessMode.SINGLE_NODE_SINGLE_WRITER))))
        .as("a user's own unquoted context= option is not the kubelet's").isEmpty();
  }

  @Test
  void conflictMessageIsTheKubelets() {
    assertThat(SELinuxMounts.conflict("pv-1", Optional.of(LABEL), Optional.of(LABEL))).isEmpty();
    assertThat(SELinuxMounts.conflict("pv-1", Optional.empty(), Optional.empty())).isEmpty();
    assertThat(SELinuxMounts.conflict("pv-1", Optional.of(LABEL), Optional.of("system_u:object_r:container_file_t:s0:c3")))
        .contains("conflicting SELinux labels of volume pv-1: \"" + LABEL + "\" and \"system_u:object_r:container_file_t:s0:c3\"");
    assertThat(SELinuxMounts.conflict("pv-1", Optional.of(LABEL), Optional.empty()))
        .contains("conflicting SELinux labels of volume pv-1: \"" + LABEL + "\" and \"\"");
  }
}
