package io.natsee.admin.view;

/** A caller with a fixed role. */
record FixedCaller(String name, boolean operator) implements CallerRoles {

    @Override
    public boolean isOperator() {
        return operator;
    }
}
