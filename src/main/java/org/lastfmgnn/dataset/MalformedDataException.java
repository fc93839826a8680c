package org.lastfmgnn.dataset;

/** A data file that cannot be loaded; the message names the file and the line or key at fault. */
public final class MalformedDataException extends RuntimeException {
    public MalformedDataException(String file, String where, String problem) {
        super(file + ", " + where + ": " + problem);
    }

    public MalformedDataException(String file, String where, String problem, Throwable cause) {
        super(file + ", " + where + ": " + problem, cause);
    }
}
