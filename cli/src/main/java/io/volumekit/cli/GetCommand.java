package io.volumekit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.cli.error.CliException;
import io.volumekit.cli.kind.ResourceArgs;
import io.volumekit.model.meta.KindInfo;
import io.volumekit.cli.print.OutputFormat;
import io.volumekit.cli.print.TablePrinter;
import io.volumekit.cli.print.TabWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code volumekit get KIND[,KIND][/NAME] [NAME...]}: kubectl's {@code get} over the state.
 *
 * <p>Tables follow kubectl's columns per kind, one table per kind with {@code kind/name} names
 * when several kinds are shown; found objects print before the NotFound errors of missing ones;
 * an empty result says so on stderr (docs/cli.md, "Output and messages").
 */
@Command(name = "get", description = "Display one or many objects.", mixinStandardHelpOptions = true)
final class GetCommand implements Callable<Integer> {

  @ParentCommand VolumekitCommand root;

  @Mixin GlobalOptions global;

  @Parameters(paramLabel = "KIND[/NAME]|NAME", arity = "0..*", description = "What to get.")
  List<String> args = new ArrayList<>();

  @Mixin NamespaceOption namespace;

  @Option(names = {"-A", "--all-namespaces"}, description = "List objects of every namespace.")
  boolean allNamespaces;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "wide, yaml, json or name.")
  String output;

  @Option(names = "--no-headers", description = "Omit the table headers.")
  boolean noHeaders;

  @Option(names = "--ignore-not-found", description = "Treat missing objects as no error.")
  boolean ignoreNotFound;

  @Option(names = {"-w", "--watch"},
      description = "After listing, watch for changes: one row per object that changed, appeared or was deleted.")
  boolean watch;

  @Option(names = "--max-changes", paramLabel = "N",
      description = "With --watch, stop after N changes (default: until interrupted).")
  Integer maxChanges;

  @Override
  public Integer call() {
    VolumekitCommand.Context ctx = root.context;
    OutputFormat format = OutputFormat.parse(Optional.ofNullable(output));
    ResourceArgs request = ResourceArgs.parse(args, ctx.kinds(), "get");
    String ns = namespace.orDefault();
    if (allNamespaces && request.requests().stream().anyMatch(r -> r.name().isPresent())) {
      throw CliException.usage("a resource cannot be retrieved by name across all namespaces");
    }
    if (!watch) {
      return list(ctx, format, request, ns, new ArrayList<>());
    }
    if (maxChanges != null && maxChanges < 0) {
      throw CliException.usage("--max-changes must be 0 or more");
    }
    GlobalOptions g = root.global.overriddenBy(global);
    if (g.etcd().isPresent()) {
      throw CliException.usage("--watch follows the saves of a state directory; with --store it is not supported yet");
    }
    java.nio.file.Path dir = io.volumekit.cli.state.StateDirectory.resolve(Optional.ofNullable(g.state), ctx.env());
    try (StateWatch w = new StateWatch(dir, request, ns, allNamespaces)) {
      List<ObjectNode> listed = new ArrayList<>();
      int code = list(ctx, format, request, ns, listed);
      if (code != 0) {
        return code;
      }
      w.baseline(listed);
      w.follow(Optional.ofNullable(maxChanges), changes -> printChanges(ctx, format, changes));
      return 0;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot watch the state in " + dir, e);
    }
  }

  /** Lists the request once; {@code listed} receives the objects printed. */
  private int list(VolumekitCommand.Context ctx, OutputFormat format, ResourceArgs request, String ns,
      List<ObjectNode> listed) {
    return root.withCluster(global, true, cluster -> {
      Map<KindInfo, List<ObjectNode>> found = new LinkedHashMap<>();
      List<String> errors = new ArrayList<>();
      for (ResourceArgs.Request r : request.requests()) {
        List<ObjectNode> bucket = found.computeIfAbsent(r.kind(), k -> new ArrayList<>());
        if (r.name().isPresent()) {
          String objectNs = r.kind().namespaced() ? ns : "";
          Optional<ObjectNode> o = cluster.get(r.kind(), objectNs, r.name().get());
          if (o.isPresent()) {
            bucket.add(o.get());
          } else if (!ignoreNotFound) {
            errors.add(CliException.notFoundLine(r.kind(), r.name().get()));
          }
        } else {
          bucket.addAll(cluster.list(r.kind(), ns, allNamespaces));
        }
      }
      print(ctx, format, request, found, ns, cluster.now());
      found.values().forEach(listed::addAll);
      if (!errors.isEmpty()) {
        throw CliException.of(CliException.REFUSED, errors);
      }
      return 0;
    });
  }

  /**
   * One watch batch, as kubectl prints watch events: a table row per object without the header
   * (laid out against the header, so the columns line up with the first listing's), or the
   * object in the output format.
   */
  private void printChanges(VolumekitCommand.Context ctx, OutputFormat format, List<StateWatch.Change> changes) {
    if (!format.isTable()) {
      for (StateWatch.Change c : changes) {
        ctx.out().print(format.render(List.of(c.object()), true, ctx.kinds()));
      }
      ctx.out().flush();
      return;
    }
    boolean kinds = changes.stream().map(StateWatch.Change::kind).distinct().count() > 1 || args.stream().anyMatch(a -> a.contains(","));
    TablePrinter printer = new TablePrinter(format == OutputFormat.WIDE, allNamespaces, kinds);
    java.time.Instant now = java.time.Clock.systemUTC().instant();
    for (StateWatch.Change c : changes) {
      String table = TabWriter.table().format(printer.tabbed(c.kind(), List.of(c.object()), now));
      ctx.out().print(table.substring(table.indexOf('\n') + 1));
    }
    ctx.out().flush();
  }

  private void print(VolumekitCommand.Context ctx, OutputFormat format, ResourceArgs request,
      Map<KindInfo, List<ObjectNode>> found, String ns, java.time.Instant now) {
    List<ObjectNode> all = found.values().stream().flatMap(List::stream).toList();
    if (!format.isTable()) {
      ctx.out().print(format.render(all, request.singleItem(), ctx.kinds()));
      return;
    }
    if (all.isEmpty()) {
      boolean anyListed = request.requests().stream().anyMatch(r -> r.name().isEmpty());
      if (anyListed && !ignoreNotFound) {
        boolean namespaced = request.kinds().stream().anyMatch(KindInfo::namespaced);
        ctx.err().println(VolumekitCommand.noResourcesFound(namespaced && !allNamespaces, ns));
      }
      return;
    }
    long kindsShown = found.values().stream().filter(l -> !l.isEmpty()).count();
    TablePrinter printer = new TablePrinter(format == OutputFormat.WIDE, allNamespaces, kindsShown > 1);
    StringBuilder tabbed = new StringBuilder();
    for (Map.Entry<KindInfo, List<ObjectNode>> e : found.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      String table = printer.tabbed(e.getKey(), new ArrayList<>(e.getValue()), now);
      if (noHeaders) {
        table = table.substring(table.indexOf('\n') + 1);
      }
      if (tabbed.length() > 0) {
        tabbed.append('\n');
      }
      tabbed.append(table);
    }
    ctx.out().print(TabWriter.table().format(tabbed.toString()));
  }
}
