"""GraphQL transport of the people domain."""
