"""GraphQL transport of the handoff between organisations (T0–T3, C2, C3)."""
