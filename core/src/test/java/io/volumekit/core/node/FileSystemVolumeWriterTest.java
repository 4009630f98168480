package io.volumekit.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The atomic writer on a real filesystem. */
class FileSystemVolumeWriterTest {

  @TempDir
  Path root;

  static PayloadFile file(String s, int mode) {
    return new PayloadFile(s.getBytes(StandardCharsets.UTF_8), mode);
  }

  private LocalVolume atomic(Map<String, PayloadFile> payload) {
    return LocalVolume.atomic(root.resolve("pods/u1/volumes/kubernetes.io~secret/creds").toString(), true, payload,
        Optional.empty());
  }

  private Path dir() {
    return root.resolve("pods/u1/volumes/kubernetes.io~secret/creds");
  }

  @Test
  void firstWriteUsesTheDataSymlinkLayout() throws IOException {
    FileSystemVolumeWriter w = new FileSystemVolumeWriter(root);
    w.setUp(atomic(Map.of("username", file("admin", 0644), "conf/app.properties", file("a=1", 0400))));
    Path data = dir().resolve("..data");
    assertThat(Files.isSymbolicLink(data)).isTrue();
    String target = Files.readSymbolicLink(data).toString();
    assertThat(target).matches("\\.\\.\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2}\\.\\d+");
    assertThat(Files.readSymbolicLink(dir().resolve("username"))).isEqualTo(Path.of("..data/username"));
    assertThat(Files.readSymbolicLink(dir().resolve("conf"))).isEqualTo(Path.of("..data/conf"));
    assertThat(Files.readString(dir().resolve("username"))).isEqualTo("admin");
    assertThat(Files.readString(dir().resolve("conf/app.properties"))).isEqualTo("a=1");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir().resolve(target).resolve("username"))))
        .isEqualTo("rw-r--r--");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
        dir().resolve(target).resolve("conf/app.properties")))).isEqualTo("r--------");
    assertThat(FileSystemVolumeWriter.list(dir())).containsExactlyInAnyOrder("..data", target, "username", "conf");
  }

  @Test
  void updateSwapsTheDataLinkAndRemovesWhatIsGone() throws IOException {
    FileSystemVolumeWriter w = new FileSystemVolumeWriter(root);
    w.setUp(atomic(Map.of("username", file("admin", 0644), "password", file("s3cret", 0644))));
    String first = Files.readSymbolicLink(dir().resolve("..data")).toString();
    Map<String, PayloadFile> next = new TreeMap<>(Map.of("username", file("root", 0644), "token", file("t", 0600)));
    w.setUp(atomic(next));
    String second = Files.readSymbolicLink(dir().resolve("..data")).toString();
    assertThat(second).isNotEqualTo(first);
    assertThat(Files.exists(dir().resolve(first), LinkOption.NOFOLLOW_LINKS)).as("old payload removed").isFalse();
    assertThat(Files.readString(dir().resolve("username"))).isEqualTo("root");
    assertThat(Files.exists(dir().resolve("password"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.readString(dir().resolve("token"))).isEqualTo("t");
    assertThat(Files.exists(dir().resolve("..data_tmp"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    // The same payload again writes nothing.
    w.setUp(atomic(next));
    assertThat(Files.readSymbolicLink(dir().resolve("..data")).toString()).isEqualTo(second);
  }

  @Test
  void invalidPathsAreRefusedAndNothingIsWritten() {
    FileSystemVolumeWriter w = new FileSystemVolumeWriter(root);
    for (String bad : new String[] {"../escape", "/abs", "..hidden", "", "a/../../b"}) {
      assertThatThrownBy(() -> w.setUp(atomic(Map.of(bad, file("x", 0644))))).as(bad).isInstanceOf(IOException.class);
      assertThat(Files.exists(dir().resolve("..data"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
  }

  @Test
  void writesOutsideTheRootAreRefused() {
    FileSystemVolumeWriter w = new FileSystemVolumeWriter(root.resolve("kubelet"));
    assertThatThrownBy(() -> w.setUp(LocalVolume.emptyDir(root.resolve("elsewhere").toString(), false,
        Optional.empty(), Optional.empty()))).isInstanceOf(IOException.class).hasMessageContaining("outside");
    assertThatThrownBy(() -> w.tearDown(root.resolve("kubelet/../x").toString())).isInstanceOf(IOException.class);
  }

  @Test
  void emptyDirIsWorldWritableAndTearDownRemovesEverything() throws IOException {
    FileSystemVolumeWriter w = new FileSystemVolumeWriter(root);
    Path d = root.resolve("pods/u2/volumes/kubernetes.io~empty-dir/cache");
    w.setUp(LocalVolume.emptyDir(d.toString(), false, Optional.empty(), Optional.empty()));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwxrwxrwx");
    Files.writeString(d.resolve("f"), "x");
    Files.createSymbolicLink(d.resolve("link"), Path.of("/etc"));
    w.tearDown(d.toString());
    assertThat(Files.exists(d, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(Path.of("/etc"))).as("a symlink's target is never followed").isTrue();
    w.tearDown(d.toString()); // absent is fine
  }

  static int attr(Path p, String name) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void setOwnershipGivesTheTreeToTheGroupAndOnRootMismatchSkipsAMatchingRoot() throws IOException {
    FileSystemVolumeWriter w = new FileSystemVolumeWriter(root);
    Path vol = root.resolve("pods/u3/volumes/kubernetes.io~csi/pv/mount");
    Files.createDirectories(vol.resolve("sub"));
    Files.writeString(vol.resolve("sub/f"), "x");
    Files.setPosixFilePermissions(vol.resolve("sub/f"), PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(vol.resolve("link"), Path.of("/etc/hostname"));
    int etcGid = attr(Path.of("/etc/hostname").toRealPath(), "gid");
    w.setOwnership(vol.toString(), 12345, false, false);
    assertThat(attr(vol, "gid")).isEqualTo(12345);
    assertThat(attr(vol.resolve("sub/f"), "gid")).isEqualTo(12345);
    assertThat(attr(vol.resolve("sub/f"), "mode") & 0777).isEqualTo(0660);
    assertThat(attr(vol.resolve("sub"), "mode") & 02070).as("setgid and group rwx").isEqualTo(02070);
    assertThat(attr(Path.of("/etc/hostname").toRealPath(), "gid")).as("a symlink's target is untouched").isEqualTo(etcGid);
    // A file that lost its group is fixed by Always, not by OnRootMismatch (the root still matches).
    Files.setAttribute(vol.resolve("sub/f"), "unix:gid", 0);
    w.setOwnership(vol.toString(), 12345, true, false);
    assertThat(attr(vol.resolve("sub/f"), "gid")).isEqualTo(0);
    w.setOwnership(vol.toString(), 12345, false, false);
    assertThat(attr(vol.resolve("sub/f"), "gid")).isEqualTo(12345);
    w.setOwnership(root.resolve("pods/absent").toString(), 1, false, false); // nothing there: fine
  }

  @Test
  void pruneRemovesEmptyDirectoriesOnlyNeverFiles() throws IOException {
    FileSystemVolumeWriter w = new FileSystemVolumeWriter(root);
    Path pod = root.resolve("pods/u4");
    Files.createDirectories(pod.resolve("volumes/kubernetes.io~csi/pv-a"));
    Files.createDirectories(pod.resolve("volumes/kubernetes.io~csi/pv-b"));
    Files.writeString(pod.resolve("volumes/kubernetes.io~csi/pv-b/data"), "keep me");
    w.pruneEmptyDirectories(pod.toString());
    assertThat(Files.exists(pod.resolve("volumes/kubernetes.io~csi/pv-a"))).isFalse();
    assertThat(Files.readString(pod.resolve("volumes/kubernetes.io~csi/pv-b/data"))).isEqualTo("keep me");
    Files.delete(pod.resolve("volumes/kubernetes.io~csi/pv-b/data"));
    w.pruneEmptyDirectories(pod.toString());
    assertThat(Files.exists(pod)).isFalse();
    w.pruneEmptyDirectories(pod.toString()); // absent is fine
  }

  @Test
  void pruneNeverFollowsNorRemovesSymbolicLinks() throws IOException {
    FileSystemVolumeWriter w = new FileSystemVolumeWriter(root);
    Path outside = Files.createDirectories(root.resolve("outside/empty"));
    Path pod = root.resolve("pods/u5");
    Files.createDirectories(pod.resolve("volumes/a/b/c"));
    Files.createDirectories(pod.resolve("volumes/d"));
    Files.createSymbolicLink(pod.resolve("volumes/d/link"), outside);
    w.pruneEmptyDirectories(pod.toString());
    assertThat(Files.exists(pod.resolve("volumes/a"))).isFalse();
    assertThat(Files.isSymbolicLink(pod.resolve("volumes/d/link"))).isTrue();
    assertThat(Files.isDirectory(outside)).isTrue();
    Path leafLink = root.resolve("pods/u6");
    Files.createSymbolicLink(leafLink, outside);
    w.pruneEmptyDirectories(leafLink.toString()); // a link given as the path is left alone
    assertThat(Files.isSymbolicLink(leafLink)).isTrue();
    assertThat(Files.isDirectory(outside)).isTrue();
  }

  @Test
  void makeDirectoryMakesParentsAndMode0750AndKeepsExisting() throws IOException {
    FileSystemVolumeWriter w = new FileSystemVolumeWriter(root);
    for (String leaf : new String[] {"x/y/globalmount", "x/z/globalmount"}) {
      Path dir = root.resolve("plugins").resolve(leaf);
      w.makeDirectory(dir.toString());
      assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(FileSystemVolumeWriter.perms(0750));
      Files.writeString(dir.resolve("f"), "kept");
      w.makeDirectory(dir.toString()); // exists: nothing changes
      assertThat(Files.readString(dir.resolve("f"))).isEqualTo("kept");
    }
    Path file = Files.writeString(root.resolve("plugins/file"), "");
    assertThatThrownBy(() -> w.makeDirectory(file.toString())).isInstanceOf(IOException.class);
  }

  @Test
  void payloadToStringHidesContents() {
    assertThat(file("s3cret", 0644).toString()).doesNotContain("s3cret");
    assertThat(atomic(Map.of("password", file("s3cret", 0644))).toString()).doesNotContain("s3cret");
  }
}
