package io.natsee.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds the test WARs; none bundles the adapter's classes, which come from the deployed RAR.
 */
public final class Deployments {

    private Deployments() {
    }

    /** Returns a WAR named {@code name} holding {@code classes} and an empty beans.xml. */
    public static WebArchive war(String name, Class<?>... classes) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addClasses(classes)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }
}
