package io.volumekit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.cli.describe.Describer;
import io.volumekit.cli.error.CliException;
import io.volumekit.cli.kind.ResourceArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code volumekit describe KIND/NAME | KIND [NAME]}: an object's important fields and its events.
 *
 * <p>Like kubectl, {@code describe KIND NAME} with a name that matches no object describes every
 * object of the kind whose name starts with it, and NotFound is reported only when none does
 * (kubectl describe's layout and NotFound errors).
 */
@Command(name = "describe", description = "Show details of objects, with their events.", mixinStandardHelpOptions = true)
final class DescribeCommand implements Callable<Integer> {

  @ParentCommand VolumekitCommand root;

  @Mixin GlobalOptions global;

  @Parameters(paramLabel = "KIND[/NAME]|NAME", arity = "0..*", description = "What to describe.")
  List<String> args = new ArrayList<>();

  @Mixin NamespaceOption namespace;

  @Option(names = {"-A", "--all-namespaces"}, description = "Describe objects of every namespace.")
  boolean allNamespaces;

  @Override
  public Integer call() {
    VolumekitCommand.Context ctx = root.context;
    ResourceArgs request = ResourceArgs.parse(args, ctx.kinds(), "describe");
    String ns = namespace.orDefault();
    boolean prefixMatch = args.size() == 2 && !args.get(0).contains("/"); // kubectl's DescribeMatchingResources
    return root.withCluster(global, true, cluster -> {
      Describer describer = new Describer(kind -> ctx.kinds().byKind(kind).map(cluster::list).orElse(List.of()));
      List<String> texts = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (ResourceArgs.Request r : request.requests()) {
        List<ObjectNode> inScope = cluster.list(r.kind(), ns, allNamespaces);
        List<ObjectNode> matches;
        if (r.name().isEmpty()) {
          matches = inScope;
          if (matches.isEmpty()) {
            ctx.err().println(VolumekitCommand.noResourcesFound(r.kind().namespaced() && !allNamespaces, ns));
          }
        } else {
          String name = r.name().get();
          Optional<ObjectNode> exact = inScope.stream().filter(o -> name.equals(nameOf(o))).findFirst();
          matches = exact.map(List::of).orElseGet(() -> !prefixMatch ? List.of()
              : inScope.stream().filter(o -> nameOf(o).startsWith(name)).toList());
          if (matches.isEmpty()) {
            errors.add(CliException.notFoundLine(r.kind(), name));
          }
        }
        for (ObjectNode o : matches) {
          texts.add(describer.describe(r.kind(), o, cluster.now()));
        }
      }
      ctx.out().print(String.join("\n\n", texts));
      if (!errors.isEmpty()) {
        throw CliException.of(CliException.REFUSED, errors);
      }
      return 0;
    });
  }

  private static String nameOf(ObjectNode o) {
    return o.path("metadata").path("name").asText("");
  }
}
