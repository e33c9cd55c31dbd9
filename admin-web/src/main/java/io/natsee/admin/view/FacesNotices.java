package io.natsee.admin.view;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import java.text.MessageFormat;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** {@link Notices} as Faces messages, in the view's locale, from the {@code msg} bundle. */
@ApplicationScoped
public class FacesNotices implements Notices {

    static final String BUNDLE = "io.natsee.admin.Messages";

    @Override
    public void info(String key, Object... arguments) {
        add(FacesMessage.SEVERITY_INFO, key, arguments);
    }

    @Override
    public void error(String key, Object... arguments) {
        add(FacesMessage.SEVERITY_ERROR, key, arguments);
    }

    private static void add(FacesMessage.Severity severity, String key, Object... arguments) {
        FacesContext context = FacesContext.getCurrentInstance();
        String pattern;
        try {
            pattern = ResourceBundle.getBundle(BUNDLE, context.getViewRoot().getLocale()).getString(key);
        } catch (MissingResourceException e) {
            pattern = key;
        }
        String text = new MessageFormat(pattern, context.getViewRoot().getLocale()).format(arguments);
        context.addMessage(null, new FacesMessage(severity, text, null));
    }
}
