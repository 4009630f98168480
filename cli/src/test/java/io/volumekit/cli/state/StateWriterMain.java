package io.volumekit.cli.state;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate process for the crash and locking tests: locks the state given as the first argument
 * and saves it over and over, each version a self-consistent set of objects, printing {@code
 * wrote N} after each completed save. Runs until killed.
 */
public final class StateWriterMain {

  private StateWriterMain() {}

  public static void main(String[] args) {
    try (StateDirectory dir = StateDirectory.open(Path.of(args[0]), Duration.ofSeconds(30))) {
      for (long n = 1; ; n++) {
        ObjectFile.save(dir, n, version(n), JsonNodeFactory.instance.arrayNode().add(n));
        System.out.println("wrote " + n);
        System.out.flush();
      }
    }
  }

  /** The objects of version {@code n}: 200 objects that all carry {@code n}. */
  static List<ObjectNode> version(long n) {
    List<ObjectNode> objects = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("apiVersion", "v1").put("kind", "ConfigMap");
      o.putObject("metadata").put("name", "cm-" + i).put("namespace", "default");
      o.putObject("data").put("version", Long.toString(n)).put("padding", "x".repeat(500));
      objects.add(o);
    }
    return objects;
  }
}
