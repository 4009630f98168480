package io.volumekit.csi.hostpath;

import com.google.common.collect.Lists;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Test cleanup: no bind mount a test made may outlive it, whether it passed or failed. */
final class Mounts {
  private Mounts() {}

  /** Lazily unmounts every mount at or below {@code dir}, newest first; returns what it unmounted. */
  static List<String> unmountAllUnder(Path dir) throws IOException, InterruptedException {
    List<String> left = MountTable.read().mountPointsUnder(dir);
    for (String mountPoint : Lists.reverse(left)) {
      Process p = new ProcessBuilder("umount", "-l", mountPoint).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor();
    }
    return left;
  }
}
