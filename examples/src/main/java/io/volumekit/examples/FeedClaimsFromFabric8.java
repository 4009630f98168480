package io.volumekit.examples;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.fabric8.Conversion;
import io.volumekit.fabric8.Fabric8;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Objects read with fabric8's {@code Serialization} feed the engine: an application that already
 * holds fabric8 objects (from its own client, files or tests) converts them with {@link Fabric8} and
 * lets volumekit bind and provision, then hands the results back to fabric8.
 *
 * <p>The manifest's {@code logs} claim sets {@code spec.resources.claims}, which volumekit does not
 * model: the conversion names that field, and the example prints it instead of losing it silently.
 *
 * <pre>
 * mvn -q -pl examples compile exec:java -Dexec.mainClass=io.volumekit.examples.FeedClaimsFromFabric8
 * </pre>
 */
public final class FeedClaimsFromFabric8 {

  /**
   * What the example saw.
   *
   * @param phaseOfClaim each claim's phase after settling
   * @param unmappedFields each object's fields volumekit could not hold (only those with some)
   * @param boundYaml the bound claims as fabric8 objects, written by fabric8's Serialization
   */
  public record Outcome(Map<String, String> phaseOfClaim, Map<String, List<String>> unmappedFields, String boundYaml) {}

  private FeedClaimsFromFabric8() {}

  /** Runs the example, printing to standard output. */
  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the example, printing to {@code out}. */
  public static Outcome run(PrintStream out) {
    // 1. fabric8 reads the manifest (a kind: List) into its own model.
    KubernetesList list;
    try (InputStream in = FeedClaimsFromFabric8.class.getResourceAsStream("fabric8-claims.yaml")) {
      list = Serialization.unmarshal(in, KubernetesList.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    // 2. An engine with the in-memory CSI driver; each fabric8 object is converted and applied.
    VolumeKit kit = VolumeKit.builder()
        .driver("memory.csi.volumekit.io", new InMemoryCsiDriver())
        .node("node-1")
        .deterministic(7)
        .build();
    Map<String, List<String>> unmapped = new LinkedHashMap<>();
    for (HasMetadata item : list.getItems()) {
      Conversion<ApiObject> c = Fabric8.toVolumekit(item);
      if (!c.complete()) {
        String name = item.getKind() + "/" + item.getMetadata().getName();
        unmapped.put(name, c.unmappedFields());
        out.println("note: " + name + ": volumekit does not model " + String.join(", ", c.unmappedFields()));
      }
      kit.apply(c.value());
    }

    // 3. The controllers bind and provision.
    kit.settle();

    // 4. The results go back to fabric8's model, and fabric8 writes them.
    Map<String, String> phases = new LinkedHashMap<>();
    StringBuilder yaml = new StringBuilder();
    for (PersistentVolumeClaim claim : kit.list(PersistentVolumeClaim.class)) {
      String phase = claim.status().phase().orElse("");
      phases.put(claim.metadata().name(), phase);
      out.println("persistentvolumeclaim/" + claim.metadata().name() + " " + phase
          + " to " + claim.spec().volumeName().orElse("(none)"));
      io.fabric8.kubernetes.api.model.PersistentVolumeClaim back = Fabric8.toFabric8(claim).orThrow();
      yaml.append(Serialization.asYaml(back));
    }
    return new Outcome(phases, unmapped, yaml.toString());
  }
}
