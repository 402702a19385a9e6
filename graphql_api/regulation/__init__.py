"""GraphQL transport of the regulator's API (R4, L3, L4)."""
