package io.natsee.admin.security;

import io.natsee.admin.AdminSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The console's identity store: the users file named by {@code natsee.admin.users} (see
 * {@link UserFile}), read again when it changes. Without a readable file nobody can log in,
 * which the log says once.
 */
@ApplicationScoped
public class FileIdentityStore implements IdentityStore {

    private static final Logger LOG = Logger.getLogger(FileIdentityStore.class.getName());

    private Path file;
    private UserFile users;
    private FileTime loaded;
    private String lastProblem;

    /** For CDI. */
    public FileIdentityStore() {
    }

    /** A store over the given file ({@code null}: nobody can log in). */
    public FileIdentityStore(Path file) {
        this.file = file;
    }

    @jakarta.annotation.PostConstruct
    void configure() {
        if (file == null) {
            file = AdminSettings.fromEnvironment().usersFile();
        }
    }

    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (!(credential instanceof UsernamePasswordCredential login)) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        UserFile current = current();
        if (current == null) {
            return CredentialValidationResult.INVALID_RESULT;
        }
        Optional<Set<String>> roles = current.authenticate(login.getCaller(), login.getPassword().getValue());
        return roles.map(groups -> new CredentialValidationResult(login.getCaller(), groups))
                .orElse(CredentialValidationResult.INVALID_RESULT);
    }

    /** The users as the file says now; {@code null} when there is no readable, valid file. */
    synchronized UserFile current() {
        if (file == null) {
            problem("natsee.admin.users is not set: nobody can log in to the console");
            return null;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (users == null || !modified.equals(loaded)) {
                users = UserFile.read(file);
                loaded = modified;
                lastProblem = null;
                LOG.info(() -> "Console users read from " + file + ": " + users.size());
            }
            return users;
        } catch (NoSuchFileException e) {
            problem("the console's users file " + file + " does not exist: nobody can log in");
        } catch (IOException e) {
            problem("the console's users file " + file + " cannot be read: " + e);
        } catch (IllegalArgumentException e) {
            problem("the console's users file has errors; nobody can log in until they are fixed:\n" + e.getMessage());
        }
        users = null;
        return null;
    }

    private void problem(String text) {
        if (!text.equals(lastProblem)) {
            lastProblem = text;
            LOG.log(Level.WARNING, text);
        }
    }
}
