"""GraphQL transport and spreadsheet exports of district reporting (D1–D3)."""
