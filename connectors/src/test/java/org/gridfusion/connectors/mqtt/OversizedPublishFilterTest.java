package org.gridfusion.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The filter in front of Netty's MQTT decoder, fed the bytes of real packets in pieces of every
 * size: packets within the frame limit reach the decoder unchanged, a PUBLISH over it comes out as
 * its topic, packet id, QoS, first bytes and size, and what follows it is decoded as before.
 */
class OversizedPublishFilterTest {
  private static final int MAX_FRAME = 256;
  private static final int KEEP = 16;

  @Test
  void packetsWithinTheLimitPassUnchangedWhateverThePieces() {
    for (int piece : List.of(1, 2, 3, 7, 64, 10_000)) {
      List<Object> out =
          feed(
              piece,
              publish("gf/sensors/GAS/A", MqttQoS.AT_LEAST_ONCE, 7, "{\"value\":1}"),
              ping(),
              publish("gf/sensors/GAS/B", MqttQoS.AT_MOST_ONCE, 0, "x".repeat(200)));
      assertThat(out).as("pieces of %d", piece).hasSize(3);
      MqttPublishMessage a = (MqttPublishMessage) out.get(0);
      assertThat(a.variableHeader().topicName()).isEqualTo("gf/sensors/GAS/A");
      assertThat(a.variableHeader().packetId()).isEqualTo(7);
      assertThat(a.payload().toString(StandardCharsets.UTF_8)).isEqualTo("{\"value\":1}");
      assertThat(((MqttMessage) out.get(1)).fixedHeader().messageType())
          .isEqualTo(MqttMessageType.PINGREQ);
      MqttPublishMessage b = (MqttPublishMessage) out.get(2);
      assertThat(b.payload().readableBytes()).isEqualTo(200);
      out.forEach(io.netty.util.ReferenceCountUtil::release);
    }
  }

  @Test
  void aPublishOverTheLimitBecomesItsHeadAndSizeAndTheNextPacketsStillDecode() {
    String big = "0123456789abcdefXYZ" + "z".repeat(5_000);
    for (int piece : List.of(1, 5, 17, 300, 100_000)) {
      List<Object> out =
          feed(
              piece,
              publish("gf/sensors/GAS/BEFORE", MqttQoS.AT_LEAST_ONCE, 1, "{}"),
              publish("gf/sensors/GAS/BIG", MqttQoS.EXACTLY_ONCE, 42, big),
              publish("gf/sensors/GAS/AFTER", MqttQoS.AT_LEAST_ONCE, 2, "{\"v\":2}"));
      assertThat(out).as("pieces of %d", piece).hasSize(3);
      assertThat(((MqttPublishMessage) out.get(0)).variableHeader().topicName()).endsWith("BEFORE");
      OversizedPublishFilter.Oversized o = (OversizedPublishFilter.Oversized) out.get(1);
      assertThat(o.topic()).isEqualTo("gf/sensors/GAS/BIG");
      assertThat(o.packetId()).isEqualTo(42);
      assertThat(o.qos()).isEqualTo(MqttQoS.EXACTLY_ONCE);
      assertThat(o.size()).isEqualTo(big.length());
      assertThat(new String(o.head(), StandardCharsets.UTF_8)).isEqualTo(big.substring(0, KEEP));
      MqttPublishMessage after = (MqttPublishMessage) out.get(2);
      assertThat(after.variableHeader().topicName()).endsWith("AFTER");
      assertThat(after.payload().toString(StandardCharsets.UTF_8)).isEqualTo("{\"v\":2}");
      out.forEach(io.netty.util.ReferenceCountUtil::release);
    }
  }

  @Test
  void randomMixesOfSmallAndOversizedPacketsComeOutInOrder() {
    Random r = new Random(13);
    for (int round = 0; round < 50; round++) {
      List<byte[]> packets = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int size = r.nextBoolean() ? r.nextInt(MAX_FRAME / 2) : MAX_FRAME + r.nextInt(2_000);
        String topic = "gf/sensors/GAS/R" + i;
        packets.add(publish(topic, MqttQoS.AT_LEAST_ONCE, i + 1, "p".repeat(size)));
        expected.add(topic);
      }
      List<Object> out = feed(1 + r.nextInt(400), packets.toArray(byte[][]::new));
      List<String> topics = new ArrayList<>();
      for (Object o : out) {
        topics.add(
            o instanceof OversizedPublishFilter.Oversized x
                ? x.topic()
                : ((MqttPublishMessage) o).variableHeader().topicName());
      }
      assertThat(topics).isEqualTo(expected);
      out.forEach(io.netty.util.ReferenceCountUtil::release);
    }
  }

  /** Everything the filter and the decoder behind it make of the bytes, fed in pieces. */
  private static List<Object> feed(int piece, byte[]... packets) {
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new OversizedPublishFilter(MAX_FRAME, KEEP), new MqttDecoder(MAX_FRAME, 65_535));
    byte[] all = concat(packets);
    for (int at = 0; at < all.length; at += piece) {
      ch.writeInbound(
          Unpooled.wrappedBuffer(Arrays.copyOfRange(all, at, Math.min(all.length, at + piece))));
    }
    List<Object> out = new ArrayList<>();
    for (Object o; (o = ch.readInbound()) != null; ) {
      if (o instanceof MqttMessage m) {
        assertThat(m.decoderResult().isSuccess()).as("decoded: %s", m.decoderResult()).isTrue();
      }
      out.add(o);
    }
    ch.finishAndReleaseAll();
    return out;
  }

  private static byte[] publish(String topic, MqttQoS qos, int packetId, String payload) {
    return encode(
        MqttMessageBuilders.publish()
            .topicName(topic)
            .qos(qos)
            .messageId(packetId)
            .payload(Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8)))
            .build());
  }

  private static byte[] ping() {
    return encode(MqttMessage.PINGREQ);
  }

  private static byte[] encode(MqttMessage m) {
    EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE);
    ch.writeOutbound(m);
    ByteBuf b = ch.readOutbound();
    byte[] bytes = new byte[b.readableBytes()];
    b.readBytes(bytes);
    b.release();
    ch.finishAndReleaseAll();
    return bytes;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }
}
