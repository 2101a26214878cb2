package org.gridfusion.launcher;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.KafkaSetup;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.jobs.rules.RuleSet;

/**
 * Publishes a rule set to {@code gf.rules} (compacted, one key), where the running fusion job picks
 * it up through broadcast state. The set is checked here first, so a mistake is reported to the
 * person who made it; the job checks again and refuses anything that slipped past (a hand-made
 * message).
 */
final class RulePublisher {
  static final String KEY = "rules";

  private RulePublisher() {}

  /** Checks and publishes; throws {@link RuleSet.InvalidRuleSet} with rule, field and reason. */
  static RuleSet publish(KafkaConnection kafka, String text, String origin) throws Exception {
    RuleSet set = RuleSet.parse(text, origin);
    publishUnchecked(kafka, text);
    return set;
  }

  /** Publishes without checking: for tests of the job's own refusal. */
  static void publishUnchecked(KafkaConnection kafka, String text) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaSetup.reliableProducer(kafka, "gridfusion-rules-push"))) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.RULES,
                  KEY.getBytes(StandardCharsets.UTF_8),
                  text.getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
    }
  }
}
