"""The regulation as code: policy, principals, decisions, scopes as SQL filters, audit."""
