package io.volumekit.csi.hostpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountTableTest {
  private static final List<String> LINES = List.of(
      "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
      "90 22 8:1 /data/volumes/v1 /var/lib/kubelet/pods/p1/volumes/my\\040vol/mount rw,relatime shared:1 - ext4 /dev/sda1 rw",
      "91 22 8:1 /data/volumes/v1 /var/lib/kubelet/pods/p1/volumes/my\\040vol/mount ro,relatime shared:1 - ext4 /dev/sda1 rw",
      "92 22 8:1 /data/volumes/v2 /srv/back\\134slash\\011tab rw shared:1 - ext4 /dev/sda1 rw",
      "short line");

  private final MountTable table = MountTable.parse(LINES);

  @Test
  void readsTheMountPointWithItsOctalEscapesAndTheTopmostMountsFlags() {
    Path spaced = Path.of("/var/lib/kubelet/pods/p1/volumes/my vol/mount");
    assertThat(table.entries()).hasSize(4);
    assertThat(table.isMountPoint(spaced)).isTrue();
    assertThat(table.isReadOnly(spaced)).as("the newest of two stacked mounts is read-only").isTrue();
    assertThat(table.isMountPoint(Path.of("/srv/back\\slash\ttab"))).isTrue();
    assertThat(table.isMountPoint(Path.of("/var/lib/kubelet/pods/p1"))).isFalse();
    assertThat(table.isReadOnly(Path.of("/nowhere"))).isFalse();
  }

  @Test
  void listsTheMountsBelowADirectoryOnlyAtPathBoundaries() {
    assertThat(table.mountPointsUnder(Path.of("/var/lib/kubelet/pods")))
        .containsExactly("/var/lib/kubelet/pods/p1/volumes/my vol/mount", "/var/lib/kubelet/pods/p1/volumes/my vol/mount");
    assertThat(table.mountPointsUnder(Path.of("/var/lib/kube"))).isEmpty();
  }

  @Test
  void aBackslashNotFollowedByThreeOctalDigitsStaysAsItIs() {
    assertThat(MountTable.unescape("a\\09b\\")).isEqualTo("a\\09b\\");
    assertThat(MountTable.unescape("a\\040b")).isEqualTo("a b");
  }
}
