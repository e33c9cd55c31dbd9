package io.natsee.admin.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** One {@link LoginThrottle} for the whole console, on the system clock. */
@ApplicationScoped
public class LoginThrottleProducer {

    private final LoginThrottle throttle = new LoginThrottle(Clock.systemUTC());

    /** The console's one throttle (dependent scope, always this instance: the class is final, so not proxied). */
    @Produces
    LoginThrottle throttle() {
        return throttle;
    }
}
