package io.natsee.admin.view;

/** Messages to the user, by resource bundle key ({@code Messages.properties}); the pages show them. */
public interface Notices {

    /** Something worked. */
    void info(String key, Object... arguments);

    /** Something failed or was refused. */
    void error(String key, Object... arguments);
}
