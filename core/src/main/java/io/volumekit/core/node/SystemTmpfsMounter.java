package io.volumekit.core.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link TmpfsMounter}: runs {@code mount -t tmpfs -o size=<bytes> tmpfs <dir>} and
 * {@code umount <dir>}, as the kubelet's mounter does, and reads {@code /proc/self/mountinfo} to
 * know whether a directory is a tmpfs mount point (the kubelet's {@code GetMountMedium}).
 */
final class SystemTmpfsMounter implements TmpfsMounter {

  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final long TIMEOUT_SECONDS = 30;

  @Override
  public void mount(Path dir, OptionalLong sizeBytes) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("mount", "-t", "tmpfs"));
    if (sizeBytes.isPresent()) {
      cmd.add("-o");
      cmd.add("size=" + sizeBytes.getAsLong());
    }
    cmd.add("tmpfs");
    cmd.add(dir.toString());
    run(cmd);
  }

  @Override
  public boolean isTmpfsMountPoint(Path dir) throws IOException {
    if (!Files.isReadable(MOUNTINFO)) {
      return false;
    }
    String target = dir.toAbsolutePath().normalize().toString();
    for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
      // <id> <parent> <maj:min> <root> <mount point> <options> [optional...] - <fstype> <source> <super options>
      String[] f = line.split(" ");
      int dash = line.indexOf(" - ");
      if (f.length < 5 || dash < 0) {
        continue;
      }
      String fsType = line.substring(dash + 3).split(" ")[0];
      if (fsType.equals("tmpfs") && unescape(f[4]).equals(target)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void unmount(Path dir) throws IOException {
    run(List.of("umount", dir.toString()));
  }

  /** Decodes mountinfo's octal escapes ({@code \040} for a space...). */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        try {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
          i += 3;
          continue;
        } catch (NumberFormatException ignored) {
          // not an escape
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  private static void run(List<String> cmd) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(cmd.get(0) + " could not be run: " + e.getMessage(), e);
    }
    try {
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed (exit status " + p.exitValue() + "): " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException(cmd.get(0) + " interrupted", e);
    }
  }
}
