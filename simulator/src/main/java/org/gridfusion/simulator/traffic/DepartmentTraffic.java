package org.gridfusion.simulator.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.gridfusion.common.contract.Department;
import org.gridfusion.common.json.Json;
import org.gridfusion.simulator.district.Address;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.SyntheticPeople;
import org.gridfusion.simulator.format.Coordinates;
import org.gridfusion.simulator.format.Timestamps;

/**
 * Everyday department event records (contract §2.3): police calls, disputes by the eight
 * specialisms, urban-management cases, failed inspections, petitions, and record types without a
 * fixed meaning (stored and searchable only). Each is located at a standard address, sometimes with
 * coordinates too. None of them raises an alert alone; they only change the severity of alerts
 * raised by incidents.
 */
final class DepartmentTraffic {
  private static final String[] INCIDENT_CATEGORIES = {
    "NOISE_COMPLAINT",
    "THEFT",
    "TRAFFIC_ACCIDENT",
    "DOMESTIC",
    "LOST_PERSON",
    "NEIGHBOUR_QUARREL",
    "OTHER"
  };
  private static final String[] DISPUTE_CATEGORIES = {
    "PROPERTY",
    "ROAD_TRAFFIC",
    "MEDICAL",
    "LABOUR",
    "ENVIRONMENT",
    "FAMILY",
    "JUVENILE",
    "PSYCHOLOGICAL"
  };
  private static final String[] CASE_TYPES = {
    "ILLEGAL_CONSTRUCTION", "UNLICENSED_VENDOR", "ROAD_DAMAGE", "LITTERING", "ILLEGAL_ADVERTISING"
  };
  private static final String[] INSPECTION_TYPES = {
    "FOOD_SAFETY", "FIRE_SAFETY", "GAS_SAFETY", "PRICE_LABELLING"
  };
  private static final String[] PETITION_TOPICS = {
    "WAGE_ARREARS", "DEMOLITION_COMPENSATION", "PROPERTY_MANAGEMENT", "PENSION", "HOUSING_QUALITY"
  };

  private final List<Address> addresses;
  private final SplittableRandom random;
  private final SyntheticPeople people;
  private final String runId;
  private long sequence;

  DepartmentTraffic(District district, String runId, SplittableRandom random) {
    this.addresses = district.addresses();
    this.random = random;
    this.people = new SyntheticPeople(random.split());
    this.runId = runId;
  }

  boolean hasAddresses() {
    return !addresses.isEmpty();
  }

  TrafficItem next(Instant eventTime) {
    // Clerks' systems record whole seconds.
    Instant ts = eventTime.truncatedTo(ChronoUnit.SECONDS);
    Address at = addresses.get(random.nextInt(addresses.size()));
    ObjectNode attributes = Json.MAPPER.createObjectNode();
    String subjectId = null;
    Department department;
    String type;
    int roll = random.nextInt(100);
    if (roll < 30) {
      department = Department.POLICE;
      type = "INCIDENT_REPORT";
      attributes.put("category", pick(INCIDENT_CATEGORIES));
      attributes.put("callerPhone", people.mobile());
    } else if (roll < 55) {
      String category = pick(DISPUTE_CATEGORIES);
      department = disputeDepartment(category);
      type = "DISPUTE_REPORTED";
      attributes.put("category", category);
      attributes.put("parties", String.valueOf(2 + random.nextInt(3)));
    } else if (roll < 75) {
      department =
          random.nextInt(5) < 3 ? Department.URBAN_MANAGEMENT : Department.MARKET_REGULATION;
      type = "CASE_REPORTED";
      attributes.put("caseType", pick(CASE_TYPES));
    } else if (roll < 85) {
      department =
          random.nextBoolean() ? Department.MARKET_REGULATION : Department.EMERGENCY_MANAGEMENT;
      type = "INSPECTION_FAILED";
      attributes.put("inspectionType", pick(INSPECTION_TYPES));
    } else if (roll < 90) {
      department = Department.PETITION;
      type = "PETITION_FILED";
      subjectId = people.idNumber(1950, 2000);
      attributes.put("name", people.name());
      attributes.put("phone", people.mobile());
      attributes.put("topic", pick(PETITION_TOPICS));
    } else if (roll < 95) {
      department = Department.HR_SOCIAL_SECURITY;
      type = "SOCIAL_SECURITY_CLAIM";
      attributes.put("claimType", random.nextBoolean() ? "UNEMPLOYMENT" : "WORK_INJURY");
    } else {
      department = Department.CIVIL_AFFAIRS;
      type = "HOME_VISIT";
      attributes.put("visitor", "grid worker");
    }
    String recordId =
        String.format(Locale.ROOT, "%s-%s-%08d", prefix(department), runId, ++sequence);
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("recordId", recordId);
    o.put("department", department.name());
    o.put("recordType", type);
    o.put("ts", Timestamps.chinaSeconds(ts));
    o.put("addressCode", at.addressCode());
    if (random.nextInt(10) < 3) {
      o.put("lat", Coordinates.decimal(at.lat()));
      o.put("lon", Coordinates.decimal(at.lon()));
    }
    if (subjectId != null) o.put("subjectId", subjectId);
    o.set("attributes", attributes);
    return new TrafficItem(
        TrafficSource.DEPARTMENT, ts, null, Json.write(o), Quality.GOOD, null, at.gridId(), type);
  }

  /** Which office a dispute is reported to, following the mediation centre's specialisms. */
  private static Department disputeDepartment(String category) {
    return switch (category) {
      case "PROPERTY" -> Department.HOUSING;
      case "ROAD_TRAFFIC" -> Department.POLICE;
      case "MEDICAL", "PSYCHOLOGICAL" -> Department.HEALTH;
      case "LABOUR" -> Department.HR_SOCIAL_SECURITY;
      case "ENVIRONMENT" -> Department.URBAN_MANAGEMENT;
      default -> Department.JUSTICE;
    };
  }

  static String prefix(Department d) {
    return switch (d) {
      case POLICE -> "po";
      case HEALTH -> "he";
      case MARKET_REGULATION -> "mr";
      case HOUSING -> "ho";
      case URBAN_MANAGEMENT -> "um";
      case CIVIL_AFFAIRS -> "ca";
      case JUSTICE -> "ju";
      case EMERGENCY_MANAGEMENT -> "em";
      case PETITION -> "pe";
      case HR_SOCIAL_SECURITY -> "hr";
    };
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }
}
