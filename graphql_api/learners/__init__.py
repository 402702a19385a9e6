"""GraphQL transport of the learners domain."""
