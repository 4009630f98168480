package io.volumekit.core.node;

import static io.volumekit.core.node.FileSystemVolumeWriter.perms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The hostPath plugin's {@code SetUp} type check (Kubernetes {@code checkType} of {@code
 * pkg/volume/hostpath}), for {@link FileSystemVolumeWriter#setUpHostPath}.
 */
final class HostPathChecks {

  private HostPathChecks() {}

  /**
   * Kubernetes' hostPath {@code checkType}, on the host's own path (not confined to the kubelet
   * root: a hostPath volume names a host path). Paths are followed through symbolic links, as
   * {@code os.Stat} does.
   */
  static void setUp(String path, String type) throws IOException {
    Path p = Path.of(path);
    boolean exists = Files.exists(p);
    switch (type) {
      case "DirectoryOrCreate" -> {
        if (!exists) {
          Files.createDirectories(p); // os.MkdirAll(path, 0755)
          Files.setPosixFilePermissions(p, perms(0755));
        } else if (!Files.isDirectory(p)) {
          throw new IOException("hostPath type check failed: " + path + " is not a directory");
        }
      }
      case "Directory" -> {
        if (!Files.isDirectory(p)) {
          throw new IOException("hostPath type check failed: " + path + " is not a directory");
        }
      }
      case "FileOrCreate" -> {
        if (!exists) {
          try {
            Files.createFile(p); // os.OpenFile(path, O_CREATE, 0644): the parent is not created
          } catch (NoSuchFileException e) {
            throw new IOException("open " + path + ": no such file or directory", e);
          }
          Files.setPosixFilePermissions(p, perms(0644));
        } else if (!Files.isRegularFile(p)) {
          throw new IOException("hostPath type check failed: " + path + " is not a file");
        }
      }
      case "File" -> {
        if (!Files.isRegularFile(p)) {
          throw new IOException("hostPath type check failed: " + path + " is not a file");
        }
      }
      case "Socket" -> requireFileType(p, path, 0140000, "is not a socket file");
      case "CharDevice" -> requireFileType(p, path, 0020000, "is not a character device");
      case "BlockDevice" -> requireFileType(p, path, 0060000, "is not a block device");
      default -> throw new IOException(type + " is an invalid volume type");
    }
  }

  /** Fails unless the path exists and its {@code st_mode} file type is {@code expected}. */
  private static void requireFileType(Path p, String path, int expected, String problem) throws IOException {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(p, "unix:mode");
    } catch (NoSuchFileException e) {
      throw new IOException("hostPath type check failed: " + path + " " + problem, e);
    }
    if ((mode & 0170000) != expected) {
      throw new IOException("hostPath type check failed: " + path + " " + problem);
    }
  }
}
