package io.natsee.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command files the stack writes: loopback pre-boot, and the deployment order with the user's archives. */
class StackCommandsTest {

    @TempDir
    Path directory;

    @Test
    void thePrebootFileBindsTheHttpListenerToTheGivenAddress() {
        StackCommands commands = new StackCommands("127.0.0.1", 4222, Path.of("archives"), true, List.of());
        assertEquals("set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1\n",
                commands.preboot());
    }

    @Test
    void theBrokerComesFirstThenTheAdapterThenTheUsersRarsThenTheSampleThenTheUsersWars() throws Exception {
        Path shop = Files.createFile(directory.resolve("shop.war"));
        Path other = Files.createFile(directory.resolve("legacy-ra.rar"));
        StackCommands commands = new StackCommands("127.0.0.1", 4333, Path.of("archives"), true, List.of(shop, other));
        List<String> lines = commands.postboot().lines().toList();
        assertEquals(8, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("deploy --name natsee-broker --contextroot broker "), lines.get(0));
        assertEquals("create-resource-adapter-config --property servers=nats\\://127.0.0.1\\:4333:maxReconnects=-1:reconnectWaitMillis=250 nats-ra",
                lines.get(1));
        assertTrue(lines.get(2).startsWith("deploy --name nats-ra "), lines.get(2));
        assertTrue(lines.get(3).startsWith("deploy --name natsee-streaming --contextroot streaming "), lines.get(3));
        assertTrue(lines.get(3).endsWith("natsee-streaming.war"), lines.get(3));
        assertEquals("deploy --name legacy-ra " + other.toAbsolutePath(), lines.get(4));
        assertTrue(lines.get(5).startsWith("deploy --name natsee-greeter --contextroot greeter "), lines.get(5));
        assertEquals("deploy --name shop --contextroot shop " + shop.toAbsolutePath(), lines.get(6));
        assertEquals("deploy --name natsee-admin --contextroot admin " + Path.of("archives", "natsee-admin.war"), lines.get(7));
    }

    @Test
    void twoArchivesWithTheSameNameGetDistinctDeploymentNames() throws Exception {
        Path first = Files.createFile(Files.createDirectories(directory.resolve("a")).resolve("shop.war"));
        Path second = Files.createFile(Files.createDirectories(directory.resolve("b")).resolve("shop.war"));
        List<String> lines = new StackCommands("127.0.0.1", 4222, Path.of("archives"), false, List.of(first, second))
                .postboot().lines().toList();
        assertEquals("deploy --name shop --contextroot shop " + first.toAbsolutePath(), lines.get(4));
        assertEquals("deploy --name shop-2 --contextroot shop-2 " + second.toAbsolutePath(), lines.get(5));
    }

    @Test
    void anEarIsRefusedWithTheReason() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new StackCommands("127.0.0.1", 4222, Path.of("archives"), true, List.of(Path.of("shop.ear"))));
        assertTrue(refused.getMessage().contains("no EAR"), refused.getMessage());
    }

    @Test
    void theFilesAreWrittenWhereAskedAndTheOptionsNameThem() throws Exception {
        StackCommands commands = new StackCommands("127.0.0.1", 4222, Path.of("archives"), false, List.of());
        List<Path> written = commands.writeTo(directory.resolve("commands"));
        assertEquals(commands.preboot(), Files.readString(written.get(0)));
        assertEquals(commands.postboot(), Files.readString(written.get(1)));
        List<String> options = commands.microOptions(8181, directory.resolve("commands"));
        assertTrue(options.containsAll(List.of("--nohazelcast", "--disablephonehome", "--port", "8181",
                written.get(0).toString(), written.get(1).toString())), options.toString());
    }

    @Test
    void theUsersCommandsComeBeforeAnyDeploymentAndTheLibrariesReachPayaraMicro() throws Exception {
        Path driver = Files.createFile(directory.resolve("postgresql.jar"));
        Path more = Files.createDirectories(directory.resolve("libs"));
        String pool = "create-jdbc-connection-pool --datasourceclassname org.postgresql.ds.PGSimpleDataSource"
                + " --restype javax.sql.DataSource pg\ncreate-jdbc-resource --connectionpoolid pg jdbc/streaming";
        StackCommands commands = new StackCommands("127.0.0.1", 4222, Path.of("archives"), false, List.of(), pool,
                List.of(driver, more));
        List<String> lines = commands.postboot().lines().toList();
        assertTrue(lines.get(0).startsWith("create-jdbc-connection-pool "), lines.get(0));
        assertEquals("create-jdbc-resource --connectionpoolid pg jdbc/streaming", lines.get(1));
        assertTrue(lines.get(2).startsWith("deploy --name natsee-broker "), lines.get(2));
        List<String> options = commands.microOptions(8181, directory);
        int at = options.indexOf("--addlibs");
        assertTrue(at >= 0, options.toString());
        assertEquals(driver.toAbsolutePath() + java.io.File.pathSeparator + more.toAbsolutePath(), options.get(at + 1));
        assertFalse(new StackCommands("127.0.0.1", 4222, Path.of("archives"), false, List.of()).microOptions(8181, directory)
                .contains("--addlibs"));
    }
}
