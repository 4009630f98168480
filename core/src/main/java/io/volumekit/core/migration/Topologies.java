package io.volumekit.core.migration;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.NodeSelector;
import io.volumekit.model.core.NodeSelectorRequirement;
import io.volumekit.model.core.NodeSelectorTerm;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.TopologySelectorLabelRequirement;
import io.volumekit.model.core.TopologySelectorTerm;
import io.volumekit.model.core.VolumeNodeAffinity;
import io.volumekit.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The topology rules every plugin shares (csi-translation-lib's {@code in_tree_volume.go}): the
 * Kubernetes zone and region labels (GA {@code topology.kubernetes.io/...} or legacy beta {@code
 * failure-domain.beta.kubernetes.io/...}) to a driver's key in a PV's node affinity and back, and
 * the StorageClass {@code zone}/{@code zones} parameters and allowed topologies.
 */
final class Topologies {

  private Topologies() {}

  static final String ZONE = "topology.kubernetes.io/zone";
  static final String REGION = "topology.kubernetes.io/region";
  static final String BETA_ZONE = "failure-domain.beta.kubernetes.io/zone";
  static final String BETA_REGION = "failure-domain.beta.kubernetes.io/region";
  /** Separates the zones of a multi-zone volume in a zone label. */
  static final String MULTI_ZONE_DELIMITER = "__";

  static final String FSTYPE = "fstype";
  static final String CSI_FSTYPE = "csi.storage.k8s.io/fstype";

  /** The zone and region label a PV uses. */
  record Labels(String zone, String region) {}

  /** Computes the region of the given zones (one cloud's naming rule). */
  @FunctionalInterface
  interface RegionParser {
    String region(List<String> zones);
  }

  /**
   * Which labels the PV uses: GA if its node affinity has the GA zone key, beta if it has the beta
   * one, then the same test on its labels; GA when neither says ({@code getTopologyLabel}).
   */
  static Labels labels(PersistentVolume pv) {
    if (keyExists(pv, ZONE)) {
      return new Labels(ZONE, REGION);
    }
    if (keyExists(pv, BETA_ZONE)) {
      return new Labels(BETA_ZONE, BETA_REGION);
    }
    if (pv.metadata().labels().containsKey(ZONE)) {
      return new Labels(ZONE, REGION);
    }
    if (pv.metadata().labels().containsKey(BETA_ZONE)) {
      return new Labels(BETA_ZONE, BETA_REGION);
    }
    return new Labels(ZONE, REGION);
  }

  static List<NodeSelectorTerm> terms(PersistentVolume pv) {
    return pv.spec().nodeAffinity().flatMap(VolumeNodeAffinity::required)
        .map(NodeSelector::nodeSelectorTerms).orElse(ImmutableList.of());
  }

  static boolean keyExists(PersistentVolume pv, String key) {
    for (NodeSelectorTerm t : terms(pv)) {
      for (NodeSelectorRequirement r : t.matchExpressions()) {
        if (r.key().equals(key)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The distinct values of the key's requirements in every term, sorted. */
  static List<String> values(PersistentVolume pv, String key) {
    TreeSet<String> out = new TreeSet<>();
    for (NodeSelectorTerm t : terms(pv)) {
      for (NodeSelectorRequirement r : t.matchExpressions()) {
        if (r.key().equals(key)) {
          out.addAll(r.values());
        }
      }
    }
    return List.copyOf(out);
  }

  static PersistentVolume withTerms(PersistentVolume pv, List<NodeSelectorTerm> terms) {
    return pv.withSpec(pv.spec().withNodeAffinity(Optional.of(
        new VolumeNodeAffinity(Optional.of(new NodeSelector(ImmutableList.copyOf(terms)))))));
  }

  /** Every requirement on {@code oldKey} renamed to {@code newKey} (values kept, no merging). */
  static PersistentVolume replaceKey(PersistentVolume pv, String oldKey, String newKey) {
    if (!keyExists(pv, oldKey)) {
      return pv;
    }
    List<NodeSelectorTerm> out = new ArrayList<>();
    for (NodeSelectorTerm t : terms(pv)) {
      ImmutableList.Builder<NodeSelectorRequirement> rs = ImmutableList.builder();
      for (NodeSelectorRequirement r : t.matchExpressions()) {
        rs.add(r.key().equals(oldKey) ? r.withKey(newKey) : r);
      }
      out.add(t.withMatchExpressions(rs.build()));
    }
    return withTerms(pv, out);
  }

  /** An {@code In} requirement on the key with the zones (trimmed, blanks dropped, sorted) added to every term. */
  static PersistentVolume addRequirement(PersistentVolume pv, String key, List<String> zones) {
    TreeSet<String> clean = new TreeSet<>();
    for (String z : zones) {
      if (!z.trim().isEmpty()) {
        clean.add(z.trim());
      }
    }
    if (clean.isEmpty()) {
      throw new TranslationException("metadata.labels", "there are no valid zones to add to pv");
    }
    NodeSelectorRequirement req = new NodeSelectorRequirement(key, NodeSelectorRequirement.IN, ImmutableList.copyOf(clean));
    List<NodeSelectorTerm> terms = new ArrayList<>(terms(pv));
    if (terms.isEmpty()) {
      terms.add(new NodeSelectorTerm(ImmutableList.of(), ImmutableList.of()));
    }
    List<NodeSelectorTerm> out = new ArrayList<>();
    for (NodeSelectorTerm t : terms) {
      out.add(t.withMatchExpressions(ImmutableList.<NodeSelectorRequirement>builder()
          .addAll(t.matchExpressions()).add(req).build()));
    }
    return withTerms(pv, out);
  }

  /**
   * In-tree to CSI ({@code translateTopologyFromInTreeToCSI}): a zone requirement in the node
   * affinity is renamed to the driver's key; without one, the PV's zone label (zones joined by
   * {@code __}) becomes an {@code In} requirement on that key in every term. A beta region key
   * becomes the GA one.
   */
  static PersistentVolume inTreeToCsi(PersistentVolume pv, String csiKey) {
    Labels l = labels(pv);
    PersistentVolume out = pv;
    if (!values(pv, l.zone()).isEmpty()) {
      out = replaceKey(pv, l.zone(), csiKey);
    } else {
      Optional<String> label = pv.metadata().label(l.zone());
      if (label.isPresent()) {
        out = addRequirement(pv, csiKey, List.of(label.get().split(MULTI_ZONE_DELIMITER, -1)));
      }
    }
    if (l.region().equals(BETA_REGION) && !values(out, BETA_REGION).isEmpty()) {
      out = replaceKey(out, BETA_REGION, REGION);
    }
    return out;
  }

  /**
   * CSI to in-tree ({@code translateTopologyFromCSIToInTree}): the driver's key becomes the zone
   * label the PV uses; with a region parser, each term without a region requirement gets one
   * computed from its zones, and the region label is added when there is exactly one region; the
   * zone label is added (zones joined by {@code __}) when missing.
   */
  static PersistentVolume csiToInTree(PersistentVolume pv, String csiKey, Optional<RegionParser> regionParser) {
    Labels l = labels(pv);
    PersistentVolume out = replaceKey(pv, csiKey, l.zone());
    Map<String, String> labels = new LinkedHashMap<>(out.metadata().labels());
    if (regionParser.isPresent() && !terms(out).isEmpty()) {
      Labels now = labels(out);
      List<NodeSelectorTerm> terms = new ArrayList<>();
      for (NodeSelectorTerm t : terms(out)) {
        boolean hasRegion = false;
        List<String> zones = new ArrayList<>();
        for (NodeSelectorRequirement r : t.matchExpressions()) {
          if (r.key().equals(now.region())) {
            hasRegion = true;
            break;
          } else if (r.key().equals(now.zone())) {
            zones.addAll(r.values());
          }
        }
        if (hasRegion) {
          terms.add(t);
          continue;
        }
        String region = regionParser.get().region(zones);
        terms.add(t.withMatchExpressions(ImmutableList.<NodeSelectorRequirement>builder().addAll(t.matchExpressions())
            .add(new NodeSelectorRequirement(now.region(), NodeSelectorRequirement.IN, ImmutableList.of(region))).build()));
      }
      out = withTerms(out, terms);
      List<String> regions = values(out, now.region());
      if (regions.size() == 1) {
        labels.putIfAbsent(now.region(), regions.get(0));
      }
    }
    List<String> zones = values(out, l.zone());
    if (!zones.isEmpty()) {
      labels.putIfAbsent(l.zone(), String.join(MULTI_ZONE_DELIMITER, zones));
    }
    return out.withMetadata(out.metadata().withLabels(ImmutableMap.copyOf(labels)));
  }

  /**
   * A class's allowed topologies with the zone keys (GA or beta) renamed to the driver's key and
   * the values mapped; other keys pass through ({@code translateAllowedTopologies}).
   */
  static ImmutableList<TopologySelectorTerm> allowedTopologies(List<TopologySelectorTerm> terms, String key,
      Function<String, String> zoneValue) {
    ImmutableList.Builder<TopologySelectorTerm> out = ImmutableList.builder();
    for (TopologySelectorTerm t : terms) {
      ImmutableList.Builder<TopologySelectorLabelRequirement> rs = ImmutableList.builder();
      for (TopologySelectorLabelRequirement r : t.matchLabelExpressions()) {
        if (r.key().equals(ZONE) || r.key().equals(BETA_ZONE)) {
          rs.add(new TopologySelectorLabelRequirement(key,
              r.values().stream().map(zoneValue).collect(ImmutableList.toImmutableList())));
        } else {
          rs.add(r);
        }
      }
      out.add(new TopologySelectorTerm(rs.build()));
    }
    return out.build();
  }

  /**
   * The class with the parameters and topology a zonal driver reads: {@code fstype} (any case)
   * renamed to {@code csi.storage.k8s.io/fstype} when {@code renameFsType}; {@code zone} or {@code
   * zones} (a comma list) turned into allowed topologies on the driver's key (giving them with
   * allowed topologies is an error); allowed topologies on the Kubernetes zone keys renamed; other
   * parameters kept.
   */
  static StorageClass zonalClass(StorageClass sc, String key, boolean renameFsType, Function<String, String> zoneValue) {
    Map<String, String> params = new LinkedHashMap<>();
    List<String> zones = null;
    for (Map.Entry<String, String> e : sc.parameters().entrySet()) {
      String k = e.getKey().toLowerCase(java.util.Locale.ROOT);
      if (renameFsType && k.equals(FSTYPE)) {
        params.put(CSI_FSTYPE, e.getValue());
      } else if (k.equals("zone")) {
        zones = List.of(e.getValue());
      } else if (k.equals("zones")) {
        zones = List.of(e.getValue().split(",", -1));
      } else {
        params.put(e.getKey(), e.getValue());
      }
    }
    ImmutableList<TopologySelectorTerm> topologies = sc.allowedTopologies();
    if (zones != null) {
      if (!sc.allowedTopologies().isEmpty()) {
        throw new TranslationException("parameters", "cannot simultaneously set allowed topologies and zone/zones parameters");
      }
      topologies = ImmutableList.of(new TopologySelectorTerm(ImmutableList.of(
          new TopologySelectorLabelRequirement(key, ImmutableList.copyOf(zones)))));
    } else if (!topologies.isEmpty()) {
      topologies = allowedTopologies(topologies, key, zoneValue);
    }
    return sc.withParameters(ImmutableMap.copyOf(params)).withAllowedTopologies(topologies);
  }

  /** GCE zones {@code <locale>-<region>-<zone>} to their one region ({@code getRegionFromZones}). */
  static String gceRegion(List<String> zones) {
    if (zones.isEmpty()) {
      throw new TranslationException("zones", "no zones specified");
    }
    TreeSet<String> regions = new TreeSet<>();
    for (String z : zones) {
      String[] parts = z.split("-", -1);
      if (parts.length != 3) {
        throw new TranslationException("zones",
            "zone in unexpected format, expected: {locale}-{region}-{zone}, got: " + z);
      }
      regions.add(parts[0] + "-" + parts[1]);
    }
    if (regions.size() != 1) {
      throw new TranslationException("zones", "multiple or no regions gotten from zones, got: " + regions);
    }
    return regions.first();
  }

  /**
   * AWS zones to their one region ({@code getAwsRegionFromZones}): {@code us-west-2a} and {@code
   * us-gov-east-1a} drop the zone letter; local zones ({@code us-west-2-lax-1a}) and wavelength
   * zones ({@code us-east-1-wl1-bos-wlz-1}) keep their first three parts.
   */
  static String awsRegion(List<String> zones) {
    if (zones.isEmpty()) {
      throw new TranslationException("zones", "no zones specified");
    }
    TreeSet<String> regions = new TreeSet<>();
    for (String z : zones) {
      String[] parts = z.split("-", -1);
      int n = parts.length;
      if ((n == 3 || n == 4) && parts[n - 1].length() == 2) {
        parts[n - 1] = parts[n - 1].substring(0, 1);
        regions.add(String.join("-", parts));
      } else if (n == 5 || n == 7) {
        regions.add(parts[0] + "-" + parts[1] + "-" + parts[2]);
      } else {
        throw new TranslationException("zones", "unexpected zone format: " + z + " is not a valid AWS zone");
      }
    }
    if (regions.size() != 1) {
      throw new TranslationException("zones", "multiple or no regions gotten from zones, got: " + regions);
    }
    return regions.first();
  }
}
