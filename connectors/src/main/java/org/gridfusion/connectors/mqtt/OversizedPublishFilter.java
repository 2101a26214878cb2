package org.gridfusion.connectors.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sits in front of Netty's {@code MqttDecoder} and takes out every PUBLISH larger than {@code
 * ingest.mqtt.maxFrameBytes}, which the decoder could only refuse by dropping the connection: its
 * topic, packet id and first {@code keepBytes} of payload are handed on as an {@link Oversized}
 * (dead-lettered as {@code TOO_LARGE} and acknowledged like any reading), and the rest of it is
 * skipped as it arrives, never held. Every other packet passes through unchanged, byte for byte.
 *
 * <p>It follows the MQTT framing itself: a fixed header (type and flags, then the remaining length
 * in 1-4 bytes), then that many bytes. For an oversized PUBLISH it reads the variable header (the
 * topic, at most 65,535 bytes, and the packet id at QoS 1 and 2) before deciding.
 */
final class OversizedPublishFilter extends ByteToMessageDecoder {
  /** A PUBLISH over the frame limit: what is kept of it. */
  record Oversized(String topic, int packetId, MqttQoS qos, byte[] head, int size) {}

  private static final int PUBLISH = 3;

  private final int maxFrameBytes;
  private final int keepBytes;

  /** Bytes of the current packet still to pass through (or to skip, when {@link #head} is set). */
  private long remaining;

  private byte[] head;
  private int headLength;
  private String topic;
  private int packetId;
  private MqttQoS qos;
  private int payloadSize;

  OversizedPublishFilter(int maxFrameBytes, int keepBytes) {
    this.maxFrameBytes = maxFrameBytes;
    this.keepBytes = keepBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      if (remaining > 0) {
        int n = (int) Math.min(remaining, in.readableBytes());
        if (head == null) {
          out.add(in.readRetainedSlice(n));
        } else {
          int keep = Math.min(n, head.length - headLength);
          in.readBytes(head, headLength, keep);
          headLength += keep;
          in.skipBytes(n - keep);
        }
        remaining -= n;
        if (remaining == 0 && head != null) {
          out.add(new Oversized(topic, packetId, qos, head, payloadSize));
          head = null;
        }
        continue;
      }
      if (!startPacket(in, out)) return; // wait for more bytes of the header
    }
  }

  /** Reads a fixed header (and an oversized PUBLISH's variable header); false if incomplete. */
  private boolean startPacket(ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    if (in.readableBytes() < 2) return false;
    int first = in.getUnsignedByte(start);
    long length = 0;
    int lengthBytes = 0;
    int b;
    do {
      if (in.readableBytes() < 2 + lengthBytes) return false;
      b = in.getUnsignedByte(start + 1 + lengthBytes);
      length |= (long) (b & 0x7f) << (7 * lengthBytes);
      lengthBytes++;
    } while ((b & 0x80) != 0 && lengthBytes < 4);
    int fixedHeader = 1 + lengthBytes;
    if ((first >> 4) != PUBLISH || length <= maxFrameBytes || (b & 0x80) != 0) {
      // Not ours (a malformed length is the decoder's to refuse): the header passes through.
      out.add(in.readRetainedSlice(fixedHeader));
      remaining = length;
      return true;
    }
    int level = (first >> 1) & 0x03;
    int variableHeader = 2 + (level > 0 ? 2 : 0);
    if (in.readableBytes() < fixedHeader + 2) return false;
    int topicLength = in.getUnsignedShort(start + fixedHeader);
    variableHeader += topicLength;
    if (in.readableBytes() < fixedHeader + variableHeader) return false;
    topic = in.toString(start + fixedHeader + 2, topicLength, StandardCharsets.UTF_8);
    packetId = level > 0 ? in.getUnsignedShort(start + fixedHeader + 2 + topicLength) : 0;
    qos = MqttQoS.valueOf(Math.min(level, 2));
    in.skipBytes(fixedHeader + variableHeader);
    remaining = length - variableHeader;
    payloadSize = (int) remaining;
    head = new byte[(int) Math.min(keepBytes, remaining)];
    headLength = 0;
    if (remaining == 0) {
      out.add(new Oversized(topic, packetId, qos, head, 0));
      head = null;
    }
    return true;
  }
}
