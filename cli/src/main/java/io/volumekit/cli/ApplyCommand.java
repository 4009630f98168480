package io.volumekit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.cli.apply.ApplyMerge;
import io.volumekit.cli.apply.Manifests;
import io.volumekit.cli.cluster.Cluster;
import io.volumekit.cli.error.CliException;
import io.volumekit.model.meta.KindInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code volumekit apply -f FILE|DIR|-}: creates or updates the objects of manifests, then lets the
 * engine settle.
 *
 * <p>Mirrors client-side {@code kubectl apply} (three-way merge over the last-applied annotation,
 * {@code created}/{@code configured}/{@code unchanged} lines, as kubectl apply prints them) with one
 * difference: all objects are applied or none. When any object is refused, every refusal is
 * printed, the exit code is 1 and the state is left as it was.
 */
@Command(name = "apply", description = "Create or update objects from manifests.", mixinStandardHelpOptions = true)
final class ApplyCommand implements Callable<Integer> {

  @ParentCommand VolumekitCommand root;

  @Mixin GlobalOptions global;

  @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR|-", description = "Manifests to apply (repeatable).")
  List<String> files = new ArrayList<>();

  @Mixin NamespaceOption namespace;

  @Option(names = {"-o", "--output"}, paramLabel = "name", description = "Print only kind/name of each object.")
  String output;

  @Option(names = "--no-settle", description = "Return without running the engine until it is quiescent.")
  boolean noSettle;

  @Override
  public Integer call() {
    VolumekitCommand.Context ctx = root.context;
    if (files.isEmpty()) {
      throw CliException.usage("must specify -f FILE, -f DIR or -f - (standard input)");
    }
    if (output != null && !output.equals("name")) {
      throw CliException.usage("unable to match a printer suitable for the output format \"" + output
          + "\", allowed formats are: name");
    }
    List<Manifests.Manifest> manifests = Manifests.read(files, ctx.in());
    if (manifests.isEmpty()) {
      throw CliException.error("no objects passed to apply");
    }
    return root.withCluster(global, cluster -> {
      List<String> lines = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (Manifests.Manifest m : manifests) {
        try {
          lines.add(apply(cluster, m));
        } catch (CliException e) {
          errors.addAll(e.lines());
        }
      }
      if (!errors.isEmpty()) {
        throw CliException.of(CliException.REFUSED, errors);
      }
      if (!noSettle) {
        root.settle(cluster);
      }
      lines.forEach(ctx.out()::println);
      return 0;
    });
  }

  private String apply(Cluster cluster, Manifests.Manifest m) {
    ObjectNode manifest = m.object().deepCopy();
    String apiVersion = manifest.path("apiVersion").asText();
    String kindName = manifest.path("kind").asText();
    ObjectNode meta = manifest.withObjectProperty("metadata");
    String name = meta.path("name").asText("");
    String manifestNs = meta.path("namespace").asText("");
    KindInfo kind = root.context.kinds().byApiVersionAndKind(apiVersion, kindName).orElseThrow(() ->
        CliException.of(CliException.REFUSED, List.of(
            "error: resource mapping not found for name: \"" + name + "\" namespace: \"" + manifestNs + "\" from \""
                + m.source() + "\": no matches for kind \"" + kindName + "\" in version \"" + apiVersion + "\"",
            "ensure CRDs are installed first")));
    if (name.isEmpty()) {
      throw CliException.error(meta.has("generateName")
          ? "from " + m.source() + ": cannot use generate name with apply"
          : "error when retrieving current configuration of " + kind.qualifiedResource() + " from \""
              + m.source() + "\": resource name may not be empty");
    }
    String ns = "";
    if (kind.namespaced()) {
      if (namespace.given() && !manifestNs.isEmpty() && !manifestNs.equals(namespace.orDefault())) {
        throw CliException.error("the namespace from the provided object \"" + manifestNs
            + "\" does not match the namespace \"" + namespace.orDefault() + "\". You must pass '--namespace=" + manifestNs
            + "' to perform this operation.");
      }
      ns = !manifestNs.isEmpty() ? manifestNs : namespace.orDefault();
      meta.put("namespace", ns);
    } else {
      meta.remove("namespace");
    }
    ObjectNode desired = ApplyMerge.withLastApplied(manifest);
    String prefix = kind.qualifiedKindLower() + "/" + name;
    boolean namesOnly = "name".equals(output);
    Optional<ObjectNode> live = cluster.get(kind, ns, name);
    if (live.isEmpty()) {
      cluster.write(kind, desired, true, m.source());
      return namesOnly ? prefix : prefix + " created";
    }
    ObjectNode merged = ApplyMerge.merge(live.get(), desired);
    if (merged.equals(live.get())) {
      return namesOnly ? prefix : prefix + " unchanged";
    }
    ObjectNode stored = cluster.write(kind, merged, false, m.source());
    boolean changed = !stored.path("metadata").path("resourceVersion").equals(live.get().path("metadata").path("resourceVersion"));
    return namesOnly ? prefix : prefix + (changed ? " configured" : " unchanged");
  }
}
