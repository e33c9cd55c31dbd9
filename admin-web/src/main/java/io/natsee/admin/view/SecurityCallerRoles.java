package io.natsee.admin.view;

import io.natsee.admin.security.Roles;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import java.security.Principal;

/** {@link CallerRoles} from Jakarta Security's {@link SecurityContext}; {@code #{caller.operator}} in pages. */
@Named("caller")
@RequestScoped
public class SecurityCallerRoles implements CallerRoles {

    @Inject
    SecurityContext security;

    @Override
    public boolean isOperator() {
        return security.isCallerInRole(Roles.OPERATOR);
    }

    @Override
    public String name() {
        Principal principal = security.getCallerPrincipal();
        return principal == null ? null : principal.getName();
    }

    /** For pages: {@code #{caller.userName}}. */
    public String getUserName() {
        return name();
    }
}
