package org.gridfusion.simulator.district;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Synthetic personal data that looks real enough to exercise masking and pseudonymisation: Han and
 * Mongolian names (the district is in Inner Mongolia), 18-digit resident ID numbers with a valid GB
 * 11643 check digit, and 11-digit mobile numbers. No value is taken from a real person.
 *
 * <p>ID numbers are unique within one generator. A check digit of {@code X} is avoided by moving to
 * the next sequence code of the same sex, so every number is 18 digits.
 */
public final class SyntheticPeople {
  private static final String[] SURNAMES = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭",
    "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁", "邓", "许", "沈", "曾",
    "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "潘", "杜", "戴", "白", "包", "孟", "石"
  };
  private static final String[] GIVEN = {
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰",
    "霞", "平", "刚", "桂英", "玉兰", "凤英", "淑珍", "建国", "建华", "国庆", "志强", "海燕", "玉珍", "德福", "永红", "春梅",
    "丽华", "文华", "宏伟", "淑兰", "金凤"
  };

  /** Mongolian given names, commonly used alone or after a Han surname such as 包 or 白. */
  private static final String[] MONGOLIAN = {
    "巴特尔", "乌云", "其其格", "苏和", "额尔敦", "斯琴", "那仁", "宝音", "图雅", "阿拉坦", "哈斯", "朝鲁", "格日勒", "萨仁", "乌兰",
    "满都拉", "特木尔", "敖登"
  };

  private static final String[] MONGOLIAN_SURNAMES = {"包", "白", "韩", "吴"};
  private static final String[] MOBILE_PREFIXES = {
    "130", "131", "132", "133", "135", "136", "138", "139", "147", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "177", "180", "182", "185", "186", "187", "188", "189", "199"
  };

  /**
   * Horqin District, Horqin Left Middle Banner, Naiman Banner: places of household registration.
   */
  private static final String[] REGION_CODES = {"150502", "150502", "150502", "150521", "150525"};

  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] CHECK = "10X98765432".toCharArray();

  private final SplittableRandom random;
  private final Set<String> issuedIds = new HashSet<>();

  /** Draws from the caller's seeded generator. */
  public SyntheticPeople(SplittableRandom random) {
    this.random = random;
  }

  public String name() {
    if (random.nextInt(100) < 15) {
      String given = Draw.pick(random, MONGOLIAN);
      return random.nextBoolean() ? given : Draw.pick(random, MONGOLIAN_SURNAMES) + given;
    }
    return Draw.pick(random, SURNAMES) + Draw.pick(random, GIVEN);
  }

  public String mobile() {
    return Draw.pick(random, MOBILE_PREFIXES)
        + String.format(Locale.ROOT, "%08d", random.nextInt(100_000_000));
  }

  /** A unique 18-digit ID number of someone born between the two years (inclusive). */
  public String idNumber(int bornFrom, int bornTo) {
    while (true) {
      LocalDate birth =
          LocalDate.of(Draw.between(random, bornFrom, bornTo), 1, 1).plusDays(random.nextInt(365));
      int sequence = random.nextInt(1000);
      for (int attempt = 0; attempt < 10; attempt++, sequence = (sequence + 2) % 1000) {
        String body =
            Draw.pick(random, REGION_CODES)
                + String.format(
                    Locale.ROOT,
                    "%04d%02d%02d%03d",
                    birth.getYear(),
                    birth.getMonthValue(),
                    birth.getDayOfMonth(),
                    sequence);
        char check = checkDigit(body);
        if (check == 'X') continue;
        String id = body + check;
        if (issuedIds.add(id)) return id;
      }
    }
  }

  /** GB 11643-1999 (ISO 7064 MOD 11-2) check character of the first 17 digits. */
  public static char checkDigit(String first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (first17.charAt(i) - '0') * WEIGHTS[i];
    return CHECK[sum % 11];
  }
}
