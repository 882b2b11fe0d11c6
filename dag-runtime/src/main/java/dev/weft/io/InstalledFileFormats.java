package dev.weft.io;

import java.util.Iterator;
import java.util.ServiceLoader;

/** Finds the {@link FileFormats} provider once; thread-safe (a benign race loads it twice at most). */
final class InstalledFileFormats {
    private static volatile FileFormats found;

    private InstalledFileFormats() {}

    static FileFormats get() {
        FileFormats f = found;
        if (f == null) {
            f = load();
            found = f;
        }
        return f;
    }

    private static FileFormats load() {
        Iterator<FileFormats> it = ServiceLoader.load(FileFormats.class, FileFormats.class.getClassLoader())
                .iterator();
        if (!it.hasNext()) {
            // A user's jar loaded apart from Weft's (a context class loader of its own) may hold the provider.
            it = ServiceLoader.load(FileFormats.class).iterator();
        }
        if (!it.hasNext()) {
            throw new IllegalStateException("reading or writing files needs the hdfs-io module on the class path"
                    + " (dev.weft:weft-hdfs-io): no " + FileFormats.class.getName() + " provider was found");
        }
        return it.next();
    }
}
