package org.gridfusion.jobs.elasticsearch;

import java.io.Serializable;

/** Maps a stream element to the document write that stores it. */
@FunctionalInterface
public interface DocumentMapper<T> extends Serializable {
  EsWrite toWrite(T element);
}
