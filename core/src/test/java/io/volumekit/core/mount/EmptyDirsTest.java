package io.volumekit.core.mount;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.Container;
import io.volumekit.model.core.ContainerBuilder;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodBuilder;
import io.volumekit.model.core.PodSpecBuilder;
import io.volumekit.model.core.ResourceRequirementsBuilder;
import io.volumekit.model.quantity.Quantity;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The kubelet's emptyDir rules: the tmpfs size of a memory-backed emptyDir, and eviction over sizeLimit. */
class EmptyDirsTest {

  private static final long MI = 1024 * 1024;

  static OptionalLong of(long v) {
    return OptionalLong.of(v);
  }

  static Stream<Arguments> sizes() {
    OptionalLong none = OptionalLong.empty();
    return Stream.of(
        Arguments.of("nothing known: the kernel's default", none, none, none, none),
        Arguments.of("node allocatable only", of(8192 * MI), none, none, of(8192 * MI)),
        Arguments.of("pod limit below allocatable", of(8192 * MI), of(512 * MI), none, of(512 * MI)),
        Arguments.of("pod limit above allocatable is ignored", of(1024 * MI), of(4096 * MI), none, of(1024 * MI)),
        Arguments.of("pod limit equal to allocatable", of(1024 * MI), of(1024 * MI), none, of(1024 * MI)),
        Arguments.of("sizeLimit below the pod limit", of(8192 * MI), of(512 * MI), of(64 * MI), of(64 * MI)),
        Arguments.of("sizeLimit above the pod limit is ignored", of(8192 * MI), of(512 * MI), of(1024 * MI), of(512 * MI)),
        Arguments.of("sizeLimit above allocatable, no pod limit", of(1024 * MI), none, of(2048 * MI), of(1024 * MI)),
        Arguments.of("zero sizeLimit is ignored", of(1024 * MI), none, of(0), of(1024 * MI)),
        Arguments.of("zero pod limit is ignored", of(1024 * MI), of(0), of(64 * MI), of(64 * MI)),
        Arguments.of("no allocatable: the sizeLimit", none, none, of(64 * MI), of(64 * MI)),
        Arguments.of("no allocatable: the smaller of pod limit and sizeLimit", none, of(32 * MI), of(64 * MI), of(32 * MI)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sizes")
  void tmpfsSizeIsTheSmallestPositiveOfAllocatablePodLimitAndSizeLimit(String name, OptionalLong allocatable,
      OptionalLong podLimit, OptionalLong sizeLimit, OptionalLong expected) {
    assertThat(EmptyDirs.tmpfsSizeBytes(allocatable, podLimit, sizeLimit)).isEqualTo(expected);
  }

  static Container container(String name, Optional<String> memoryLimit) {
    return ContainerBuilder.builder().name(name).resources(memoryLimit.map(l -> ResourceRequirementsBuilder.builder()
        .limits(ImmutableMap.of("memory", Quantity.parse(l))).build())).build();
  }

  static Pod pod(ImmutableList<Container> init, ImmutableList<Container> containers) {
    return PodBuilder.builder().spec(PodSpecBuilder.builder().initContainers(init).containers(containers).build()).build();
  }

  static Stream<Arguments> podLimits() {
    Optional<String> none = Optional.empty();
    return Stream.of(
        Arguments.of("one container with a limit", pod(ImmutableList.of(), ImmutableList.of(container("a", Optional.of("256Mi")))),
            of(256 * MI)),
        Arguments.of("containers' limits add up", pod(ImmutableList.of(),
            ImmutableList.of(container("a", Optional.of("256Mi")), container("b", Optional.of("128Mi")))), of(384 * MI)),
        Arguments.of("a container without a limit: none", pod(ImmutableList.of(),
            ImmutableList.of(container("a", Optional.of("256Mi")), container("b", none))), OptionalLong.empty()),
        Arguments.of("a larger init container raises it", pod(ImmutableList.of(container("i", Optional.of("1Gi"))),
            ImmutableList.of(container("a", Optional.of("256Mi")))), of(1024 * MI)),
        Arguments.of("a smaller init container does not", pod(ImmutableList.of(container("i", Optional.of("64Mi"))),
            ImmutableList.of(container("a", Optional.of("256Mi")))), of(256 * MI)),
        Arguments.of("an init container without a limit: none", pod(ImmutableList.of(container("i", none)),
            ImmutableList.of(container("a", Optional.of("256Mi")))), OptionalLong.empty()),
        Arguments.of("no containers: none", pod(ImmutableList.of(), ImmutableList.of()), OptionalLong.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podLimits")
  void podMemoryLimitIsTheCgroupLimit(String name, Pod pod, OptionalLong expected) {
    assertThat(EmptyDirs.podMemoryLimitBytes(pod)).isEqualTo(expected);
  }

  static Stream<Arguments> evictions() {
    return Stream.of(
        Arguments.of("no sizeLimit: never", Optional.empty(), 1L << 40, Optional.empty()),
        Arguments.of("under the limit", Optional.of("64Mi"), 10 * MI, Optional.empty()),
        Arguments.of("exactly the limit", Optional.of("64Mi"), 64 * MI, Optional.empty()),
        Arguments.of("one byte over", Optional.of("64Mi"), 64 * MI + 1,
            Optional.of("Usage of EmptyDir volume \"cache\" exceeds the limit \"64Mi\". ")),
        Arguments.of("the limit in its canonical form", Optional.of("1024Mi"), 2048 * MI,
            Optional.of("Usage of EmptyDir volume \"cache\" exceeds the limit \"1Gi\". ")),
        Arguments.of("a zero limit is no limit", Optional.of("0"), 10 * MI, Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("evictions")
  void evictedWhenUsageExceedsTheSizeLimit(String name, Optional<String> limit, long used, Optional<String> message) {
    assertThat(EmptyDirs.evictionMessage("cache", limit.map(Quantity::parse), used)).isEqualTo(message);
  }
}
