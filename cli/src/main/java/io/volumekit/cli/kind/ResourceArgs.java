package io.volumekit.cli.kind;

import com.google.common.collect.ImmutableList;
import io.volumekit.cli.error.CliException;
import java.util.ArrayList;
import io.volumekit.model.meta.KindInfo;
import java.util.List;
import java.util.Optional;

/**
 * The objects named by the arguments of {@code get}, {@code describe} and {@code delete}: {@code
 * KIND[,KIND]}, {@code KIND NAME...} or {@code KIND/NAME...}.
 *
 * <p>Mirrors kubectl's resource builder argument rules: the two forms cannot be mixed, and a
 * single object was asked for only when exactly one name of one kind was given (which decides
 * whether {@code -o yaml} prints the object or a List, as in kubectl).
 *
 * @param requests what to fetch, in the order given
 * @param singleItem whether exactly one object was named
 */
public record ResourceArgs(ImmutableList<Request> requests, boolean singleItem) {

  /** One kind, and one name or all objects of the kind. */
  public record Request(KindInfo kind, Optional<String> name) {}

  public ResourceArgs {
    requests = ImmutableList.copyOf(requests);
  }

  /** The distinct kinds asked for, in order. */
  public List<KindInfo> kinds() {
    return requests.stream().map(Request::kind).distinct().toList();
  }

  /**
   * Parses the arguments.
   *
   * @param verb the verb, for the usage messages
   * @throws CliException a usage error, or kubectl's unknown-type error
   */
  public static ResourceArgs parse(List<String> args, KindRegistry registry, String verb) {
    if (args.isEmpty()) {
      throw CliException.usage("You must specify the type of resource to " + verb
          + ". Known types: pods (po), persistentvolumeclaims (pvc), persistentvolumes (pv), storageclasses (sc), "
          + "nodes (no), events (ev), volumeattachments, csidrivers, csinodes, volumesnapshots (vs), "
          + "volumesnapshotcontents (vsc), volumesnapshotclasses (vsclass)");
    }
    boolean slashForm = args.stream().anyMatch(a -> a.contains("/"));
    List<Request> requests = new ArrayList<>();
    if (slashForm) {
      for (String a : args) {
        int slash = a.indexOf('/');
        if (slash < 0) {
          throw CliException.usage("there is no need to specify a resource type as a separate argument when passing"
              + " arguments in resource/name form (e.g. 'volumekit " + verb + " resource/<resource_name>' instead of"
              + " 'volumekit " + verb + " resource resource/<resource_name>')");
        }
        String name = a.substring(slash + 1);
        if (name.isEmpty() || name.contains("/")) {
          throw CliException.usage("arguments in resource/name form must have a single resource and name");
        }
        requests.add(new Request(registry.resolve(a.substring(0, slash)), Optional.of(name)));
      }
      return new ResourceArgs(ImmutableList.copyOf(requests), requests.size() == 1);
    }
    List<KindInfo> kinds = registry.resolveAll(args.get(0));
    List<String> names = args.subList(1, args.size());
    for (KindInfo k : kinds) {
      if (names.isEmpty()) {
        requests.add(new Request(k, Optional.empty()));
      } else {
        names.forEach(n -> requests.add(new Request(k, Optional.of(n))));
      }
    }
    return new ResourceArgs(ImmutableList.copyOf(requests), kinds.size() == 1 && names.size() == 1);
  }
}
