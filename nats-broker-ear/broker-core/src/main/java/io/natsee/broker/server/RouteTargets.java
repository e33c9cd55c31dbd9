package io.natsee.broker.server;

/**
 * The routes one published message goes to, each with the queue groups it was picked for, so
 * that each route gets one RMSG however many of its interests matched. One per event loop,
 * reused for every message.
 */
final class RouteTargets {

    private Connection[] routes = new Connection[4];
    private byte[][][] queues = new byte[4][][];
    private int[] queueCounts = new int[4];
    private int count;

    int count() {
        return count;
    }

    Connection route(int index) {
        return routes[index];
    }

    byte[][] queues(int index) {
        return queues[index];
    }

    int queueCount(int index) {
        return queueCounts[index];
    }

    /** Adds {@code route} (once) and, when not {@code null}, a queue group picked for it. */
    void add(Connection route, byte[] queue) {
        int index = indexOf(route);
        if (index < 0) {
            if (count == routes.length) {
                grow();
            }
            index = count++;
            routes[index] = route;
            queueCounts[index] = 0;
            if (queues[index] == null) {
                queues[index] = new byte[2][];
            }
        }
        if (queue != null) {
            byte[][] list = queues[index];
            int size = queueCounts[index];
            if (size == list.length) {
                byte[][] bigger = new byte[size * 2][];
                System.arraycopy(list, 0, bigger, 0, size);
                queues[index] = list = bigger;
            }
            list[size] = queue;
            queueCounts[index] = size + 1;
        }
    }

    /** Forgets the routes (keeps the arrays). */
    void clear() {
        for (int i = 0; i < count; i++) {
            routes[i] = null;
            byte[][] list = queues[i];
            for (int j = 0; j < queueCounts[i]; j++) {
                list[j] = null;
            }
        }
        count = 0;
    }

    private int indexOf(Connection route) {
        for (int i = 0; i < count; i++) {
            if (routes[i] == route) {
                return i;
            }
        }
        return -1;
    }

    private void grow() {
        int size = routes.length * 2;
        Connection[] biggerRoutes = new Connection[size];
        System.arraycopy(routes, 0, biggerRoutes, 0, count);
        routes = biggerRoutes;
        byte[][][] biggerQueues = new byte[size][][];
        System.arraycopy(queues, 0, biggerQueues, 0, count);
        queues = biggerQueues;
        int[] biggerCounts = new int[size];
        System.arraycopy(queueCounts, 0, biggerCounts, 0, count);
        queueCounts = biggerCounts;
    }
}
