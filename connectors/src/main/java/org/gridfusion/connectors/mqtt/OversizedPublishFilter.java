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

  /**
   * Passes everything up to an oversized PUBLISH on as one slice (the decoder behind sees the same
   * bytes in the same order), hands on each oversized PUBLISH as an {@link Oversized}, and keeps an
   * incomplete header for the next call.
   */
  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int passFrom = in.readerIndex();
    while (in.isReadable()) {
      if (remaining > 0) {
        int n = (int) Math.min(remaining, in.readableBytes());
        if (head == null) {
          in.skipBytes(n); // passed on with the rest of the slice
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
          passFrom = in.readerIndex();
        }
        continue;
      }
      int packetStart = in.readerIndex();
      int fixedHeader = fixedHeaderLength(in);
      if (fixedHeader < 0) break; // wait for the rest of the header
      long length = remainingLength(in, fixedHeader);
      int first = in.getUnsignedByte(packetStart);
      boolean malformed = (in.getUnsignedByte(packetStart + fixedHeader - 1) & 0x80) != 0;
      if (malformed) {
        // a fifth length byte: the decoder refuses it and the connection is closed
        in.skipBytes(fixedHeader);
        continue;
      }
      if ((first >> 4) != PUBLISH || length <= maxFrameBytes) {
        in.skipBytes(fixedHeader);
        remaining = length;
        continue;
      }
      if (packetStart > passFrom) out.add(in.retainedSlice(passFrom, packetStart - passFrom));
      passFrom = packetStart;
      if (!startOversized(in, first, fixedHeader, length)) break; // its topic is still to come
      if (remaining == 0) { // nothing after its headers (a limit below the topic's length)
        out.add(new Oversized(topic, packetId, qos, head, 0));
        head = null;
        passFrom = in.readerIndex();
      }
    }
    if (head == null && in.readerIndex() > passFrom) {
      out.add(in.retainedSlice(passFrom, in.readerIndex() - passFrom));
    }
  }

  /**
   * The fixed header's length (1 byte, then the remaining length in 1-4 bytes), or -1 while it is
   * incomplete. A fifth length byte is the decoder's to refuse: the header is passed on as if it
   * ended there.
   */
  private static int fixedHeaderLength(ByteBuf in) {
    int start = in.readerIndex();
    for (int i = 1; i <= 4; i++) {
      if (in.readableBytes() < 1 + i) return -1;
      if ((in.getUnsignedByte(start + i) & 0x80) == 0 || i == 4) return 1 + i;
    }
    return -1;
  }

  private static long remainingLength(ByteBuf in, int fixedHeader) {
    long length = 0;
    for (int i = 1; i < fixedHeader; i++) {
      length |= (long) (in.getUnsignedByte(in.readerIndex() + i) & 0x7f) << (7 * (i - 1));
    }
    return length;
  }

  /** Reads an oversized PUBLISH's headers, once its topic and packet id are all there. */
  private boolean startOversized(ByteBuf in, int first, int fixedHeader, long length) {
    int start = in.readerIndex();
    int level = (first >> 1) & 0x03;
    if (in.readableBytes() < fixedHeader + 2) return false;
    int topicLength = in.getUnsignedShort(start + fixedHeader);
    int variableHeader = 2 + topicLength + (level > 0 ? 2 : 0);
    if (in.readableBytes() < fixedHeader + variableHeader) return false;
    topic = in.toString(start + fixedHeader + 2, topicLength, StandardCharsets.UTF_8);
    packetId = level > 0 ? in.getUnsignedShort(start + fixedHeader + 2 + topicLength) : 0;
    qos = MqttQoS.valueOf(Math.min(level, 2));
    in.skipBytes(fixedHeader + variableHeader);
    remaining = length - variableHeader;
    payloadSize = (int) remaining;
    head = new byte[(int) Math.min(keepBytes, remaining)];
    headLength = 0;
    return true;
  }
}
