package io.volumekit.core.mount;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.Fixtures;
import io.volumekit.core.effect.SetUpHostPath;
import io.volumekit.model.core.HostPathVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeBuilder;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * hostPath volumes with a {@code type}: the kubelet creates {@code DirectoryOrCreate} (0755) and
 * {@code FileOrCreate} (0644) paths and checks the other types, through a {@link SetUpHostPath}
 * effect run by the runtime; a failed check is a FailedMount event with the kubelet's message and
 * the pod stays Pending. Mirrors Kubernetes' {@code pkg/volume/hostpath} {@code checkType}.
 */
class HostPathTableTest {

  /** What is at the path before the pod comes. */
  enum Before { NOTHING, DIRECTORY, FILE, SOCKET, NO_PARENT }

  /** What the path must be after. */
  enum After { DIRECTORY_0755, FILE_0644, UNCHANGED, NOTHING }

  record Row(String type, Before before, boolean running, String problem, After after) {
    @Override
    public String toString() {
      return (type.isEmpty() ? "(no type)" : type) + " on " + before + " -> " + (running ? "Running" : problem);
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("DirectoryOrCreate", Before.NOTHING, true, "", After.DIRECTORY_0755),
        new Row("DirectoryOrCreate", Before.NO_PARENT, true, "", After.DIRECTORY_0755),
        new Row("DirectoryOrCreate", Before.DIRECTORY, true, "", After.UNCHANGED),
        new Row("DirectoryOrCreate", Before.FILE, false, "hostPath type check failed: %s is not a directory", After.UNCHANGED),
        new Row("Directory", Before.DIRECTORY, true, "", After.UNCHANGED),
        new Row("Directory", Before.NOTHING, false, "hostPath type check failed: %s is not a directory", After.NOTHING),
        new Row("Directory", Before.FILE, false, "hostPath type check failed: %s is not a directory", After.UNCHANGED),
        new Row("FileOrCreate", Before.NOTHING, true, "", After.FILE_0644),
        new Row("FileOrCreate", Before.FILE, true, "", After.UNCHANGED),
        new Row("FileOrCreate", Before.NO_PARENT, false, "open %s: no such file or directory", After.NOTHING),
        new Row("FileOrCreate", Before.DIRECTORY, false, "hostPath type check failed: %s is not a file", After.UNCHANGED),
        new Row("File", Before.FILE, true, "", After.UNCHANGED),
        new Row("File", Before.NOTHING, false, "hostPath type check failed: %s is not a file", After.NOTHING),
        new Row("File", Before.DIRECTORY, false, "hostPath type check failed: %s is not a file", After.UNCHANGED),
        new Row("Socket", Before.SOCKET, true, "", After.UNCHANGED),
        new Row("Socket", Before.FILE, false, "hostPath type check failed: %s is not a socket file", After.UNCHANGED),
        new Row("Socket", Before.NOTHING, false, "hostPath type check failed: %s is not a socket file", After.NOTHING),
        new Row("BlockDevice", Before.FILE, false, "hostPath type check failed: %s is not a block device", After.UNCHANGED),
        new Row("CharDevice", Before.DIRECTORY, false, "hostPath type check failed: %s is not a character device",
            After.UNCHANGED),
        new Row("", Before.NOTHING, true, "", After.NOTHING));
  }

  @ParameterizedTest(name = "pod volume: {0}")
  @MethodSource("rows")
  void podVolume(Row row, @TempDir Path dir) throws IOException {
    Path path = prepare(row.before(), dir);
    NodeKit k = new NodeKit(1);
    k.apply(NodeKit.pod("web", "node-1", hostPath("host", path, row.type()))).settle();
    check(k, row, path, "host");
  }

  @ParameterizedTest(name = "PV hostPath: {0}")
  @MethodSource("rows")
  void persistentVolume(Row row, @TempDir Path dir) throws IOException {
    Path path = prepare(row.before(), dir);
    NodeKit k = new NodeKit(1);
    PersistentVolume pv = Fixtures.pv("static", "1Gi");
    pv = pv.withSpec(pv.spec().withHostPath(Optional.of(new HostPathVolumeSource(path.toString(), opt(row.type())))));
    k.apply(pv, Fixtures.pvc("data", "1Gi")).settle();
    k.apply(NodeKit.pod("web", "node-1", NodeKit.claim("data"))).settle();
    check(k, row, path, "static"); // the kubelet's messages name the PV
  }

  @ParameterizedTest(name = "character device: {0}")
  @MethodSource("devices")
  void characterDevice(String type, boolean running) {
    NodeKit k = new NodeKit(1);
    k.apply(NodeKit.pod("web", "node-1", hostPath("dev", Path.of("/dev/null"), type))).settle();
    assertThat(k.phase("web")).isEqualTo(running ? "Running" : "Pending");
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> devices() {
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("CharDevice", true),
        org.junit.jupiter.params.provider.Arguments.of("BlockDevice", false),
        org.junit.jupiter.params.provider.Arguments.of("File", false));
  }

  @org.junit.jupiter.api.Test
  void deletingThePodLeavesTheHostFilesAndNoOperation(@TempDir Path dir) {
    Path path = dir.resolve("made");
    NodeKit k = new NodeKit(1);
    k.apply(NodeKit.pod("web", "node-1", hostPath("host", path, "DirectoryOrCreate"))).settle();
    k.assertRunning("web");
    k.deletePod("web").settle();
    assertThat(k.hasPod("web")).isFalse();
    assertThat(path).isDirectory();
    assertThat(k.kit.state().operations()).noneMatch(op -> op.effect() instanceof SetUpHostPath);
  }

  private static void check(NodeKit k, Row row, Path path, String volumeName) throws IOException {
    if (row.running()) {
      k.assertRunning("web");
      assertThat(k.events("web")).noneMatch(e -> e.startsWith("FailedMount"));
    } else {
      assertThat(k.phase("web")).isEqualTo("Pending");
      assertThat(k.events("web")).contains("FailedMount: MountVolume.SetUp failed for volume \"" + volumeName + "\" : "
          + row.problem().formatted(path));
    }
    switch (row.after()) {
      case DIRECTORY_0755 -> {
        assertThat(path).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rwxr-xr-x");
      }
      case FILE_0644 -> {
        assertThat(path).isRegularFile().isEmptyFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-r--r--");
      }
      case NOTHING -> assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS)).isFalse();
      case UNCHANGED -> assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
    if (row.before() == Before.DIRECTORY) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rwx------");
    }
    if (row.before() == Before.NO_PARENT && !row.running()) {
      assertThat(path.getParent()).doesNotExist();
    }
  }

  /** Makes what the row says is there; returns the path the volume names. */
  private static Path prepare(Before before, Path dir) throws IOException {
    Path path = dir.resolve("target");
    switch (before) {
      case NOTHING -> { }
      case NO_PARENT -> path = dir.resolve("missing").resolve("target");
      case DIRECTORY -> {
        Files.createDirectory(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
      }
      case FILE -> Files.writeString(path, "kept");
      case SOCKET -> {
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
          s.bind(UnixDomainSocketAddress.of(path)); // the socket file stays after close
        }
      }
    }
    return path;
  }

  private static Volume hostPath(String name, Path path, String type) {
    return VolumeBuilder.builder().name(name)
        .hostPath(Optional.of(new HostPathVolumeSource(path.toString(), opt(type)))).build();
  }

  private static Optional<String> opt(String type) {
    return type.isEmpty() ? Optional.empty() : Optional.of(type);
  }
}
