package org.gridfusion.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.gridfusion.schema.codec.AvroCodec.SchemaHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build's guard on schema evolution: every schema as generated today must read the data of
 * every released version of it (backward: reader = current, writer = old) and be readable by
 * consumers still on a released version (forward: reader = old, writer = current). Released
 * versions are the {@code avro-history/<Name>-v<N>.avsc} resources, loaded the way {@link
 * SchemaHistory} loads them at run time. The negative cases below run the same check on
 * deliberately broken variants, so a check that let everything through would fail here.
 */
class SchemaCompatibilityTest {

  static Stream<Arguments> releasedVersions() {
    return TopLevelSchemas.names().stream()
        .flatMap(
            name -> {
              List<Schema> released = SchemaHistory.released(name);
              return Stream.iterate(1, v -> v <= released.size(), v -> v + 1)
                  .map(v -> Arguments.of(name, v, released.get(v - 1)));
            });
  }

  @ParameterizedTest(name = "{0} reads {0}-v{1}")
  @MethodSource("releasedVersions")
  void currentSchemaReadsEveryReleasedVersion(String name, int version, Schema released) {
    assertThat(incompatibilities(TopLevelSchemas.current(name), released))
        .as("current %s reading data written with %s-v%d (backward)", name, name, version)
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}-v{1} reads {0}")
  @MethodSource("releasedVersions")
  void everyReleasedVersionReadsTheCurrentSchema(String name, int version, Schema released) {
    assertThat(incompatibilities(released, TopLevelSchemas.current(name)))
        .as(
            "consumer on %s-v%d reading data written with the current %s (forward)",
            name, version, name)
        .isEmpty();
  }

  @Test
  void aRequiredFieldWithoutDefaultCannotReadOldData() {
    Schema v1 = workOrderV1();
    Schema withPriority =
        edit(
            TopLevelSchemas.current("WorkOrder"),
            fields -> {
              fields.add(
                  new Schema.Field(
                      "priority", Schema.create(Schema.Type.INT), "Added without a default."));
              return fields;
            });

    assertThat(incompatibilities(withPriority, v1))
        .singleElement()
        .asString()
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE at WorkOrder.priority");
    // The same field with a default is the allowed evolution, both ways.
    Schema withOptionalPriority =
        edit(
            TopLevelSchemas.current("WorkOrder"),
            fields -> {
              fields.add(
                  new Schema.Field(
                      "priority",
                      Schema.createUnion(
                          Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.INT)),
                      "Added with a default.",
                      Schema.Field.NULL_DEFAULT_VALUE));
              return fields;
            });
    assertThat(incompatibilities(withOptionalPriority, v1)).isEmpty();
    assertThat(incompatibilities(v1, withOptionalPriority)).isEmpty();
  }

  @Test
  void aRemovedRequiredFieldLeavesOldReadersWithoutIt() {
    Schema withoutDueAt =
        edit(
            TopLevelSchemas.current("WorkOrder"),
            fields -> {
              fields.removeIf(f -> f.name().equals("dueAt"));
              return fields;
            });

    assertThat(incompatibilities(workOrderV1(), withoutDueAt))
        .singleElement()
        .asString()
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE at WorkOrder.dueAt");
  }

  @Test
  void aNewEnumSymbolBreaksOldReaders() {
    Schema status = TopLevelSchemas.current("WorkOrder").getField("status").schema();
    List<String> symbols = new ArrayList<>(status.getEnumSymbols());
    symbols.add("ARCHIVED");
    Schema withArchived =
        edit(
            TopLevelSchemas.current("WorkOrder"),
            fields -> {
              fields.replaceAll(
                  f ->
                      f.name().equals("status")
                          ? new Schema.Field(
                              f,
                              Schema.createEnum(
                                  status.getName(),
                                  status.getDoc(),
                                  status.getNamespace(),
                                  symbols))
                          : f);
              return fields;
            });

    assertThat(incompatibilities(withArchived, workOrderV1())).as("new reader, old data").isEmpty();
    assertThat(incompatibilities(workOrderV1(), withArchived))
        .singleElement()
        .asString()
        .contains("MISSING_ENUM_SYMBOLS at WorkOrder.status")
        .contains("ARCHIVED");
  }

  @Test
  void aChangedFieldTypeIsReportedWithItsLocation() {
    Schema countAsString =
        edit(
            TopLevelSchemas.current("Alert"),
            fields -> {
              fields.replaceAll(
                  f ->
                      f.name().equals("count")
                          ? new Schema.Field(f, Schema.create(Schema.Type.STRING))
                          : f);
              return fields;
            });

    assertThat(incompatibilities(countAsString, SchemaHistory.released("Alert").get(0)))
        .singleElement()
        .asString()
        .contains("TYPE_MISMATCH at Alert.count (/fields/14/type)");
    assertThat(
            readerPath(TopLevelSchemas.current("RiskScore"), "/fields/4/type/items/fields/1/type"))
        .isEqualTo("RiskScore.factors[].contribution");
  }

  /**
   * The incompatibilities Avro finds when {@code reader} reads data written with {@code writer},
   * one line each with its type and location; empty exactly when the pair is compatible.
   */
  static List<String> incompatibilities(Schema reader, Schema writer) {
    SchemaPairCompatibility pair =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    List<String> found =
        pair.getResult().getIncompatibilities().stream()
            .map(
                i ->
                    i.getType()
                        + " at "
                        + readerPath(reader, i.getLocation())
                        + " ("
                        + i.getLocation()
                        + "): "
                        + i.getMessage())
            .toList();
    if (pair.getType() != SchemaCompatibilityType.COMPATIBLE && found.isEmpty()) {
      return List.of(pair.getType() + ": " + pair.getDescription());
    }
    return found;
  }

  /**
   * Avro reports where an incompatibility is as a JSON pointer into the reader schema ({@code
   * /fields/14/type}); this names the field ({@code Alert.count}) so the failure reads at once.
   */
  static String readerPath(Schema reader, String location) {
    StringBuilder path = new StringBuilder(reader.getName());
    String[] steps = location.split("/");
    Schema at = reader;
    for (int i = 1; i < steps.length; i++) {
      String step = steps[i];
      if (step.equals("fields") && at.getType() == Schema.Type.RECORD && i + 1 < steps.length) {
        Schema.Field f = at.getFields().get(Integer.parseInt(steps[++i]));
        path.append('.').append(f.name());
        at = f.schema();
      } else if (step.equals("items") && at.getType() == Schema.Type.ARRAY) {
        path.append("[]");
        at = at.getElementType();
      } else if (step.equals("values") && at.getType() == Schema.Type.MAP) {
        path.append("{}");
        at = at.getValueType();
      } else if (at.getType() == Schema.Type.UNION && step.matches("\\d+")) {
        at = at.getTypes().get(Integer.parseInt(step));
      } else if (!step.equals("type")) {
        break; // symbols, size, name: the element itself is the place
      }
    }
    return path.toString();
  }

  private static Schema workOrderV1() {
    return SchemaHistory.released("WorkOrder").get(0);
  }

  /**
   * A copy of {@code record} with its field list edited (fields are copied, as Avro binds a field
   * to one record).
   */
  private static Schema edit(Schema record, UnaryOperator<List<Schema.Field>> change) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : record.getFields()) fields.add(new Schema.Field(f, f.schema()));
    return Schema.createRecord(
        record.getName(), record.getDoc(), record.getNamespace(), false, change.apply(fields));
  }
}
