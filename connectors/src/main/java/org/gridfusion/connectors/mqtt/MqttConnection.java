package org.gridfusion.connectors.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the {@link MqttIngestServer}: MQTT 3.1.1 (and 3.1) as an ingest-only
 * server. Everything here runs on the connection's socket thread, so its state needs no locks.
 *
 * <p>A PUBLISH becomes one Kafka record (its reading, or its dead letter) and waits in {@link
 * #pending}; the PUBACK (QoS 1) or PUBREC (QoS 2) goes out only once Kafka acknowledged it, and in
 * the order the PUBLISHes came (MQTT 3.1.1 §4.6), so an earlier reading still in flight holds back
 * the acknowledgements of later ones. Once {@code ingest.mqtt.maxInflightPerConnection} readings
 * wait, or the endpoint-wide {@link InFlightLimit} is reached, the socket is no longer read until
 * half of them are acknowledged: a fast or misbehaving sender is slowed by TCP, never buffered
 * without bound. While paused, a keep-alive timeout is not held against the client.
 *
 * <p>QoS 2 is handled, at least once into Kafka: PUBREC after Kafka's acknowledgement, PUBCOMP for
 * PUBREL; a repeated PUBLISH of a packet id awaiting PUBREL is not sent again. Packet ids are kept
 * per connection, so a client that reconnects and resends may store a reading twice; the records
 * job removes such duplicates by record id. QoS 0 is sent best-effort. Retain and will flags are
 * accepted and ignored (nothing subscribes here). SUBSCRIBE is answered with failure 0x80 for every
 * filter: this is an ingest endpoint, not a broker.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
  private static final AtomicLong ANONYMOUS_IDS = new AtomicLong();

  /** What every connection of one endpoint shares. */
  record Shared(
      MqttIngestSettings settings,
      MqttUsers users,
      SensorReadingIngest ingest,
      KafkaHandOff kafka,
      InFlightLimit limit,
      EndpointMetrics metrics,
      ConcurrentMap<String, Channel> clients) {}

  /** A PUBLISH waiting for Kafka. */
  private static final class Pending {
    final int packetId;
    final MqttQoS qos;
    boolean done;

    Pending(int packetId, MqttQoS qos) {
      this.packetId = packetId;
      this.qos = qos;
    }
  }

  private final Shared shared;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  /** QoS 2 packet ids PUBREC'd and awaiting PUBREL. */
  private final Set<Integer> awaitingRelease = new HashSet<>();

  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> connectTimeout;
  private String clientId;
  private boolean registered;
  private boolean connected;
  private volatile boolean paused;
  private volatile boolean open = true;

  MqttConnection(Shared shared) {
    this.shared = shared;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    shared.metrics().opened.increment();
    connectTimeout =
        ctx.executor()
            .schedule(
                () -> {
                  if (!connected) {
                    LOG.debug("{}: no CONNECT within the connect timeout", ctx.channel());
                    ctx.close();
                  }
                },
                shared.settings().connectTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    open = false;
    shared.metrics().closed.increment();
    if (connectTimeout != null) connectTimeout.cancel(false);
    if (registered) shared.clients().remove(clientId, ctx.channel());
    // Readings still waiting for Kafka are not acknowledged: the client resends what it has no
    // PUBACK for. The hand-off stops retrying them now that nobody waits.
    pending.clear();
    if (connected) LOG.debug("{} disconnected ({})", clientId, ctx.channel().remoteAddress());
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof OversizedPublishFilter.Oversized o) {
        if (!connected) {
          protocolError("a PUBLISH before CONNECT");
          return;
        }
        // Over ingest.mqtt.maxFrameBytes: dead-lettered as TOO_LARGE with its start, and
        // acknowledged, like one over maxPayloadBytes; the rest was never read into memory.
        shared.metrics().tooLarge.increment();
        publish(o.topic(), o.packetId(), o.qos(), o.head(), o.size());
        return;
      }
      if (!(msg instanceof MqttMessage m)) {
        ctx.close();
        return;
      }
      if (m.decoderResult().isFailure()) {
        refuseUndecodable(m.decoderResult().cause());
        return;
      }
      MqttMessageType type = m.fixedHeader().messageType();
      if (!connected && type != MqttMessageType.CONNECT) {
        protocolError("a " + type + " before CONNECT");
        return;
      }
      switch (type) {
        case CONNECT -> connect((MqttConnectMessage) m);
        case PUBLISH -> publish((MqttPublishMessage) m);
        case PUBREL -> release(((MqttMessageIdVariableHeader) m.variableHeader()).messageId());
        case PINGREQ -> ctx.writeAndFlush(MqttMessage.PINGRESP);
        case SUBSCRIBE -> refuse((MqttSubscribeMessage) m);
        case UNSUBSCRIBE ->
            ctx.writeAndFlush(
                new MqttUnsubAckMessage(
                    fixed(MqttMessageType.UNSUBACK),
                    MqttMessageIdVariableHeader.from(
                        ((MqttUnsubscribeMessage) m).variableHeader().messageId())));
        case DISCONNECT -> ctx.close();
        default -> protocolError("a " + type + " from a client");
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void refuseUndecodable(Throwable cause) {
    if (cause instanceof MqttUnacceptableProtocolVersionException) {
      // MQTT 3.1.1 §3.1.2.2: return code 0x01, written raw because the codec knows no version yet.
      refuseRaw(0x01, "unacceptable protocol version");
    } else if (cause instanceof MqttIdentifierRejectedException) {
      refuseRaw(0x02, "identifier rejected");
    } else if (cause instanceof TooLongFrameException) {
      shared.metrics().tooLarge.increment();
      LOG.debug(
          "{}: packet over ingest.mqtt.maxFrameBytes ({}), closing: {}",
          ctx.channel(),
          shared.settings().maxFrameBytes(),
          cause.getMessage());
      ctx.close();
    } else {
      protocolError("a malformed packet: " + cause);
    }
  }

  private void refuseRaw(int returnCode, String why) {
    shared.metrics().refused(String.format("0x%02x", returnCode)).increment();
    LOG.debug("{}: CONNECT refused, {}", ctx.channel(), why);
    ByteBuf connack = Unpooled.wrappedBuffer(new byte[] {0x20, 0x02, 0x00, (byte) returnCode});
    ctx.writeAndFlush(connack).addListener(ChannelFutureListener.CLOSE);
  }

  private void protocolError(String what) {
    shared.metrics().protocolErrors.increment();
    LOG.debug("{}: {}; closing the connection", ctx.channel(), what);
    ctx.close();
  }

  private void connect(MqttConnectMessage m) {
    if (connected) {
      protocolError("a second CONNECT"); // MQTT 3.1.1 §3.1.0-2
      return;
    }
    if (m.variableHeader().version() == MqttVersion.MQTT_5.protocolLevel()) {
      // An MQTT 5 client gets the MQTT 5 answer (the codec encodes CONNACK in the client's
      // version): Unsupported Protocol Version.
      refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION, "MQTT 5");
      return;
    }
    String id = m.payload().clientIdentifier();
    boolean clean = m.variableHeader().isCleanSession();
    if (id == null || id.isEmpty()) {
      if (!clean) {
        // MQTT 3.1.1 §3.1.3-8: an empty id needs a clean session.
        refuse(
            MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
            "empty client id with a persistent session");
        return;
      }
      id = "anonymous-" + ANONYMOUS_IDS.incrementAndGet();
    } else {
      registered = true;
    }
    clientId = id;
    String user = m.variableHeader().hasUserName() ? m.payload().userName() : null;
    byte[] password = m.variableHeader().hasPassword() ? m.payload().passwordInBytes() : null;
    switch (shared.users().check(user, password)) {
      case BAD_USER_NAME_OR_PASSWORD -> {
        registered = false;
        refuse(
            MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
            "bad user name or password for '" + user + "'");
        return;
      }
      case NOT_AUTHORIZED -> {
        registered = false;
        refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "no credentials");
        return;
      }
      case ACCEPTED -> {}
    }
    connectTimeout.cancel(false);
    int keepAlive = m.variableHeader().keepAliveTimeSeconds();
    if (keepAlive > 0) {
      // MQTT 3.1.1 §3.1.2.10: silence for one and a half keep-alive periods ends the connection.
      ctx.pipeline()
          .addBefore(
              ctx.name(),
              "keep-alive",
              new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
    }
    if (registered) {
      // MQTT 3.1.1 §3.1.4-2: a second connection with the same id takes over from the first.
      Channel previous = shared.clients().put(id, ctx.channel());
      if (previous != null && previous != ctx.channel()) {
        LOG.debug("{} connected again; closing its previous connection", id);
        previous.close();
      }
    }
    connected = true;
    shared.metrics().accepted.increment();
    // No session state is ever kept (nothing subscribes, QoS 1 needs none on this side).
    ctx.writeAndFlush(
        MqttMessageBuilders.connAck()
            .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
            .sessionPresent(false)
            .build());
    LOG.debug(
        "{} connected from {} (user {}, clean session {}, keep-alive {} s)",
        id,
        ctx.channel().remoteAddress(),
        user,
        clean,
        keepAlive);
  }

  private void refuse(MqttConnectReturnCode code, String why) {
    shared.metrics().refused(String.format("0x%02x", code.byteValue() & 0xff)).increment();
    LOG.debug("{}: CONNECT refused ({}): {}", ctx.channel(), code, why);
    MqttConnAckMessage connack =
        MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
    ctx.writeAndFlush(connack).addListener(ChannelFutureListener.CLOSE);
  }

  private void publish(MqttPublishMessage m) {
    ByteBuf body = m.payload();
    int size = body.readableBytes();
    byte[] payload = new byte[Math.min(size, shared.ingest().maxPayloadBytes())];
    body.getBytes(body.readerIndex(), payload);
    publish(
        m.variableHeader().topicName(),
        m.variableHeader().packetId(),
        m.fixedHeader().qosLevel(),
        payload,
        size);
  }

  /**
   * @param payload the payload, or its first bytes when {@code size} is larger
   */
  private void publish(String topic, int packetId, MqttQoS qos, byte[] payload, int size) {
    shared.metrics().publishes.increment();
    if (qos == MqttQoS.EXACTLY_ONCE && isQos2Duplicate(packetId)) return;
    SensorReadingIngest.Delivery d =
        shared.ingest().accept(topic, payload, size, System.currentTimeMillis());
    Pending p = new Pending(packetId, qos);
    pending.add(p);
    boolean room = shared.limit().acquire();
    shared
        .kafka()
        .send(
            d,
            () -> open && qos != MqttQoS.AT_MOST_ONCE,
            new KafkaHandOff.Outcome() {
              @Override
              public void stored() {
                shared.limit().release();
                if (d.isReading()) shared.metrics().stored.increment();
                else shared.metrics().deadLetters(d.rejected()).increment();
                onSocketThread(() -> complete(p));
              }

              @Override
              public void abandoned(Throwable lastError) {
                shared.limit().release();
                shared.metrics().abandoned.increment();
                // A QoS 0 reading is let go; a QoS 1/2 one is abandoned only once its client is
                // gone, and that client resends it unacknowledged.
                if (qos == MqttQoS.AT_MOST_ONCE) onSocketThread(() -> complete(p));
              }
            });
    if (!room) {
      pause();
      shared.limit().park(this::wake);
    } else if (pending.size() >= shared.settings().maxInflightPerConnection()) {
      pause();
    }
  }

  /** A QoS 2 PUBLISH sent again before its PUBREL is not stored again (MQTT 3.1.1 §4.3.3). */
  private boolean isQos2Duplicate(int packetId) {
    if (awaitingRelease.contains(packetId)) {
      ctx.writeAndFlush(
          new MqttMessage(
              fixed(MqttMessageType.PUBREC), MqttMessageIdVariableHeader.from(packetId)));
      return true;
    }
    for (Pending p : pending) {
      if (p.packetId == packetId && p.qos == MqttQoS.EXACTLY_ONCE) return true;
    }
    return false;
  }

  private void onSocketThread(Runnable r) {
    try {
      ctx.executor().execute(r);
    } catch (RejectedExecutionException shuttingDown) {
      // the endpoint is stopping: no acknowledgement goes out, the client resends
    }
  }

  /** Kafka has {@code done}: acknowledge every reading at the head of the queue that is done. */
  private void complete(Pending done) {
    done.done = true;
    if (!open) return;
    boolean wrote = false;
    while (!pending.isEmpty() && pending.peek().done) {
      Pending p = pending.poll();
      switch (p.qos) {
        case AT_LEAST_ONCE -> {
          ctx.write(
              new MqttPubAckMessage(
                  fixed(MqttMessageType.PUBACK), MqttMessageIdVariableHeader.from(p.packetId)));
          wrote = true;
        }
        case EXACTLY_ONCE -> {
          awaitingRelease.add(p.packetId);
          ctx.write(
              new MqttMessage(
                  fixed(MqttMessageType.PUBREC), MqttMessageIdVariableHeader.from(p.packetId)));
          wrote = true;
        }
        default -> {}
      }
    }
    if (wrote) ctx.flush();
    resumeIfRoom();
  }

  private void release(int packetId) {
    awaitingRelease.remove(packetId);
    // MQTT 3.1.1 §4.3.3: PUBCOMP answers every PUBREL, known id or not.
    ctx.writeAndFlush(
        new MqttMessage(
            fixed(MqttMessageType.PUBCOMP), MqttMessageIdVariableHeader.from(packetId)));
  }

  private void refuse(MqttSubscribeMessage m) {
    int n = m.payload().topicSubscriptions().size();
    int[] failures = new int[n];
    Arrays.fill(failures, MqttQoS.FAILURE.value());
    shared.metrics().subscribesRefused.increment();
    LOG.debug("{}: SUBSCRIBE refused (an ingest endpoint has nothing to deliver)", clientId);
    ctx.writeAndFlush(
        new MqttSubAckMessage(
            fixed(MqttMessageType.SUBACK),
            MqttMessageIdVariableHeader.from(m.variableHeader().messageId()),
            new MqttSubAckPayload(failures)));
  }

  private void pause() {
    if (paused) return;
    paused = true;
    shared.metrics().pausedForKafka.increment();
    ctx.channel().config().setAutoRead(false);
  }

  private void wake() {
    onSocketThread(this::resumeIfRoom);
  }

  private void resumeIfRoom() {
    if (!paused || !open) return;
    if (pending.size() > shared.settings().maxInflightPerConnection() / 2) return;
    if (!shared.limit().hasRoom()) {
      shared.limit().park(this::wake);
      return;
    }
    paused = false;
    ctx.channel().config().setAutoRead(true);
  }

  boolean isPaused() {
    return paused;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      // Not the client's fault if this side stopped reading; otherwise it went silent.
      if (paused) return;
      shared.metrics().keepAliveTimeouts.increment();
      LOG.debug("{}: nothing for 1.5 keep-alive periods, closing", clientId);
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets, TLS handshakes that fail, half-closed sockets: routine at 10,000 sensors.
    LOG.debug("{}: {}", ctx.channel(), cause.toString());
    ctx.close();
  }

  private static MqttFixedHeader fixed(MqttMessageType type) {
    return new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0);
  }
}
