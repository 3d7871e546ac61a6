"""Plain helpers shared by test modules: constants, builders, small readers. No fixtures here
(those live in the conftest.py nearest to their users); import them explicitly."""
