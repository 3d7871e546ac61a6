"""The case engine: BPMN flows, their persistence, the calendar and identifiers.

Nothing in this package imports Flask: callers pass the actor and the clock in.
"""
