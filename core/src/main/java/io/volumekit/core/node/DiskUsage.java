package io.volumekit.core.node;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * What a volume's tree holds, as the kubelet's {@code MetricsDu} measures an emptyDir (a directory
 * or a tmpfs) for its volume statistics: a walk that follows no symbolic link, adding the size of
 * every regular file, a file with several hard links once. Unlike {@code du}, sizes are the files'
 * lengths, not the blocks allocated to them (Java does not expose {@code st_blocks}): a sparse file
 * counts its length, a directory nothing.
 */
final class DiskUsage {

  private DiskUsage() {}

  /** The bytes below {@code top}; 0 when it does not exist. Files removed during the walk are skipped. */
  static long usedBytes(Path top) throws IOException {
    if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    long[] total = {0};
    Set<Object> seen = new HashSet<>();
    Files.walkFileTree(top, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        Object key = attrs.fileKey();
        if (attrs.isRegularFile() && (key == null || seen.add(key))) {
          total[0] += attrs.size();
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE; // removed while we walked
        }
        throw e;
      }
    });
    return total[0];
  }
}
