package io.volumekit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.cli.apply.Manifests;
import io.volumekit.cli.error.CliException;
import io.volumekit.cli.kind.ResourceArgs;
import io.volumekit.model.meta.KindInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code volumekit delete KIND/NAME | KIND NAME... | -f FILE}: requests deletion, then lets the
 * engine settle so finalizers run (as kubectl waits for the object to go).
 *
 * <p>Success lines are kubectl 1.34's: {@code persistentvolumeclaim "data" deleted from default
 * namespace}, {@code storageclass.storage.k8s.io "fast" deleted} (kubectl's delete output).
 * When any named object is missing, every NotFound is printed, the exit code is 1 and nothing is
 * deleted.
 */
@Command(name = "delete", description = "Delete objects by kind and name or by manifest.", mixinStandardHelpOptions = true)
final class DeleteCommand implements Callable<Integer> {

  @ParentCommand VolumekitCommand root;

  @Mixin GlobalOptions global;

  @Parameters(paramLabel = "KIND[/NAME]|NAME", arity = "0..*", description = "What to delete.")
  List<String> args = new ArrayList<>();

  @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR|-", description = "Delete the objects of these manifests.")
  List<String> files = new ArrayList<>();

  @Mixin NamespaceOption namespace;

  @Option(names = "--all", description = "Delete every object of the kind in the namespace.")
  boolean all;

  @Option(names = "--ignore-not-found", description = "Treat missing objects as no error.")
  boolean ignoreNotFound;

  @Option(names = "--no-settle", description = "Return without running the engine until it is quiescent.")
  boolean noSettle;

  private record Target(KindInfo kind, String namespace, String name) {}

  @Override
  public Integer call() {
    VolumekitCommand.Context ctx = root.context;
    String ns = namespace.orDefault();
    if (!files.isEmpty() && !args.isEmpty()) {
      throw CliException.usage("when paths are given with -f, no resource arguments may be given");
    }
    List<Target> named = new ArrayList<>();
    List<KindInfo> wholeKinds = new ArrayList<>();
    if (!files.isEmpty()) {
      for (Manifests.Manifest m : Manifests.read(files, ctx.in())) {
        ObjectNode o = m.object();
        KindInfo kind = ctx.kinds().byApiVersionAndKind(o.path("apiVersion").asText(), o.path("kind").asText())
            .orElseThrow(() -> CliException.error("resource mapping not found for name: \""
                + o.path("metadata").path("name").asText("") + "\" from \"" + m.source() + "\": no matches for kind \""
                + o.path("kind").asText() + "\" in version \"" + o.path("apiVersion").asText() + "\""));
        String objectNs = kind.namespaced() ? o.path("metadata").path("namespace").asText(ns) : "";
        named.add(new Target(kind, objectNs.isEmpty() && kind.namespaced() ? ns : objectNs,
            o.path("metadata").path("name").asText("")));
      }
    } else {
      ResourceArgs request = ResourceArgs.parse(args, ctx.kinds(), "delete");
      for (ResourceArgs.Request r : request.requests()) {
        if (r.name().isPresent()) {
          named.add(new Target(r.kind(), r.kind().namespaced() ? ns : "", r.name().get()));
        } else if (all) {
          wholeKinds.add(r.kind());
        } else {
          throw CliException.usage("resource(s) were provided, but no name was specified");
        }
      }
    }
    return root.withCluster(global, cluster -> {
      List<Target> targets = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (Target t : named) {
        if (cluster.get(t.kind(), t.namespace(), t.name()).isPresent()) {
          targets.add(t);
        } else if (!ignoreNotFound) {
          errors.add(CliException.notFoundLine(t.kind(), t.name()));
        }
      }
      for (KindInfo k : wholeKinds) {
        cluster.list(k, ns, false)
            .forEach(o -> targets.add(new Target(k, k.namespaced() ? ns : "", o.path("metadata").path("name").asText())));
      }
      if (!errors.isEmpty()) {
        throw CliException.of(CliException.REFUSED, errors);
      }
      if (targets.isEmpty() && !wholeKinds.isEmpty()) {
        ctx.out().println("No resources found");
        return 0;
      }
      List<String> lines = new ArrayList<>();
      for (Target t : targets) {
        cluster.delete(t.kind(), t.namespace(), t.name());
        lines.add(t.kind().qualifiedKindLower() + " \"" + t.name() + "\" deleted"
            + (t.kind().namespaced() ? " from " + t.namespace() + " namespace" : ""));
      }
      if (!noSettle) {
        root.settle(cluster);
      }
      lines.forEach(ctx.out()::println);
      return 0;
    });
  }
}
