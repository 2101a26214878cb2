package org.gridfusion.common.contract;

final class Enums {
  private Enums() {}

  static <E extends Enum<E>> boolean isKnown(Class<E> type, String s) {
    if (s == null) return false;
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(s)) return true;
    }
    return false;
  }
}
