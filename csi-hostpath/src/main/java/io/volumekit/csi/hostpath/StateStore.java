package io.volumekit.csi.hostpath;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the per-volume, per-snapshot and per-group-snapshot JSON files under {@code <dataDir>/state}. Every
 * write goes to a temporary file in the same directory, is forced to disk, and is renamed over the
 * old file, so a crash leaves either the old or the new state, never a torn file.
 */
final class StateStore {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path volumesDir;
  private final Path snapshotsDir;
  private final Path groupsDir;
  private final Syscalls sys;

  StateStore(Path dataDir, Syscalls sys) {
    this.sys = sys;
    this.volumesDir = dataDir.resolve("state").resolve("volumes");
    this.snapshotsDir = dataDir.resolve("state").resolve("snapshots");
    this.groupsDir = dataDir.resolve("state").resolve("groups");
    try {
      Files.createDirectories(volumesDir);
      Files.createDirectories(snapshotsDir);
      Files.createDirectories(groupsDir);
      for (Path dir : List.of(volumesDir, snapshotsDir, groupsDir)) {
        try (DirectoryStream<Path> partial = Files.newDirectoryStream(dir, "*.tmp")) {
          for (Path f : partial) {
            Files.delete(f); // a write interrupted before its rename: the old file is intact
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create state directories under " + dataDir, e);
    }
  }

  List<StateRecords.Vol> loadVolumes() {
    return load(volumesDir, StateRecords.Vol.class);
  }

  List<StateRecords.Snap> loadSnapshots() {
    return load(snapshotsDir, StateRecords.Snap.class);
  }

  List<StateRecords.Group> loadGroups() {
    return load(groupsDir, StateRecords.Group.class);
  }

  void save(StateRecords.Vol v) {
    write(volumesDir.resolve(v.id() + ".json"), v);
  }

  void save(StateRecords.Snap s) {
    write(snapshotsDir.resolve(s.id() + ".json"), s);
  }

  void save(StateRecords.Group g) {
    write(groupsDir.resolve(g.id() + ".json"), g);
  }

  void deleteGroup(String id) {
    delete(groupsDir.resolve(id + ".json"));
  }

  void deleteVolume(String id) {
    delete(volumesDir.resolve(id + ".json"));
  }

  void deleteSnapshot(String id) {
    delete(snapshotsDir.resolve(id + ".json"));
  }

  private static <T> List<T> load(Path dir, Class<T> type) {
    List<T> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        out.add(JSON.readValue(f.toFile(), type));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read driver state in " + dir, e);
    }
    return out;
  }

  private void write(Path file, Object value) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      sys.writeSynced(tmp, JSON.writeValueAsBytes(value));
      sys.rename(tmp, file);
    } catch (IOException e) {
      throw new CsiException(CsiCode.INTERNAL, "cannot write driver state " + file + ": " + e.getMessage(), e);
    }
  }

  private void delete(Path file) {
    try {
      sys.delete(file);
    } catch (IOException e) {
      throw new CsiException(CsiCode.INTERNAL, "cannot delete driver state " + file + ": " + e.getMessage(), e);
    }
  }
}
