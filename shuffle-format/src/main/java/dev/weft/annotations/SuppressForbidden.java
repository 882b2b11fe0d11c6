package dev.weft.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Allows a call the build's forbidden-API check ({@code de.thetaphi:forbiddenapis}, signatures in
 * {@code build-tools/}) would otherwise refuse, on the annotated method, constructor, field or class only.
 * Every use states why in {@link #value()}, e.g. "the launcher's exit code is the container's exit status".
 *
 * <p>Lives in the leaf module so every module can use it; class retention is what the check reads.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD, ElementType.TYPE})
public @interface SuppressForbidden {
    /** Why the forbidden call is right here. */
    String value();
}
