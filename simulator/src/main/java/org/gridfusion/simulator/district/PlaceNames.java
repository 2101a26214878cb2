package org.gridfusion.simulator.district;

import java.util.Locale;
import org.gridfusion.common.contract.GridKind;

/**
 * Names of streets, communities and dedicated grids, in pinyin so every file stays plain ASCII
 * apart from people's names. They are picked by position, not at random, so they are unique and
 * stable.
 */
final class PlaceNames {
  private static final String[] STREETS = {
    "Hongxing", "Kerqin", "Minzhu", "Qinghe", "Xilamulun", "Zhanqian", "Mingren", "Huolinhe",
    "Yongqing", "Shengli", "Dalin", "Yuzhou", "Xinxing", "Guangming", "Jiefang", "Hexi"
  };
  private static final String[] COMMUNITIES = {
    "Heping", "Xingfu", "Yingbin", "Jianshe", "Wenhua", "Dongsheng", "Xinhua", "Chaoyang",
        "Jinqiao",
    "Lanqiao", "Fuxing", "Anle", "Kangle", "Tianyuan", "Huayuan", "Minfu", "Shuguang", "Hongqi",
    "Qingnian", "Tuanjie", "Beiyuan", "Nanyuan", "Xiyuan", "Dongyuan", "Binhe", "Lvyuan", "Jinxiu",
    "Ruixiang", "Yuquan", "Fengshou", "Hexie", "Xinglong"
  };
  private static final String[] ROADS = {
    "Jianguo Rd",
    "Keerqin Ave",
    "Huolinhe St",
    "Minzhu Rd",
    "Zhongxing St",
    "Heping Rd",
    "Xinhua St",
    "Yongqing Rd",
    "Tongliao Ave",
    "Kelin St",
    "Hade Rd",
    "Songshu St"
  };

  private PlaceNames() {}

  static String street(int index) {
    return numbered(STREETS, index) + " Street";
  }

  static String community(int globalIndex) {
    return numbered(COMMUNITIES, globalIndex) + " Community";
  }

  static String road(int index) {
    return ROADS[index % ROADS.length];
  }

  /**
   * A dedicated grid's name.
   *
   * @param ordinal 1-based count of grids of this kind in the district so far
   */
  static String dedicated(GridKind kind, int ordinal, String streetName, String communityName) {
    String place = communityName.replace(" Community", "");
    String streetBase = streetName.replace(" Street", "");
    return switch (kind) {
      case SCHOOL ->
          (ordinal % 3 == 0
              ? "Horqin No. " + ordinal + " Middle School"
              : "Horqin No. " + ordinal + " Primary School");
      case HOSPITAL ->
          ordinal % 2 == 1
              ? streetBase + " Community Health Centre " + ordinal
              : "Horqin District Hospital Branch " + ordinal;
      case MARKET -> place + " Farmers' Market";
      case BUSINESS -> place + " Business Building " + ordinal;
      case PARK -> place + " Park";
      case INDUSTRIAL -> streetBase + " Industrial Park Plot " + ordinal;
      case BASIC -> throw new IllegalArgumentException("a basic grid is not dedicated");
    };
  }

  private static String numbered(String[] names, int index) {
    int round = index / names.length;
    String base = names[index % names.length];
    return round == 0 ? base : String.format(Locale.ROOT, "%s %d", base, round + 1);
  }
}
