"""GraphQL transport of the frameworks domain."""
