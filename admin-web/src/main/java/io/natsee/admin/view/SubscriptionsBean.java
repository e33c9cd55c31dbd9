package io.natsee.admin.view;

import io.natsee.admin.monitor.MonitorClient;
import io.natsee.admin.monitor.MonitorException;
import io.natsee.admin.monitor.SubscriptionInfo;
import io.natsee.admin.monitor.SubscriptionPage;
import jakarta.annotation.PostConstruct;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;

/**
 * The subscriptions page: the subject trie's counters, the subscriptions, and the subject tester
 * ({@code /subsz?test=}): which subscriptions a message on a subject would reach.
 */
@Named
@ViewScoped
public class SubscriptionsBean implements Serializable {

    private static final long serialVersionUID = 1L;
    /** The most subscriptions the page lists. */
    static final int LIMIT = 1000;

    private MonitorClient client;
    private ServerSelection selection;
    private Notices notices;

    private String subject = "";
    private String testedSubject;
    private SubscriptionPage page;
    private String problem;

    protected SubscriptionsBean() {
    }

    @Inject
    public SubscriptionsBean(MonitorClient client, ServerSelection selection, Notices notices) {
        this.client = client;
        this.selection = selection;
        this.notices = notices;
    }

    /** Reads every subscription (up to {@value #LIMIT}). */
    @PostConstruct
    public void refresh() {
        read("");
    }

    /** Lists only the subscriptions a message on {@link #getSubject()} would reach. */
    public void test() {
        String tested = subject == null ? "" : subject.trim();
        if (tested.isEmpty()) {
            read("");
            return;
        }
        read(tested);
    }

    /** Back to every subscription. */
    public void clear() {
        subject = "";
        read("");
    }

    private void read(String test) {
        try {
            page = client.subscriptions(selection.server(), test, 0, LIMIT);
            testedSubject = test.isEmpty() ? null : test;
            problem = null;
        } catch (MonitorException e) {
            if (e.status() == 400) {
                notices.error("subscriptions.test.invalid", test);
                testedSubject = null;
            } else {
                page = null;
                problem = e.getMessage();
            }
        }
    }

    public List<SubscriptionInfo> getSubscriptions() {
        return page == null ? List.of() : page.subscriptions();
    }

    public SubscriptionPage getPage() {
        return page;
    }

    /** The subject the list was filtered by, or {@code null}. */
    public String getTestedSubject() {
        return testedSubject;
    }

    /** Whether more subscriptions exist than the page lists. */
    public boolean isTruncated() {
        return page != null && testedSubject == null && page.numSubscriptions() > page.subscriptions().size();
    }

    public String getProblem() {
        return problem;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }
}
