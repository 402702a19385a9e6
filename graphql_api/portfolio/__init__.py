"""GraphQL transport of assessments and portfolio entries."""
