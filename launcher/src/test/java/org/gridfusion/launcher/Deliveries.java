package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.ElasticsearchProbe;
import org.gridfusion.testkit.KafkaProbe;

/**
 * What came out of a running GridFusion for inputs a test remembered: how often each record is in
 * {@code gf.records} (read_committed) and {@code gf-records}, and whether each expected alert is in
 * {@code gf.alerts} and {@code gf-alerts} once, with its work order reported once and no step of
 * any order or update of any alert published twice.
 */
public final class Deliveries {
  /** An alert a test expects: its rule and grid; each of these rules opens a work order. */
  public record ExpectedAlert(String ruleId, String gridId) {}

  /**
   * Counts for a set of inputs.
   *
   * @param stored inputs in gf-records at least once
   * @param lost acknowledged inputs not in gf-records
   * @param duplicates copies beyond the first, in gf.records and gf-records together
   */
  public record Counts(int sent, int acknowledged, int stored, int lost, int duplicates) {}

  private static final AvroCodec<Record> RECORDS = AvroCodec.of(Record.class);
  private static final AvroCodec<Alert> ALERTS = AvroCodec.of(Alert.class);
  private static final AvroCodec<WorkOrder> ORDERS = AvroCodec.of(WorkOrder.class);

  private final String kafka;
  private final String elasticsearch;
  private final Duration within;
  private final Function<byte[], String> recordId;

  public Deliveries(String kafka, String elasticsearch, Duration within) {
    this(kafka, elasticsearch, within, value -> decode(RECORDS, value).getRecordId());
  }

  /**
   * @param recordId reads the record id of a gf.records message (a test that upgrades the job to a
   *     Record with one field more reads both schemas)
   */
  public Deliveries(
      String kafka, String elasticsearch, Duration within, Function<byte[], String> recordId) {
    this.kafka = kafka;
    this.elasticsearch = elasticsearch;
    this.within = within;
    this.recordId = recordId;
  }

  /** Copies of each input's record in gf.records (read_committed) and in gf-records. */
  public record Stored(Map<String, Integer> inKafka, Map<String, Integer> inIndex) {
    /** Counts for some of the inputs. */
    public Counts count(Set<String> sent, Set<String> acknowledged) {
      int duplicates = 0;
      int stored = 0;
      for (String id : sent) {
        duplicates += Math.max(0, inKafka.getOrDefault(id, 0) - 1);
        duplicates += Math.max(0, inIndex.getOrDefault(id, 0) - 1);
        if (inIndex.containsKey(id)) stored++;
      }
      int lost = 0;
      for (String id : acknowledged) if (!inIndex.containsKey(id)) lost++;
      return new Counts(sent.size(), acknowledged.size(), stored, lost, duplicates);
    }
  }

  /**
   * Waits until every acknowledged input is in gf.records and gf-records, then reads both to their
   * end for the copies of every sent one.
   */
  public Stored records(Set<String> sent, Set<String> acknowledged) {
    KafkaProbe.readUntil(
        kafka, Topics.RECORDS, rs -> recordIds(rs).keySet().containsAll(acknowledged), within);
    Map<String, Integer> inKafka = recordIds(KafkaProbe.readAll(kafka, Topics.RECORDS, within));
    inKafka.keySet().retainAll(sent);
    return new Stored(inKafka, awaitDocuments(sent, acknowledged));
  }

  /** gf-records documents per record id among {@code ids}, once every acknowledged one is in. */
  private Map<String, Integer> awaitDocuments(Set<String> ids, Set<String> acknowledged) {
    // A failed look is "not yet": the node may still be coming back (the supervisor restarts it
    // after a kill).
    Map<String, Integer> docs =
        Await.until(
            "every acknowledged input in gf-records",
            () -> documents(ids),
            d -> d.keySet().containsAll(acknowledged),
            within,
            d -> {
              Set<String> missing = new HashSet<>(acknowledged);
              missing.removeAll(d.keySet());
              return missing.size() + " missing, e.g. " + missing.stream().limit(10).toList();
            });
    return docs;
  }

  private Map<String, Integer> documents(Collection<String> ids) {
    ElasticsearchProbe.refresh(elasticsearch, "gf-records-*");
    Map<String, Integer> out = new HashMap<>();
    List<String> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += 5_000) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + 5_000));
      String query =
          "{\"size\":10000,\"_source\":[\"recordId\"],\"query\":{\"terms\":{\"recordId\":"
              + json(chunk)
              + "}}}";
      for (JsonNode d : ElasticsearchProbe.search(elasticsearch, "gf-records-*", query).sources()) {
        out.merge(d.path("recordId").asText(), 1, Integer::sum);
      }
    }
    return out;
  }

  /**
   * Every expected alert in gf.alerts and once in gf-alerts with its work order reported once; no
   * update of any alert and no step of any work order published twice.
   */
  public void alertsExactlyOnce(List<ExpectedAlert> expected) {
    List<Alert> published = new ArrayList<>();
    KafkaProbe.readUntil(
        kafka,
        Topics.ALERTS,
        rs -> {
          published.clear();
          for (var r : rs) published.add(decode(ALERTS, r.value()));
          return expected.stream()
              .allMatch(
                  e ->
                      published.stream()
                          .anyMatch(
                              a ->
                                  a.getRuleId().equals(e.ruleId())
                                      && a.getGridId().equals(e.gridId())));
        },
        within);
    published.clear();
    for (var r : KafkaProbe.readAll(kafka, Topics.ALERTS, within)) {
      published.add(decode(ALERTS, r.value()));
    }
    Set<String> updates = new HashSet<>();
    for (Alert a : published) {
      assertThat(updates.add(a.getAlertId() + "#" + a.getCount() + "#" + a.getStatus()))
          .as(
              "alert update published twice in gf.alerts: %s count %s",
              a.getAlertId(), a.getCount())
          .isTrue();
    }
    for (ExpectedAlert e : expected) {
      JsonNode alert = awaitOne("gf-alerts-*", alertQuery(e), e.toString());
      String orderId = "WO." + alert.path("alertId").asText();
      JsonNode order =
          awaitOne(
              "gf-workorders-*",
              "{\"query\":{\"term\":{\"orderId\":\"" + orderId + "\"}}}",
              "work order " + orderId);
      long reported = 0;
      for (JsonNode h : order.path("history")) {
        if ("REPORTED".equals(h.path("action").asText())) reported++;
      }
      assertThat(reported).as("REPORTED steps of %s", orderId).isEqualTo(1);
    }
    Set<String> steps = new HashSet<>();
    for (var r : KafkaProbe.readAll(kafka, Topics.WORKORDERS, within)) {
      WorkOrder o = decode(ORDERS, r.value());
      assertThat(steps.add(o.getOrderId() + "#" + o.getHistory().size()))
          .as("work order step published twice in gf.workorders: %s", o.getOrderId())
          .isTrue();
    }
  }

  /** Waits for the one document the query finds; fails on a second one. */
  private JsonNode awaitOne(String index, String query, String what) {
    // a failed search is "not yet": the index is made by the first write
    ElasticsearchProbe.Hits hits =
        Await.until(
            what + " in " + index,
            () -> {
              ElasticsearchProbe.refresh(elasticsearch, index);
              return ElasticsearchProbe.search(elasticsearch, index, query);
            },
            h -> h.total() >= 1,
            within);
    assertThat(hits.total()).as("documents for %s in %s", what, index).isEqualTo(1);
    return hits.sources().get(0);
  }

  private static String alertQuery(ExpectedAlert e) {
    return "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"ruleId\":\""
        + e.ruleId()
        + "\"}},{\"term\":{\"gridId\":\""
        + e.gridId()
        + "\"}}]}}}";
  }

  private Map<String, Integer> recordIds(List<ConsumerRecord<byte[], byte[]>> rs) {
    Map<String, Integer> out = new HashMap<>();
    for (var r : rs) out.merge(recordId.apply(r.value()), 1, Integer::sum);
    return out;
  }

  private static <T extends SpecificRecordBase> T decode(AvroCodec<T> codec, byte[] value) {
    try {
      return codec.decode(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String json(Object o) {
    try {
      return Json.MAPPER.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
