package org.gridfusion.connectors.mqtt;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.gridfusion.connectors.kafka.KafkaPublisher;
import org.gridfusion.connectors.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GridFusion's own MQTT endpoint for sensor readings (contract §2.2): sensors connect to it
 * directly, and a QoS 1 PUBLISH is acknowledged only once Kafka ({@code acks=all}, idempotent
 * producer) has the reading, or its dead letter. Killed at any moment, it loses nothing it
 * acknowledged; what it had not acknowledged, the sensor still holds and sends again. It is what
 * {@code up}/{@code demo} run when {@code mqtt.url} is unset, and {@code gridfusion ingest-mqtt}
 * runs it alone (several behind a TCP load balancer: no state is shared between instances).
 *
 * <p>Why not a broker plus the bridge: a broker acknowledges a reading to the sensor when <em>it
 * </em> has it, so a broker that dies loses what the bridge had not yet forwarded (Moquette, the
 * former embedded broker, lost 92 of 3,000 acknowledged readings to a {@code kill -9}), and the
 * broker's per-subscriber window paces the bridge (Moquette: 10 messages, ~425 readings/s). Here
 * the window is per sensor connection, and thousands of sensors have readings in flight at once.
 * The bridge stays for districts that run their own broker.
 *
 * <p>Built on Netty's MQTT codec ({@code io.netty:netty-codec-mqtt}): the codec only turns bytes
 * into packets, so the acknowledgement rule above — the point of this class — is ours to write,
 * which an embedded broker library (Moquette, HiveMQ CE) would take out of our hands; Netty is
 * maintained, on Maven Central, small (no other dependency), and nothing else in the build brings
 * an unshaded Netty to clash with. Vert.x MQTT, the other candidate, is Netty with an extra layer
 * of event-loop and future types around it, for no behaviour we need.
 *
 * <p>MQTT 3.1.1 and 3.1; an MQTT 5 CONNECT is refused with reason code 0x84 (Unsupported Protocol
 * Version). Users ({@code ingest.mqtt.users}) and optional TLS (PEM or PKCS12); see {@link
 * MqttConnection} for the protocol's details and back-pressure, {@link KafkaHandOff} for what
 * happens when Kafka fails. Connections are logged at DEBUG; an INFO summary every {@code
 * ingest.mqtt.summaryInterval} tells an operator what thousands of sensors are doing.
 */
public final class MqttIngestServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttIngestServer.class);

  private final MqttIngestSettings settings;
  private final KafkaPublisher kafka;
  private final KafkaHandOff handOff;
  private final InFlightLimit limit;
  private final EndpointMetrics metrics = new EndpointMetrics();
  private final ConcurrentMap<String, Channel> clients = new ConcurrentHashMap<>();
  private final Map<Channel, MqttConnection> connections = new ConcurrentHashMap<>();
  private final EventLoopGroup acceptor;
  private final EventLoopGroup workers;
  private final ScheduledExecutorService summaries;
  private Channel server;

  private MqttIngestServer(MqttIngestSettings settings) {
    this.settings = settings;
    // linger 5 ms: with many sensors in flight at once, batches fill; a PUBACK waits for at most
    // that.
    this.kafka = new KafkaPublisher(settings.kafka(), "gridfusion-mqtt-ingest", settings.privacy());
    this.handOff = new KafkaHandOff(kafka, metrics.kafkaRetries);
    this.limit = new InFlightLimit(settings.maxInflight());
    metrics.metrics.gauge("connections", "open TCP connections", connections::size);
    metrics.metrics.gauge(
        "readings_in_flight", "readings waiting for Kafka's acknowledgement", limit::inFlight);
    metrics.metrics.gauge(
        "connections_paused",
        "connections not read from until Kafka catches up",
        () -> connections.values().stream().filter(MqttConnection::isPaused).count());
    this.acceptor =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("mqtt-ingest-accept", true), NioIoHandler.newFactory());
    this.workers =
        new MultiThreadIoEventLoopGroup(
            settings.ioThreads() > 0
                ? settings.ioThreads()
                : Runtime.getRuntime().availableProcessors(),
            new DefaultThreadFactory("mqtt-ingest-io", true),
            NioIoHandler.newFactory());
    this.summaries =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mqtt-ingest-summary");
              t.setDaemon(true);
              return t;
            });
  }

  /** Binds {@code ingest.mqtt.bind}:{@code ingest.mqtt.port} (0: a free port) and serves. */
  public static MqttIngestServer start(MqttIngestSettings settings) throws InterruptedException {
    SslContext tls =
        settings.tlsCertificate() != null
            ? MqttTls.serverFromPem(settings.tlsCertificate(), settings.tlsPrivateKey())
            : settings.tlsKeyStore() != null
                ? MqttTls.serverFromKeyStore(settings.tlsKeyStore(), settings.tlsKeyStorePassword())
                : null;
    MqttIngestServer s = new MqttIngestServer(settings);
    try {
      s.bind(tls);
    } catch (InterruptedException | RuntimeException e) {
      s.close();
      throw e;
    }
    s.scheduleSummaries();
    LOG.info(
        "MQTT ingest endpoint listening on {} ({}; {}), publishing to {}",
        s.url(),
        settings.tls() ? "TLS" : "plain TCP",
        settings.users().isEmpty()
            ? "anonymous clients accepted"
            : settings.users().size() + " user(s)",
        settings.kafka().bootstrap());
    return s;
  }

  private void bind(SslContext tls) throws InterruptedException {
    MqttConnection.Shared shared =
        new MqttConnection.Shared(
            settings,
            new MqttUsers(settings.users(), settings.allowAnonymous()),
            new SensorReadingIngest(
                settings.window(), settings.maxPayloadBytes(), settings.privacy()),
            handOff,
            limit,
            metrics,
            clients);
    server =
        new ServerBootstrap()
            .group(acceptor, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ChannelPipeline p = ch.pipeline();
                    if (tls != null) p.addLast("tls", tls.newHandler(ch.alloc()));
                    // The client id limit only applies to MQTT 3.1 (3.1.1 allows any length).
                    // a PUBLISH over the frame limit is dead-lettered, not a dropped connection
                    p.addLast(
                        "oversized",
                        new OversizedPublishFilter(
                            settings.maxFrameBytes(), settings.maxPayloadBytes()));
                    p.addLast("decoder", new MqttDecoder(settings.maxFrameBytes(), 65_535));
                    p.addLast("encoder", MqttEncoder.INSTANCE);
                    MqttConnection c = new MqttConnection(shared);
                    connections.put(ch, c);
                    ch.closeFuture().addListener(f -> connections.remove(ch));
                    p.addLast("mqtt", c);
                  }
                })
            .bind(settings.bind(), settings.port())
            .sync()
            .channel();
  }

  private void scheduleSummaries() {
    long every = settings.summaryInterval().toMillis();
    summaries.scheduleAtFixedRate(new Summary(), every, every, TimeUnit.MILLISECONDS);
  }

  /** The periodic INFO line: what changed since the last one. */
  private final class Summary implements Runnable {
    private Map<String, Long> last = metrics.snapshot();
    private long lastAt = System.nanoTime();

    @Override
    public void run() {
      Map<String, Long> now = metrics.snapshot();
      long at = System.nanoTime();
      String line = metrics.summary(last, now, (at - lastAt) / 1e9);
      if (line != null) LOG.info(line);
      last = now;
      lastAt = at;
    }
  }

  /** {@code tcp://host:port} or {@code ssl://host:port}; a wildcard bind shows as 127.0.0.1. */
  public String url() {
    InetSocketAddress a = (InetSocketAddress) server.localAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getHostString();
    return settings.scheme() + "://" + host + ":" + a.getPort();
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Counters and gauges, {@code gridfusion_mqtt_ingest_*}. */
  public Metrics metrics() {
    return metrics.metrics;
  }

  /**
   * Stops accepting, closes every connection (readings not yet acknowledged are sent again by their
   * clients), then lets Kafka finish what it was sent.
   */
  @Override
  public void close() {
    summaries.shutdownNow();
    if (server != null) server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    handOff.close();
    kafka.close();
    LOG.info(
        "MQTT ingest endpoint stopped: {} connections served, {} readings stored",
        metrics.opened.sum(),
        metrics.stored.sum());
  }
}
