package io.volumekit.cli.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * What a kubelet reports about its machine in the Node's status, read from the machine the
 * command runs on: capacity (CPUs, memory from {@code /proc/meminfo}, ephemeral storage of the
 * state's file system, 110 pods, no huge pages), and the system info (kernel, OS image from
 * {@code /etc/os-release}, architecture). Every simulated node runs on this one machine, so the ids
 * (machine id, system UUID) are derived from the node name to tell the nodes apart; the kubelet
 * version names the Kubernetes release whose behaviour volumekit follows, marked as volumekit's.
 */
final class MachineInfo {

  /** The kubelet version the nodes report. */
  static final String KUBELET_VERSION = "v1.34.0-volumekit";
  /** The container runtime the nodes report: volumekit runs no containers. */
  static final String CONTAINER_RUNTIME = "volumekit://" + Optional.ofNullable(
      MachineInfo.class.getPackage().getImplementationVersion()).orElse("0.1.0");
  /** The maximum number of pods a kubelet accepts by default ({@code --max-pods}). */
  static final String MAX_PODS = "110";

  private final Path stateDir;

  MachineInfo(Path stateDir) {
    this.stateDir = stateDir;
  }

  /** Fills {@code status.capacity} and {@code status.allocatable} (the same: nothing is reserved). */
  void putCapacity(ObjectNode status) {
    ObjectNode capacity = status.putObject("capacity");
    capacity.put("cpu", Integer.toString(Runtime.getRuntime().availableProcessors()));
    capacity.put("ephemeral-storage", ephemeralStorageKi() + "Ki");
    capacity.put("hugepages-1Gi", "0");
    capacity.put("hugepages-2Mi", "0");
    capacity.put("memory", memoryKi() + "Ki");
    capacity.put("pods", MAX_PODS);
    status.set("allocatable", capacity.deepCopy());
  }

  /** Fills {@code status.nodeInfo} for the node. */
  void putNodeInfo(ObjectNode status, String node) {
    ObjectNode info = status.putObject("nodeInfo");
    info.put("machineID", UUID.nameUUIDFromBytes(("machine/" + node).getBytes(StandardCharsets.UTF_8))
        .toString().replace("-", ""));
    info.put("systemUUID", UUID.nameUUIDFromBytes(("system/" + node).getBytes(StandardCharsets.UTF_8)).toString());
    info.put("bootID", firstLine(Path.of("/proc/sys/kernel/random/boot_id"))
        .orElseGet(() -> UUID.nameUUIDFromBytes(("boot/" + node).getBytes(StandardCharsets.UTF_8)).toString()));
    info.put("kernelVersion", System.getProperty("os.version", ""));
    info.put("osImage", osImage());
    info.put("containerRuntimeVersion", CONTAINER_RUNTIME);
    info.put("kubeletVersion", KUBELET_VERSION);
    info.put("kubeProxyVersion", "");
    info.put("operatingSystem", System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT));
    info.put("architecture", architecture(System.getProperty("os.arch", "")));
  }

  /** Go's GOARCH names for the JVM's {@code os.arch}. */
  static String architecture(String osArch) {
    return switch (osArch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      default -> osArch;
    };
  }

  private long ephemeralStorageKi() {
    try {
      Path p = stateDir;
      while (p != null && !Files.exists(p)) {
        p = p.getParent();
      }
      return p == null ? 0 : Files.getFileStore(p).getTotalSpace() / 1024;
    } catch (IOException e) {
      return 0;
    }
  }

  private static long memoryKi() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: the JVM's view below
    }
    return Runtime.getRuntime().maxMemory() / 1024;
  }

  private static String osImage() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring("PRETTY_NAME=".length()).replace("\"", "");
        }
      }
    } catch (IOException e) {
      // no os-release: the JVM's name below
    }
    return System.getProperty("os.name", "");
  }

  private static Optional<String> firstLine(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(0).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
