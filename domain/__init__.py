"""Domain workflows: plain async functions with keyword-only typed arguments (no GraphQL)."""
