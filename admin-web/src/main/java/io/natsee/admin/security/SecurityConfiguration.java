package io.natsee.admin.security;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.CustomFormAuthenticationMechanismDefinition;
import jakarta.security.enterprise.authentication.mechanism.http.LoginToContinue;

/**
 * Form login through Jakarta Security: an unauthenticated request to any page is redirected to
 * {@code /login.xhtml}, whose bean authenticates against {@link FileIdentityStore}; after the
 * login the browser continues to the page it asked for. Which paths need which role is in
 * {@code web.xml}.
 */
@CustomFormAuthenticationMechanismDefinition(
        loginToContinue = @LoginToContinue(loginPage = "/login.xhtml", errorPage = "", useForwardToLogin = false))
@DeclareRoles({Roles.VIEWER, Roles.OPERATOR})
@ApplicationScoped
public class SecurityConfiguration {
}
