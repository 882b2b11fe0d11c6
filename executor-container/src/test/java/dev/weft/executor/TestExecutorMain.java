package dev.weft.executor;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.executor.shuffle.ShuffleBlockProviderFactory;
import org.junit.jupiter.api.Test;

class TestExecutorMain {
    /** Loaded by class name, as --shuffle-block-provider-factory does. */
    public static final class TestingFactory implements ShuffleBlockProviderFactory {
        @Override
        public dev.weft.exec.ShuffleBlockProvider create(String executorId, dev.weft.shuffle.ShuffleFiles files) {
            return ShuffleBlockProviderFactory.DEFAULT.create(executorId, files);
        }
    }

    @Test
    void blockProviderFactoryByClassName() {
        assertSame(ShuffleBlockProviderFactory.DEFAULT, ExecutorMain.blockProviderFactory(null));
        assertInstanceOf(TestingFactory.class, ExecutorMain.blockProviderFactory(TestingFactory.class.getName()));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ExecutorMain.blockProviderFactory("java.lang.String"));
        assertTrue(e.getMessage().contains("--shuffle-block-provider-factory"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExecutorMain.blockProviderFactory("no.such.Factory"));
    }
}
