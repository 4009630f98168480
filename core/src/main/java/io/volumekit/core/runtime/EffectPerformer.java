package io.volumekit.core.runtime;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.effect.CsiEffect;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.LocalEffect;
import io.volumekit.core.effect.NodeCsiEffect;
import io.volumekit.core.effect.PopulateVolume;
import io.volumekit.core.event.Event;
import io.volumekit.core.node.ImageVolumePuller;
import io.volumekit.core.node.LocalVolumeWriter;
import io.volumekit.core.node.NodePlugins;
import io.volumekit.core.populator.PopulateException;
import io.volumekit.core.populator.PopulateRequest;
import io.volumekit.core.populator.Populator;
import io.volumekit.core.token.JwtTokenIssuer;
import io.volumekit.core.token.TokenIssuer;
import io.volumekit.core.token.TokenIssuerException;
import io.volumekit.model.populator.SourceKind;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the runtime's effects meet the world: a controller call goes to the registered CSI driver,
 * a node call to the driver's plugin on that node (with the directories the kubelet makes around
 * it, and the pod's service-account tokens when the driver asks for them), a local write to the
 * node's filesystem, a populate to the volume populator of its data source kind. Each effect's
 * answer becomes an outcome event; a CSI error keeps its code, any other exception becomes an
 * {@code INTERNAL}-like unexpected failure, so the runtime can retry or give up by code.
 *
 * <p>Called on the executor's threads: the services set after start (token issuer, image puller,
 * populators) are volatile fields.
 */
final class EffectPerformer {

  private static final Logger LOG = LoggerFactory.getLogger(EffectPerformer.class);

  private final ImmutableMap<String, CsiDriver> drivers;
  private final NodePlugins nodePlugins;
  private final LocalVolumeWriter localWriter;
  private final Clock clock;
  private volatile Optional<ImageVolumePuller> imageVolumePuller = Optional.empty();
  private volatile ImmutableMap<SourceKind, Populator> populators = ImmutableMap.of();
  private volatile TokenIssuer tokenIssuer = JwtTokenIssuer.withGeneratedKey();

  EffectPerformer(ImmutableMap<String, CsiDriver> drivers, NodePlugins nodePlugins, LocalVolumeWriter localWriter,
      Clock clock) {
    this.drivers = drivers;
    this.nodePlugins = Objects.requireNonNull(nodePlugins, "nodePlugins");
    this.localWriter = Objects.requireNonNull(localWriter, "localWriter");
    this.clock = clock;
  }

  void tokenIssuer(TokenIssuer issuer) {
    this.tokenIssuer = Objects.requireNonNull(issuer, "issuer");
  }

  void imageVolumePuller(ImageVolumePuller puller) {
    this.imageVolumePuller = Optional.of(puller);
  }

  void populators(Map<SourceKind, Populator> populators) {
    this.populators = ImmutableMap.copyOf(populators);
  }

  /** Performs the effect and returns its outcome; only an {@link Error} escapes. */
  Event.Outcome perform(Effect effect) {
    try {
      return effect.accept(performer);
    } catch (CsiException e) {
      return new Event.EffectFailed(effect.id(), EffectFailure.of(e));
    } catch (RuntimeException e) {
      LOG.warn("effect {} failed unexpectedly", effect.id(), e);
      return new Event.EffectFailed(effect.id(), EffectFailure.unexpected(e));
    }
  }

  /**
   * Performs an effect where it belongs: a node call on the driver's plugin on that node, a local
   * write through the local writer, a controller call on the registered driver. CSI errors
   * propagate to {@link #perform}.
   */
  private final Effect.Visitor<Event.Outcome> performer = new Effect.Visitor<>() {
    @Override
    public Event.Outcome nodeCall(NodeCsiEffect<?> n) {
      Optional<CsiDriver> plugin = nodePlugins.plugin(n.driver(), n.node());
      if (plugin.isEmpty()) {
        return notRegistered(n, n.driver());
      }
      try {
        n.prepare(localWriter); // the directories the CO must create (staging dir, target's parent)
      } catch (IOException e) {
        return new Event.EffectFailed(n.id(), new EffectFailure(CsiCode.INTERNAL, e.getMessage()));
      }
      NodeCsiEffect<?> call;
      try {
        call = n.withServiceAccountTokens(tokenIssuer, clock.instant());
      } catch (TokenIssuerException e) {
        return new Event.EffectFailed(n.id(), new EffectFailure(CsiCode.UNAVAILABLE, e.getMessage()));
      }
      Object result = call.call(plugin.get());
      try {
        n.finish(localWriter); // remove the now empty directories
      } catch (IOException e) {
        LOG.debug("effect {}: could not remove empty directories: {}", n.id(), e.getMessage());
      }
      return new Event.EffectSucceeded(n.id(), Optional.ofNullable(result));
    }

    @Override
    public Event.Outcome localWrite(LocalEffect local) {
      Optional<Object> result;
      try {
        result = local.withServiceAccountTokens(tokenIssuer, clock.instant()).applyForResult(localWriter, imageVolumePuller);
      } catch (TokenIssuerException e) {
        return new Event.EffectFailed(local.id(), new EffectFailure(CsiCode.UNAVAILABLE, e.getMessage()));
      } catch (IOException e) {
        return new Event.EffectFailed(local.id(), new EffectFailure(CsiCode.INTERNAL, e.getMessage()));
      }
      return new Event.EffectSucceeded(local.id(), result);
    }

    @Override
    public Event.Outcome populate(PopulateVolume p) {
      Populator populator = populators.get(p.sourceKind());
      if (populator == null) {
        return new Event.EffectFailed(p.id(), new EffectFailure(CsiCode.UNAVAILABLE,
            "no volume populator registered for " + p.sourceKind()));
      }
      try {
        populator.populate(PopulateRequest.of(p));
      } catch (PopulateException | IOException e) {
        return new Event.EffectFailed(p.id(), new EffectFailure(CsiCode.INTERNAL, String.valueOf(e.getMessage())));
      }
      return new Event.EffectSucceeded(p.id(), Optional.empty());
    }

    @Override
    public Event.Outcome controllerCall(CsiEffect<?> csi) {
      CsiDriver driver = drivers.get(csi.driver());
      if (driver == null) {
        return notRegistered(csi, csi.driver());
      }
      return new Event.EffectSucceeded(csi.id(), Optional.ofNullable(csi.call(driver)));
    }

    private Event.Outcome notRegistered(Effect e, String driver) {
      return new Event.EffectFailed(e.id(), new EffectFailure(CsiCode.UNAVAILABLE,
          "driver name " + driver + " not found in the list of registered CSI drivers"));
    }
  };
}
