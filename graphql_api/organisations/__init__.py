"""GraphQL transport of the organisations domain."""
