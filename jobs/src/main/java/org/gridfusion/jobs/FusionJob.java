package org.gridfusion.jobs;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.jobs.alerts.AlertPublisher;
import org.gridfusion.jobs.alerts.Firing;
import org.gridfusion.jobs.alerts.IncidentLinker;
import org.gridfusion.jobs.alerts.IncidentTracker;
import org.gridfusion.jobs.devices.DeviceHealth;
import org.gridfusion.jobs.devices.DeviceStatus;
import org.gridfusion.jobs.devices.DeviceWatch;
import org.gridfusion.jobs.devices.FeedWatch;
import org.gridfusion.jobs.elasticsearch.Documents;
import org.gridfusion.jobs.elasticsearch.ElasticsearchSink;
import org.gridfusion.jobs.kafka.KafkaEndpoints;
import org.gridfusion.jobs.records.DeadLetterPrivacy;
import org.gridfusion.jobs.records.DeadLetters;
import org.gridfusion.jobs.records.Normalise;
import org.gridfusion.jobs.reference.ReferenceFiles;
import org.gridfusion.jobs.risk.RiskEvidence;
import org.gridfusion.jobs.risk.RiskScorer;
import org.gridfusion.jobs.risk.RiskWeights;
import org.gridfusion.jobs.rules.RuleEngine;
import org.gridfusion.jobs.rules.RuleSet;
import org.gridfusion.jobs.rules.RuleSetWatermarks;
import org.gridfusion.jobs.serialization.RecordType;
import org.gridfusion.jobs.workorders.ParseCommands;
import org.gridfusion.jobs.workorders.WorkOrderLoop;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.RiskScore;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderCommand;

/**
 * The fusion job: raw camera events, sensor readings and department records in; normalised records,
 * alerts and dead letters out.
 *
 * <pre>
 *  gf.raw.camera ─┐  normalise (validate, locate, grid, pseudonymise) ─┐  per grid: dedup ─┬─ gf.records
 *  gf.raw.sensor ─┼─────────────────────────────────────────────────────┼──────────────────┤
 *  gf.raw.department ┘                                                  │                  └─ rules ─ incidents ─ links ─ gf.alerts, gf-alerts
 *                                                   rejects ─ gf.deadletter                │
 *  gf.rules (rule sets, broadcast) ────────────────────────────────────────────────────────┘
 *                                       records + alerts per grid ─ risk score ─ gf.risk
 *  gf.workorder-commands ─ parse ─┐  alerts by incident ─ work-order loop ─ gf.workorders, gf-workorders
 *                                 └────────────────────────────┘       └─ WORKORDER_OVERDUE alerts ─ gf.alerts
 * </pre>
 *
 * Records and alerts run in one job so an alert needs no extra Kafka round trip (the records topic
 * is transactional and only visible at checkpoints). Records and risk scores are indexed into
 * Elasticsearch by the {@link IndexingJob} from gf.records and gf.risk, so Elasticsearch never
 * holds an alert back; the alert and work-order documents stay here (small, and searchable soon
 * after the alert), on sinks whose checkpoints do not wait for Elasticsearch ({@link
 * ElasticsearchSink#beside}). gf.alerts is written at-least-once by default ({@code
 * job.alerts.delivery}): visible the moment the broker has it instead of at the next checkpoint, by
 * an {@link AlertPublisher} that does not publish again what a restart replays. {@link #build}
 * takes its sources and sinks as parameters, so tests run this exact topology on their own sources
 * and sinks.
 */
public final class FusionJob {
  public static final String NAME = "gridfusion-fusion";

  public record Sources(
      Source<CameraEvent, ?, ?> cameras,
      Source<SensorReading, ?, ?> sensors,
      Source<DepartmentRecord, ?, ?> departments,
      Source<String, ?, ?> ruleSets,
      Source<String, ?, ?> workOrderCommands) {}

  public record Sinks(
      Sink<Record> records,
      Sink<Alert> alerts,
      Sink<Alert> alertDocuments,
      Sink<String> deadLetters,
      Sink<RiskScore> risk,
      Sink<WorkOrder> workOrders,
      Sink<WorkOrder> workOrderDocuments) {}

  /** What the topology needs besides sources and sinks. */
  public record Settings(
      ReferenceFiles reference,
      String hmacSecret,
      RuleSet rules,
      String zone,
      Duration outOfOrderness,
      Duration idleness,
      Duration allowedLateness,
      Duration dedupTtl,
      RiskWeights risk,
      TimeWindow window,
      DeviceHealth devices,
      Duration linkWindow,
      Duration alertBufferTimeout) {

    public static Settings from(Config config) {
      String zone = config.get(GridFusionOptions.TIME_ZONE); // a zone id: checked by the option
      return new Settings(
          ReferenceFiles.from(config),
          config.require(
              GridFusionOptions.PRIVACY_HMAC_SECRET,
              "to pseudonymise subjects (at least 16 characters)"),
          initialRules(config),
          zone,
          config.get(GridFusionOptions.JOB_OUT_OF_ORDERNESS),
          config.get(GridFusionOptions.JOB_IDLENESS),
          config.get(GridFusionOptions.JOB_ALLOWED_LATENESS),
          config.get(GridFusionOptions.JOB_DEDUP_TTL),
          RiskWeights.from(config),
          new TimeWindow(
              config.get(GridFusionOptions.VALIDATION_MAX_FUTURE),
              config.get(GridFusionOptions.VALIDATION_HORIZON)),
          DeviceHealth.from(config),
          config.get(GridFusionOptions.INCIDENTS_LINK_WINDOW),
          config.get(GridFusionOptions.JOB_BUFFER_TIMEOUT));
    }

    private static RuleSet initialRules(Config config) {
      String file = config.get(GridFusionOptions.RULES_FILE);
      if (file == null) return RuleSet.defaults();
      try {
        return RuleSet.parse(Files.readString(Path.of(file)), file);
      } catch (IOException e) {
        throw new ConfigException(
            GridFusionOptions.RULES_FILE.key(), "cannot read " + file + ": " + e.getMessage());
      } catch (RuleSet.InvalidRuleSet e) {
        throw new ConfigException(GridFusionOptions.RULES_FILE.key(), e.getMessage());
      }
    }
  }

  private FusionJob() {}

  public static void build(
      StreamExecutionEnvironment env, Sources sources, Sinks sinks, Settings settings) {
    // Edges an alert crosses flush after job.bufferTimeout; the rest keep the environment's
    // (job.backgroundBufferTimeout): a short timeout on the record-heavy shuffle to device health
    // bought no alert any speed and cost the 2-core box its capacity (README, issue 14). An edge
    // takes the timeout of the operator that sends on it.
    long alertPath = settings.alertBufferTimeout().toMillis();
    SingleOutputStreamOperator<Record> cameras =
        env.fromSource(
                sources.cameras(),
                watermarks(settings, (CameraEvent e) -> e.getTs().toEpochMilli()),
                "camera events")
            .uid("source-camera")
            .process(
                Normalise.cameras(settings.reference(), settings.hmacSecret()), RecordType.INFO)
            .uid("normalise-camera")
            .name("normalise camera events")
            .setBufferTimeout(alertPath);
    SingleOutputStreamOperator<Record> sensors =
        env.fromSource(
                sources.sensors(),
                watermarks(settings, (SensorReading r) -> r.getTs().toEpochMilli()),
                "sensor readings")
            .uid("source-sensor")
            .process(
                Normalise.sensors(settings.reference(), settings.hmacSecret()), RecordType.INFO)
            .uid("normalise-sensor")
            .name("normalise sensor readings")
            .setBufferTimeout(alertPath);
    SingleOutputStreamOperator<Record> departments =
        env.fromSource(
                sources.departments(),
                watermarks(settings, (DepartmentRecord d) -> d.getTs().toEpochMilli()),
                "department records")
            .uid("source-department")
            .process(
                Normalise.departments(settings.reference(), settings.hmacSecret()), RecordType.INFO)
            .uid("normalise-department")
            .name("normalise department records")
            .setBufferTimeout(alertPath);

    BroadcastStream<String> ruleSets =
        env.fromSource(sources.ruleSets(), RuleSetWatermarks.neverHoldBack(), "rule sets")
            .uid("source-rules")
            .setParallelism(1)
            .broadcast(RuleEngine.RULES);
    SingleOutputStreamOperator<Firing> firings =
        cameras
            .union(sensors, departments)
            .keyBy(Record::getGridId)
            .connect(ruleSets)
            .process(
                new RuleEngine(
                    settings.rules(),
                    settings.zone(),
                    settings.allowedLateness(),
                    settings.dedupTtl()))
            .uid("rules")
            .name("deduplicate and evaluate rules per grid")
            .setBufferTimeout(alertPath);
    DataStream<Record> records = firings.getSideOutput(RuleEngine.RECORDS);
    records.sinkTo(sinks.records()).uid("sink-records-kafka").name("gf.records");

    DataStream<Alert> incidents =
        firings
            .keyBy(Firing::incidentKey)
            .process(
                // a late firing is older than the watermark by at most the validation horizon
                new IncidentTracker(IncidentTracker.DEFAULT_QUIET, settings.window().horizon()),
                new AvroTypeInfo<>(Alert.class))
            .uid("incidents")
            .name("one alert per incident")
            .setBufferTimeout(alertPath)
            // alerts of one event (different rules, one grid, minutes apart) share an incident id,
            // and so one work order (issue 16)
            .keyBy(Alert::getGridId)
            .process(new IncidentLinker(settings.linkWindow()), new AvroTypeInfo<>(Alert.class))
            .uid("incident-links")
            .name("link the alerts of one event")
            .setBufferTimeout(alertPath);

    SingleOutputStreamOperator<WorkOrderCommand> commands =
        env.fromSource(
                sources.workOrderCommands(),
                WatermarkStrategy.noWatermarks(),
                "work-order commands")
            .uid("source-workorder-commands")
            .process(
                new ParseCommands(settings.window()), new AvroTypeInfo<>(WorkOrderCommand.class))
            .uid("parse-workorder-commands")
            .name("parse work-order commands");
    SingleOutputStreamOperator<WorkOrder> orders =
        incidents
            .keyBy(WorkOrderLoop::orderKey)
            .connect(
                commands
                    .assignTimestampsAndWatermarks(
                        watermarks(settings, (WorkOrderCommand c) -> c.getTs().toEpochMilli()))
                    .uid("workorder-command-time")
                    .keyBy(c -> WorkOrderLoop.orderKey(c.getOrderId())))
            .process(new WorkOrderLoop(), new AvroTypeInfo<>(WorkOrder.class))
            .uid("workorders")
            .name("work-order loop")
            .setBufferTimeout(alertPath);
    orders.sinkTo(sinks.workOrders()).uid("sink-workorders-kafka").name("gf.workorders");
    orders.sinkTo(sinks.workOrderDocuments()).uid("sink-workorders-es").name("gf-workorders");

    cameras
        .getSideOutput(DeadLetters.TAG)
        .union(
            sensors.getSideOutput(DeadLetters.TAG),
            departments.getSideOutput(DeadLetters.TAG),
            firings.getSideOutput(DeadLetters.TAG),
            commands.getSideOutput(DeadLetters.TAG),
            orders.getSideOutput(DeadLetters.TAG))
        .map(new DeadLetterPrivacy(settings.hmacSecret()))
        .uid("deadletter-privacy")
        .name("pseudonymise dead letters")
        .sinkTo(sinks.deadLetters())
        .uid("sink-deadletter")
        .name("gf.deadletter");

    // device health (contract §10): each device's silence, then one alert per device or per feed;
    // with devices.offline.enabled false no record is sent this way
    boolean watchDevices = settings.devices().enabled();
    DataStream<Alert> deviceAlerts =
        records
            .filter(
                r ->
                    watchDevices
                        && r.getSource() != org.gridfusion.schema.Source.DEPARTMENT
                        && r.getDeviceId() != null)
            .uid("device-records")
            .name("camera and sensor records")
            .keyBy(Record::getDeviceId)
            .process(
                new DeviceWatch(settings.devices(), settings.reference()),
                TypeInformation.of(DeviceStatus.class))
            .uid("device-watch")
            .name("device health")
            .keyBy(DeviceStatus::source)
            .process(new FeedWatch(settings.devices()), new AvroTypeInfo<>(Alert.class))
            .uid("feed-watch")
            .name("DEVICE_OFFLINE per device or feed")
            .setBufferTimeout(alertPath);

    // overdue work orders are alerts too (contract §6); they do not open orders themselves, nor do
    // the GENERAL device alerts
    DataStream<Alert> alerts =
        incidents.union(orders.getSideOutput(WorkOrderLoop.OVERDUE), deviceAlerts);
    alerts.sinkTo(sinks.alerts()).uid("sink-alerts-kafka").name("gf.alerts");
    alerts.sinkTo(sinks.alertDocuments()).uid("sink-alerts-es").name("gf-alerts");

    // only the records that move a score, as small evidence: most readings add nothing and stay
    // here
    DataStream<RiskEvidence> evidence =
        records
            .flatMap(new RiskEvidence.Extract(settings.risk()))
            .uid("risk-evidence")
            .name("risk evidence");
    DataStream<RiskScore> risk =
        evidence
            .keyBy(e -> e.gridId, Types.STRING)
            // a feed's alert (gridId *) is about no grid
            .connect(
                alerts
                    .filter(a -> !FeedWatch.FEED_GRID.equals(a.getGridId()))
                    .uid("grid-alerts")
                    .name("alerts about a grid")
                    .keyBy(Alert::getGridId))
            .process(
                new RiskScorer(settings.risk(), settings.reference()),
                new AvroTypeInfo<>(RiskScore.class))
            .uid("risk")
            .name("risk score per grid");
    risk.sinkTo(sinks.risk()).uid("sink-risk-kafka").name("gf.risk");
  }

  private static <T> WatermarkStrategy<T> watermarks(Settings s, EventTime<T> ts) {
    return WatermarkStrategy.<T>forBoundedOutOfOrderness(s.outOfOrderness())
        .withTimestampAssigner((e, previous) -> ts.of(e))
        .withIdleness(s.idleness());
  }

  @FunctionalInterface
  private interface EventTime<T> extends Serializable {
    long of(T element);
  }

  /** The production sources: GridFusion's raw topics. */
  public static Sources kafkaSources(Config config) {
    KafkaConnection kafka =
        KafkaConnection.from(config, "to read the raw topics and the work-order commands");
    String group = NAME;
    return new Sources(
        KafkaEndpoints.avroSource(kafka, Topics.RAW_CAMERA, group, CameraEvent.class),
        KafkaEndpoints.avroSource(kafka, Topics.RAW_SENSOR, group, SensorReading.class),
        KafkaEndpoints.avroSource(kafka, Topics.RAW_DEPARTMENT, group, DepartmentRecord.class),
        KafkaEndpoints.textSource(kafka, Topics.RULES, group + "-rules"),
        KafkaEndpoints.commandSource(kafka, Topics.WORKORDER_COMMANDS, group + "-workorders"));
  }

  /** The production sinks: the contract's topics and indices. */
  public static Sinks productionSinks(Config config) {
    KafkaConnection bootstrap =
        KafkaConnection.from(config, "to write gf.records, gf.alerts, gf.risk and gf.workorders");
    ElasticsearchConnection es =
        ElasticsearchConnection.from(config, "to write gf-alerts and gf-workorders");
    return new Sinks(
        KafkaEndpoints.avroSink(
            bootstrap,
            Topics.RECORDS,
            Record.class,
            r -> r.getGridId().getBytes(StandardCharsets.UTF_8),
            "gf-records"),
        "at-least-once".equals(config.get(GridFusionOptions.JOB_ALERTS_DELIVERY))
            ? new AlertPublisher(
                bootstrap, Topics.ALERTS, config.get(GridFusionOptions.JOB_ALERTS_REPLAY_LOOKBACK))
            : KafkaEndpoints.avroSink(
                bootstrap,
                Topics.ALERTS,
                Alert.class,
                a -> a.getGridId().getBytes(StandardCharsets.UTF_8),
                "gf-alerts"),
        ElasticsearchSink.beside(es, Documents::alert, 100),
        KafkaEndpoints.textSink(bootstrap, Topics.DEADLETTER),
        KafkaEndpoints.avroSink(
            bootstrap,
            Topics.RISK,
            RiskScore.class,
            r -> r.getGridId().getBytes(StandardCharsets.UTF_8),
            "gf-risk"),
        KafkaEndpoints.avroSink(
            bootstrap,
            Topics.WORKORDERS,
            WorkOrder.class,
            o -> o.getOrderId().getBytes(StandardCharsets.UTF_8),
            "gf-workorders"),
        ElasticsearchSink.beside(es, Documents::workOrder, 200));
  }
}
