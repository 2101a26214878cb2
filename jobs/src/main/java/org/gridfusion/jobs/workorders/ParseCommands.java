package org.gridfusion.jobs.workorders;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.InputSource;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.jobs.records.DeadLetters;
import org.gridfusion.schema.WorkOrderCommand;

/**
 * Reads the JSON commands of {@code gf.workorder-commands} (contract §2.4); bad ones become dead
 * letters.
 */
public final class ParseCommands extends ProcessFunction<String, WorkOrderCommand> {
  private final TimeWindow window;
  private transient InputParsers parsers;

  public ParseCommands(TimeWindow window) {
    this.window = window;
  }

  @Override
  public void open(OpenContext ctx) {
    parsers = new InputParsers(window);
  }

  @Override
  public void processElement(String text, Context ctx, Collector<WorkOrderCommand> out) {
    long now = System.currentTimeMillis();
    Parsed<JsonNode> json = InputParsers.json(text);
    Parsed<WorkOrderCommand> command =
        json instanceof Parsed.Ok<JsonNode> ok
            ? parsers.workOrderCommand(ok.value(), now)
            : Parsed.rejected(
                ((Parsed.Rejected<JsonNode>) json).rejection().reason(),
                ((Parsed.Rejected<JsonNode>) json).rejection().detail());
    if (command instanceof Parsed.Ok<WorkOrderCommand> c) {
      out.collect(c.value());
    } else {
      ctx.output(
          DeadLetters.TAG,
          ((Parsed.Rejected<WorkOrderCommand>) command)
              .rejection()
              .toDeadLetter(InputSource.COMMAND, text, now, "gf.workorder-commands")
              .toJson());
    }
  }
}
