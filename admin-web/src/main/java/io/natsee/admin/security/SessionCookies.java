package io.natsee.admin.security;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Marks the session cookie {@code SameSite=Strict} (a browser sends it with no request another
 * site starts), through the Servlet 6.0 API rather than {@code web.xml}'s {@code <attribute>},
 * which WildFly 36's descriptor parser refuses. Payara does not apply this attribute to its session
 * cookie; {@code WEB-INF/glassfish-web.xml} sets it there ({@code cookieSameSite}).
 */
@WebListener
public class SessionCookies implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        event.getServletContext().getSessionCookieConfig().setAttribute("SameSite", "Strict");
    }
}
