package io.natsee.admin.view;

import java.util.ArrayList;
import java.util.List;

/** {@link Notices} that remembers the keys, for assertions. */
final class RecordingNotices implements Notices {

    final List<String> infos = new ArrayList<>();
    final List<String> errors = new ArrayList<>();

    @Override
    public void info(String key, Object... arguments) {
        infos.add(key);
    }

    @Override
    public void error(String key, Object... arguments) {
        errors.add(key);
    }
}
