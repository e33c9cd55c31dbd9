package io.natsee.broker.cli;

/** The {@code --help} text: nats-server's options, with the ones not supported yet marked. */
final class Usage {

    /** Printed to standard output by {@code -h}, {@code --help} and the command {@code help}. */
    static final String TEXT = """

            Usage: natsee-server [options]

            Server Options:
                -a, --addr, --net <host>         Bind to host address (default: 0.0.0.0)
                -p, --port <port>                Use port for clients (default: 4222; -1: any free port)
                -n, --name
                    --server_name <server_name>  Server name (default: auto)
                -P, --pid <file>                 File to store PID (removed on exit)
                -m, --http_port <port>           Use port for http monitoring (-1: any free port)
                -c, --config <file>              Configuration file
                -t                               Test configuration and exit
                -sl,--signal <signal>[=<pid>]    Send signal to natsee-server process (stop, quit, term, reopen, reload, ldm);
                                                 <pid> may be a pid file (default: -P, the config's pid_file,
                                                 else the one natsee-server process running)
                    --ports_file_dir <dir>       Creates a ports file in the specified directory (<executable_name>_<pid>.ports)
                    --event_loops <number>       IO event loops (default: 1 on 2 cores or fewer, else half the cores)

            Logging Options:
                -l, --log <file>                 File to redirect log output
                -T, --logtime                    Timestamp log entries (default: true)
                -D, --debug                      Enable debugging output
                -V, --trace                      Trace the raw protocol
                -VV                              Verbose trace (same as -V: no system account traffic)
                -DV                              Debug and trace
                -DVV                             Debug and verbose trace
                    --log_size_limit <limit>     Logfile size limit (default: auto)
                    --max_traced_msg_len <len>   Maximum printable length for traced messages (default: unlimited)

            Authorization Options:
                    --user <user>                User required for connections
                    --pass <password>            Password required for connections
                    --auth <token>               Authorization token required for connections

            TLS Options:
                    --tls                        Enable TLS, do not verify clients (default: false)
                    --tlscert <file>             Server certificate file
                    --tlskey <file>              Private key for server certificate
                    --tlsverify                  Enable TLS, verify client certificates
                    --tlscacert <file>           Client certificate CA for verification

            Cluster Options:
                    --routes <rurl-1, rurl-2>    Routes to solicit and connect
                    --cluster <cluster-url>      Cluster URL for solicited routes
                    --cluster_name <string>      Cluster Name, if not set one will be dynamically generated
                    --no_advertise <bool>        Do not advertise known cluster information to clients
                    --cluster_advertise <string> Cluster URL to advertise to other servers
                    --connect_retries <number>   For implicit routes, number of connect retries
                    --cluster_listen <url>       Cluster url from which members can solicit routes

            Common Options:
                -h, --help                       Show this message
                -v, --version                    Show version

            Recognised but not supported yet (the server refuses to start with them):
                -ms, --https_port, --client_advertise,
                -s, --syslog, -r, --remote_syslog,
                -js, --jetstream, -sd, --store_dir, --profile, --help_tls

            Flags take one or two dashes, and values as --port=4222 or --port 4222.
            """;

    private Usage() {
    }
}
