package dev.weft.plan;

import dev.weft.api.function.FlatMapFunction;
import dev.weft.api.function.SerFunction;
import dev.weft.api.function.SerPredicate;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** Lazy iterator adapters used by narrow transformations. */
public final class Iterators {
    private Iterators() {}

    public static <A, B> Iterator<B> map(Iterator<A> in, SerFunction<A, B> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return in.hasNext();
            }

            @Override
            public B next() {
                return f.apply(in.next());
            }
        };
    }

    public static <A> Iterator<A> filter(Iterator<A> in, SerPredicate<A> p) {
        return new Iterator<>() {
            A next;
            boolean ready;

            @Override
            public boolean hasNext() {
                while (!ready && in.hasNext()) {
                    A v = in.next();
                    if (p.test(v)) {
                        next = v;
                        ready = true;
                    }
                }
                return ready;
            }

            @Override
            public A next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                A v = next;
                next = null;
                return v;
            }
        };
    }

    public static <A, B> Iterator<B> flatMap(Iterator<A> in, FlatMapFunction<A, B> f) {
        return new Iterator<>() {
            Iterator<B> cur = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!cur.hasNext() && in.hasNext()) {
                    try {
                        Iterator<B> n = f.apply(in.next());
                        cur = n == null ? Collections.emptyIterator() : n;
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new UserCodeException(e);
                    }
                }
                return cur.hasNext();
            }

            @Override
            public B next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return cur.next();
            }
        };
    }
}
