"""People and organisations: who acts (`Actor`), the one permission policy, users, subjects and
their bindings, tokens, sign-in throttling, notices."""
