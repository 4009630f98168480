package io.volumekit.csi.client.internal;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.AccessType;
import io.volumekit.core.csi.CapacityRange;
import io.volumekit.core.csi.ControllerGetVolumeResponse;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.GetCapacityResponse;
import io.volumekit.core.csi.ListVolumesResponse;
import io.volumekit.core.csi.NodeGetVolumeStatsResponse;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.Snapshot;
import io.volumekit.core.csi.Topology;
import io.volumekit.core.csi.TopologyRequirement;
import io.volumekit.core.csi.Volume;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.csi.VolumeCondition;
import io.volumekit.core.csi.VolumeContentSource;
import io.volumekit.core.csi.VolumeStatus;
import io.volumekit.core.csi.VolumeUsage;
import io.volumekit.csi.client.internal.proto.Csi;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the record/protobuf mapping: every record survives record -> proto -> bytes ->
 * proto -> record unchanged, so nothing the engine says is lost on the wire.
 */
class ProtoMapperPropertiesTest {

  /** Random values from one seed, shaped like CSI messages (empty and absent fields included). */
  private static final class Values {
    final Random r;

    Values(long seed) {
      r = new Random(seed);
    }

    String str() {
      int n = r.nextInt(4);
      return n == 0 ? "" : "s" + r.nextInt(1000) + "-" + n;
    }

    ImmutableMap<String, String> map() {
      ImmutableMap.Builder<String, String> b = ImmutableMap.builder();
      int n = r.nextInt(3);
      for (int i = 0; i < n; i++) {
        b.put("k" + i, str());
      }
      return b.build();
    }

    VolumeCapability cap() {
      AccessMode mode = AccessMode.values()[r.nextInt(AccessMode.values().length)];
      if (r.nextBoolean()) {
        return new VolumeCapability(new AccessType.Block(), mode);
      }
      return new VolumeCapability(new AccessType.Mount(str(), ImmutableList.of(str(), str()), str()), mode);
    }

    <T> Optional<T> maybe(T value) {
      return r.nextBoolean() ? Optional.of(value) : Optional.empty();
    }

    Topology topology() {
      return new Topology(map());
    }

    Optional<VolumeContentSource> source() {
      return switch (r.nextInt(3)) {
        case 0 -> Optional.empty();
        case 1 -> Optional.of(VolumeContentSource.snapshot(str()));
        default -> Optional.of(VolumeContentSource.volume(str()));
      };
    }

    Volume volume() {
      return new Volume(Math.abs(r.nextLong()), str(), map(), source(), ImmutableList.of(topology(), topology()));
    }
  }

  @Test
  void createVolumeRequestsSurviveTheWire() {
    qt().forAll(longs().all()).check(seed -> {
      Values v = new Values(seed);
      CreateVolumeRequest req = new CreateVolumeRequest(v.str(),
          v.maybe(new CapacityRange(Math.abs(v.r.nextLong()), Math.abs(v.r.nextLong()))),
          ImmutableList.of(v.cap(), v.cap()), v.map(), Secrets.of(v.map()), v.source(),
          v.maybe(new TopologyRequirement(ImmutableList.of(v.topology()), ImmutableList.of(v.topology()))),
          v.map());
      return ProtoMapper.fromProto(reparse(ProtoMapper.toProto(req), Csi.CreateVolumeRequest.parser())).equals(req);
    });
  }

  @Test
  void nodePublishRequestsSurviveTheWire() {
    qt().forAll(longs().all(), booleans().all()).check((seed, readonly) -> {
      Values v = new Values(seed);
      NodePublishVolumeRequest req = new NodePublishVolumeRequest(v.str(), v.map(), v.str(), v.str(),
          v.maybe(v.cap()), readonly, Secrets.of(v.map()), v.map());
      return ProtoMapper.fromProto(reparse(ProtoMapper.toProto(req), Csi.NodePublishVolumeRequest.parser())).equals(req);
    });
  }

  @Test
  void listingsAndVolumesSurviveTheWire() {
    qt().forAll(longs().all(), integers().between(0, 4)).check((seed, n) -> {
      Values v = new Values(seed);
      ImmutableList.Builder<ListVolumesResponse.Entry> entries = ImmutableList.builder();
      for (int i = 0; i < n; i++) {
        entries.add(new ListVolumesResponse.Entry(v.volume(), v.maybe(new VolumeStatus(
            ImmutableList.of(v.str()), v.maybe(new VolumeCondition(v.r.nextBoolean(), v.str()))))));
      }
      ListVolumesResponse list = new ListVolumesResponse(entries.build(), v.str());
      ControllerGetVolumeResponse get = new ControllerGetVolumeResponse(v.volume(),
          new VolumeStatus(ImmutableList.of(v.str(), v.str()), v.maybe(new VolumeCondition(true, v.str()))));
      return ProtoMapper.fromProto(reparse(ProtoMapper.toProto(list), Csi.ListVolumesResponse.parser())).equals(list)
          && ProtoMapper.fromProto(reparse(ProtoMapper.toProto(get), Csi.ControllerGetVolumeResponse.parser())).equals(get);
    });
  }

  @Test
  void snapshotsStatsAndCapacitySurviveTheWire() {
    qt().forAll(longs().all()).check(seed -> {
      Values v = new Values(seed);
      Snapshot snap = new Snapshot(Math.abs(v.r.nextLong()), v.str(), v.str(),
          v.maybe(Instant.ofEpochSecond(v.r.nextInt(2_000_000_000), v.r.nextInt(1_000_000_000))), v.r.nextBoolean());
      NodeGetVolumeStatsResponse stats = new NodeGetVolumeStatsResponse(ImmutableList.of(
          new VolumeUsage(v.r.nextLong(), v.r.nextLong(), v.r.nextLong(), VolumeUsage.Unit.BYTES),
          new VolumeUsage(1, 2, 3, VolumeUsage.Unit.INODES)), v.maybe(new VolumeCondition(false, v.str())));
      GetCapacityResponse cap = new GetCapacityResponse(v.r.nextLong(),
          v.r.nextBoolean() ? OptionalLong.of(v.r.nextLong()) : OptionalLong.empty(),
          v.r.nextBoolean() ? OptionalLong.of(v.r.nextLong()) : OptionalLong.empty());
      return ProtoMapper.fromProto(reparse(ProtoMapper.toProto(snap), Csi.Snapshot.parser())).equals(snap)
          && ProtoMapper.fromProto(reparse(ProtoMapper.toProto(stats), Csi.NodeGetVolumeStatsResponse.parser())).equals(stats)
          && ProtoMapper.fromProto(reparse(ProtoMapper.toProto(cap), Csi.GetCapacityResponse.parser())).equals(cap);
    });
  }

  private static <M extends com.google.protobuf.Message> M reparse(M message, com.google.protobuf.Parser<M> parser) {
    try {
      return parser.parseFrom(message.toByteArray());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
