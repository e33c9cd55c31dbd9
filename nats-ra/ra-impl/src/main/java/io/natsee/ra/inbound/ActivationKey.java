package io.natsee.ra.inbound;

import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

/**
 * Identifies one activation: the endpoint factory and the spec it was activated with, compared
 * the way the container passes them back on deactivation.
 *
 * @param endpointFactory the container's endpoint factory
 * @param spec the activation spec instance
 */
public record ActivationKey(MessageEndpointFactory endpointFactory, ActivationSpec spec) {
}
