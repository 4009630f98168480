package io.volumekit.csi.hostpath;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real {@link Syscalls}, counting every change it makes to the host; armed, it throws a
 * {@link SimulatedCrash} instead of making the k-th change (or the first of a given kind), as if
 * the driver process had been killed right there. Steps before it happened; it and the ones after
 * did not. Reading the mount table is not a step.
 */
final class CrashingSyscalls implements Syscalls {
  /** The driver was "killed": an Error, so no {@code catch (RuntimeException)} in the driver hides it. */
  static final class SimulatedCrash extends Error {
    SimulatedCrash(String where) {
      super("simulated crash before " + where);
    }
  }

  private final Syscalls real = Syscalls.linux();
  private final List<String> log = new ArrayList<>();
  private int steps;
  private int crashAt = -1;
  private String crashBefore = "";

  /** Crash before the {@code k}-th step from now (0: the next one). */
  void crashAtStep(int k) {
    steps = 0;
    log.clear();
    crashAt = k;
    crashBefore = "";
  }

  /** Crash before the next step of kind {@code op} (a method name, e.g. "writeSynced"). */
  void crashBefore(String op) {
    crashAt = -1;
    crashBefore = op;
  }

  void disarm() {
    crashAt = -1;
    crashBefore = "";
  }

  /** The steps made since {@link #crashAtStep}, as "op path". */
  List<String> log() {
    return List.copyOf(log);
  }

  private void step(String op, Path path) {
    if (steps == crashAt || op.equals(crashBefore)) {
      disarm();
      throw new SimulatedCrash(op + " " + path + " (step " + steps + ")");
    }
    steps++;
    log.add(op + " " + path);
  }

  @Override
  public void createDirectory(Path dir) throws IOException {
    step("createDirectory", dir);
    real.createDirectory(dir);
  }

  @Override
  public void createSymbolicLink(Path link, Path target) throws IOException {
    step("createSymbolicLink", link);
    real.createSymbolicLink(link, target);
  }

  @Override
  public void delete(Path path) throws IOException {
    step("delete", path);
    real.delete(path);
  }

  @Override
  public void writeSynced(Path file, byte[] bytes) throws IOException {
    step("writeSynced", file);
    real.writeSynced(file, bytes);
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    step("rename", to);
    real.rename(from, to);
  }

  @Override
  public void bindMount(Path source, Path target) {
    step("bindMount", target);
    real.bindMount(source, target);
  }

  @Override
  public void remount(Path target, boolean readOnly) {
    step("remount", target);
    real.remount(target, readOnly);
  }

  @Override
  public void unmount(Path target) {
    step("unmount", target);
    real.unmount(target);
  }

  @Override
  public MountTable mountTable() {
    return real.mountTable();
  }
}
