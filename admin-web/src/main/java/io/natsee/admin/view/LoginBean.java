package io.natsee.admin.view;

import io.natsee.admin.security.LoginThrottle;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters;
import jakarta.security.enterprise.credential.Password;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ResourceBundle;

/**
 * The login form's bean: authenticates through Jakarta Security (after {@link LoginThrottle}
 * allows the attempt; otherwise answers 429 with a {@code Retry-After} header and checks no
 * password), and logs out.
 */
@Named
@RequestScoped
public class LoginBean {

    @Inject
    SecurityContext security;

    @Inject
    FacesContext faces;

    @Inject
    LoginThrottle throttle;

    private String username;
    private String password;

    /** Authenticates; on success the mechanism continues to the page first asked for (or the dashboard). */
    public void login() throws IOException {
        ExternalContext external = faces.getExternalContext();
        String user = username == null ? "" : username.trim();
        String address = ((HttpServletRequest) external.getRequest()).getRemoteAddr();
        java.time.Duration wait = throttle.retryAfter(address, user);
        if (!wait.isZero()) {
            password = null;
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            external.setResponseStatus(429);
            external.setResponseHeader("Retry-After", Long.toString(seconds));
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, java.text.MessageFormat.format(
                    ResourceBundle.getBundle(FacesNotices.BUNDLE, faces.getViewRoot().getLocale()).getString("login.throttled"),
                    seconds), null));
            return;
        }
        UsernamePasswordCredential credential = new UsernamePasswordCredential(user,
                new Password(password == null ? "" : password));
        AuthenticationStatus status = security.authenticate((HttpServletRequest) external.getRequest(),
                (HttpServletResponse) external.getResponse(), AuthenticationParameters.withParams().credential(credential).newAuthentication(true));
        password = null;
        if (status == AuthenticationStatus.SUCCESS || status == AuthenticationStatus.SEND_CONTINUE) {
            throttle.succeeded(user);
        } else {
            throttle.failed(address, user);
        }
        switch (status) {
            case SEND_CONTINUE -> faces.responseComplete();
            case SUCCESS -> external.redirect(external.getRequestContextPath() + "/");
            default -> faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR,
                    ResourceBundle.getBundle(FacesNotices.BUNDLE, faces.getViewRoot().getLocale()).getString("login.failed"), null));
        }
    }

    /** Ends the session and goes back to the login page. */
    public void logout() throws IOException, ServletException {
        ExternalContext external = faces.getExternalContext();
        ((HttpServletRequest) external.getRequest()).logout();
        external.invalidateSession();
        external.redirect(external.getRequestContextPath() + "/login.xhtml");
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }
}
